"""DOP201 apt-lists-cleanup."""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.analysis.cache_mounts import alone, mount_edits
from optimizer.analysis.invocations import append_command, cleanup_diagnostic, invocations, mounted
from optimizer.analysis.stage_facts import next_run
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import Body, RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.shell import Script

APT = ("apt-get", "apt", "aptitude")
INSTALLS = frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", "source"})
CLEANUP = "rm -rf /var/lib/apt/lists/*"

DOC = """
## What it does
Adds `rm -rf /var/lib/apt/lists/*` at the end of a `RUN` that runs
`apt-get update` (or `apt update`, `aptitude update`) and does not remove the
package lists itself.

## Why
`apt-get update` downloads the package index, tens of megabytes, into
`/var/lib/apt/lists`. Removed in a later `RUN`, it still ships in this
layer; removed in the same `RUN`, it never reaches the image.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

When later `RUN`s of the same stage install from the lists this `RUN`
fetched (`RUN apt-get update` then `RUN apt-get install -y curl`), each of
them gets its own `apt-get update` (before its first apt command) and every
one of these `RUN`s removes the lists:
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get update && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```

## Fix safety
Safe: the lists are only read by apt itself. Not offered when `/var/lib/apt`
is a `--mount=type=cache` (the lists are not in the layer and the cache should
keep them), or when the `RUN` ends in a shell comment or a background job.
Official images configure apt to clean `/var/cache/apt` already, which is why
only the lists are removed.

Unsafe when later `RUN`s install from these lists: the `apt-get update`
added to each of them fetches the lists again, at a later moment, and the
archive may have moved on meanwhile (newer versions of the same packages), or
the sources may have changed between the `RUN`s (a repository added or
removed). When the `RUN` only updates the lists and the next instruction is
the `RUN` that installs from them, the finding has no fix: merging the two
(DOP101) is the better one, with a single update. Declined, with the reason,
when such a later `RUN` is in exec (JSON)
form or a shell dopt cannot read, runs its apt command inside a pipeline,
condition or loop, or lies in a stage built `FROM` this one.

With the cache-mounts mode (`cache-mounts = true` / `--cache-mounts`) the
lists are not deleted: the RUN mounts `/var/cache/apt` and `/var/lib/apt`
as BuildKit caches (`sharing=locked`), a RUN before it removes the
`docker-clean` hook and keeps the downloaded packages (as Docker's
documentation shows), and `# syntax=docker/dockerfile:1` is added when the
file names no frontend. Safe too: the image holds neither the lists nor the
packages; the next build reuses them. Not in that mode when later `RUN`s install
from these lists (they would find no lists in the layer): they get their own
update, as above.
"""


# subcommands that read the package lists (an `apt-get update` must come before them)
READS = INSTALLS | {"download", "changelog", "show", "search", "policy", "list", "madison", "depends", "rdepends"}
UPDATE = "apt-get update && "


def _installs_without_update(ctx: RuleContext, ins: Instruction) -> bool:
    """Does this RUN install packages from the lists without downloading them itself? A RUN dopt cannot read
    (exec form, another shell) that names an apt tool counts: it may."""
    bodies = ctx.bodies(ins)
    if not bodies:
        return _unread_apt(ins)
    update, install, _removes = _facts(bodies[0].script)
    return install and not update


def _unread_apt(ins: Instruction) -> bool:
    """A RUN whose shell dopt does not read but that names an apt tool."""
    if ins.keyword != "RUN":
        return False
    text = ins.logical + "".join(h.content for h in ins.heredocs)
    return any(re.search(rf"(?<![\w.-]){tool}(?![\w.-])", text) for tool in (*APT, "apt-cache"))


def _updates(ctx: RuleContext, ins: Instruction) -> bool:
    bodies = ctx.bodies(ins)
    return bool(bodies) and _facts(bodies[0].script)[0]


def _uses_lists(ctx: RuleContext, ins: Instruction) -> bool:
    """A RUN that fetches the lists again, or installs from them without doing so."""
    return _updates(ctx, ins) or _installs_without_update(ctx, ins)


def _facts(script: Script) -> tuple[bool, bool, bool]:
    inv = invocations(script, *APT)
    updates = [i.command.start for i in inv if i.sub == "update"]
    install = any(i.sub in INSTALLS for i in inv)
    removals = [
        c.start
        for c in script.commands()
        if c.basename == "rm" and any(w.value.startswith("/var/lib/apt/lists") for w in c.args)
    ]
    # the lists must be removed after the last update
    return bool(updates), install, bool(removals) and max(removals) > max(updates, default=-1)


@rule(
    "DOP201",
    "apt-lists-cleanup",
    "Remove /var/lib/apt/lists/* in the RUN that ran apt-get update",
    DOC,
    hadolint=("DL3009",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        ins = body.ins
        update, _install, removes = _facts(body.script)
        if not update or removes or mounted(ins, "/var/lib/apt/lists"):
            continue
        message = "`apt-get update` leaves the package lists in the layer: remove /var/lib/apt/lists/* in the same RUN"
        dependents, below = _dependents(ctx, ins)
        if below is not None:
            why = f"line {below.line_start} installs packages from these lists in a stage built FROM this one"
            yield ctx.report(ins, message + f" (not fixed: {why})")
            continue
        if not dependents:
            mount = mount_edits(ctx, ins, "apt")
            if mount is not None:  # the cache-mounts mode: the lists stay in a cache, not in the layer
                yield ctx.report(
                    ins,
                    message.replace("remove /var/lib/apt/lists/* in the same RUN", "keep them in a cache mount"),
                    mount,
                    fix_message="Keep apt's lists and packages in BuildKit cache mounts",
                    isolated=alone(mount),
                )
                continue
            yield cleanup_diagnostic(ctx, body, CLEANUP, message)
            continue
        if _merges(ctx, body, dependents[0]):
            why = (
                f"line {dependents[0].line_start} installs from these lists right after this RUN, which only updates"
                " them: merged into it (DOP101), one update serves both"
            )
            yield ctx.report(ins, message + f" (not fixed: {why})")
            continue
        lines = ", ".join(str(i.line_start) for i in dependents)
        edits, why = _own_updates(ctx, body, dependents)
        if edits is None:
            yield ctx.report(ins, message + f" (not fixed: {why})")
            continue
        verb = "installs" if len(dependents) == 1 else "install"
        yield ctx.report(
            ins,
            message + f"; line{'s' if len(dependents) > 1 else ''} {lines} {verb} from these lists: each gets its own"
            " `apt-get update` and removes them too (a later update may fetch newer package versions)",
            edits,
            Applicability.UNSAFE,
            "Give each RUN that installs its own `apt-get update` and remove the lists in every one",
        )


def _merges(ctx: RuleContext, body: Body, nxt: Instruction) -> bool:
    """Is ``nxt`` the RUN right after this one, which only updates the lists, so that merging the two (DOP101's
    index case) is the better fix than a second update? Both shell form, the same flags."""
    ins = body.ins
    doc = ctx.doc
    if ins.index + 1 >= len(doc.instructions) or doc.instructions[ins.index + 1] is not nxt:
        return False
    if nxt.json or nxt.heredocs or ins.heredocs or sorted(f.raw for f in ins.flags) != sorted(f.raw for f in nxt.flags):
        return False
    commands = body.script.commands()
    updates = {i.command.start for i in invocations(body.script, *APT) if i.sub == "update"}
    return bool(commands) and all(c.start in updates for c in commands)


def _dependents(ctx: RuleContext, ins: Instruction) -> tuple[list[Instruction], Instruction | None]:
    """The later RUNs of the stage that install from the lists ``ins`` fetched (up to the next RUN that fetches
    them again), and the first RUN of a stage built FROM this one that installs without an update of its own (None
    when there is none or a RUN of the stage fetches the lists again first)."""
    doc = ctx.doc
    out: list[Instruction] = []
    last = ins
    while True:
        nxt = next_run(doc, last, "apt-lists-users", lambda i: _uses_lists(ctx, i))
        if nxt is None:
            return out, None
        if nxt.stage != ins.stage:
            break
        if _updates(ctx, nxt):
            return out, None  # the lists are fetched again: what follows installs from those
        out.append(nxt)
        last = nxt
    below = next_run(doc, last, "apt-installs-without-update", lambda i: _installs_without_update(ctx, i))
    return out, below if below is not None and below.stage != ins.stage else None


def _own_updates(ctx: RuleContext, body: Body, dependents: list[Instruction]) -> tuple[list[Edit] | None, str]:
    """Edits cleaning this RUN and giving every later RUN that installs from its lists an update and a cleanup of
    its own, or None and why not."""
    edits = append_command(ctx, body, CLEANUP)
    if edits is None:
        return None, "the RUN ends in a comment or background job"
    for dep in dependents:
        bodies = ctx.bodies(dep)
        if not bodies:
            return None, f"line {dep.line_start} installs packages from these lists and {_why_unread(dep)}"
        dep_body = bodies[0]
        at, why = _first_reader(dep_body)
        if at is None:
            return None, f"line {dep.line_start} installs packages from these lists {why}"
        edits.append(Edit.insert(dep_body.src(at), UPDATE))
        if not _facts(dep_body.script)[2]:
            more = append_command(ctx, dep_body, CLEANUP)
            if more is None:
                return None, f"line {dep.line_start} installs from these lists and ends in a comment or background job"
            edits.extend(more)
    return edits, ""


def _why_unread(ins: Instruction) -> str:
    if ins.json:
        return "is in exec (JSON) form (dopt does not add an `apt-get update` to it)"
    return "dopt cannot read its shell"


def _first_reader(body: Body) -> tuple[int | None, str]:
    """The script offset of the first command reading the package lists, when an `apt-get update && ` can go right
    before it without changing what runs when (a top-level command, or one reached only through `&&`)."""
    script = body.script
    readers = [i.command for i in invocations(script, *APT) if i.sub in READS]
    readers += [c for c in script.commands() if c.basename == "apt-cache"]
    if not readers:
        return None, "(dopt does not see which command reads them)"
    first = min(readers, key=lambda c: c.start)
    node = next(
        (n for n in script.walk() if n.type == "command" and script.c(n.start_byte) == first.start),
        None,
    )
    if node is None:
        return None, "(dopt does not see which command reads them)"
    child = node
    parent = node.parent
    while parent is not None and parent.type != "program":
        if parent.type == "redirected_statement" and parent.named_children[:1] == [child]:
            child, parent = parent, parent.parent  # `apt-get install … >/dev/null`: the redirection stays its own
            continue
        if parent.type != "list":
            return (
                None,
                f"inside a `{parent.type.replace('_', ' ')}` (an `apt-get update` there could change what runs)",
            )
        ops = [c.type for c in parent.children if not c.is_named]
        if child != parent.named_children[0] and ops and ops[0] != "&&":
            return None, f"after `{ops[0]}` (an `apt-get update` there would change what runs)"
        child, parent = parent, parent.parent
    return first.start, ""
