"""DOP304 exec-form-cmd."""

from __future__ import annotations

import json
from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction

_SHELL_WORDS = frozenset(
    {
        "exec",
        "cd",
        "set",
        "source",
        ".",
        "export",
        "if",
        "for",
        "while",
        "case",
        "eval",
        "trap",
        "ulimit",
        "umask",
        "[",
        "test",
        "true",
        "false",
        "echo",
        "unset",
    }
)

DOC = """
## What it does
Rewrites a shell-form `CMD` or `ENTRYPOINT` that runs one simple command in
exec (JSON) form. Plain words become the array (`CMD python app.py` →
`CMD ["python", "app.py"]`); a command that needs the shell for variables
keeps it, with `exec` so the program replaces the shell
(`CMD app --port $PORT` → `CMD ["/bin/sh", "-c", "exec app --port $PORT"]`,
using the stage's `SHELL`). Lists (`&&`, `;`), pipes and redirections are
reported without a fix.

## Why
In shell form the process runs as a child of `/bin/sh -c`: `docker stop`
sends SIGTERM to the shell, which does not pass it on, so the application
is killed after the grace period instead of shutting down cleanly.

## Example
```dockerfile
CMD gunicorn -b 0.0.0.0:8000 app:app
```
becomes
```dockerfile
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
```

## Fix safety
Unsafe: the process becomes PID 1 and receives signals itself, which is the
point, but an application that never handled SIGTERM may now behave
differently; and a `CMD` after an exec-form `ENTRYPOINT` now
passes its words instead of `/bin/sh -c …`. A shell-form `ENTRYPOINT` is
not converted when the stage has a `CMD` (exec form would pass the `CMD` to
it as arguments), and nothing is converted under a non-POSIX `SHELL` or in
Windows images.
"""


def _shell_of(ctx: RuleContext, ins: Instruction) -> list[str]:
    stage = ctx.doc.stage_of(ins)
    shell = ["/bin/sh", "-c"]
    for other in stage.instructions if stage is not None else []:
        if other is ins:
            break
        if other.keyword == "SHELL" and other.json_args:
            shell = list(other.json_args)
    return shell


def exec_form(ctx: RuleContext, ins: Instruction) -> str | None:
    """The exec form of a shell-form CMD/ENTRYPOINT, or None when it is not one simple command."""
    from optimizer.syntax.shell import parse_script

    script = parse_script(ins.args)
    top = script.top_level()
    if script.has_error or len(top) != 1 or top[0].type != "command" or script.separators():
        return None
    cmds = script.commands()
    if len(cmds) != 1 or cmds[0].assignments:
        return None
    words = cmds[0].words
    if any(w.text.startswith("<") or w.text.startswith(">") for w in words):
        return None
    if script.has_node(
        "command_substitution", "process_substitution", "heredoc_redirect", "file_redirect", "herestring_redirect"
    ):
        return None
    if all(w.literal for w in words) and words[0].value not in _SHELL_WORDS:
        return "[" + ", ".join(json.dumps(w.value) for w in words) + "]"
    body = ins.args if words[0].value == "exec" else "exec " + ins.args
    return "[" + ", ".join(json.dumps(w) for w in [*_shell_of(ctx, ins), body]) + "]"


@rule("DOP304", "exec-form-cmd", "Use exec (JSON) form for CMD and ENTRYPOINT", DOC, hadolint=("DL3025",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.json or not ins.args or ctx.windows:
            continue
        if not ctx.posix_shell(ins) or ins.comments:
            continue
        stage = ctx.doc.stage_of(ins)
        if ins.keyword == "ENTRYPOINT" and stage is not None and any(i.keyword == "CMD" for i in stage.instructions):
            continue
        message = f"Shell-form {ins.keyword}: the process will not receive signals; use exec form"
        new = exec_form(ctx, ins)
        if new is None:
            yield ctx.report(ins, message + " (not fixed: more than one command)")
            continue
        start = ins.src(ins.args_offset)
        yield ctx.report(ins, message, [Edit(start, ins.header_end, new)], Applicability.UNSAFE)
