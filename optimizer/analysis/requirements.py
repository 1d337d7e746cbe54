"""pip requirements files from the build context: names, includes (-r) and constraints (-c).

Read as text, never installed or executed. Lines follow pip's format: comments, ``\\`` continuations,
options (``--index-url``, ``--hash``…), environment markers, extras, ``name @ url``, paths, VCS URLs
and editables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from optimizer.records import field, record

_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@record(frozen=True)
class Requirement:
    name: str  # normalised project name ("" for a path or URL without one)
    text: str  # the requirement as written
    file: Path
    line: int
    source: bool  # a path, URL, VCS link or editable: built from source


@record
class Requirements:
    installs: list[Requirement] = field(default_factory=list)
    constraints: list[Requirement] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # includes that could not be read

    def names(self) -> set[str]:
        return {r.name for r in self.installs if r.name}


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not buf:
            start = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        if buf.strip():
            out.append((start, buf.strip()))
        buf = ""
    if buf.strip():
        out.append((start, buf.strip()))
    return out


def parse_requirement(text: str, file: Path, line: int) -> Requirement:
    editable = text.startswith(("-e ", "--editable ", "--editable="))
    if editable:
        text = re.sub(r"^(-e|--editable)[ =]\s*", "", text)
    spec = text.split(";", 1)[0].strip()
    spec = re.split(r"\s--?\w", " " + spec, maxsplit=1)[0].strip()  # per-requirement options (--hash)
    m = _NAME.match(spec)
    if m is not None and re.match(r"^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@\s*\S+://", spec):
        return Requirement(normalise(m.group(1)), text, file, line, True)  # name @ url
    is_path = (
        spec.startswith((".", "/", "~")) or "://" in spec.split("@")[0] or spec.endswith((".whl", ".tar.gz", ".zip"))
    )
    if m is None or is_path:
        egg = re.search(r"#egg=([\w.-]+)", spec)
        return Requirement(normalise(egg.group(1)) if egg else "", text, file, line, True)
    return Requirement(normalise(m.group(1)), text, file, line, editable)


def read(
    path: Path,
    root: Path,
    _seen: set[Path] | None = None,
    _into: Requirements | None = None,
    constraint: bool = False,
    opener: Callable[[Path], str | None] | None = None,
) -> Requirements:
    """Read a requirements file and what it includes, staying inside ``root``.

    ``opener`` reads a file (None: absent); rules pass one that sees the fixes made so far.
    """
    reqs = _into if _into is not None else Requirements()
    seen = _seen if _seen is not None else set()
    resolved = path.resolve()
    if resolved in seen:
        return reqs
    seen.add(resolved)
    root = root.resolve()
    if resolved != root and root not in resolved.parents:
        reqs.problems.append(f"{path} is outside the build context")
        return reqs
    if opener is not None:
        opened = opener(resolved)
        if opened is None:
            reqs.problems.append(f"{path}: cannot read")
            return reqs
        text = opened
    else:
        from optimizer.core.fileio import read_regular

        try:
            text = read_regular(str(resolved), 4_000_000).decode("utf-8", errors="replace")
        except OSError as exc:
            reqs.problems.append(f"{path}: {exc.strerror or exc}")
            return reqs
    reqs.files.append(resolved)
    for n, line in _logical_lines(text):
        m = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$", line)
        if m:
            include = resolved.parent / m.group(2)
            read(include, root, seen, reqs, constraint or m.group(1) in ("-c", "--constraint"), opener)
            continue
        if line.startswith("-") and not line.startswith(("-e ", "--editable")):
            continue  # --index-url, --extra-index-url, --find-links, --no-binary …
        found = parse_requirement(line, resolved, n)
        (reqs.constraints if constraint else reqs.installs).append(found)
    return reqs
