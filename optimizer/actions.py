"""The work of `dopt rewrite` and `dopt check`, free of any CLI library.

Both the typer CLI and the fast entry point call these; they return the exit code.
"""

from __future__ import annotations

import json
import sys

from .engine import Settings
from .errors import ConfigError
from .files import discover
from .runner import (
    FileOutcome,
    check_one,
    diff_of,
    format_diagnostic,
    hidden_unsafe,
    rewrite_one,
    use_color,
)


def _codes(values: list[str] | None) -> set[str] | None:
    if not values:
        return None
    out: set[str] = set()
    for v in values:
        out |= {c.strip() for c in v.split(",") if c.strip()}
    return out


def make_settings(select: list[str] | None, ignore: list[str] | None, unsafe_fixes: bool) -> Settings:
    from .registry import all_rules

    sel = _codes(select)
    ign = _codes(ignore) or set()
    known = {r.code for r in all_rules()} | {r.name for r in all_rules()}
    for c in (sel or set()) | ign:
        if c.upper() != "ALL" and c not in known and c.upper() not in known and not any(
            k.startswith(c.upper()) for k in known
        ):
            raise ConfigError(f"unknown rule selector {c!r} (see `dopt rules`)")
    return Settings(select=sel, ignore=ign, unsafe_fixes=unsafe_fixes)


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def _paths(paths: list[str] | None) -> list[str]:
    if not paths:
        raise ConfigError("no path given (use `-` for standard input)")
    files = discover(paths)
    if not files:
        _err("warning: no Dockerfiles found")
    return files


def _report_error(o: FileOutcome) -> None:
    assert o.error is not None
    _err(f"error: {o.error}")


def _report_dropped(o: FileOutcome, quiet: bool) -> None:
    if o.result is None or quiet:
        return
    for d, why in o.result.failed:
        line = o.doc.line_of(d.start) if o.doc is not None else "?"
        _err(f"{o.path}:{line}: {d.code} fix not applied: {why}")
    if not o.result.converged:
        _err(f"{o.path}: fixes did not reach a fixed point; the result may change on a second run")


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
) -> int:
    try:
        settings = make_settings(select, ignore, unsafe_fixes)
        files = _paths(paths)
    except ConfigError as e:
        _err(f"error: {e.message}")
        return 2
    write = not (diff or check)
    errors = changed = 0
    for path in files:
        o = rewrite_one(path, settings, write=write, stdin_filename=stdin_filename)
        if o.error is not None:
            errors += 1
            _report_error(o)
            continue
        _report_dropped(o, quiet)
        assert o.result is not None
        if o.changed:
            changed += 1
        if diff:
            sys.stdout.write(diff_of(o))
        elif path == "-" and not check:
            sys.stdout.flush()
            sys.stdout.buffer.write(o.result.output.encode("utf-8"))
        elif check and o.changed and not quiet:
            _err(f"would rewrite {o.path}")
        elif o.written and not quiet:
            _err(f"rewrote {o.path} ({len(o.result.applied)} fixes)")
    sys.stdout.flush()
    if not quiet and (len(files) > 1 or (files and files != ["-"] and not diff)):
        verb = "would be rewritten" if not write else "rewritten"
        _err(f"{changed} file{'s' if changed != 1 else ''} {verb}, "
             f"{len(files) - changed - errors} unchanged, {errors} failed")
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
) -> int:
    try:
        settings = make_settings(select, ignore, unsafe_fixes)
        files = _paths(paths)
    except ConfigError as e:
        _err(f"error: {e.message}")
        return 2
    colored = use_color(sys.stdout, color)
    errors = total = fixable = hidden = fixed = 0
    records: list[dict[str, object]] = []
    for path in files:
        o = check_one(path, settings, fix=fix, stdin_filename=stdin_filename)
        if o.error is not None:
            errors += 1
            _report_error(o)
            continue
        _report_dropped(o, quiet)
        if o.result is not None:
            fixed += len(o.result.applied)
            if path == "-":
                sys.stdout.flush()
                sys.stdout.buffer.write(o.result.output.encode("utf-8"))
        total += len(o.diagnostics)
        fixable += sum(1 for d in o.diagnostics if settings.may_fix(d))
        hidden += hidden_unsafe(o.diagnostics, settings)
        if output_format == "json":
            records.extend(json_records(o, settings))
        elif path != "-" or not fix:
            for d in o.diagnostics:
                print(format_diagnostic(o, d, settings, colored))
    if output_format == "json":
        print(json.dumps(records, indent=2))
    elif not quiet:
        parts = []
        if fixed:
            parts.append(f"Fixed {fixed}.")
        if total:
            parts.append(f"Found {total} finding{'s' if total != 1 else ''}"
                         + (f" ({fixable} fixable with `--fix`)" if fixable and not fix else "") + ".")
            if hidden:
                parts.append(f"{hidden} more fix{'es' if hidden != 1 else ''} available with `--unsafe-fixes`.")
        elif not errors:
            parts.append("All checks passed!")
        _err(" ".join(parts))
    if errors:
        return 2
    return 1 if total else 0


def json_records(o: FileOutcome, settings: Settings) -> list[dict[str, object]]:
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
                    {
                        "content": e.content,
                        "location": {"row": doc.line_of(e.start), "column": doc.col_of(e.start)},
                        "end_location": {"row": doc.line_of(e.end), "column": doc.col_of(e.end)},
                    }
                    for e in d.fix.edits
                ],
            }
        out.append({
            "filename": o.path,
            "code": d.code,
            "name": d.name,
            "message": d.message,
            "location": {"row": doc.line_of(d.start), "column": doc.col_of(d.start)},
            "end_location": {"row": doc.line_of(d.end), "column": doc.col_of(d.end)},
            "fix": fix,
            "fixable": settings.may_fix(d),
        })
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
        "unsafe_fixes": bool(opts.get("unsafe_fixes")),
        "quiet": bool(opts.get("quiet")),
        "stdin_filename": opts.get("stdin_filename") if isinstance(opts.get("stdin_filename"), str) else None,
    }
    if command == "rewrite":
        return rewrite(lst("paths"), diff=bool(opts.get("diff")), check=bool(opts.get("check")),
                       **common)  # type: ignore[arg-type]
    return check(lst("paths"), fix=bool(opts.get("fix")), color=color,
                 output_format=str(opts.get("output_format", "text")), **common)  # type: ignore[arg-type]
