"""DOP412 curl-and-wget."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.shell import Command

DOC = """
## What it does
Reports the `RUN`s of a stage that use `curl` or `wget` once the stage has used both, as hadolint's DL4001
does. It offers no fix.

## Why
Two download tools do one job: an image that installs both carries the second for nothing, and the
stage's downloads behave differently (redirects, retries, TLS defaults) depending on which one a line
happens to use.

## Example
```dockerfile
RUN curl -fsSL https://example.com/a.tgz -o /tmp/a.tgz
RUN wget -q https://example.com/b.tgz
```
Prefer one of them:
```dockerfile
RUN curl -fsSL https://example.com/a.tgz -o /tmp/a.tgz
RUN curl -fsSLO https://example.com/b.tgz
```

## Fix safety
No fix: the two tools take different options, and which one to keep (and whether the image installs it)
is the author's choice.
"""


def _program(cmd: Command) -> str:
    """The program a command runs, through sudo/env and their options and assignments."""
    for w in cmd.words:
        name = w.value.rsplit("/", 1)[-1]
        if name not in ("sudo", "env") and not w.value.startswith("-") and "=" not in w.value:
            return name
    return ""


@rule("DOP412", "curl-and-wget", "Use either curl or wget in a stage, not both", DOC, hadolint=("DL4001",), fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for stage in doc.stages:
        seen: set[str] = set()
        for ins in stage.instructions:
            if ins.keyword != "RUN" or not ctx.posix_shell(ins):
                continue
            used = {_program(c) for b in ctx.bodies(ins) for c in b.script.commands()} & {"curl", "wget"}
            seen |= used
            if used and len(seen) == 2:
                yield ctx.report(ins, "the stage uses both curl and wget: one download tool is enough")
