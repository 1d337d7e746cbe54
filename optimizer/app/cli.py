"""The ``dopt`` command line (typer), modelled on black and ruff.

The commands that take options (rewrite, check, verify, batch, server) are built from the option table
of ``options.py``: each gets a function whose ``__signature__`` lists its rows as typer parameters, so
an option is declared once for this CLI, the fast entry point and the configuration files.

Exit codes: 0 nothing to report; 1 changes or findings; 2 a usage error, an unreadable or
unparseable file, or an internal error (other files are still processed).
"""

from __future__ import annotations

import inspect
import sys
from typing import Any, Optional

import typer

from optimizer import __version__
from optimizer.app import options

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="dopt: a Dockerfile optimizer that rewrites losslessly and explains every fix.",
)


# Arguments are listed with their metavar alone (typer appends the Python type, e.g. `<list[str]>`).
setattr(typer.core.TyperArgument, "display_type_rich", lambda self, ctx: None)  # noqa: B010


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def _parameter(o: options.Option) -> inspect.Parameter:
    """One row of the option table as a typer parameter."""
    annotation: Any
    if o.kind == "args":
        annotation, default = Optional[list[str]], typer.Argument(None, help=o.help, metavar=o.metavar)
    elif o.kind == "optional-arg":
        annotation, default = Optional[str], typer.Argument(None, help=o.help, metavar=o.metavar)
    elif o.kind == "arg":
        annotation, default = str, typer.Argument(..., help=o.help, metavar=o.metavar)
    elif o.kind in ("list", "multi"):
        annotation, default = Optional[list[str]], typer.Option(None, *o.flags, help=o.help, metavar=o.metavar)
    elif o.kind == "flag":
        annotation, default = bool, typer.Option(False, *o.flags, help=o.help)
    elif o.kind == "switch":
        annotation = Optional[bool]
        default = typer.Option(None, f"{o.flags[0]}/{o.negative}", *o.flags[1:], help=o.help)
    elif o.kind == "int":
        annotation, default = Optional[int], typer.Option(None, *o.flags, min=0, help=o.help, metavar=o.metavar)
    elif o.kind == "choice":  # checked by ``actions.run``: one plain line for a value outside the choices
        annotation = Optional[str]
        text = f"{o.help} [{'|'.join(o.choices)}]"
        default = typer.Option(o.default, *o.flags, help=text, metavar=o.metavar, show_default=o.default is not None)
    else:  # str, path
        annotation = str if o.required else Optional[str]
        default = typer.Option(... if o.required else None, *o.flags, help=o.help, metavar=o.metavar)
    return inspect.Parameter(o.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _command(name: str, doc: str) -> None:
    def command(**kwargs: Any) -> None:
        from optimizer.app.actions import run

        raise typer.Exit(run(name, kwargs))

    command.__signature__ = inspect.Signature([_parameter(o) for o in options.for_command(name)])  # type: ignore[attr-defined]
    command.__doc__ = doc
    command.__name__ = f"{name}_command"
    app.command(name)(command)


_command("rewrite", "Rewrite Dockerfiles in place (safe fixes; unsafe ones with --unsafe-fixes).")
_command("check", "Report findings as `path:line:col: CODE message [*]` (`*`: fixable).")
_command(
    "verify",
    """Build the original and the rewritten Dockerfile; report sizes, layers, times and smoke tests.

    Exit 0: the rewrite works (or changes nothing). 1: the original works but the rewrite does not.
    2: usage error, unreadable file, no builder, or an original that does not build.
    """,
)
_command(
    "batch",
    """Check and rewrite many Dockerfiles: findings and diff per file as JSON lines (resumable).

    With --verify, prove each rewrite by building it (local processes or Ray tasks); --report OUT.jsonl
    summarizes such a run.
    """,
)
_command("server", "Run the Language Server over stdio (diagnostics, formatting, code actions).")


_command("rules", "List every rule by code: name, its fixes (safe, unsafe, report only), summary, hadolint codes.")
_command("explain", "Print a rule's documentation (Markdown), or every rule's with --all.")


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
    from optimizer.app.entry import guarded

    guarded(lambda: app(prog_name="dopt"))
