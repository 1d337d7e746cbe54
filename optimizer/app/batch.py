"""`dopt batch`: check and rewrite thousands of Dockerfiles, one JSON line per file.

The driver reads every file itself and ships its bytes with the task, so workers need no shared
file system: the same code runs in a local process pool or as Ray tasks on a cluster. Results are
appended to the JSON-lines file as they arrive, in input order, one complete line at a time; a
rerun skips the paths already there (an interrupted last line is dropped first), so an interrupted
run resumes where it stopped. A file that errored is tried again by the next run (its old line is
dropped first), so a rerun after fixing the cause completes the output.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from optimizer.app import pipeline
from optimizer.app.config import Resolver
from optimizer.core.settings import Settings
from optimizer.errors import DoptError
from optimizer.records import record as _record
from optimizer.syntax.parser import MAX_BYTES

if TYPE_CHECKING:
    from optimizer.app.batch_verify import VerifyOptions

CHUNK = 64


@_record(frozen=True)
class Job:
    path: str
    data: bytes | None  # None when the driver could not read it
    error: str | None = None


def record(job: Job, settings: Settings | Resolver) -> dict[str, Any]:
    """The JSON record of one file: its findings, the diff dopt would apply, or the error."""
    out: dict[str, Any] = {"path": job.path, "findings": [], "diff": "", "changed": False, "error": job.error}
    if job.data is None:
        return out
    try:
        if not isinstance(settings, Settings):
            settings = settings.settings_for(job.path)
        run = pipeline.run_bytes(job.data, job.path, settings)
    except DoptError as e:
        out["error"] = str(e)
        return out
    out["findings"] = [
        {
            "code": d.code,
            "name": d.name,
            "message": d.message,
            "line": run.doc.line_of(d.start),
            "column": run.doc.col_of(d.start),
            "fix": d.fix.applicability.value if d.fix is not None else None,
        }
        for d in run.findings
    ]
    out["changed"] = run.changed
    out["diff"] = run.diff()
    return out


def records(jobs: list[Job], settings: Settings | Resolver) -> list[dict[str, Any]]:
    return [record(j, settings) for j in jobs]


def load(path: str) -> Job:
    from optimizer.core.fileio import TooLarge, read_regular

    try:
        data = read_regular(path, MAX_BYTES)
    except TooLarge as e:
        return Job(path, None, f"{path}: {e}")
    except OSError as e:
        return Job(path, None, f"{path}: cannot read: {e.strerror or e}")
    return Job(path, data)


def done_paths(out_path: str) -> set[str]:
    """Paths already in the output without an error.

    An incomplete last line (an interrupted write) is cut off, and the lines of files that errored are
    dropped (atomically: temporary file, then rename), so that this run tries them again.
    """
    if not os.path.exists(out_path):
        return set()
    with open(out_path, "rb") as fh:
        data = fh.read()
    complete = data[: data.rfind(b"\n") + 1]
    seen = set()
    kept: list[bytes] = []
    for line in complete.splitlines(keepends=True):
        try:
            rec = json.loads(line)
            path, error = rec["path"], rec.get("error")
        except (ValueError, KeyError, TypeError):
            kept.append(line)
            continue
        if error is None:
            seen.add(path)
            kept.append(line)
    if len(complete) != len(data) or len(kept) != len(complete.splitlines()):
        tmp = out_path + ".dopt-tmp"
        with open(tmp, "wb") as fh:
            fh.write(b"".join(kept))
        os.replace(tmp, out_path)
    return seen


def chunks(paths: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(paths), size):
        yield paths[i : i + size]


def run_local(paths: list[str], settings: Settings | Resolver, jobs: int) -> Iterator[list[dict[str, Any]]]:
    if jobs <= 1:
        for chunk in chunks(paths):
            yield records([load(p) for p in chunk], settings)
        return
    from optimizer.app.pool import pool_map

    batches = ([load(p) for p in chunk] for chunk in chunks(paths))
    yield from pool_map(records, batches, settings, jobs)


def run_ray(paths: list[str], settings: Settings | Resolver, address: str | None) -> Iterator[list[dict[str, Any]]]:
    try:
        import ray
    except ImportError:
        raise DoptError("the ray executor needs Ray: pip install 'dopt[ray]'") from None
    started = False
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, include_dashboard=False, log_to_driver=False)
        started = True
    try:
        remote = ray.remote(records)
        window: list[Any] = []
        for chunk in chunks(paths):
            window.append(remote.remote([load(p) for p in chunk], settings))
            if len(window) >= 16:  # keep a bounded number of tasks in flight
                yield ray.get(window.pop(0))
        for ref in window:
            yield ray.get(ref)
    finally:
        if started:
            ray.shutdown()


def run_batch(
    file_list: Iterable[str],
    out_path: str,
    settings: Settings | Resolver,
    *,
    executor: str = "local",
    jobs: int | None = None,
    address: str | None = None,
    verify: VerifyOptions | None = None,
    on_record: Callable[[dict[str, Any] | None, int, int], None] | None = None,
) -> tuple[int, int, int]:
    """Process every listed path not yet in ``out_path``. Returns (done now, skipped, errors).

    With ``verify``, each file is built and proven (``batch_verify``): lines are written as the tasks
    finish, and a list line may name the build context and a smoke command (``path<TAB>context<TAB>smoke``).
    ``on_record(record, done, todo)`` is called after each line is written, and once with no record before
    the first (a progress display)."""
    if verify is not None:
        from optimizer.app.batch_verify import parse_line

        entries = {e.path: e for e in (parse_line(p) for p in file_list) if e is not None}
        wanted = list(entries)
    else:
        wanted = [p.strip() for p in file_list if p.strip() and not p.lstrip().startswith("#")]
    seen = done_paths(out_path)
    todo = [p for p in dict.fromkeys(wanted) if p not in seen]
    stream: Iterator[list[dict[str, Any]]]
    if executor not in ("local", "ray"):
        raise DoptError(f"unknown executor {executor!r} (local or ray)")
    if verify is not None:
        from optimizer.app import batch_verify as bv

        items = bv.verify_items([entries[p] for p in todo], settings, verify)
        if executor == "ray":
            records_ = bv.run_ray(items, verify, address, jobs or 1)
        else:
            records_ = bv.run_local(items, verify, jobs or os.cpu_count() or 1)
        stream = _one_each(records_)
    elif executor == "ray":
        stream = run_ray(todo, settings, address)
    else:
        stream = run_local(todo, settings, jobs or os.cpu_count() or 1)
    done = errors = 0
    if on_record is not None:
        on_record(None, 0, len(todo))
    try:
        with open(out_path, "a", encoding="utf-8") as out:
            for batch in stream:
                for rec in batch:
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    done += 1
                    errors += rec["error"] is not None
                out.flush()
                for rec in batch if on_record is not None else []:
                    assert on_record is not None
                    on_record(rec, done, len(todo))
    finally:  # an interrupted run stops its workers now (a generator is closed only when collected otherwise)
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return done, len(wanted) - len(todo), errors


def _one_each(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    try:
        for rec in records:
            yield [rec]
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
