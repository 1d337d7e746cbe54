"""What makes builds cache-friendly, from data/buildcache.toml: dependency installs and the manifest files they
read (DOP701 cache-friendly-order), the commands that do not read the sources, and the package managers'
cache folders for BuildKit cache mounts (the cache-mounts mode)."""

from __future__ import annotations

from functools import lru_cache

from optimizer.analysis.knowledge import compiled
from optimizer.records import record


@record(frozen=True)
class Install:
    name: str  # "npm", "pip", "go"…
    programs: tuple[str, ...]
    subs: tuple[tuple[str, ...], ...]  # the first non-option words; () = none (`yarn`)
    manifests: tuple[str, ...]
    required: tuple[str, ...]
    writes: tuple[str, ...]
    needs: str  # an option without which the project itself is installed ("" = none)
    bare: bool  # only without package names
    scripts: str  # the manifest whose lifecycle scripts run at install ("" = none)
    local: tuple[str, ...]  # markers, in a manifest, of dependencies inside the sources


@record(frozen=True)
class Cache:
    manager: str
    targets: tuple[str, ...]
    sharing: str  # "" = BuildKit's default (shared)
    setup: str  # a command the image must run once before (apt's docker-clean hook), "" = none


@lru_cache(maxsize=1)
def installs() -> tuple[Install, ...]:
    return tuple(
        Install(
            e["name"],
            tuple(e["programs"]),
            tuple(tuple(s.split()) for s in e["subs"]),
            tuple(e["manifests"]),
            tuple(e["required"]),
            tuple(e["writes"]),
            str(e.get("needs", "")),
            bool(e.get("bare", False)),
            str(e.get("scripts", "")),
            tuple(e.get("local", ())),
        )
        for e in compiled("buildcache")["install"]
    )


@lru_cache(maxsize=1)
def neutral() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Programs that never read the sources, and per program the subcommands that do not."""
    data = compiled("buildcache")["neutral"]
    return frozenset(data["programs"]), {k: frozenset(v) for k, v in data["subs"].items()}


@lru_cache(maxsize=1)
def caches() -> dict[str, Cache]:
    return {
        e["manager"]: Cache(e["manager"], tuple(e["targets"]), str(e.get("sharing", "")), str(e.get("setup", "")))
        for e in compiled("buildcache")["cache"]
    }
