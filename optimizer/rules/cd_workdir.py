"""DOP402 cd-instead-of-workdir."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports a `RUN` that starts by changing directory (`RUN cd /src && make`).
It offers no fix.

## Why
`cd` lasts only for that `RUN`; the next instruction starts again in the
`WORKDIR`. `WORKDIR /src` says where the following instructions run, creates
the folder if needed, and keeps the `RUN` lines short.

## Example
```dockerfile
RUN cd /usr/src/app && make
```
Prefer
```dockerfile
WORKDIR /usr/src/app
RUN make
```

## Fix safety
No fix: a `WORKDIR` changes where every later instruction runs (and `CMD`
starts), so moving the `cd` is a decision about the rest of the file.
A `cd` inside a subshell or later in a chain is not reported.
"""


@rule(
    "DOP402",
    "cd-instead-of-workdir",
    "Use WORKDIR instead of starting a RUN with cd",
    DOC,
    hadolint=("DL3003",),
    fix="none",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        if script.has_error:
            continue
        cmds = script.commands()
        if cmds and cmds[0].name == "cd" and cmds[0].start == 0 and len(cmds) > 1:
            target = cmds[0].args[0].text if cmds[0].args else "~"
            yield ctx.report(ins, f"RUN starts with `cd {target}`: use `WORKDIR {target}` instead")
