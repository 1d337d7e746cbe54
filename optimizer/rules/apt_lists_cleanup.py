"""DOP201 apt-lists-cleanup."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.cache_mounts import alone, mount_edits
from optimizer.analysis.invocations import cleanup_diagnostic, invocations, mounted
from optimizer.analysis.stage_flow import next_run
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
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

## Fix safety
Safe: the lists are only read by apt itself. The fix is not offered when a
later `RUN` of the same stage (or of a stage built `FROM` it) installs
packages without its own `apt-get update` (it would then fail), when
`/var/lib/apt` is a `--mount=type=cache` (the lists are not in the layer and
the cache should keep them), or when the `RUN` ends in a shell comment or a
background job. Official images configure apt to clean `/var/cache/apt`
already, which is why only the lists are removed.

With the cache-mounts mode (`cache-mounts = true` / `--cache-mounts`) the
lists are not deleted: the RUN mounts `/var/cache/apt` and `/var/lib/apt`
as BuildKit caches (`sharing=locked`), a RUN before it removes the
`docker-clean` hook and keeps the downloaded packages (as Docker's
documentation shows), and `# syntax=docker/dockerfile:1` is added when the
file names no frontend. Safe too: the image holds neither the lists nor the
packages; the next build reuses them.
"""


def _installs_without_update(ctx: RuleContext, ins: Instruction) -> bool:
    """Does this RUN install packages from the lists without downloading them itself?"""
    bodies = ctx.bodies(ins)
    if not bodies:
        return False
    update, install, _removes = _facts(bodies[0].script)
    return install and not update


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
        later = next_run(ctx.doc, ins, "apt-installs-without-update", lambda i: _installs_without_update(ctx, i))
        if later is not None:
            yield ctx.report(ins, message + f" (not fixed: line {later.line_start} installs packages from these lists)")
            continue
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
