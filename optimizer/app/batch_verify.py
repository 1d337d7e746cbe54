"""`dopt batch --verify`: the verified rewrite of many Dockerfiles, on local processes or Ray tasks.

Each task runs the verify of ``dopt verify`` (``verify.core.verify``: both images built, the smoke test,
the HEALTHCHECK, run-time parity, ``--attribute``; with ``--keep-proven`` the bisect that holds back the
fixes that break the image) with a builder of its own, whose store is a temporary folder on the worker
that the task removes when it ends, interrupted or not. The driver reads the Dockerfile and packs its
build context into a tar archive (at most ``MAX_CONTEXT`` bytes) that travels with the task, so workers
need no shared file system; each task unpacks it into a temporary folder and builds there.

A task's JSON line: ``status`` (proven, held-back, unchanged, failed, original-broken; an ``error`` when the
task could not run), both images (built, size, layers, build seconds, user, smoke, health, run-time parity),
``bytes_saved``, the fixes applied (with the bytes per rule under ``--attribute``), the fixes held back
with what failed with them in, and the proven rewrite as a unified diff.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import shutil
import signal
import socket
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer.app.config import Resolver
from optimizer.core.settings import Settings
from optimizer.errors import ConfigError, DoptError

MAX_CONTEXT = 256 * 2**20  # bytes of build context shipped with one task
STOP_SECONDS = 300.0  # how long an interrupted run waits for its tasks to remove what they built
RAY_CPUS = 1.0  # what one Ray task asks for: a CPU and one unit of the custom `builder` resource


@dataclass(frozen=True)
class VerifyOptions:
    """What ``dopt batch --verify`` passes to every task (the verify options of ``dopt verify``)."""

    builder: str | None = None
    smoke: str | None = None  # for the lines of the list that name none
    keep_proven: bool = False  # bisect: hold back the fixes that break the image, prove the rest
    attribute: bool = False
    check_health: bool = True
    run_seconds: float = 20
    max_context: int = MAX_CONTEXT


@dataclass(frozen=True)
class Task:
    path: str  # as the list names it (the key of its JSON line)
    context: str  # the build context on the driver (absolute)
    smoke: str | None
    dockerfile: bytes
    own_ignore: bytes | None  # <Dockerfile>.dockerignore, which BuildKit prefers to the context's
    archive: bytes  # the build context as an uncompressed tar archive
    settings: Settings


@dataclass(frozen=True)
class Entry:
    """One line of the file list: ``path`` or ``path<TAB>context<TAB>smoke command``."""

    path: str
    context: str | None = None
    smoke: str | None = None


def parse_line(line: str) -> Entry | None:
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    parts = line.rstrip("\r\n").split("\t")
    path = parts[0].strip()
    context = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    smoke = parts[2].strip() if len(parts) > 2 and parts[2].strip() else None
    return Entry(path, context, smoke)


def base_record(path: str, context: str | None = None, error: str | None = None) -> dict[str, Any]:
    return {"path": path, "context": context, "status": "error" if error else None, "error": error}


def _context_size(root: str, limit: int) -> int:
    """The bytes under ``root`` (symbolic links count as links), stopping once above ``limit``."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
        if total > limit:
            break
    return total


def pack(root: str, limit: int, path: str | None = None) -> bytes:
    """The folder as an uncompressed tar archive (a clear error above ``limit`` bytes)."""
    size = _context_size(root, limit)
    if size > limit:
        raise DoptError(
            f"the build context {root} holds more than {limit / 2**20:,.0f} MB, the most a task ships to a worker "
            "(DOPT_BATCH_MAX_CONTEXT_MB raises it; a .dockerignore does not shrink what is shipped)",
            path=path,
        )
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(root, arcname=".", recursive=True)
    return buf.getvalue()


def _unpack(archive: bytes, dest: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python before 3.10.12 / 3.11.4
            tar.extractall(dest)  # noqa: S202 (the driver packed it)


def prepare(entry: Entry, resolver: Settings | Resolver, opts: VerifyOptions) -> Task | dict[str, Any]:
    """The task for one line of the list, or its error record (unreadable file, context too large, ...)."""
    from optimizer.app.files import read

    path = entry.path
    context = os.path.abspath(entry.context or os.path.dirname(os.path.abspath(path)))
    try:
        loaded = read(path)
        if not os.path.isdir(context):
            raise DoptError(f"the build context {context} is not a folder", path=path)
        settings = resolver if isinstance(resolver, Settings) else resolver.settings_for(path)
        own = Path(os.path.abspath(path) + ".dockerignore")
        own_ignore = own.read_bytes() if own.is_file() else None
        archive = pack(context, opts.max_context, path)
    except DoptError as e:
        return base_record(path, context, str(e))
    except OSError as e:
        return base_record(path, context, f"{e.filename or path}: {e.strerror or e}")
    return Task(path, context, entry.smoke or opts.smoke, loaded.data, own_ignore, archive, copy.copy(settings))


def run_task(task: Task, opts: VerifyOptions) -> dict[str, Any]:
    """One verify on this worker, in temporary folders (context, builder store) removed at the end."""
    from optimizer.app.files import read
    from optimizer.app.verify.builders import BuilderError, pick
    from optimizer.app.verify.command import _bases
    from optimizer.app.verify.core import verify
    from optimizer.syntax.parser import parse

    out = base_record(task.path, task.context)
    out["worker"] = socket.gethostname()
    start = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="dopt-batch-"))
    try:
        ctx = work / "context"
        ctx.mkdir()
        _unpack(task.archive, ctx)
        rel = os.path.relpath(os.path.abspath(task.path), task.context)
        inside = not rel.startswith(os.pardir + os.sep) and rel != os.pardir
        dockerfile = ctx / rel if inside else work / "dockerfile" / os.path.basename(task.path)
        dockerfile.parent.mkdir(parents=True, exist_ok=True)
        dockerfile.write_bytes(task.dockerfile)
        if task.own_ignore is not None:
            dockerfile.with_name(dockerfile.name + ".dockerignore").write_bytes(task.own_ignore)
        text = read(str(dockerfile)).text
        try:
            builder = pick(opts.builder, bases=_bases(parse(text, str(dockerfile))))
        except BuilderError as e:
            out["status"], out["error"] = "error", f"no image builder on worker {out['worker']}: {e}"
            return out
        settings = copy.copy(task.settings)
        settings.context = str(ctx)
        report = verify(
            str(dockerfile),
            text,
            settings,
            builder,
            ctx,
            task.smoke,
            opts.keep_proven,
            None,
            opts.check_health,
            opts.run_seconds,
            opts.attribute,
        )
        _fill(out, report, task, text, ctx)
    except DoptError as e:  # named as on the driver, not by the worker's copy
        out["status"], out["error"] = "error", str(e).replace(str(work / "context") + os.sep, task.context + os.sep)
        out["error"] = out["error"].replace(str(work / "dockerfile" / os.path.basename(task.path)), task.path)
    except (OSError, tarfile.TarError) as e:
        out["status"], out["error"] = "error", f"worker {out['worker']}: {e}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        out["seconds"] = round(time.monotonic() - start, 1)
    return out


def _fill(out: dict[str, Any], report: Any, task: Task, text: str, ctx: Path) -> None:
    """The record of a finished verify; the context files it writes are named as on the driver."""
    from optimizer.app.verify.command import _diff
    from optimizer.app.verify.core import VerifyReport

    assert isinstance(report, VerifyReport)

    def driver_path(f: str) -> str:
        rel = os.path.relpath(f, ctx)
        return f if rel.startswith(os.pardir) else os.path.join(task.context, rel)

    report.path = task.path
    report.files = {driver_path(f): c for f, c in report.files.items()}
    report.file_sources = {driver_path(f): c for f, c in report.file_sources.items()}
    a, b = report.original, report.rewritten
    if not a.works:
        status = "original-broken"
    elif report.regression:
        status = "failed"
    elif report.held_back:
        status = "held-back"
    elif report.unchanged:
        status = "unchanged"
    else:
        status = "proven"
    per_rule = {x.code: x.bytes_saved for x in report.attribution}
    out.update(
        status=status,
        builder=report.builder,
        original=_image(a),
        rewritten=_image(b),
        bytes_saved=a.size - b.size if a.size is not None and b.size is not None and b.built else None,
        fixes=[
            {"code": c, "message": m.strip(), "rule_bytes_saved": per_rule.get(c)}
            for c, _, m in (f.partition(":") for f in report.fixes)
        ],
        held_back=[{"code": h.code, "name": h.name, "fixes": h.fixes, "reasons": h.reasons} for h in report.held_back],
        diff="" if status in ("failed", "original-broken") or report.unchanged else _diff(task.path, text, report),
        report=report.as_dict(),
    )


def _image(img: Any) -> dict[str, Any]:
    rt = img.runtime
    return {
        "built": img.built,
        "failed_step": img.failed_step,
        "size": img.size,
        "compressed": img.compressed,
        "layers": img.layers,
        "build_seconds": img.build_seconds,
        "user": img.user,
        "smoke_code": img.smoke_code,
        "health": img.health,
        "parity": None if rt is None else "same" if not rt.problems else "broken",
        "parity_problems": [] if rt is None else list(rt.problems),
    }


# -- executors ------------------------------------------------------------------------------------------

Item = Task | dict[str, Any]


def _child(conn: Any, task: Task, opts: VerifyOptions, parent: int) -> None:
    """A local worker: one task. SIGTERM (the driver's stop, or the driver's death) interrupts the
    verify, whose cleanup then removes the builder's store; a Ctrl-C at the terminal is the driver's."""
    from optimizer.app.pool import _die_with

    _die_with(parent)

    def stop(_sig: int, _frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second stop must not cut the cleanup short
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        rec: dict[str, Any] | None = run_task(task, opts)
    except KeyboardInterrupt:
        rec = None
    with contextlib.suppress(OSError):
        conn.send(rec)
        conn.close()


def run_local(items: Iterable[Item], opts: VerifyOptions, jobs: int) -> Iterator[dict[str, Any]]:
    """Records as tasks finish, ``jobs`` tasks at a time, each in a process of its own."""
    import multiprocessing
    from multiprocessing.connection import wait

    mp = multiprocessing.get_context("fork")
    running: dict[Any, tuple[Any, Task]] = {}  # the result pipe -> (process, task)

    def finish(conn: Any) -> dict[str, Any]:
        proc, task = running.pop(conn)
        try:
            rec: dict[str, Any] | None = conn.recv()
        except (EOFError, OSError):
            rec = None
        proc.join()
        if rec is None:
            rec = base_record(task.path, task.context, f"the worker process ended with code {proc.exitcode}")
        return rec

    try:
        for item in items:
            if isinstance(item, dict):
                yield item
                continue
            while len(running) >= max(1, jobs):
                for conn in wait(list(running)):
                    yield finish(conn)
            reader, writer = mp.Pipe(duplex=False)
            proc = mp.Process(target=_child, args=(writer, item, opts, os.getpid()), daemon=False)
            proc.start()
            writer.close()
            running[reader] = (proc, item)
        while running:
            for conn in wait(list(running)):
                yield finish(conn)
    finally:
        _stop_local([proc for proc, _ in running.values()])


def _stop_local(procs: list[Any]) -> None:
    """SIGTERM every running task and wait until each has removed what it built (bounded)."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(5)


def run_ray(
    items: Iterable[Item], opts: VerifyOptions, address: str | None, builders: int = 1
) -> Iterator[dict[str, Any]]:
    """Records as Ray tasks finish. A task asks for ``RAY_CPUS`` CPUs and one ``builder``: only the
    nodes started with that resource (``ray start --resources '{"builder": N}'``: N builds at once) take
    them. A few more tasks than builders are in flight at a time (each carries its context). Without an
    address (and no RAY_ADDRESS), a Ray instance on this machine is started with ``builders`` builders."""
    try:
        import ray
    except ImportError:
        raise DoptError("the ray executor needs Ray: pip install 'dopt[ray]'") from None
    started = False
    if not ray.is_initialized():
        own: dict[str, float] | None = None
        if not address and not os.environ.get("RAY_ADDRESS"):  # a Ray of our own, on this machine
            own = {"builder": float(max(1, builders))}
        ray.init(address=address, resources=own, include_dashboard=False, log_to_driver=False)
        started = True
    pending: dict[Any, Task] = {}
    try:
        untyped: Any = ray  # (cluster_resources has no annotations)
        offered = float(untyped.cluster_resources().get("builder", 0))
        if offered < 1:
            raise DoptError(
                "no node of the Ray cluster offers the `builder` resource: start the nodes that can build images "
                "with `ray start --resources '{\"builder\": 1}'` (or ray.init(resources={'builder': 1}))"
            )
        remote = ray.remote(num_cpus=RAY_CPUS, resources={"builder": 1}, max_retries=0)(run_task)
        window = int(offered) + 2

        def collect(block: bool) -> Iterator[dict[str, Any]]:
            while pending and (block or len(pending) >= window):
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    task = pending.pop(ref)
                    try:
                        rec: dict[str, Any] = ray.get(ref)
                        yield rec
                    except Exception as e:  # a task that raised, a worker that died
                        yield base_record(task.path, task.context, f"the Ray task failed: {_one_line(e)}")

        for item in items:
            if isinstance(item, dict):
                yield item
                continue
            pending[remote.remote(item, opts)] = item
            yield from collect(block=False)
        yield from collect(block=True)
    finally:
        if pending:  # interrupted: each task's verify removes what it built, then ends
            for ref in pending:
                with contextlib.suppress(Exception):
                    ray.cancel(ref, force=False)
            with contextlib.suppress(Exception):
                ray.wait(list(pending), num_returns=len(pending), timeout=STOP_SECONDS)
        if started:
            ray.shutdown()


def _one_line(e: BaseException) -> str:
    lines = [x.strip() for x in str(e).splitlines() if x.strip()]
    return (lines[-1] if lines else type(e).__name__)[:300]


def verify_items(entries: list[Entry], settings: Settings | Resolver, opts: VerifyOptions) -> Iterator[Item]:
    """Tasks (or error records) one at a time: a context is packed only when a worker is about to take it."""
    for entry in entries:
        yield prepare(entry, settings, opts)


def max_context_from_env() -> int:
    raw = os.environ.get("DOPT_BATCH_MAX_CONTEXT_MB", "").strip()
    if not raw:
        return MAX_CONTEXT
    try:
        return int(float(raw) * 2**20)
    except ValueError:
        raise ConfigError(f"DOPT_BATCH_MAX_CONTEXT_MB={raw!r} is not a number") from None


OnRecord = Callable[[dict[str, Any], int, int], None]


class Progress:
    """On a terminal: a bar with the files done and the last result; otherwise one line per file."""

    def __init__(self, quiet: bool) -> None:
        import sys

        self.quiet = quiet
        self.out = sys.stderr
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.live = not quiet and sys.stderr.isatty() and not os.environ.get("NO_COLOR_PROGRESS")

    def __call__(self, rec: dict[str, Any] | None, done: int, total: int) -> None:
        if self.quiet:
            return
        if rec is None:
            if self.live and total:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self.bar = Progress(
                    TextColumn("verify"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    TextColumn("{task.description}"),
                )
                self.bar.start()
                self.task = self.bar.add_task("", total=total)
            return
        line = f"{rec['path']}: {describe(rec)}"
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=line[-80:])
            return
        self.out.write(f"[{time.monotonic() - self.start:5.0f} s] {done}/{total} {line}\n")
        self.out.flush()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def describe(rec: dict[str, Any]) -> str:
    """One line for a record: its status, the bytes saved, the time, the worker."""
    if rec.get("error"):
        return f"error: {rec['error']}"
    status = str(rec.get("status"))
    saved = rec.get("bytes_saved")
    held = sum(len(h["fixes"]) for h in rec.get("held_back") or [])
    bits = [status]
    if saved:
        bits.append(f"{-saved / 1e6:+,.1f} MB")
    if held:
        bits.append(f"{held} fix{'es' if held != 1 else ''} held back")
    where = f" on {rec['worker']}" if rec.get("worker") else ""
    return ", ".join(bits) + f" ({rec.get('seconds', 0):.0f} s{where})"
