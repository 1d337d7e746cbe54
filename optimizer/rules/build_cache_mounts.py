"""DOP702 build-cache-mounts."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.cache_mounts import enabled, merge_edits, mount_edits
from optimizer.analysis.stage_facts import env_set_before
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

# the subcommands that download modules/crates or compile, per tool
BUILDS = {
    "go": frozenset({"build", "install", "mod", "test", "get", "generate", "vet", "run"}),
    "cargo": frozenset({"build", "fetch", "install", "test", "check", "run", "doc"}),
}
# variables that move the caches away from the folders of data/buildcache.toml
MOVED = {"go": ("GOPATH", "GOMODCACHE", "GOCACHE"), "cargo": ("CARGO_HOME",)}

DOC = """
## What it does
In the cache-mounts mode (`cache-mounts = true` / `--cache-mounts`) only: mounts Go's build and module
caches (`/root/.cache/go-build`, `/go/pkg/mod`) on a RUN that runs `go build`, `go mod download`,
`go install`, `go test`…, and Cargo's registry (`/usr/local/cargo/registry`) on a RUN that runs
`cargo build`, `cargo fetch`, `cargo install`…, as BuildKit cache mounts, and adds
`# syntax=docker/dockerfile:1` when the file names no frontend. Without the mode it reports nothing.

## Why
Every build after a change downloads the same modules and crates again and recompiles every package
from scratch. A cache mount keeps them between builds, outside the image: the next build compiles only
what changed.

## Example
```dockerfile
RUN go mod download
```
becomes (with `--cache-mounts`)
```dockerfile
# syntax=docker/dockerfile:1
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go mod download
```

## Fix safety
Unsafe: the modules and crates are then in the cache, not in the image, so a command that needs them
later without the mount (`CMD ["go", "run", "."]`, a script that builds, a stage that copies
`/go/pkg/mod`) downloads them again or fails offline. Only for a RUN that runs as root (the folders are
root's, as in the `golang` and `rust` images), and not when the stage moves the caches (`GOPATH`,
`GOMODCACHE`, `GOCACHE`, `CARGO_HOME` set by `ENV`/`ARG`). The folders are data
(`analysis/data/buildcache.toml`).
"""


@rule("DOP702", "build-cache-mounts", "Mount Go's and Cargo's caches in the RUNs that build (cache-mounts mode)", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    if not enabled(ctx):
        return
    for body in ctx.shell_bodies("go", "cargo"):
        ins = body.ins
        tools: list[str] = []
        for cmd in body.script.commands():
            name = cmd.basename
            subs = BUILDS.get(name)
            if subs is None or name in tools:
                continue
            sub = next((w.value for w in cmd.args if not w.value.startswith("-")), "")
            if sub in subs and not env_set_before(ctx.doc, ins, *MOVED[name]):
                tools.append(name)
        found = [(t, mount_edits(ctx, ins, t)) for t in tools]
        wanted = [(t, e) for t, e in found if e is not None]
        if not wanted:
            continue
        names = " and ".join(f"`{t}`" for t, _e in wanted)
        yield ctx.report(
            ins,
            f"{names} downloads and compiles again on every build: keep its caches in BuildKit cache mounts",
            merge_edits([e for _t, edits in wanted for e in edits or []]),
            Applicability.UNSAFE,
            "Keep the build caches in BuildKit cache mounts",
            any_stage=True,
        )
