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
Rewrites a shell-form `CMD` or `ENTRYPOINT` that runs one plain command in
exec (JSON) form: `CMD python app.py` → `CMD ["python", "app.py"]`. A
command that needs the shell — variables, globs, `&&`/`;`/pipes,
redirections, a shell builtin — is left alone and reported with the reason,
and with the way to get the signal right in shell form: put `exec` in front
of the (last) command, so that the shell hands its process over to the
program. A `CMD exec …` is not reported: the shell already does that.

It never rewrites to `["/bin/sh", "-c", "…"]`: that is the shell form spelled
differently, with the same shell in front of the program.

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
while
```dockerfile
CMD gunicorn -b "0.0.0.0:$PORT" app:app
```
is reported without a fix (`$PORT` needs the shell); `CMD exec gunicorn -b
"0.0.0.0:$PORT" app:app` is the shell-form answer.

## Fix safety
Unsafe: the process becomes PID 1 and receives signals itself, which is the
point, but an application that never handled SIGTERM may now behave
differently; and a `CMD` after an exec-form `ENTRYPOINT` now
passes its words instead of `/bin/sh -c …`. A shell-form `ENTRYPOINT` is
not converted when the stage has a `CMD` (exec form would pass the `CMD` to
it as arguments), and nothing is converted under a non-POSIX `SHELL` or in
Windows images.
"""


def exec_form(ins: Instruction) -> tuple[str | None, str]:
    """(the exec form of a shell-form CMD/ENTRYPOINT, "") or (None, why it needs the shell)."""
    from optimizer.syntax.shell import parse_script

    script = parse_script(ins.args)
    top = script.top_level()
    if script.has_error:
        return None, script.refused or "it is not shell dopt can read"
    if len(top) != 1 or top[0].type not in ("command", "redirected_statement") or script.separators():
        return None, "it runs several commands (`&&`, `;`, `|`), which needs the shell"
    if script.has_node("heredoc_redirect", "file_redirect", "herestring_redirect"):
        return None, "it redirects input or output, which needs the shell"
    if top[0].type != "command":
        return None, "it is a shell construct"
    cmds = script.commands()
    if len(cmds) != 1:
        return None, "it runs several commands (`&&`, `;`, `|`), which needs the shell"
    cmd = cmds[0]
    if cmd.assignments:
        return None, f"it sets `{cmd.assignments[0].split('=', 1)[0]}` for the command, which needs the shell"
    words = cmd.words
    if words[0].value in _SHELL_WORDS:
        return None, f"`{words[0].value}` is a shell builtin"
    unread = next((w for w in words if not w.literal), None)
    if unread is not None:
        return None, f"`{unread.text}` needs the shell to expand"
    return "[" + ", ".join(json.dumps(w.value) for w in words) + "]", ""


@rule("DOP304", "exec-form-cmd", "Use exec (JSON) form for CMD and ENTRYPOINT", DOC, hadolint=("DL3025",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    with_cmd = {i.stage for i in ctx.doc.instructions if i.keyword == "CMD" and i.stage >= 0}
    for ins in ctx.doc.instructions:
        if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.json or not ins.args or ctx.windows:
            continue
        if not ctx.posix_shell(ins) or ins.comments:
            continue
        if ins.args.split(None, 1)[0] == "exec":
            continue  # the shell hands its process over to the program: signals reach it
        if ins.keyword == "ENTRYPOINT" and ins.stage in with_cmd:
            continue
        message = f"Shell-form {ins.keyword}: the process will not receive signals; use exec form"
        new, why = exec_form(ins)
        if new is None:
            hint = "; or put `exec` in front of the last command" if "several" in why else "; or write `exec` in front"
            yield ctx.report(ins, f"{message} (not fixed: {why}{hint})")
            continue
        start = ins.src(ins.args_offset)
        yield ctx.report(ins, message, [Edit(start, ins.header_end, new)], Applicability.UNSAFE)
