"""The work of every command, free of any CLI library.

Both the typer CLI and the fast entry point parse the command line with the option table of
``options.py`` and call ``run(command, opts)``; it returns the exit code.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from optimizer.app import options
from optimizer.app.files import discover, force_excluded
from optimizer.app.runner import (
    FileOutcome,
    check_one,
    color_diff,
    format_diagnostic,
    hidden_unsafe,
    printable,
    rewrite_one,
    use_color,
)
from optimizer.core import selectors, severity
from optimizer.core.selectors import SELECTING
from optimizer.core.settings import Settings
from optimizer.errors import ConfigError, DoptError
from optimizer.records import field, record
from optimizer.syntax.model import Document

if TYPE_CHECKING:
    from optimizer.app.config import Resolver


def _err(msg: str) -> None:
    sys.stderr.write(printable(msg) + "\n")


def describe(e: DoptError) -> str:
    """An error as one line: ``path:line: message``, or the message alone when no file is involved."""
    return str(e) if e.path is not None else e.message


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def make_resolver(opts: dict[str, Any]) -> Resolver:
    """Command-line choices on top of the configuration files (which they override)."""
    from optimizer.app.config import Resolver, config_arguments

    for o in options.OPTIONS:  # a hadolint code no rule answers: an error in a selection, a warning elsewhere
        if o.selectors and o.dest in opts:
            for warning in selectors.check(options.split(opts[o.dest]), selecting=o.config in SELECTING):
                _err(f"warning: {o.flags[0] if o.flags else o.dest}: {warning}")
    config = opts.get("config")
    path, inline = config_arguments([config] if isinstance(config, str) else list(config or []))
    return Resolver(options.cli_overrides(opts), path, bool(opts.get("isolated")), inline)


def _paths(paths: list[str], resolver: Resolver) -> list[str]:
    files = discover(paths or ["."], resolver)  # no path: the current folder, as ruff does
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
    terminal: bool = False  # stdout is a terminal: diffs are shown with control characters escaped
    output_format: str = "text"
    show_fixes: bool = False
    statistics: bool = False
    fix_only: bool = False  # report nothing about the findings left
    verbose: bool = False


@record
class Report:
    """The outcome of one file, rendered: output events in order, and counts."""

    events: list[tuple[str, bytes]] = field(default_factory=list)  # ("out" | "err", data)
    changed: bool = False
    error: bool = False
    incomplete: bool = False  # some rules were skipped (over the budget): not fully checked
    findings: int = 0
    fixable: int = 0
    hidden: int = 0
    fixed: int = 0
    failing: int = 0  # findings at or above the failure threshold (all of them without one)
    records: list[dict[str, object]] = field(default_factory=list)
    codes: list[tuple[str, str, bool]] = field(default_factory=list)  # (code, name, fixable) per finding
    seconds: float = 0.0  # how long the file took (for --verbose)
    config: str | None = None  # the configuration file it used (for --verbose)

    def out(self, text: str | bytes) -> None:
        self.events.append(("out", text.encode("utf-8") if isinstance(text, str) else text))

    def err(self, text: str) -> None:
        self.events.append(("err", (printable(text) + "\n").encode("utf-8")))


def _notes(r: Report, o: FileOutcome, opts: Options, settings: Settings | None = None) -> None:
    """Pragma warnings, the target a Compose file gave, dropped fixes and (with --show-fixes) the fixes applied,
    on stderr."""
    if opts.quiet:
        return
    note = target_note(settings) if settings is not None else None
    if note is not None:
        r.err(f"{o.path}: {note}")
    if o.outcome is not None:
        from optimizer.core.pragmas import collect

        for at, message in collect(o.outcome.doc).warnings:
            r.err(f"warning: {o.path}:{at}: {message}")
    _dropped(r, o, quiet=False)
    if opts.show_fixes and o.result is not None and o.result.applied:
        counts = Counter((d.code, d.name) for d in o.result.applied)
        verb = "Would fix" if opts.diff or opts.check else "Fixed"  # nothing is written with --diff/--check
        r.err(f"{verb} {plural(sum(counts.values()), 'finding')} in {o.path}:")
        for (code, name), n in sorted(counts.items()):
            r.err(f"    {n} × {code} ({name})")


def _dropped(r: Report, o: FileOutcome, quiet: bool) -> None:
    """The fixes left out, each with its line and why."""
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


def _settings(path: str, opts: Options, r: Report) -> Settings | None:
    try:
        name = opts.stdin_filename or path
        if opts.verbose:
            r.config = opts.resolver.config_for(name).path
        return opts.resolver.settings_for(name)
    except ConfigError as e:
        r.error = True
        r.err(f"error: {describe(e)}")
        return None


def _timed(func: Callable[[str, Options], Report], path: str, opts: Options) -> Report:
    """The report with the seconds the file took (``--verbose``)."""
    import time

    start = time.perf_counter()
    r = func(path, opts)
    r.seconds = time.perf_counter() - start
    return r


def rewrite_file(path: str, opts: Options) -> Report:
    return _timed(_rewrite_file, path, opts)


def check_file(path: str, opts: Options) -> Report:
    return _timed(_check_file, path, opts)


def _rewrite_file(path: str, opts: Options) -> Report:
    r = Report()
    settings = _settings(path, opts, r)
    if settings is None:
        return r
    write = not (opts.diff or opts.check)
    o = rewrite_one(path, settings, write=write, stdin_filename=opts.stdin_filename)
    if o.error is not None:
        r.error = True
        r.err(f"error: {o.error}")
        return r
    _notes(r, o, opts, settings)
    assert o.result is not None
    r.changed = o.changed
    if o.result.skipped:
        r.incomplete = True
        n = len(o.doc.instructions) if o.doc is not None else 0
        r.err(
            f"{o.path}: not fully checked: {', '.join(sorted(o.result.skipped))} skipped "
            f"(file too large for these rules: {n} instructions, over the time budget)"
        )
    if opts.diff:
        diff = printable(o.diff()) if opts.terminal else o.diff()  # piped: the exact bytes (`| git apply`)
        r.out(color_diff(diff) if opts.color else diff)
    elif path == "-" and not opts.check:
        r.out(o.result.output.encode("utf-8"))
    elif opts.check and o.changed and not opts.quiet:
        r.err(f"would rewrite {o.path}")
    elif o.written and not opts.quiet:
        r.err(f"rewrote {o.path} ({plural(len(o.result.applied), 'fix', 'fixes')})")
    return r


def _check_file(path: str, opts: Options) -> Report:
    r = Report()
    settings = _settings(path, opts, r)
    if settings is None:
        return r
    o = check_one(path, settings, fix=opts.fix, stdin_filename=opts.stdin_filename)
    if o.error is not None:
        r.error = True
        r.err(f"error: {o.error}")
        return r
    _notes(r, o, opts, settings)
    if o.result is not None:
        r.fixed = len(o.result.applied)
        if path == "-":
            r.out(o.result.output.encode("utf-8"))
    if opts.fix_only:
        return r  # the findings left are not reported
    r.findings = len(o.diagnostics)
    r.fixable = sum(1 for d in o.diagnostics if settings.may_fix(d))
    r.hidden = hidden_unsafe(o.diagnostics, settings)
    r.codes = [(d.code, d.name, settings.may_fix(d)) for d in o.diagnostics]
    name = opts.stdin_filename or path
    threshold = opts.resolver.failure_threshold(name)
    overrides = opts.resolver.severity_for(name) if threshold is not None or opts.output_format != "text" else {}
    r.failing = sum(1 for d in o.diagnostics if severity.fails(severity.of(d, overrides), threshold))
    if opts.output_format != "text":
        r.records = json_records(o, settings, overrides)
    elif not opts.statistics:
        for d in o.diagnostics:
            if path == "-" and opts.fix:  # stdout holds the fixed text: what is left goes to stderr, as ruff does
                r.events.append(("err", (format_diagnostic(o, d, settings, False) + "\n").encode("utf-8")))
            else:
                r.out(format_diagnostic(o, d, settings, opts.color) + "\n")
    return r


class Console:
    """stdout and stderr for one run, and the progress bar that shares them.

    The bar is drawn on stderr, on a terminal only (stderr and the stdout it shares the screen with are
    terminals; not ``-q``, not ``TERM=dumb``), for
    runs over many files. Before anything else is written the bar's line is erased, and it is drawn
    again after, so a finding never lands on the bar's line and no stale bar stays in the scrollback.
    """

    def __init__(self, out: Any = None) -> None:
        self.out = out if out is not None else sys.stdout.buffer
        self.bar: tuple[str, int] | None = None  # (label, total)
        self.done = 0
        self.drawn = False

    def start_bar(self, label: str, total: int, quiet: bool) -> None:
        if quiet or total < PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
            return
        if self.out is sys.stdout.buffer and not sys.stdout.isatty():
            return  # stdout goes elsewhere (`dopt check . | head -1`): a bar would be glued to what follows
        self.bar = (label, total)
        self._draw()

    def _draw(self) -> None:
        if self.bar is None:
            return
        import shutil

        label, total = self.bar
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - len(label) - 20))
        filled = width * self.done // max(total, 1)
        sys.stderr.write(f"\r\x1b[2K{label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{total}")
        sys.stderr.flush()
        self.drawn = True

    def _erase(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
            self.drawn = False

    def emit(self, r: Report) -> None:
        if r.events:
            self._erase()
        for stream, data in r.events:
            if stream == "out":
                sys.stderr.flush()
                self.out.write(data)
                self.out.flush()
            else:
                sys.stdout.flush()
                sys.stderr.buffer.write(data)
                sys.stderr.flush()
        self.done += 1
        self._draw()

    def write_err(self, text: str) -> None:
        self._erase()
        _err(text)
        self._draw()

    def finish(self) -> None:
        self._erase()
        self.bar = None


PARALLEL_MIN_FILES = 16
PROGRESS_MIN_FILES = 20


def process(
    func: Callable[[str, Options], Report], files: list[str], opts: Options, jobs: int | None
) -> Iterator[Report]:
    """Reports in the order of ``files``; a process pool when there are many files (jobs 0/None: CPUs)."""
    n = jobs if jobs else (os.cpu_count() or 1)
    if n <= 1 or len(files) < (2 if jobs else PARALLEL_MIN_FILES) or "-" in files:
        for f in files:
            yield func(f, opts)
        return
    from optimizer.app.pool import pool_map

    yield from pool_map(func, files, opts, n, chunksize=max(1, len(files) // (n * 8)))


def _prepare(opts: dict[str, Any]) -> tuple[Resolver, list[str]] | None:
    """The configuration and the files to process, or None after reporting a usage error."""
    try:
        resolver = make_resolver(opts)
        files = _paths(opts["paths"], resolver)
        _hadolint_warnings(resolver, files, opts.get("stdin_filename"), bool(opts.get("quiet")))
        return resolver, files
    except ConfigError as e:
        _err(f"error: {describe(e)}")
        return None


def _stdin_excluded(files: list[str], resolver: Resolver, opts: dict[str, Any]) -> bool:
    """``-`` named by ``--stdin-filename`` as a file ``--force-exclude`` excludes (pre-commit, editors)."""
    name = opts.get("stdin_filename")
    return "-" in files and bool(name) and resolver.force_exclude(str(name)) and force_excluded(str(name), resolver)


def _inspect(opts: dict[str, Any], resolver: Resolver, files: list[str]) -> int | None:
    """``--show-files`` and ``--show-settings`` (exit 0 after printing), or None for a normal run."""
    if opts.get("show_files"):
        sys.stdout.write("".join(printable(opts.get("stdin_filename") or f if f == "-" else f) + "\n" for f in files))
        return 0
    if opts.get("show_settings"):
        if not files:
            _err("error: --show-settings: no file to show the settings of")
            return 2
        name = opts.get("stdin_filename") or files[0] if files[0] == "-" else files[0]
        try:
            sys.stdout.write(show_settings(name, resolver))
        except ConfigError as e:
            _err(f"error: {describe(e)}")
            return 2
        return 0
    return None


def show_settings(path: str, resolver: Resolver) -> str:
    """The settings resolved for one file, as ``ruff check --show-settings`` prints them."""

    def codes(selected: set[str] | None) -> str:
        return "all" if selected is None else "[" + ", ".join(sorted(selected)) + "]"

    cfg = resolver.config_for(path)
    hado = resolver.hadolint_for(path)
    st = resolver.settings_for(path)
    lines = [
        f"Resolved settings for: {path}",
        f"Settings path: {cfg.path or 'none (defaults)'}",
        f"hadolint configuration: {hado.path if hado is not None else 'none'}",
        "",
        f"select = {codes(st.select)}",
        f"ignore = {codes(st.ignore)}",
        f"unsafe-fixes = {str(st.unsafe_fixes).lower()}",
        f"fixable = {codes(st.fixable)}",
        f"unfixable = {codes(st.unfixable)}",
        f"context = {st.context or '(the Dockerfile folder)'}",
    ]
    for key in ("include", "extend-include", "exclude", "extend-exclude", "respect-gitignore", "force-exclude"):
        value = resolver.value(path, key)
        if value is not None:
            lines.append(f"{key} = {value!r}")
    for code, values in sorted(st.rule_options.items()):
        lines.append(f"[{code}] " + ", ".join(f"{k} = {v!r}" for k, v in sorted(values.items())))
    if resolver.inline is not None:
        overridden = sorted([*resolver.inline.values, *resolver.inline.rule_options])
        lines.append("--config overrides: " + ", ".join(overridden))
    severity = resolver.severity_for(path)
    if severity:
        lines.append("severity = " + ", ".join(f"{c}: {v}" for c, v in sorted(severity.items())))
    return "\n".join(lines) + "\n"


def _verbose(console: Console, r: Report, path: str, last_config: list[str | None]) -> None:
    """``--verbose``: the configuration file when it changes, then the file and the time it took."""
    if not last_config or last_config[0] != r.config:
        console.write_err(f"Using configuration: {r.config or 'none (defaults)'}")
        last_config[:] = [r.config]
    console.write_err(f"{path}: {r.seconds * 1000:.1f} ms")


def _hadolint_warnings(resolver: Resolver, files: list[str], stdin_filename: str | None, quiet: bool) -> None:
    """Read each folder's .hadolint.yaml once, here (the workers get it read), and warn once about the keys dopt
    does not use."""
    seen: set[str] = set()
    for f in files:
        name = f if f != "-" else (stdin_filename or "-")
        hado = resolver.hadolint_for(name)
        if hado is not None and hado.path not in seen:
            seen.add(hado.path)
            for warning in hado.warnings if not quiet else ():
                _err(f"warning: {warning}")


def rewrite(opts: dict[str, Any]) -> int:
    if opts.get("verify"):
        return rewrite_verified(opts)
    verify_only = [f for f, on in _VERIFY_ONLY if on(opts)]
    if verify_only:
        _err(f"error: {verify_only[0]} needs --verify")
        return 2
    prepared = _prepare(opts)
    if prepared is None:
        return 2
    resolver, files = prepared
    shown = _inspect(opts, resolver, files)
    if shown is not None:
        return shown
    diff, check, quiet = bool(opts["diff"]), bool(opts.get("check")), bool(opts["quiet"])
    if _stdin_excluded(files, resolver, opts):
        if not (diff or check):
            sys.stdout.buffer.write(sys.stdin.buffer.read())  # excluded: passed through unchanged
        return 0
    run_opts = Options(
        resolver,
        diff=diff,
        check=check,
        quiet=quiet,
        stdin_filename=opts.get("stdin_filename"),
        color=diff and use_color(sys.stdout, opts.get("color")),
        terminal=diff and sys.stdout.isatty(),
        show_fixes=bool(opts.get("show_fixes")),
        verbose=bool(opts.get("verbose")),
    )
    console = Console()
    console.start_bar("dopt rewrite", len(files), quiet)
    errors = changed = incomplete = partly = 0
    last_config: list[str | None] = []
    for f, r in zip(files, process(rewrite_file, files, run_opts, opts.get("jobs")), strict=True):
        errors += r.error
        changed += r.changed
        incomplete += r.incomplete and not r.changed  # not "unchanged": not fully checked
        partly += r.incomplete
        console.emit(r)
        if run_opts.verbose:
            _verbose(console, r, f, last_config)
    console.finish()
    write = not (diff or check)
    if not quiet and files and not (files == ["-"] and write):
        verb = "rewritten" if write else "would be rewritten"
        partial = f", {incomplete} not fully checked" if incomplete else ""
        console.write_err(
            f"{plural(changed, 'file')} {verb}, {len(files) - changed - errors - incomplete} unchanged{partial}, "
            f"{errors} failed"
        )
    if errors or partly:
        return 2  # a file that could not be fully checked is not a clean result
    return 1 if (diff or check) and changed else 0


def check(opts: dict[str, Any]) -> int:
    if opts.get("diff"):  # the fixes as a diff, written nowhere: what `rewrite --diff` prints
        if opts.get("output_file") or opts.get("output_format", "text") != "text" or opts.get("statistics"):
            _err("error: --diff prints a diff; it does not go with --output-format, --output-file or --statistics")
            return 2
        return rewrite({**opts, "check": False, "diff": True})
    prepared = _prepare(opts)
    if prepared is None:
        return 2
    resolver, files = prepared
    shown = _inspect(opts, resolver, files)
    if shown is not None:
        return shown
    if _stdin_excluded(files, resolver, opts):
        return 0  # excluded: no findings
    fix_only = bool(opts.get("fix_only"))
    quiet, fix, fmt = bool(opts["quiet"]), bool(opts["fix"]) or fix_only, str(opts["output_format"])
    output_file = opts.get("output_file")
    sink: Any = None
    if output_file:
        try:
            sink = open(output_file, "wb")  # noqa: SIM115 - closed below
        except OSError as e:
            _err(f"error: {output_file}: cannot write: {e.strerror or e}")
            return 2
    run_opts = Options(
        resolver,
        fix=fix,
        quiet=quiet,
        stdin_filename=opts.get("stdin_filename"),
        color=sink is None and use_color(sys.stdout, opts.get("color")),
        output_format=fmt,
        show_fixes=bool(opts.get("show_fixes")),
        statistics=bool(opts.get("statistics")),
        fix_only=fix_only,
        verbose=bool(opts.get("verbose")),
    )
    console = Console(sink)
    console.start_bar("dopt check", len(files), quiet)
    errors = total = fixable = hidden = fixed = failing = 0
    records: list[dict[str, object]] = []
    stats: Counter[tuple[str, str]] = Counter()
    stats_fixable: set[str] = set()
    checked: list[str] = []  # the files read without an error (junit lists the clean ones)
    last_config: list[str | None] = []
    try:
        for f, r in zip(files, process(check_file, files, run_opts, opts.get("jobs")), strict=True):
            if not r.error:
                checked.append(run_opts.stdin_filename or f if f == "-" else f)
            errors += r.error
            total += r.findings
            failing += r.failing
            fixable += r.fixable
            hidden += r.hidden
            fixed += r.fixed
            records.extend(r.records)
            for code, name, can in r.codes:
                stats[(code, name)] += 1
                if can:
                    stats_fixable.add(code)
            console.emit(r)
            if run_opts.verbose:
                _verbose(console, r, f, last_config)
        console.finish()
        out = sink if sink is not None else sys.stdout.buffer
        if fix and "-" in files and sink is None:
            out = sys.stderr.buffer  # stdout holds the fixed text: the findings go to stderr
        if fix_only:
            pass
        elif run_opts.statistics:
            out.write(render_statistics(stats, stats_fixable, fmt).encode("utf-8"))
        elif fmt != "text":
            from optimizer.app.formats import render

            out.write(render(fmt, records, checked).encode("utf-8"))
        out.flush()
    finally:
        if sink is not None:
            sink.close()
    if not quiet:
        failed = f", {errors} failed" if errors else ""
        parts = [f"{plural(len(files), 'file')} checked{failed}."]
        if fixed:
            parts.append(f"Fixed {fixed}.")
        if fix_only:
            if not fixed and not errors:
                parts.append("Nothing to fix.")
        elif total:
            parts.append(
                f"Found {plural(total, 'finding')}"
                + (f" ({fixable} fixable with `--fix`)" if fixable and not fix else "")
                + "."
            )
            if hidden:
                parts.append(f"{plural(hidden, 'more fix', 'more fixes')} available with `--unsafe-fixes`.")
        elif not errors:
            parts.append("All checks passed!")
        _err(" ".join(parts))
    if errors:
        return 2
    if fixed and opts.get("exit_non_zero_on_fix"):
        return 1
    return 1 if failing and not opts.get("exit_zero") else 0


def render_statistics(stats: Counter[tuple[str, str]], fixable: set[str], fmt: str) -> str:
    """Findings per rule, most frequent first (``[*]``: fixable)."""
    rows = sorted(stats.items(), key=lambda kv: (-kv[1], kv[0][0]))
    if fmt == "json":
        import json

        data = [{"code": c, "name": n, "count": k, "fixable": c in fixable} for (c, n), k in rows]
        return json.dumps(data, indent=2) + "\n"
    width = max((len(str(k)) for _, k in rows), default=1)
    return "".join(f"{k:>{width}}\t{c}\t{'[*]' if c in fixable else '   '} {n}\n" for (c, n), k in rows)


def _loc(doc: Document, offset: int) -> dict[str, int]:
    """1-based row and column (characters), plus the column in UTF-8 bytes (reviewdog counts bytes)."""
    row, col = doc.line_of(offset), doc.col_of(offset)
    start = doc.line_offsets[row - 1] + (1 if row == 1 and doc.has_bom else 0)
    return {"row": row, "column": col, "byte_column": len(doc.text[start:offset].encode("utf-8")) + 1}


def target_note(settings: Settings) -> str | None:
    """What to say about a target that no option named (a Compose file's), None when there is nothing to say."""
    if settings.target_source is None:
        return None
    if settings.target is None:
        return f"note: {settings.target_source}"
    return f"note: built with --target {settings.target} by {settings.target_source}: that stage is the final one"


def json_records(o: FileOutcome, settings: Settings, severity: dict[str, str] | None = None) -> list[dict[str, object]]:
    """Format-neutral findings: the JSON output, and what the other formats are made from.

    ``severity`` (code -> error|warning|info|style, from a .hadolint.yaml's ``override``) defaults to
    the rule's own (error for what the build would fail on, else warning).
    """
    from optimizer.core import severity as severity_mod

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
                "severity": severity_mod.of(d, severity),
            }
        )
        if settings.target is not None:  # only then: the records of a build without --target stay as they were
            out[-1]["target"] = {"stage": settings.target, "source": settings.target_source or "option"}
    return out


# -- verify, batch, server -----------------------------------------------------------------


def _one_settings(path: str, opts: dict[str, Any]) -> Settings | None:
    try:
        return make_resolver(opts).settings_for(path)
    except ConfigError as e:
        _err(f"error: {describe(e)}")
        return None


_VERIFY_ONLY: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("--builder", lambda o: o.get("builder") is not None),
    ("--smoke", lambda o: o.get("smoke") is not None),
    ("--no-health", lambda o: bool(o.get("no_health"))),
    ("--attribute", lambda o: bool(o.get("attribute"))),
    ("--layers", lambda o: bool(o.get("layers"))),
    ("--output-format", lambda o: o.get("format", "text") != "text"),
    ("--output-file", lambda o: bool(o.get("output_file"))),
)


def rewrite_verified(opts: dict[str, Any]) -> int:
    """Verify every file the rewrite would change (files it leaves alone are not built) and write the
    verified rewrite — or with ``--diff`` print its diff and write nothing. Exit codes as for
    ``rewrite`` (``--diff``: 1 when the verified rewrite changes something), and 1 when a rewrite
    does not work, 2 when an original does not build or on errors."""
    from optimizer.app.verify.command import VerifyReport, render, run_verify

    if not opts["paths"]:
        _err("error: `dopt rewrite --verify` needs the path of a Dockerfile (it builds from its folder)")
        return 2
    if "-" in opts["paths"]:
        _err("error: --verify needs files on disk (a build context), not stdin")
        return 2
    if opts.get("check"):
        _err("error: --check and --verify do not go together (--diff does)")
        return 2
    worst = 0
    reports: list[VerifyReport] = []
    diffs: list[str] = []
    fmt = str(opts.get("format") or "text")
    sink = opts.get("output_file")
    for path in discover(opts["paths"]):
        settings = _one_settings(path, opts)
        if settings is None:
            return 2
        if not _would_change(path, settings, opts.get("context")):
            continue
        code = run_verify(
            path,
            settings,
            builder_name=opts.get("builder"),
            context=opts.get("context"),
            smoke=opts.get("smoke"),
            bisect=True,
            output_format=fmt,
            quiet=bool(opts["quiet"]) or bool(opts.get("diff") and not sink),
            write=not opts.get("diff"),
            check_health=not opts.get("no_health"),
            run_seconds=int(opts["run_seconds"]),
            attribute=bool(opts.get("attribute")),
            layers=bool(opts.get("layers")),
            reports=reports if fmt != "text" or sink or opts.get("diff") else None,  # text: each report as it comes
            diffs=diffs if opts.get("diff") else None,
        )
        worst = max(worst, code)
        if code == 130:
            return code
    text = render(reports, fmt) if reports or fmt == "markdown" else ""
    if sink:
        try:
            with open(sink, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as e:
            _err(f"error: {sink}: cannot write: {e.strerror or e}")
            return 2
    elif opts.get("diff"):
        sys.stderr.write(text)
    else:
        sys.stdout.write(text)
    if opts.get("diff"):
        sys.stdout.write("".join(diffs))
        if any(diffs):
            worst = max(worst, 1)
    return worst


def _would_change(path: str, settings: Settings, context: str | None) -> bool:
    """Whether the rewrite changes the file or writes a context file (errors: yes, run_verify reports them)."""
    from optimizer.app import pipeline
    from optimizer.app.files import read
    from optimizer.errors import DoptError

    try:
        settings.context = os.path.abspath(context) if context else os.path.dirname(os.path.abspath(path))
        return pipeline.run(read(path).text, path, settings, lint_input=False).changed
    except DoptError:
        return True


def verify(opts: dict[str, Any]) -> int:
    """``-o FILE``: the report goes there (in ``--output-format``), not to standard output."""
    from optimizer.app.verify.command import VerifyReport, render, run_verify

    settings = _one_settings(opts["path"], opts)
    if settings is None:
        return 2
    sink = opts.get("output_file")
    reports: list[VerifyReport] | None = [] if sink else None
    code = run_verify(
        opts["path"],
        settings,
        builder_name=opts.get("builder"),
        context=opts.get("context"),
        smoke=opts.get("smoke"),
        bisect=bool(opts["bisect"]),
        output_format=str(opts["format"]),
        quiet=bool(opts["quiet"]),
        check_health=not opts["no_health"],
        run_seconds=int(opts["run_seconds"]),
        attribute=bool(opts["attribute"]),
        layers=bool(opts.get("layers")),
        reports=reports,
    )
    if sink and reports:
        try:
            with open(sink, "w", encoding="utf-8") as fh:
                fh.write(render(reports, str(opts["format"])))
        except OSError as e:
            _err(f"error: {sink}: cannot write: {e.strerror or e}")
            return 2
    return code


_BATCH_VERIFY_ONLY: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("--keep-proven", lambda o: bool(o.get("keep_proven"))),
    *[(flag, on) for flag, on in _VERIFY_ONLY if flag in ("--builder", "--smoke", "--no-health", "--attribute")],
)


def batch(opts: dict[str, Any]) -> int:
    """Exit 0 when every file was processed (and with --verify proven or unchanged), 1 with --verify when a
    rewrite fails or an original does not work, 2 when any file (now or in an earlier run) errored; 130
    when interrupted (every task's containers and store removed first)."""
    from optimizer.app.batch import run_batch

    if opts.get("report"):
        return _batch_report(opts)
    if not opts.get("file_list") or not opts.get("jsonl"):
        _err("error: `dopt batch` needs a FILE_LIST and --jsonl OUT (or --report OUT.jsonl to summarize a run)")
        return 2
    if not opts.get("verify"):
        verify_only = [f for f, on in _BATCH_VERIFY_ONLY if on(opts)]
        if verify_only:
            _err(f"error: {verify_only[0]} needs --verify")
            return 2
    file_list, jsonl = str(opts["file_list"]), str(opts["jsonl"])
    progress: Any = None
    verify_opts = None
    try:
        resolver = make_resolver(opts)
        if file_list == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(file_list, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        if opts.get("verify"):
            from optimizer.app.batch_verify import Progress, VerifyOptions, max_context_from_env

            verify_opts = VerifyOptions(
                builder=opts.get("builder"),
                smoke=opts.get("smoke"),
                keep_proven=bool(opts.get("keep_proven")),
                attribute=bool(opts.get("attribute")),
                check_health=not opts.get("no_health"),
                run_seconds=int(opts["run_seconds"]),
                max_context=max_context_from_env(),
            )
            progress = Progress(bool(opts["quiet"]))
        from optimizer.app.verify.command import _terminate_as_interrupt

        with _terminate_as_interrupt():
            done, skipped, errors = run_batch(
                lines,
                jsonl,
                resolver,
                executor=str(opts["executor"]),
                jobs=opts.get("jobs"),
                address=opts.get("address"),
                verify=verify_opts,
                on_record=progress,
            )
    except KeyboardInterrupt:
        if progress is not None:
            progress.stop()
        _err(f"interrupted: the running tasks removed their containers and stores; run again to resume {jsonl}")
        return 130
    except DoptError as e:
        _err(f"error: {describe(e)}")
        return 2
    except OSError as e:
        _err(f"error: {e.filename or file_list}: {e.strerror or e}")
        return 2
    finally:
        if progress is not None:
            progress.stop()
    if not opts["quiet"]:
        _err(f"{plural(done, 'file')} processed, {skipped} already in {jsonl}, {errors} with errors")
    if errors:
        return 2
    if verify_opts is not None:
        from optimizer.app.fleet_report import load

        if any(r.get("status") in ("failed", "original-broken") for r in load(jsonl)):
            return 1
    return 0


def _batch_report(opts: dict[str, Any]) -> int:
    from optimizer.app.fleet_report import report

    given = [f for f, on in (("FILE_LIST", opts.get("file_list")), ("--jsonl", opts.get("jsonl"))) if on]
    if given or opts.get("verify"):
        _err(f"error: --report summarizes an output file; it takes no {(given or ['--verify'])[0]}")
        return 2
    try:
        sys.stdout.write(report(str(opts["report"]), str(opts.get("report_format") or "markdown")))
    except DoptError as e:
        _err(f"error: {describe(e)}")
        return 2
    return 0


def server(opts: dict[str, Any]) -> int:
    try:
        resolver = make_resolver(opts)
    except ConfigError as e:
        _err(f"error: {describe(e)}")
        return 2
    from optimizer.app.lsp_boot import serve  # answers a known client's `initialize` before pygls is loaded

    return serve(resolver)


def rules(opts: dict[str, Any]) -> int:
    from optimizer.app.ruledocs import rules_json, rules_text

    sys.stdout.write(rules_json() if opts["output_format"] == "json" else rules_text())
    return 0


def explain(opts: dict[str, Any]) -> int:
    from optimizer.app.ruledocs import explain_all, explain_one

    if opts["all"]:
        sys.stdout.write(explain_all())
        return 0
    code = opts.get("code")
    if not code:
        _err("error: name a rule (`dopt explain DOP101`) or pass --all")
        return 2
    text = explain_one(code)
    if text is None and selectors.is_hadolint(code):
        _err(f"error: {selectors.not_implemented_message(code)}")
        return 2
    if text is None:
        from optimizer.core.registry import rule_names

        prefixed = [(c, n) for c, n in sorted(rule_names()) if c.startswith(code.strip().upper())]
        if prefixed and code.strip():
            listed = "".join(f"\n  {c} {n}" for c, n in prefixed)
            _err(f"error: {code!r} is not one rule; the rules that start with it:{listed}")
            return 2
        hint = selectors.suggestion(code)
        _err(f"error: unknown rule {code!r}" + (f" (did you mean {hint!r}?)" if hint else " (see `dopt rules`)"))
        return 2
    sys.stdout.write(text)
    return 0


COMMANDS: dict[str, Callable[[dict[str, Any]], int]] = {
    "rewrite": rewrite,
    "check": check,
    "verify": verify,
    "batch": batch,
    "server": server,
    "rules": rules,
    "explain": explain,
}


def run(command: str, opts: dict[str, Any]) -> int:
    """Run a command with its options as parsed from the option table (fast path or typer)."""
    bad = options.bad_choice(command, opts)
    if bad is not None:
        _err(f"error: {bad}")
        return 2
    return COMMANDS[command](options.normalize(command, opts))
