"""Docker's .dockerignore semantics, and a walk of the build context that measures what is sent.

Pattern rules follow moby/patternmatcher: one pattern per line, ``#`` comments, blank lines ignored;
each pattern is cleaned like Go's ``filepath.Clean`` and loses a leading ``/``; ``*`` and ``?`` do not
cross ``/``; ``**`` matches any number of folders; ``[...]`` classes and ``\\`` escapes; a ``!`` line
re-includes. The last pattern that matches a path, or one of its parent folders, decides.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from optimizer.records import record


@record(frozen=True)
class Pattern:
    text: str  # cleaned pattern
    exclusion: bool  # a `!` line
    regex: re.Pattern[str]


def _clean(pattern: str) -> str:
    cleaned = posixpath.normpath(pattern) if pattern else pattern
    cleaned = cleaned.lstrip("/")
    return "." if cleaned == "" else cleaned


def _translate(pattern: str) -> str:
    out = "^"
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 1
                if i + 1 < n and pattern[i + 1] == "/":
                    i += 1
                out += ".*" if i + 1 >= n else "(.*/)?"
            else:
                out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "\\" and i + 1 < n:
            i += 1
            out += re.escape(pattern[i])
        elif ch == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out += re.escape(ch)
            else:
                body = pattern[i + 1 : j]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out += "[" + body.replace("\\", "\\\\") + "]"
                i = j
        else:
            out += re.escape(ch)
        i += 1
    return out + "$"


def parse(text: str) -> list[Pattern]:
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        if not line:
            continue
        cleaned = _clean(line)
        out.append(Pattern(cleaned, exclusion, re.compile(_translate(cleaned))))
    return out


class Matcher:
    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.has_exclusions = any(p.exclusion for p in patterns)

    def excluded(self, rel: str) -> bool:
        """Is this context path (``a/b/c``, no leading ``./``) left out of the build context?"""
        parents = rel.split("/")[:-1]
        matched = False
        for p in self.patterns:
            hit = bool(p.regex.match(rel))
            if not hit and parents:
                prefix = ""
                for part in parents:
                    prefix = f"{prefix}/{part}" if prefix else part
                    if p.regex.match(prefix):
                        hit = True
                        break
            if hit:
                matched = not p.exclusion
        return matched


@record
class Entry:
    path: str  # relative, "/"-separated
    size: int


_CACHE: dict[tuple[str, tuple[tuple[str, bool], ...], int], tuple[float, list[Entry]]] = {}
CACHE_SECONDS = 10.0


def walk(context: Path, matcher: Matcher, limit: int = 200_000) -> list[Entry]:
    """Every file sent to the builder (with its size), not following symlinks; at most ``limit`` files
    and ``WALK_SECONDS`` of walking (sizes are then lower bounds).

    Many Dockerfiles share one context (a monorepo, an editor saving repeatedly): a walk is reused
    for ``CACHE_SECONDS``.
    """
    import time

    key = (str(context), tuple((p.text, p.exclusion) for p in matcher.patterns), limit)
    now = time.monotonic()
    hit = _CACHE.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    entries = _walk(context, matcher, limit)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (now, entries)
    return entries


WALK_SECONDS = 2.0  # editors call us on every save: a huge context is measured in part, not stalled on


def _walk(context: Path, matcher: Matcher, limit: int) -> list[Entry]:
    import time

    out: list[Entry] = []
    root = str(context)
    stop = time.monotonic() + WALK_SECONDS
    for dirpath, dirnames, filenames in os.walk(root):
        if time.monotonic() > stop:
            break
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        keep = []
        for d in dirnames:
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if matcher.excluded(rel) and not matcher.has_exclusions:
                continue  # nothing below can come back
            keep.append(d)
        dirnames[:] = sorted(keep)
        for f in sorted(filenames):
            rel = f"{rel_dir}/{f}" if rel_dir else f
            if matcher.excluded(rel):
                continue
            try:
                size = os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                continue
            out.append(Entry(rel, size))
            if len(out) >= limit:
                return out
    return out
