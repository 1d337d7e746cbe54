"""DOP208 node-cache-clean."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.cache_mounts import merge_edits, mount_edits
from optimizer.analysis.invocations import cache_mount_targets, cleanup_diagnostic, invocations
from optimizer.analysis.stage_facts import env_set_before
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

INSTALLS = {
    "npm": frozenset({"install", "i", "ci", "add", "isntall", "update", "up"}),
    "yarn": frozenset({"", "install", "add", "upgrade"}),
    "pnpm": frozenset({"install", "i", "add", "update", "up"}),
}
CLEAN = {"npm": "npm cache clean --force", "yarn": "yarn cache clean", "pnpm": "pnpm store prune"}
CLEANED_BY = {"npm": ("cache", "clean"), "yarn": ("cache", "clean"), "pnpm": ("store", "prune")}
ENV = {"npm": "npm_config_cache", "yarn": "YARN_CACHE_FOLDER", "pnpm": "PNPM_STORE_DIR"}

DOC = """
## What it does
Adds `npm cache clean --force` (`yarn cache clean`, `pnpm store prune`) at
the end of a `RUN` that installs packages with that tool and does not clean
its cache.

## Why
npm, yarn and pnpm keep a copy of every downloaded tarball in the user's
cache (`~/.npm`, `/usr/local/share/.cache/yarn`, the pnpm store). In an image
that copy only doubles the weight of `node_modules`.

## Example
```dockerfile
RUN npm ci --omit=dev
```
becomes
```dockerfile
RUN npm ci --omit=dev && npm cache clean --force
```

## Fix safety
Safe: installed packages are untouched; only the download cache goes. Not
offered when the `RUN` mounts a cache (`--mount=type=cache`), when the stage
points the cache elsewhere with `ENV`/`ARG`, or when the `RUN` ends in a
shell comment or a background job.

With the cache-mounts mode (`cache-mounts = true` / `--cache-mounts`) the
cache is kept in a BuildKit cache mount instead (npm `/root/.npm`, yarn
`/usr/local/share/.cache/yarn`, pnpm `/root/.local/share/pnpm/store`), and
`# syntax=docker/dockerfile:1` is added when the file names no frontend.
Only for a RUN that runs as root (the folders are root's).
"""


@rule(
    "DOP208",
    "node-cache-clean",
    "Clean the npm/yarn/pnpm cache in the RUN that installs packages",
    DOC,
    hadolint=("DL3060",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("npm", "yarn", "pnpm"):
        ins, script = body.ins, body.script
        if cache_mount_targets(ins):
            continue
        invs = invocations(script, "npm", "yarn", "pnpm")
        wanted: list[str] = []
        for inv in invs:
            if inv.tool in wanted or inv.sub not in INSTALLS[inv.tool]:
                continue
            a, b = CLEANED_BY[inv.tool]
            if any(o.tool == inv.tool and o.sub == a and any(w.value == b for w in o.words) for o in invs):
                continue
            if env_set_before(ctx.doc, ins, ENV[inv.tool]):
                continue
            wanted.append(inv.tool)
        if not wanted:
            continue
        mounts = [mount_edits(ctx, ins, t) for t in wanted]
        if all(m is not None for m in mounts):  # the cache-mounts mode: the caches stay, in BuildKit cache mounts
            edits = merge_edits([e for m in mounts for e in m or []])
            yield ctx.report(
                ins,
                f"`{wanted[0]}` leaves its download cache in the layer: mount it as a cache instead",
                edits,
                fix_message="Keep the package cache in a BuildKit cache mount",
            )
            continue
        clean = " && ".join(CLEAN[t] for t in wanted)
        yield cleanup_diagnostic(
            ctx, body, clean, f"`{wanted[0]}` leaves its download cache in the layer: run `{clean}` in the same RUN"
        )
