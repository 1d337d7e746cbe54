"""The ``dopt`` command line (typer), modelled on black and ruff.

Exit codes: 0 nothing to report; 1 changes or findings; 2 a usage error, an
unreadable or unparseable file, or an internal error (other files are still
processed).
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Optional

import typer

from optimizer import __version__
from optimizer.errors import DoptError

if TYPE_CHECKING:
    from optimizer.core.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="dopt: a Dockerfile optimizer that rewrites losslessly and explains every fix.",
)


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    rdjson = "rdjson"


_SELECT = typer.Option(None, "--select", help="Rule codes, prefixes or names to enable (comma-separated).")
_IGNORE = typer.Option(None, "--ignore", help="Rule codes, prefixes or names to disable.")
_UNSAFE = typer.Option(False, "--unsafe-fixes", help="Also apply fixes that may change what the image does.")
_QUIET = typer.Option(False, "--quiet", "-q", help="Print only errors (and the diff or findings asked for).")
_STDIN = typer.Option(None, "--stdin-filename", help="The name of the file read from `-`.")
_CONFIG = typer.Option(None, "--config", help="Use this configuration file for every file.")
_ISOLATED = typer.Option(False, "--isolated", help="Ignore every configuration file.")
_EXTEND = typer.Option(None, "--extend-select", help="Rules to enable on top of the configured selection.")
_JOBS = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for many files (default: CPU count).")
_COLOR = typer.Option(None, "--color/--no-color", help="Colour output (default: on a terminal, unless NO_COLOR).")


class BuilderName(str, Enum):
    docker = "docker"
    podman = "podman"
    buildah = "buildah"


class VerifyFormat(str, Enum):
    text = "text"
    json = "json"


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
    jobs: Optional[int] = _JOBS,
    config: Optional[str] = _CONFIG,
    isolated: bool = _ISOLATED,
    extend_select: Optional[list[str]] = _EXTEND,
    context: Optional[str] = typer.Option(
        None, "--context", help="Build context for rules that read it (default: each Dockerfile's folder)."
    ),
    verify: bool = typer.Option(
        False,
        "--verify",
        help="Build before and after; write only a rewrite that "
        "builds and works (leaving out the fixes that break it).",
    ),
    builder: Optional[BuilderName] = typer.Option(None, "--builder", help="With --verify: docker, podman or buildah."),
    smoke: Optional[str] = typer.Option(None, "--smoke", help="With --verify: a command to run in both images."),
    run_seconds: float = typer.Option(
        20, "--run-seconds", min=0, help="With --verify: run-time parity check length per image (0: off)."
    ),
) -> None:
    """Rewrite Dockerfiles in place (safe fixes; unsafe ones with --unsafe-fixes)."""
    from optimizer.app import actions

    if verify:
        raise typer.Exit(
            _rewrite_verified(
                paths or [], select, ignore, unsafe_fixes, config, isolated, context, builder, smoke, quiet, run_seconds
            )
        )
    raise typer.Exit(
        actions.rewrite(
            paths,
            diff=diff,
            check=check,
            select=select,
            ignore=ignore,
            unsafe_fixes=unsafe_fixes,
            quiet=quiet,
            stdin_filename=stdin_filename,
            jobs=jobs,
            config=config,
            isolated=isolated,
            extend_select=extend_select,
            context=context,
        )
    )


def _rewrite_verified(
    paths: list[str],
    select: Optional[list[str]],
    ignore: Optional[list[str]],
    unsafe_fixes: bool,
    config: Optional[str],
    isolated: bool,
    context: Optional[str],
    builder: Optional[BuilderName],
    smoke: Optional[str],
    quiet: bool,
    run_seconds: float = 20,
) -> int:
    from optimizer.app.files import discover
    from optimizer.app.verify.command import run_verify

    worst = 0
    for path in discover(paths):
        if path == "-":
            _err("error: --verify needs files on disk (a build context), not stdin")
            return 2
        settings = _settings(path, select, ignore, unsafe_fixes, config, isolated)
        if settings is None:
            return 2
        code = run_verify(
            path,
            settings,
            builder_name=builder.value if builder else None,
            context=context,
            smoke=smoke,
            bisect=True,
            output_format="text",
            quiet=quiet,
            write=True,
            run_seconds=run_seconds,
        )
        worst = max(worst, code)
    return worst


@app.command()
def verify(
    path: str = typer.Argument(..., help="The Dockerfile to verify."),
    context: Optional[str] = typer.Option(None, "--context", help="Build context (default: the file's folder)."),
    builder: Optional[BuilderName] = typer.Option(
        None, "--builder", help="docker, podman or buildah (default: the first one installed, in that order)."
    ),
    smoke: Optional[str] = typer.Option(
        None, "--smoke", help="A command to run in both images, e.g. \"python -c 'import app'\"."
    ),
    bisect: bool = typer.Option(False, "--bisect", help="When the rewrite fails, find the fixes to leave out."),
    no_health: bool = typer.Option(False, "--no-health", help="Do not start the service to probe its HEALTHCHECK."),
    run_seconds: float = typer.Option(
        20,
        "--run-seconds",
        min=0,
        help="Run each image's own CMD/ENTRYPOINT this long and compare (still running, exit code, output, "
        "what it writes); 0 turns the run-time parity check off.",
    ),
    attribute: bool = typer.Option(
        False, "--attribute", help="When the rewrite works, build it once per rule left out: bytes saved per rule."
    ),
    select: Optional[list[str]] = _SELECT,
    ignore: Optional[list[str]] = _IGNORE,
    unsafe_fixes: bool = _UNSAFE,
    output_format: VerifyFormat = typer.Option(VerifyFormat.text, "--format", help="text or json."),
    quiet: bool = _QUIET,
    config: Optional[str] = _CONFIG,
    isolated: bool = _ISOLATED,
) -> None:
    """Build the original and the rewritten Dockerfile; report sizes, layers, times and smoke tests.

    Exit 0: the rewrite works (or changes nothing). 1: the original works but the rewrite does not.
    2: usage error, unreadable file, no builder, or an original that does not build.
    """
    from optimizer.app.verify.command import run_verify

    settings = _settings(path, select, ignore, unsafe_fixes, config, isolated)
    if settings is None:
        raise typer.Exit(2)
    raise typer.Exit(
        run_verify(
            path,
            settings,
            builder_name=builder.value if builder else None,
            context=context,
            smoke=smoke,
            bisect=bisect,
            output_format=output_format.value,
            quiet=quiet,
            check_health=not no_health,
            run_seconds=run_seconds,
            attribute=attribute,
        )
    )


def _settings(
    path: str,
    select: Optional[list[str]],
    ignore: Optional[list[str]],
    unsafe_fixes: bool,
    config: Optional[str],
    isolated: bool,
) -> Optional[Settings]:
    from optimizer.app.actions import make_resolver
    from optimizer.errors import ConfigError

    try:
        return make_resolver(select, ignore, unsafe_fixes, config, isolated, None).settings_for(path)
    except ConfigError as e:
        _err(f"error: {e}")
        return None


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
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--output-format", help="Output format."),
    jobs: Optional[int] = _JOBS,
    config: Optional[str] = _CONFIG,
    isolated: bool = _ISOLATED,
    extend_select: Optional[list[str]] = _EXTEND,
) -> None:
    """Report findings as `path:line:col: CODE message [*]` (`*`: fixable)."""
    from optimizer.app import actions

    raise typer.Exit(
        actions.check(
            paths,
            fix=fix,
            select=select,
            ignore=ignore,
            unsafe_fixes=unsafe_fixes,
            quiet=quiet,
            stdin_filename=stdin_filename,
            color=color,
            output_format=output_format.value,
            jobs=jobs,
            config=config,
            isolated=isolated,
            extend_select=extend_select,
        )
    )


class Executor(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def batch(
    file_list: str = typer.Argument(..., help="A file with one Dockerfile path per line (`-`: stdin)."),
    jsonl: str = typer.Option(..., "--jsonl", help="Append one JSON line per file here; rerun to resume."),
    select: Optional[list[str]] = _SELECT,
    ignore: Optional[list[str]] = _IGNORE,
    unsafe_fixes: bool = _UNSAFE,
    executor: Executor = typer.Option(Executor.local, "--executor", help="local processes, or Ray tasks."),
    address: Optional[str] = typer.Option(None, "--address", help="The Ray cluster to join (default: start one)."),
    jobs: Optional[int] = _JOBS,
    quiet: bool = _QUIET,
    config: Optional[str] = _CONFIG,
    isolated: bool = _ISOLATED,
) -> None:
    """Check and rewrite many Dockerfiles: findings and diff per file as JSON lines (resumable)."""
    from optimizer.app.actions import make_resolver
    from optimizer.app.batch import run_batch
    from optimizer.errors import ConfigError

    try:
        settings = make_resolver(select, ignore, unsafe_fixes, config, isolated)
        if file_list == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(file_list, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        done, skipped, errors = run_batch(lines, jsonl, settings, executor=executor.value, jobs=jobs, address=address)
    except (ConfigError, DoptError) as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    except OSError as e:
        _err(f"error: {file_list}: {e.strerror or e}")
        raise typer.Exit(2) from None
    if not quiet:
        _err(f"{done} files processed, {skipped} already in {jsonl}, {errors} with errors")
    raise typer.Exit(0)


@app.command()
def server(
    select: Optional[list[str]] = _SELECT,
    ignore: Optional[list[str]] = _IGNORE,
    config: Optional[str] = _CONFIG,
    isolated: bool = _ISOLATED,
) -> None:
    """Run the Language Server over stdio (diagnostics, formatting, code actions)."""
    from optimizer.app.actions import make_resolver
    from optimizer.errors import ConfigError

    try:
        resolver = make_resolver(select, ignore, False, config, isolated)
    except ConfigError as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    try:
        from optimizer.app.server import main as serve
    except ImportError:
        _err("error: the editor server needs pygls: pip install pygls")
        raise typer.Exit(2) from None
    serve(resolver)


@app.command()
def rules() -> None:
    """List every rule: code, name, fix availability (fix: always, fix*: sometimes), summary."""
    from optimizer.core.registry import all_rules

    for r in all_rules():
        hado = f" (hadolint {', '.join(r.hadolint)})" if r.hadolint else ""
        fix = {"always": "fix", "sometimes": "fix*", "none": "    "}[r.fix]
        print(f"{r.code}  {r.name:<28} {fix:<5} {r.summary}{hado}")


@app.command()
def explain(code: str = typer.Argument(..., help="A rule code (DOP101) or name.")) -> None:
    """Print a rule's documentation."""
    from optimizer.core.registry import get_rule

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
