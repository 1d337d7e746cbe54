"""DOP431 untrusted-registry."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports a `FROM` whose image comes from a registry that is not in the trusted list, as hadolint's DL3026
does. The list is the `trustedRegistries` of a `.hadolint.yaml`, or the rule's own option in dopt's
configuration (`[tool.dopt.untrusted-registry] trusted-registries = ["registry.example.com"]`, which wins);
without a list the rule reports nothing.

An image with no registry (`debian:bookworm`, `library/debian`) comes from Docker Hub: trusted when the list
has `docker.io` or `hub.docker.com`. A registry matches a name exactly (case aside) or a glob
(`*.example.com`). `scratch`, a `FROM` naming an earlier stage, and an image dopt cannot resolve (`FROM
$BASE` with no default) are not reported. Findings have hadolint's level, error.

## Why
Images pulled from an unexpected registry bypass the scanning, mirroring and provenance a team relies on.

## Example
```dockerfile
FROM quay.io/acme/tool:1.2
```
with `trustedRegistries: [docker.io, registry.example.com]` is reported.

## Fix safety
Report only: which registry mirrors the image is for the team to say.
"""

OPTION = "trusted-registries"


@rule(
    "DOP431",
    "untrusted-registry",
    "Use base images from trusted registries only (hadolint trustedRegistries)",
    DOC,
    hadolint=("DL3026",),
    fix="none",
    options={OPTION: "a list of strings"},
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    raw = ctx.options.get(OPTION) or []
    trusted = [t.strip().lower() for t in (raw.split(",") if isinstance(raw, str) else raw) if t.strip()]
    if not trusted:
        return
    earlier: set[str] = set()
    for stage in ctx.doc.stages:
        ref = (stage.image or stage.base).strip()
        name = stage.name.lower() if stage.name else None
        if ref and "$" not in ref and ref.lower() != "scratch" and ref.lower() not in earlier:
            registry = registry_of(ref)
            if not _trusted(registry, trusted):
                where = registry or "Docker Hub (docker.io)"
                ins = stage.from_instruction
                d = ctx.report(ins, f"`{ref}` comes from {where}, which is not a trusted registry")
                yield Diagnostic(d.code, d.name, d.message, d.start, d.end, None, d.hadolint, "error")
        if name:
            earlier.add(name)


def registry_of(ref: str) -> str | None:
    """The registry an image reference names (None: Docker Hub, the default)."""
    first, slash, _rest = ref.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        return first.lower()
    return None


def _trusted(registry: str | None, trusted: list[str]) -> bool:
    if registry is None:
        return "docker.io" in trusted or "hub.docker.com" in trusted
    return any(registry == t or fnmatch.fnmatchcase(registry, t) for t in trusted)
