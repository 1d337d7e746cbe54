"""DOP403 unpinned-base-image."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports a `FROM` whose image has no tag or digest, or uses `latest`. It
offers no fix.

## Why
`latest` moves: the same Dockerfile builds a different image tomorrow, a
new major version can break the build or the application, and nobody can
tell from the file which base an image was built on.

## Example
```dockerfile
FROM python
```
Prefer `FROM python:3.12-slim-bookworm`, or pin a digest.

## Fix safety
No fix: the right tag is the one you tested with, which dopt cannot know.
Stage names (`FROM builder`), `scratch` and images given through build
arguments (`FROM $BASE`) are not reported.
"""


@rule(
    "DOP403",
    "unpinned-base-image",
    "Pin the base image to a tag or digest",
    DOC,
    hadolint=("DL3006", "DL3007"),
    fix="none",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    names: set[str] = set()
    for stage in ctx.doc.stages:
        image = stage.image or stage.base  # global ARG defaults resolved
        low = image.lower()
        if low in names or low == "scratch" or "$" in image or not image:
            if stage.name:
                names.add(stage.name.lower())
            continue
        if stage.name:
            names.add(stage.name.lower())
        if "@" in image:
            continue
        last = image.rsplit("/", 1)[-1]
        ins = stage.from_instruction
        shown = f"`{image}`" if image == stage.base else f"`{stage.base}` (`{image}` by the ARG defaults)"
        if ":" not in last:
            yield ctx.report(ins, f"{shown} has no tag: pin a version")
        elif last.rsplit(":", 1)[1] == "latest":
            yield ctx.report(ins, f"{shown} uses `latest`: pin a version")
