"""DOP205 pip-no-cache-dir."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.cache_mounts import mount_edits
from optimizer.analysis.invocations import cache_mount_targets, insert_after, invocations
from optimizer.analysis.stage_facts import env_set_before
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Adds `--no-cache-dir` to `pip install` (also `pip3`, `python -m pip`) and
`--no-cache` to `uv pip install`.

## Why
pip keeps every downloaded and built wheel in `~/.cache/pip`. In an image
that cache is dead weight — often as large as the installed packages.

## Example
```dockerfile
RUN pip install -r requirements.txt
```
becomes
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe: the same packages are installed; only the cache is not written. Not
reported when the stage sets `PIP_NO_CACHE_DIR` (or `UV_NO_CACHE` for uv)
with `ENV`/`ARG`, or when the `RUN` mounts a cache (`--mount=type=cache`)
for pip's cache: there the cache is wanted, and it is not in the layer.

With the cache-mounts mode (`cache-mounts = true` / `--cache-mounts`) the
fix mounts `/root/.cache/pip` as a BuildKit cache (`RUN
--mount=type=cache,target=/root/.cache/pip`) instead, and adds
`# syntax=docker/dockerfile:1` when the file names no frontend: the cache
is kept between builds and is not in the image. Only for a RUN that runs as
root (the folder is root's); other RUNs get `--no-cache-dir`.
"""


@rule("DOP205", "pip-no-cache-dir", "Install Python packages with pip --no-cache-dir", DOC, hadolint=("DL3042",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("pip"):
        ins, script = body.ins, body.script
        if any(".cache" in t or "pip" in t or t.rstrip("/") in ("/root", "") for t in cache_mount_targets(ins)):
            continue
        for inv in invocations(script, "pip", "uv-pip"):
            word = inv.sub_word
            if word is None or inv.sub != "install":
                continue
            flag = "--no-cache" if inv.tool == "uv-pip" else "--no-cache-dir"
            if inv.has_option(flag, "--no-cache-dir", "--no-cache"):
                continue
            if env_set_before(ctx.doc, ins, "UV_NO_CACHE" if inv.tool == "uv-pip" else "PIP_NO_CACHE_DIR"):
                continue
            tool = "uv pip" if inv.tool == "uv-pip" else "pip"
            mount = mount_edits(ctx, ins, "pip") if inv.tool == "pip" else None
            if mount is not None:  # the cache-mounts mode: the cache stays, in a BuildKit cache mount
                yield ctx.report(
                    ins,
                    f"`{tool} install` keeps its download cache in the layer: mount it as a cache instead",
                    mount,
                    fix_message="Keep pip's cache in a BuildKit cache mount",
                )
                break
            yield ctx.report(
                ins,
                f"`{tool} install` without `{flag}` keeps its download cache in the layer",
                [insert_after(body, word, flag)],
            )
