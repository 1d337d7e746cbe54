"""The ``dopt`` command line (typer), modelled on black and ruff.

Exit codes: 0 nothing to report; 1 changes or findings; 2 a usage error, an
unreadable or unparseable file, or an internal error (other files are still
processed).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from . import __version__
from .engine import Settings
from .errors import DoptError
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

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="dopt: a Dockerfile optimizer that rewrites losslessly and explains every fix.",
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def _codes(values: Optional[list[str]]) -> set[str] | None:
    if not values:
        return None
    out: set[str] = set()
    for v in values:
        out |= {c.strip() for c in v.split(",") if c.strip()}
    return out


def _settings(select: Optional[list[str]], ignore: Optional[list[str]], unsafe_fixes: bool) -> Settings:
    from .registry import all_rules

    sel = _codes(select)
    ign = _codes(ignore) or set()
    known = {r.code for r in all_rules()} | {r.name for r in all_rules()}
    for c in (sel or set()) | ign:
        if c.upper() != "ALL" and c not in known and c.upper() not in known and not any(
            k.startswith(c.upper()) for k in known
        ):
            _err(f"error: unknown rule selector {c!r} (see `dopt rules`)")
            raise typer.Exit(2)
    return Settings(select=sel, ignore=ign, unsafe_fixes=unsafe_fixes)


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def _paths(paths: Optional[list[str]]) -> list[str]:
    if not paths:
        _err("error: no path given (use `-` for standard input)")
        raise typer.Exit(2)
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


_SELECT = typer.Option(None, "--select", help="Rule codes, prefixes or names to enable (comma-separated).")
_IGNORE = typer.Option(None, "--ignore", help="Rule codes, prefixes or names to disable.")
_UNSAFE = typer.Option(False, "--unsafe-fixes", help="Also apply fixes that may change what the image does.")
_QUIET = typer.Option(False, "--quiet", "-q", help="Print only errors (and the diff or findings asked for).")
_STDIN = typer.Option(None, "--stdin-filename", help="The name of the file read from `-`.")
_COLOR = typer.Option(None, "--color/--no-color", help="Colour output (default: on a terminal, unless NO_COLOR).")


@app.command()
def rewrite(
    paths: Optional[list[str]] = typer.Argument(None, help="Files or directories; `-` for stdin."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff; write nothing."),
    check: bool = typer.Option(False, "--check", help="List files that would change; write nothing."),
    select: Optional[list[str]] = _SELECT,
    ignore: Optional[list[str]] = _IGNORE,
    unsafe_fixes: bool = _UNSAFE,
    quiet: bool = _QUIET,
    stdin_filename: Optional[str] = _STDIN,
    color: Optional[bool] = _COLOR,
) -> None:
    """Rewrite Dockerfiles in place (safe fixes; unsafe ones with --unsafe-fixes)."""
    settings = _settings(select, ignore, unsafe_fixes)
    files = _paths(paths)
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
    if not quiet and len(files) > 1 or (not quiet and files and files != ["-"] and not diff):
        verb = "would be rewritten" if not write else "rewritten"
        _err(f"{changed} file{'s' if changed != 1 else ''} {verb}, "
             f"{len(files) - changed - errors} unchanged, {errors} failed")
    if errors:
        raise typer.Exit(2)
    if (diff or check) and changed:
        raise typer.Exit(1)


@app.command("check")
def check_cmd(
    paths: Optional[list[str]] = typer.Argument(None, help="Files or directories; `-` for stdin."),
    fix: bool = typer.Option(False, "--fix", help="Apply fixes, then report what is left."),
    select: Optional[list[str]] = _SELECT,
    ignore: Optional[list[str]] = _IGNORE,
    unsafe_fixes: bool = _UNSAFE,
    quiet: bool = _QUIET,
    stdin_filename: Optional[str] = _STDIN,
    color: Optional[bool] = _COLOR,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--output-format", help="text or json."),
) -> None:
    """Report findings as `path:line:col: CODE message [*]` (`*`: fixable)."""
    settings = _settings(select, ignore, unsafe_fixes)
    files = _paths(paths)
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
        if output_format is OutputFormat.json:
            records.extend(_json_records(o, settings))
        elif path != "-" or not fix:
            for d in o.diagnostics:
                print(format_diagnostic(o, d, settings, colored))
    if output_format is OutputFormat.json:
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
        raise typer.Exit(2)
    if total:
        raise typer.Exit(1)


def _json_records(o: FileOutcome, settings: Settings) -> list[dict[str, object]]:
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


@app.command()
def rules() -> None:
    """List every rule: code, name, fix availability (fix: always, fix*: sometimes), summary."""
    from .registry import all_rules

    for r in all_rules():
        hado = f" (hadolint {', '.join(r.hadolint)})" if r.hadolint else ""
        fix = {"always": "fix", "sometimes": "fix*", "none": "    "}[r.fix]
        print(f"{r.code}  {r.name:<28} {fix:<5} {r.summary}{hado}")


@app.command()
def explain(code: str = typer.Argument(..., help="A rule code (DOP101) or name.")) -> None:
    """Print a rule's documentation."""
    from .registry import get_rule

    r = get_rule(code)
    if r is None:
        _err(f"error: unknown rule {code!r} (see `dopt rules`)")
        raise typer.Exit(2)
    hado = f"\nAnswers hadolint: {', '.join(r.hadolint)}\n" if r.hadolint else ""
    print(f"# {r.code} {r.name}\n\n{r.summary}\n{hado}\n{r.doc}")


def _version(value: bool) -> None:
    if value:
        print(f"dopt {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """dopt: a lossless Dockerfile optimizer."""


def main() -> None:
    try:
        app()
    except DoptError as e:  # pragma: no cover - defensive: runner catches these per file
        _err(f"error: {e}")
        sys.exit(2)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as e:  # an internal error is still exit 2, with one clear line
        _err(f"error: internal error: {type(e).__name__}: {e}")
        sys.exit(2)
