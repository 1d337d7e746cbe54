"""DOP204 apk-no-cache."""

from __future__ import annotations

import re
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
An `apk update` is removed when it is a statement of its own (`apk update;`,
a line of a heredoc script) or opens a plain `&&` chain, every `apk add` of
the `RUN` has (or gets) `--no-cache`, and nothing else in the `RUN` needs the
index (`apk upgrade`, `apk fetch`…); otherwise it stays. An `apk add`
without `--no-cache` in a `RUN` whose shell dopt does not read (exec form,
a `<<-` heredoc, a heredoc fed to another program) is reported without a
fix, saying why.
"""

_APK_ADD = re.compile(r"\bapk\s+(?:-\S+\s+)*add\b")


@rule(
    "DOP204",
    "apk-no-cache",
    "Use apk add --no-cache instead of apk update and a cache cleanup",
    DOC,
    hadolint=("DL3019",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins, why in ctx.unread_runs("apk"):
        text = ins.args + "".join(h.content for h in ins.heredocs)
        if _APK_ADD.search(text) and "--no-cache" not in text and not mounted(ins, "/var/cache/apk", "/etc/apk/cache"):
            yield ctx.report(
                ins,
                f"`apk add` without `--no-cache` leaves the package index in the layer; not changed: line "
                f"{ins.line_start}: {why}",
            )
    for body in ctx.shell_bodies("apk"):
        ins, script = body.ins, body.script
        if mounted(ins, "/var/cache/apk", "/etc/apk/cache"):
            continue
        invs = invocations(script, "apk")
        adds = [i for i in invs if i.sub == "add"]
        missing = [i for i in adds if not i.has_option("--no-cache")]
        edits = [insert_after(body, i.sub_word, "--no-cache") for i in missing if i.sub_word is not None]
        updates = [i for i in invs if i.sub == "update"]
        needs_index = [i for i in invs if i.sub not in ("add", "update", "del")]  # upgrade, fetch, search…
        drop = None
        if adds and len(updates) == 1 and not needs_index and updates[0].command.start < adds[0].command.start:
            drop = _drop_update(body, updates[0].command.start)
        if drop is not None:
            edits.append(drop)
        if missing:
            yield ctx.report(ins, "`apk add` without `--no-cache` leaves the package index in the layer", edits)
        elif drop is not None:
            yield ctx.report(
                ins,
                "`apk update` writes the package index into the layer; `apk add --no-cache` fetches its own",
                edits,
            )


def _drop_update(body: Body, start: int) -> Edit | None:
    """Delete `apk update && ` (opening a && chain) or a whole `apk update;` / `apk update` line.

    Only when it is a plain statement of the script's top level (not inside `if`, a loop or a
    subshell), and no comment sits in what would be deleted.
    """
    script, ins = body.script, body.ins
    top = script.top_level()
    for k, stmt in enumerate(top):
        if script.c(stmt.start_byte) != start:
            continue
        node = stmt
        while node.type == "list" and node.named_children and node.named_children[0].type == "list":
            node = node.named_children[0]
        if node.type == "list" and len(node.children) >= 3:
            first, op, second = node.children[0], node.children[1], node.children[2]
            if first.type != "command" or op.type != "&&":
                return None
            end = script.c(second.start_byte)
        elif node.type == "command" and k + 1 < len(top):
            between = script.source[script.c(stmt.end_byte) : script.c(top[k + 1].start_byte)]
            if between.strip(" \t\r\n") not in ("", ";"):
                return None
            end = script.c(top[k + 1].start_byte)
        else:
            return None
        begin, stop = body.src(start), body.src(end)
        if any(n.type == "comment" and start <= script.c(n.start_byte) < end for n in script.walk()):
            return None
        if any(begin <= c.start < stop for c in ins.comments):
            return None  # a comment sits in between: keep it, and the update with it
        return Edit(begin, stop, "")
    return None
