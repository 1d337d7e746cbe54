"""The work of `dopt rewrite` and `dopt check`, free of any CLI library.

Both the typer CLI and the fast entry point call these; they return the exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from optimizer.app.files import discover
from optimizer.app.runner import (
    FileOutcome,
    check_one,
    format_diagnostic,
    hidden_unsafe,
    rewrite_one,
    use_color,
)
from optimizer.core import registry
from optimizer.core.settings import Settings
from optimizer.errors import ConfigError
from optimizer.records import field, record
from optimizer.syntax.model import Document

if TYPE_CHECKING:
    from optimizer.app.config import Resolver


def _codes(values: list[str] | None) -> set[str] | None:
    if not values:
        return None
    out: set[str] = set()
    for v in values:
        out |= {c.strip() for c in v.split(",") if c.strip()}
    return out


def make_resolver(
    select: list[str] | None,
    ignore: list[str] | None,
    unsafe_fixes: bool,
    config: str | None = None,
    isolated: bool = False,
    extend_select: list[str] | None = None,
    context: str | None = None,
) -> Resolver:
    """Command-line choices on top of the configuration files (which they override)."""
    from optimizer.app.config import Resolver

    sel, ign, ext = _codes(select), _codes(ignore), _codes(extend_select)
    registry.check_selectors((sel or set()) | (ign or set()) | (ext or set()))
    cli: dict[str, object] = {
        "select": sorted(sel) if sel is not None else None,
        "extend-ignore": sorted(ign) if ign else None,
        "extend-select": sorted(ext) if ext else None,
        "unsafe-fixes": True if unsafe_fixes else None,
        "context": os.path.abspath(context) if context else None,
    }
    return Resolver(cli, config, isolated)


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def _paths(paths: list[str] | None, resolver: Resolver | None = None) -> list[str]:
    if not paths:
        raise ConfigError("no path given (use `-` for standard input)")
    files = discover(paths, resolver.excluded if resolver is not None else None)
    if not files:
        _err("warning: no Dockerfiles found")
    return files


@record(frozen=True)
class Options:
    """What a worker needs to know to process one file (picklable)."""

    resolver: Resolver
    diff: bool = False
    check: bool = False
    fix: bool = False
    quiet: bool = False
    stdin_filename: str | None = None
    color: bool = False
    output_format: str = "text"


@record
class Report:
    """The outcome of one file, rendered: output events in order, and counts."""

    events: list[tuple[str, bytes]] = field(default_factory=list)  # ("out" | "err", data)
    changed: bool = False
    error: bool = False
    findings: int = 0
    fixable: int = 0
    hidden: int = 0
    fixed: int = 0
    records: list[dict[str, object]] = field(default_factory=list)

    def out(self, text: str | bytes) -> None:
        self.events.append(("out", text.encode("utf-8") if isinstance(text, str) else text))

    def err(self, text: str) -> None:
        self.events.append(("err", (text + "\n").encode("utf-8")))


def _dropped(r: Report, o: FileOutcome, quiet: bool) -> None:
    if o.result is None or quiet:
        return
    for d, why in o.result.failed:
        line = o.doc.line_of(d.start) if o.doc is not None else "?"
        r.err(f"{o.path}:{line}: {d.code} fix not applied: {why}")
    for d, why in o.result.vanished:  # offsets in the original text
        line = o.doc.line_of(d.start) if o.doc is not None else "?"
        r.err(f"{o.path}:{line}: {d.code} fix not applied: {why}")
    if not o.result.converged:
        r.err(f"{o.path}: the fixes did not reach a fixed point; the file was left as it was")


def rewrite_file(path: str, opts: Options) -> Report:
    r = Report()
    write = not (opts.diff or opts.check)
    try:
        settings = opts.resolver.settings_for(opts.stdin_filename or path)
    except ConfigError as e:
        r.error = True
        r.err(f"error: {e}")
        return r
    o = rewrite_one(path, settings, write=write, stdin_filename=opts.stdin_filename)
    if o.error is not None:
        r.error = True
        r.err(f"error: {o.error}")
        return r
    _dropped(r, o, opts.quiet)
    assert o.result is not None
    r.changed = o.changed
    if opts.diff:
        r.out(o.diff())
    elif path == "-" and not opts.check:
        r.out(o.result.output.encode("utf-8"))
    elif opts.check and o.changed and not opts.quiet:
        r.err(f"would rewrite {o.path}")
    elif o.written and not opts.quiet:
        r.err(f"rewrote {o.path} ({len(o.result.applied)} fixes)")
    return r


def check_file(path: str, opts: Options) -> Report:
    r = Report()
    try:
        settings = opts.resolver.settings_for(opts.stdin_filename or path)
    except ConfigError as e:
        r.error = True
        r.err(f"error: {e}")
        return r
    o = check_one(path, settings, fix=opts.fix, stdin_filename=opts.stdin_filename)
    if o.error is not None:
        r.error = True
        r.err(f"error: {o.error}")
        return r
    _dropped(r, o, opts.quiet)
    if o.result is not None:
        r.fixed = len(o.result.applied)
        if path == "-":
            r.out(o.result.output.encode("utf-8"))
    r.findings = len(o.diagnostics)
    r.fixable = sum(1 for d in o.diagnostics if settings.may_fix(d))
    r.hidden = hidden_unsafe(o.diagnostics, settings)
    if opts.output_format != "text":
        r.records = json_records(o, settings)
    if opts.output_format == "text" and (path != "-" or not opts.fix):
        for d in o.diagnostics:
            r.out(format_diagnostic(o, d, settings, opts.color) + "\n")
    return r


def _emit(r: Report) -> None:
    for stream, data in r.events:
        target = sys.stdout if stream == "out" else sys.stderr
        target.flush()
        target.buffer.write(data)
        target.flush()


PARALLEL_MIN_FILES = 16


PROGRESS_MIN_FILES = 20


def with_progress(reports: Iterator[Report], total: int, quiet: bool, label: str) -> Iterator[Report]:
    """A progress bar on stderr for runs over many files, on a terminal only (not piped, not -q)."""
    if quiet or total < PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield from reports
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(label, total=total)
        for r in reports:
            yield r
            bar.advance(task)


def process(
    func: Callable[[str, Options], Report], files: list[str], opts: Options, jobs: int | None
) -> Iterator[Report]:
    """Reports in the order of ``files``; a process pool when there are many files."""
    n = jobs if jobs is not None else (os.cpu_count() or 1)
    if n <= 1 or len(files) < (2 if jobs else PARALLEL_MIN_FILES) or "-" in files:
        for f in files:
            yield func(f, opts)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        yield from pool.map(func, files, [opts] * len(files), chunksize=max(1, len(files) // (n * 8)))


def _prepare(
    paths: list[str] | None,
    select: list[str] | None,
    ignore: list[str] | None,
    unsafe_fixes: bool,
    config: str | None,
    isolated: bool,
    extend_select: list[str] | None,
    context: str | None = None,
) -> tuple[Resolver, list[str]] | None:
    """The configuration and the files to process, or None after reporting a usage error."""
    try:
        resolver = make_resolver(select, ignore, unsafe_fixes, config, isolated, extend_select, context)
        return resolver, _paths(paths, resolver)
    except ConfigError as e:
        _err(f"error: {e}")
        return None


def rewrite(
    paths: list[str] | None,
    *,
    diff: bool = False,
    check: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    unsafe_fixes: bool = False,
    quiet: bool = False,
    stdin_filename: str | None = None,
    jobs: int | None = None,
    config: str | None = None,
    isolated: bool = False,
    extend_select: list[str] | None = None,
    context: str | None = None,
) -> int:
    prepared = _prepare(paths, select, ignore, unsafe_fixes, config, isolated, extend_select, context)
    if prepared is None:
        return 2
    resolver, files = prepared
    opts = Options(resolver, diff=diff, check=check, quiet=quiet, stdin_filename=stdin_filename)
    errors = changed = 0
    for r in with_progress(process(rewrite_file, files, opts, jobs), len(files), quiet, "dopt rewrite"):
        errors += r.error
        changed += r.changed
        _emit(r)
    write = not (diff or check)
    if not quiet and (len(files) > 1 or (files and files != ["-"] and not diff)):
        verb = "would be rewritten" if not write else "rewritten"
        _err(
            f"{changed} file{'s' if changed != 1 else ''} {verb}, "
            f"{len(files) - changed - errors} unchanged, {errors} failed"
        )
    if errors:
        return 2
    return 1 if (diff or check) and changed else 0


def check(
    paths: list[str] | None,
    *,
    fix: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    unsafe_fixes: bool = False,
    quiet: bool = False,
    stdin_filename: str | None = None,
    color: bool | None = None,
    output_format: str = "text",
    jobs: int | None = None,
    config: str | None = None,
    isolated: bool = False,
    extend_select: list[str] | None = None,
) -> int:
    prepared = _prepare(paths, select, ignore, unsafe_fixes, config, isolated, extend_select)
    if prepared is None:
        return 2
    resolver, files = prepared
    opts = Options(
        resolver,
        fix=fix,
        quiet=quiet,
        stdin_filename=stdin_filename,
        color=use_color(sys.stdout, color),
        output_format=output_format,
    )
    errors = total = fixable = hidden = fixed = 0
    records: list[dict[str, object]] = []
    for r in with_progress(process(check_file, files, opts, jobs), len(files), quiet, "dopt check"):
        errors += r.error
        total += r.findings
        fixable += r.fixable
        hidden += r.hidden
        fixed += r.fixed
        records.extend(r.records)
        _emit(r)
    if output_format != "text":
        from optimizer.app.formats import render

        sys.stdout.write(render(output_format, records))
    elif not quiet:
        failed = f", {errors} failed" if errors else ""
        parts = [f"{len(files)} file{'s' if len(files) != 1 else ''} checked{failed}."]
        if fixed:
            parts.append(f"Fixed {fixed}.")
        if total:
            parts.append(
                f"Found {total} finding{'s' if total != 1 else ''}"
                + (f" ({fixable} fixable with `--fix`)" if fixable and not fix else "")
                + "."
            )
            if hidden:
                parts.append(f"{hidden} more fix{'es' if hidden != 1 else ''} available with `--unsafe-fixes`.")
        elif not errors:
            parts.append("All checks passed!")
        _err(" ".join(parts))
    if errors:
        return 2
    return 1 if total else 0


def _loc(doc: Document, offset: int) -> dict[str, int]:
    """1-based row and column (characters), plus the column in UTF-8 bytes (reviewdog counts bytes)."""
    row, col = doc.line_of(offset), doc.col_of(offset)
    start = doc.line_offsets[row - 1] + (1 if row == 1 and doc.has_bom else 0)
    return {"row": row, "column": col, "byte_column": len(doc.text[start:offset].encode("utf-8")) + 1}


def json_records(o: FileOutcome, settings: Settings) -> list[dict[str, object]]:
    """Format-neutral findings: the JSON output, and what SARIF, GitHub and rdjson are made from."""
    assert o.doc is not None
    doc = o.doc
    out: list[dict[str, object]] = []
    for d in o.diagnostics:
        fix = None
        if d.fix is not None:
            fix = {
                "applicability": d.fix.applicability.value,
                "message": d.fix.message or None,
                "edits": [
                    {"content": e.content, "location": _loc(doc, e.start), "end_location": _loc(doc, e.end)}
                    for e in d.fix.edits
                ],
            }
        out.append(
            {
                "filename": o.path,
                "code": d.code,
                "name": d.name,
                "message": d.message,
                "location": _loc(doc, d.start),
                "end_location": _loc(doc, d.end),
                "fix": fix,
                "fixable": settings.may_fix(d),
            }
        )
    return out


def run(command: str, opts: dict[str, object]) -> int:
    """Run a command from the fast entry point's parsed options."""

    def lst(key: str) -> list[str]:
        v = opts.get(key)
        return list(v) if isinstance(v, list) else []

    color: bool | None = True if opts.get("color") else (False if opts.get("no_color") else None)
    common = {
        "select": lst("select") or None,
        "ignore": lst("ignore") or None,
        "extend_select": lst("extend_select") or None,
        "unsafe_fixes": bool(opts.get("unsafe_fixes")),
        "quiet": bool(opts.get("quiet")),
        "stdin_filename": opts.get("stdin_filename") if isinstance(opts.get("stdin_filename"), str) else None,
        "config": opts.get("config") if isinstance(opts.get("config"), str) else None,
        "isolated": bool(opts.get("isolated")),
    }
    jobs = int(str(opts["jobs"])) if opts.get("jobs") else None
    if command == "rewrite":
        return rewrite(lst("paths"), diff=bool(opts.get("diff")), check=bool(opts.get("check")), jobs=jobs, **common)  # type: ignore[arg-type]
    return check(
        lst("paths"),
        fix=bool(opts.get("fix")),
        color=color,
        jobs=jobs,
        output_format=str(opts.get("output_format", "text")),
        **common,  # type: ignore[arg-type]
    )
