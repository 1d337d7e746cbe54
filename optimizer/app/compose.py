"""The ``build.target`` a Compose file builds a Dockerfile with.

``compose.yaml``, ``compose.yml``, ``docker-compose.yaml`` or ``docker-compose.yml`` (the first present, in
Compose's own order) in the build context's folder, then in each folder above it up to the project root (the
repository's top folder; without a repository, only the context's folder). A service builds the Dockerfile when
its ``build`` (a path, or ``context`` + ``dockerfile``, relative to the Compose file and its context as Compose
resolves them) leads to it. The target is used only when every service building it names the same one; a value
with a variable (``${TARGET}``) is not guessed. Compose files are read, never run, through the bounded reader.
"""

from __future__ import annotations

import os
from typing import Any

from optimizer.records import record

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
COMPOSE_BYTES = 4_000_000


@record(frozen=True)
class ComposeTarget:
    target: str | None  # None: the services that build it disagree (or name none)
    source: str  # e.g. "compose.yaml (service api)"
    note: str = ""  # why no target was taken


def compose_target(dockerfile: str, context: str | None, root: str | None) -> ComposeTarget | None:
    """The target the nearest Compose file that builds ``dockerfile`` gives it, None when no Compose file builds
    it. ``root``: the project root (the search stops there), None for the context's folder only."""
    start = os.path.abspath(context or os.path.dirname(os.path.abspath(dockerfile)))
    want = os.path.realpath(dockerfile)
    stop = os.path.abspath(root) if root is not None else start
    if os.path.commonpath([start, stop]) != stop:
        stop = start  # a context outside the project: only its own folder
    d = start
    while True:
        found = _first_compose(d)
        if found is not None:
            answer = _read(found, want)
            if answer is not None:
                return answer
        parent = os.path.dirname(d)
        if d == stop or parent == d:
            return None
        d = parent


def _first_compose(folder: str) -> str | None:
    for name in COMPOSE_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def _read(path: str, want: str) -> ComposeTarget | None:
    import yaml  # only when a Compose file is there

    from optimizer.core.fileio import read_regular
    from optimizer.errors import DoptError

    try:
        data = yaml.safe_load(read_regular(path, COMPOSE_BYTES).decode("utf-8", errors="replace"))
    except (yaml.YAMLError, DoptError, OSError, RecursionError):
        return None  # not ours to judge: a Compose file dopt cannot read names no target
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return None
    folder = os.path.dirname(path)
    name = os.path.relpath(path)
    if name.startswith(".."):
        name = path
    targets: dict[str | None, list[str]] = {}
    for service, spec in services.items():
        build = spec.get("build") if isinstance(spec, dict) else None
        target = _builds(folder, build, want)
        if target is not False:
            targets.setdefault(target if isinstance(target, str) else None, []).append(str(service))
    if not targets:
        return None
    if len(targets) == 1 and None not in targets:
        ((target, services_of),) = targets.items()
        return ComposeTarget(target, f"{name} (service {', '.join(services_of)})")
    told = ", ".join(
        f"{', '.join(s)}: {'target ' + t if t is not None else 'no target'}"
        for t, s in sorted(targets.items(), key=lambda kv: kv[0] or "")
    )
    return ComposeTarget(None, name, f"its services build it with different targets ({told})")


def _builds(folder: str, build: Any, want: str) -> str | bool | None:
    """False: this ``build`` does not lead to the Dockerfile; else its target (None: none, or not readable)."""
    if isinstance(build, str):
        context, dockerfile, target = build, "Dockerfile", None
    elif isinstance(build, dict):
        context = build.get("context", ".")
        dockerfile = build.get("dockerfile", "Dockerfile")
        target = build.get("target")
    else:
        return False
    if not isinstance(context, str) or not isinstance(dockerfile, str) or "$" in context + dockerfile:
        return False
    if "://" in context or context.startswith("git@"):
        return False  # a remote context: not this checkout
    where = os.path.join(folder, os.path.expanduser(context))
    if os.path.realpath(os.path.join(where, dockerfile)) != want:
        return False
    if not isinstance(target, str) or not target or "$" in target:
        return None
    return target
