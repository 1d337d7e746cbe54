"""Which rule would take a path out of an image layer, from data/layer_paths.toml (``dopt verify --layers``).

One compiled regular expression answers for a file's path: the first entry of the data that matches,
and the path it names (the folder of a ``prefix`` entry as it appears in the image, or the file or
folder a ``name`` entry matched).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from optimizer.analysis.knowledge import compiled
from optimizer.records import record


@record(frozen=True)
class PathRule:
    rule: str  # the rule's code
    what: str  # a few words: "apt package lists"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return compiled("layer_paths")  # data/layer_paths.toml, compiled to JSON (scripts/compile_data.py)


def min_bytes() -> int:
    """Below this, a path in a layer is not worth naming."""
    return int(_data().get("min_bytes", 0))


def _glob(pattern: str) -> str:
    """A path pattern as a regular expression: ``*`` stands for any characters within one segment."""
    return "[^/]*".join(re.escape(part) for part in pattern.split("*"))


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], tuple[PathRule, ...]]:
    alternatives: list[str] = []
    rules: list[PathRule] = []
    for i, entry in enumerate(_data()["path"]):
        if "prefix" in entry:
            body = _glob(str(entry["prefix"]).rstrip("/"))
        else:
            body = r"(?:/[^/]+)*?/" + _glob(str(entry["name"]))
        alternatives.append(f"(?P<g{i}>{body})(?=/|$)")
        rules.append(PathRule(str(entry["rule"]), str(entry["what"])))
    return re.compile("|".join(alternatives)), tuple(rules)


def rule_for(path: str) -> tuple[str, PathRule] | None:
    """For an absolute path in an image: (the path the data names, the rule that would cut it), or None."""
    pattern, rules = _compiled()
    m = pattern.match(path)
    if m is None or m.lastgroup is None:
        return None
    return m.group(m.lastgroup), rules[int(m.lastgroup[1:])]


def entries() -> list[dict[str, Any]]:
    """The data's entries as written (for tests and documentation)."""
    return list(_data()["path"])
