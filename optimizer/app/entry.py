"""The ``dopt`` entry point.

Editors run ``dopt rewrite -`` or ``dopt check`` on every save, so the common
invocations are parsed here by a small parser without importing the CLI
library (typer and what it pulls in cost more than the whole rewrite). Any
argument this parser does not know — ``--help``, other commands, a typo —
goes to the full typer CLI, which then owns the error message. A test runs
both paths on the same arguments and compares their output.
"""

from __future__ import annotations

import os
import sys

# option -> (destination, takes a value)
_COMMON = {
    "--select": ("select", True),
    "--ignore": ("ignore", True),
    "--unsafe-fixes": ("unsafe_fixes", False),
    "--quiet": ("quiet", False),
    "-q": ("quiet", False),
    "--stdin-filename": ("stdin_filename", True),
    "--color": ("color", False),
    "--no-color": ("no_color", False),
    "--jobs": ("jobs", True),
    "-j": ("jobs", True),
    "--config": ("config", True),
    "--isolated": ("isolated", False),
    "--extend-select": ("extend_select", True),
}
_OPTIONS = {
    "rewrite": {**_COMMON, "--diff": ("diff", False), "--check": ("check", False)},
    "check": {**_COMMON, "--fix": ("fix", False), "--output-format": ("output_format", True)},
}


def parse_fast(argv: list[str]) -> tuple[str, dict[str, object]] | None:
    """Parse a common invocation, or None to let the full CLI handle it."""
    if argv and argv[0] == "server":
        return _parse_server(argv[1:])
    if not argv or argv[0] not in _OPTIONS:
        return None
    command, known = argv[0], _OPTIONS[argv[0]]
    opts: dict[str, object] = {"paths": [], "select": [], "ignore": []}
    args = iter(argv[1:])
    only_paths = False
    for a in args:
        if only_paths or a == "-" or not a.startswith("-"):
            opts["paths"].append(a)  # type: ignore[attr-defined]
            continue
        if a == "--":
            only_paths = True
            continue
        name, eq, value = a.partition("=")
        spec = known.get(name)
        if spec is None:
            return None
        dest, takes_value = spec
        if takes_value:
            if not eq:
                value = next(args, "")
                if not value:
                    return None
            if dest in ("select", "ignore", "extend_select"):
                opts.setdefault(dest, []).append(value)  # type: ignore[attr-defined]
            else:
                opts[dest] = value
        elif eq:
            return None
        else:
            opts[dest] = True
    if not opts["paths"] or opts.get("output_format", "text") not in ("text", "json", "sarif", "github", "rdjson"):
        return None
    if "jobs" in opts and not str(opts["jobs"]).isdigit():
        return None
    return command, opts


_SERVER = {"--select": "select", "--ignore": "ignore", "--config": "config", "--isolated": "isolated"}


def _parse_server(args: list[str]) -> tuple[str, dict[str, object]] | None:
    """`dopt server [--select X] [--ignore X] [--config F] [--isolated]` (editors start it: no typer)."""
    opts: dict[str, object] = {"select": [], "ignore": []}
    it = iter(args)
    for a in it:
        name, eq, value = a.partition("=")
        dest = _SERVER.get(name)
        if dest is None:
            return None
        if dest == "isolated":
            if eq:
                return None
            opts[dest] = True
            continue
        if not eq:
            value = next(it, "")
            if not value:
                return None
        if dest == "config":
            opts[dest] = value
        else:
            opts[dest].append(value)  # type: ignore[attr-defined]
    return "server", opts


def _serve(opts: dict[str, object]) -> int:
    from optimizer.app.actions import make_resolver
    from optimizer.errors import ConfigError

    try:
        resolver = make_resolver(
            opts["select"] or None,  # type: ignore[arg-type]
            opts["ignore"] or None,  # type: ignore[arg-type]
            False,
            opts.get("config"),  # type: ignore[arg-type]
            bool(opts.get("isolated")),
        )
    except ConfigError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    from optimizer.app.lsp_boot import serve

    return serve(resolver)


def main() -> None:
    argv = sys.argv[1:]
    parsed = None if os.environ.get("DOPT_NO_FASTPATH") else parse_fast(argv)
    if parsed is None:
        from optimizer.app.cli import main as full_main

        full_main()
        return
    if parsed[0] == "server":
        sys.exit(_serve(parsed[1]))
    from optimizer.app.actions import run

    command, opts = parsed
    try:
        code = run(command, opts)
    except KeyboardInterrupt:  # pragma: no cover
        code = 130
    except Exception as e:  # an internal error is still exit 2, with one clear line
        sys.stderr.write(f"error: internal error: {type(e).__name__}: {e}\n")
        code = 2
    sys.stdout.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
