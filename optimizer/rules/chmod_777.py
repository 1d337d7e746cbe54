"""DOP407 world-writable-permissions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports `chmod 777` (or any mode that makes files world-writable, such as
`666`, `o+w`, `a+rwx`) in a `RUN`, and `COPY`/`ADD --chmod` with such a mode.
It offers no fix.

## Why
A world-writable file or folder can be changed by any user in the container,
including a compromised unprivileged process: it defeats the point of
running as a non-root user. Give the application's user ownership instead
(`COPY --chown`).

## Example
```dockerfile
RUN chmod -R 777 /app
```
Prefer `COPY --chown=app:app . /app`.

## Fix safety
No fix: which user should own the files is not in the Dockerfile.
"""


def _world_writable(mode: str) -> bool:
    if re.fullmatch(r"[0-7]{3,4}", mode):
        return int(mode[-1]) & 2 == 2
    return bool(re.search(r"(^|,)(a|o|ugo)?[+=][rwxXst]*w", mode)) and not mode.startswith(("u", "g"))


@rule("DOP407", "world-writable-permissions", "Do not make files world-writable (chmod 777)", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword in ("COPY", "ADD"):
            for f in ins.flag("chmod"):
                if f.value and _world_writable(f.value):
                    yield ctx.report(ins, f"--chmod={f.value} makes the files world-writable")
    for body in ctx.shell_bodies():
        for cmd in body.script.commands():
            if cmd.basename != "chmod":
                continue
            modes = [w.value for w in cmd.args if not w.value.startswith("-")]
            if modes and _world_writable(modes[0]):
                yield ctx.report(
                    body.ins,
                    f"`chmod {modes[0]}` makes files world-writable: give the user ownership instead",
                )
                break
