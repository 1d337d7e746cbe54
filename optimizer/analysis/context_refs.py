"""Paths that the build context's code and configuration name (read, never run), for DOP601.

A key file that the application opens by a literal path (``open("certs/server.key")``,
``ssl_keyfile="/app/keys/tls.pem"``, ``tls_key: keys/tls.pem``) must not be ignored by a ``.dockerignore``
pattern such as ``**/*.key``. The scan is bounded (data/context.toml, ``[references]``) and lazy: it runs only
for the files a pattern would ignore, and looks only for their names.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from optimizer.records import record

_TOKEN = re.compile(r"[\w.~@+/-]+")


@record(frozen=True)
class Reference:
    path: str  # the context file that is named (relative, "/"-separated)
    source: str  # the context file that names it
    where: str  # that file and the line: "app.py:12"


def _config() -> dict[str, Any]:
    from optimizer.analysis.knowledge import context_data

    return dict(context_data().get("references", {}))


def _scanned(path: str, suffixes: tuple[str, ...], names: frozenset[str], skip: frozenset[str]) -> bool:
    parts = path.split("/")
    if any(p in skip for p in parts[:-1]):
        return False
    return parts[-1] in names or parts[-1].endswith(suffixes)


def _names(token: str, source: str, target: str) -> bool:
    """Does a literal path written in the context file ``source`` name the context file ``target``?

    A bare name (``server.key``) names a file at the top of the context (the usual working directory) or
    beside the source file; a relative path names the file it reaches from either; an absolute path is a path
    in the image: it names the context file it ends with (``/app/keys/tls.pem``: ``keys/tls.pem``).
    """
    parts = [p for p in token.split("/") if p not in ("", ".")]
    if not parts:
        return False
    here = posixpath.dirname(source)
    if not token.startswith("/"):
        rel = "/".join(parts)
        return target in (posixpath.normpath(rel), posixpath.normpath(posixpath.join(here, rel)))
    tparts = target.split("/")
    return parts[-len(tparts) :] == tparts


def references(context: Path, files: Iterable[str], targets: Iterable[str]) -> dict[str, Reference]:
    """The ``targets`` (context paths) that a code or configuration file among ``files`` names, each with the
    first place that names it. ``files`` are the context's files as sent to the builder (walk order)."""
    from optimizer.analysis.buildcontext import read_text

    by_name: dict[str, list[str]] = {}
    for t in targets:
        by_name.setdefault(t.rsplit("/", 1)[-1], []).append(t)
    if not by_name:
        return {}
    cfg = _config()
    suffixes = tuple(str(s) for s in cfg.get("suffixes", []))
    names = frozenset(str(s) for s in cfg.get("names", []))
    skip = frozenset(str(s) for s in cfg.get("skip_dirs", []))
    max_files, max_bytes, max_total = (int(cfg.get(k, 0)) for k in ("max_files", "max_bytes", "max_total"))
    found: dict[str, Reference] = {}
    count = total = 0
    for rel in files:
        if not _scanned(rel, suffixes, names, skip):
            continue
        count += 1
        if count > max_files or total >= max_total:
            break
        text = read_text(context / rel, max_bytes)
        if text is None:
            continue
        total += len(text)
        for lineno, line in enumerate(text.splitlines(), 1):
            for m in _TOKEN.finditer(line):
                token = m.group(0)
                for target in by_name.get(token.rsplit("/", 1)[-1], ()):
                    if target not in found and target != rel and _names(token, rel, target):
                        found[target] = Reference(target, rel, f"{rel}:{lineno}")
    return found
