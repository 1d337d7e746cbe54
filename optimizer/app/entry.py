"""The ``dopt`` entry point.

Editors run ``dopt rewrite -`` or ``dopt check`` on every save and start ``dopt server``, so those commands are
parsed here with the option table of ``options.py`` without importing the CLI library (typer and what it pulls in
cost more than the whole rewrite). Any argument the table does not accept — ``--help``, other commands,
a typo, a bad value — goes to the full typer CLI, which is built from the same table and then owns the
error message. A test runs both paths on the same arguments and compares their output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (`dopt check | head -1`): stop quietly, as click does (exit 1)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):  # pragma: no cover
        pass
    os._exit(1)


def _flush() -> None:
    """Flush stdout: quietly when the reader went away, not at all when it is closed (the language server)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except ValueError:  # closed
        pass


def guarded(func: Callable[[], Any]) -> NoReturn:
    """Run ``func`` and exit with its code: an internal error is exit 2 with one line, a closed pipe is quiet."""
    from optimizer.errors import DoptError

    try:
        code = func()
        _flush()
    except SystemExit:
        _flush()
        raise
    except BrokenPipeError:
        _quiet_broken_pipe()
    except KeyboardInterrupt:  # pragma: no cover
        code = 130
    except DoptError as e:  # pragma: no cover - defensive: the runner catches these per file
        sys.stderr.write(f"error: {e}\n")
        code = 2
    except Exception as e:  # an internal error is still exit 2, with one clear line
        sys.stderr.write(f"error: internal error: {type(e).__name__}: {e}\n")
        code = 2
    _flush()
    sys.exit(code)


def main() -> None:
    argv = sys.argv[1:]
    from optimizer.app.options import parse_fast

    # `server` too: editors start it, and it needs no CLI library either
    parsed = None if os.environ.get("DOPT_NO_FASTPATH") else parse_fast(argv, ("rewrite", "check", "server"))
    if parsed is None:
        from optimizer.app.cli import app

        guarded(lambda: app(prog_name="dopt"))
    from optimizer.app.actions import run

    command, opts = parsed
    guarded(lambda: run(command, opts))


if __name__ == "__main__":
    main()
