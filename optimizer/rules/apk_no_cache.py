"""DOP204 apk-no-cache."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations, mounted
from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import Body, RuleContext

DOC = """
## What it does
Adds `--no-cache` to `apk add`. When the same `RUN` starts with
`apk update &&` only to fetch the index for that `apk add`, the `apk update`
goes: `--no-cache` fetches a fresh index itself and keeps nothing.

## Why
`apk update` and `apk add` without `--no-cache` store the package index in
`/var/cache/apk`, which then ships in the layer. `--no-cache` is Alpine's own
answer: no `apk update`, no `rm -rf /var/cache/apk/*`.

## Example
```dockerfile
RUN apk update && apk add curl
```
becomes
```dockerfile
RUN apk add --no-cache curl
```

## Fix safety
Safe: the same packages are installed from a freshly fetched index. Virtual
packages (`apk add --virtual .build-deps … && apk del .build-deps`) are kept
as they are. Not offered when `/var/cache/apk` is a `--mount=type=cache`.
An `apk update` is only removed when it is the first command of a plain
`&&` chain; otherwise it stays (harmless, and still cleaned up if the `RUN`
removes `/var/cache/apk`).
"""


@rule(
    "DOP204",
    "apk-no-cache",
    "Use apk add --no-cache instead of apk update and a cache cleanup",
    DOC,
    hadolint=("DL3019",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        if mounted(ins, "/var/cache/apk", "/etc/apk/cache"):
            continue
        invs = invocations(script, "apk")
        adds = [i for i in invs if i.sub == "add" and not i.has_option("--no-cache")]
        if not adds:
            continue
        edits = [insert_after(body, i.sub_word, "--no-cache") for i in adds if i.sub_word is not None]
        updates = [i for i in invs if i.sub == "update"]
        if len(updates) == 1 and len(script.top_level()) == 1:
            edit = _drop_leading_update(body, updates[0].command.start)
            if edit is not None:
                edits.append(edit)
        yield ctx.report(ins, "`apk add` without `--no-cache` leaves the package index in the layer", edits)


def _drop_leading_update(body: Body, start: int) -> Edit | None:
    """Delete `apk update && ` when it opens the RUN's only && chain."""
    script, ins = body.script, body.ins
    node = script.top_level()[0]
    while node.type == "list" and node.named_children and node.named_children[0].type == "list":
        node = node.named_children[0]
    if node.type != "list" or len(node.children) < 3:
        return None
    first, op, second = node.children[0], node.children[1], node.children[2]
    if first.type != "command" or op.type != "&&" or script.c(first.start_byte) != start or start != 0:
        return None
    begin, end = body.src(0), body.src(script.c(second.start_byte))
    in_script = any(n.type == "comment" and n.start_byte < second.start_byte for n in script.walk())
    if in_script or any(begin <= c.start < end for c in ins.comments):
        return None  # a comment sits in between: keep it, and the update with it
    return Edit(begin, end, "")
