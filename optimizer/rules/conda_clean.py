"""DOP209 conda-clean."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import cache_mount_targets, cleanup_diagnostic, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

CHANGES = frozenset({"install", "create", "update", "upgrade", "env"})
CLEAN = {"conda": "conda clean -afy", "mamba": "mamba clean -afy", "micromamba": "micromamba clean --all --yes"}

DOC = """
## What it does
Adds `conda clean -afy` (`mamba clean -afy`, `micromamba clean --all --yes`)
at the end of a `RUN` that installs or creates environments and does not
clean up.

## Why
conda keeps every downloaded package tarball and its extracted copy in
`pkgs/`, plus index caches: often more than the environment itself.

## Example
```dockerfile
RUN conda install -y numpy
```
becomes
```dockerfile
RUN conda install -y numpy && conda clean -afy
```

## Fix safety
Safe: environments are untouched; only caches and unused package files go.
Not offered when the `RUN` mounts a cache, or ends in a shell comment or a
background job.
"""


@rule("DOP209", "conda-clean", "Clean conda/mamba caches in the RUN that installs packages", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies(*CLEAN):
        ins, script = body.ins, body.script
        if cache_mount_targets(ins):
            continue
        invs = invocations(script, *CLEAN)
        cleaned = {i.tool for i in invs if i.sub == "clean"}
        wanted = []
        for inv in invs:
            if inv.sub in CHANGES and inv.tool not in cleaned and inv.tool not in wanted:
                if inv.sub == "env" and not any(w.value in ("create", "update") for w in inv.words):
                    continue
                wanted.append(inv.tool)
        if not wanted:
            continue
        clean = " && ".join(CLEAN[t] for t in wanted)
        yield cleanup_diagnostic(
            ctx, body, clean, f"`{wanted[0]}` leaves package caches in the layer: run `{clean}` in the same RUN"
        )
