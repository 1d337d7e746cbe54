"""DOP305 shell-pipefail."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.images import stage_family
from optimizer.analysis.knowledge import family_has_bash
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Document, Instruction
from optimizer.syntax.shell import Script

DOC = """
## What it does
Reports a `RUN` with a pipe (`a | b`) while the stage's shell runs without `pipefail`, and adds
`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the first such `RUN` of the stage.

## Why
A pipeline's status is its last command's: in `RUN curl -fsSL $URL | tar -xz` a failed download still
passes when `tar` does, and the image is built without the tool. With `pipefail` the build stops there.

## Example
```dockerfile
FROM debian:bookworm
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
```
becomes
```dockerfile
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
```

## Fix safety
Unsafe: a pipe that fails today without failing the build then fails it (that is the point), and every
later shell-form `RUN`, `CMD` and `ENTRYPOINT` of the stage runs under bash instead of `/bin/sh` (dash on
Debian: `echo` escapes and a few other details differ). Offered only where the stage's image family has
bash (Debian, Ubuntu, RHEL, Amazon Linux: data/images.toml `bash = true`); on Alpine, BusyBox or
distroless images, on an image dopt does not know, or after a `SHELL` the stage already sets, the finding
has no fix and says why. A `RUN` whose own script runs `set -o pipefail` first is not reported.
"""

_NON_POSIX = ("pwsh", "powershell", "cmd")
_PIPEFAIL_SHELLS = ("bash", "zsh", "ash")
SHELL_LINE = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'


def _shell_has_pipefail(ins: Instruction) -> bool:
    """A SHELL instruction whose shell fails a pipeline on any failing command (or is no POSIX shell)."""
    argv = list(ins.json_args or ())
    if not argv:
        return False
    name = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.startswith(_NON_POSIX):
        return True
    return name in _PIPEFAIL_SHELLS and any(
        a == "pipefail" and k > 0 and argv[k - 1] == "-o" for k, a in enumerate(argv)
    )


def _sets_pipefail_first(script: Script) -> bool:
    """The script's first command is ``set -o pipefail`` (or ``set -euo pipefail``)."""
    cmds = script.commands()
    if not cmds or cmds[0].name != "set":
        return False
    values = [w.value for w in cmds[0].args]
    return any(
        v == "pipefail" and k > 0 and values[k - 1].startswith("-") and "o" in values[k - 1]
        for k, v in enumerate(values)
    )


def _insert_at(doc: Document, ins: Instruction) -> int:
    """The start of the comment lines directly above ``ins`` (a pragma stays with its RUN), else of its line."""
    line = ins.line_start
    while line > 1 and doc.line_text(line - 1).lstrip().startswith("#"):
        line -= 1
    return doc.line_start_offset(line)


@rule(
    "DOP305",
    "shell-pipefail",
    "Run pipes with pipefail: set SHELL to bash -o pipefail",
    DOC,
    hadolint=("DL4006",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for stage in doc.stages:
        shell: Instruction | None = None  # the stage's last SHELL so far
        fixed_at: int | None = None  # the line of the RUN before which the fix adds SHELL
        for ins in stage.instructions:
            if ins.keyword == "SHELL":
                shell = ins
                continue
            if ins.keyword != "RUN" or (shell is not None and _shell_has_pipefail(shell)):
                continue
            if not ctx.posix_shell(ins):
                continue
            bodies = [b for b in ctx.bodies(ins) if b.script.has_node("pipeline")]
            if not bodies or all(_sets_pipefail_first(b.script) for b in bodies):
                continue
            message = "RUN pipes without `pipefail`: a failing command before `|` does not fail the build"
            if fixed_at is not None:
                yield ctx.report(ins, f"{message} (the fix offered on line {fixed_at} covers it)")
                continue
            family = stage_family(doc, stage)
            why = None
            if shell is not None:
                why = f"the stage sets its own SHELL on line {shell.line_start}"
            elif family is None:
                why = "dopt does not know whether the base image has bash"
            elif not family_has_bash(family.name):
                why = f"the image family {family.name} has no bash"
            if why is not None:
                yield ctx.report(ins, f"{message}; not fixed: line {ins.line_start}: {why}")
                continue
            fixed_at = ins.line_start
            at = _insert_at(doc, ins)
            indent = doc.indent_of(ins)
            yield ctx.report(
                ins,
                message,
                [Edit.insert(at, f"{indent}{ctx.keyword_like(ins, 'SHELL')} {SHELL_LINE[6:]}{doc.newline}")],
                Applicability.UNSAFE,
                fix_message=f"Add {SHELL_LINE} before the stage's first RUN with a pipe",
            )
