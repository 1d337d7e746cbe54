"""BuildKit's own parser (PyPI ``dockerfile``) as a test oracle."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dockerfile

from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.parser import decode, parse

# beside the checkout; DOPT_CORPUS names another place (a git worktree sits deeper than the checkout)
CORPUS = Path(os.environ.get("DOPT_CORPUS") or Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    out = []
    for p in sorted(CORPUS.rglob("*")):
        if not p.is_file() or p.name in ("result", "SOURCE", "PROVENANCE.tsv") or p.suffix in (".md", ".tsv"):
            continue
        if "formatter" in p.parts and p.name.endswith((".expected", ".json")):
            continue
        out.append(p)
    return out


def buildkit_parses(text: str) -> bool:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


def oracle_view(text: str) -> list[tuple[Any, ...]]:
    out = []
    for c in dockerfile.parse_string(text):
        out.append(
            (
                c.cmd.upper(),
                c.start_line,
                c.end_line,
                tuple(c.flags),
                c.json,
                tuple((h.name, h.content) for h in c.heredocs),
            )
        )
    return out


def our_view(text: str) -> list[tuple[Any, ...]]:
    doc = parse(text)
    out = []
    for ins in doc.instructions:
        target = ins.sub if ins.sub is not None else ins
        out.append(
            (
                ins.keyword,
                ins.line_start,
                ins.line_end,
                tuple(f.raw for f in ins.flags),
                ins.json if ins.sub is None else target.json,
                # the wrapper reports heredocs of the top node only, not ONBUILD's inner one
                tuple((h.name, h.content) for h in ins.heredocs) if ins.sub is None else (),
            )
        )
    return out


def compare_file(path: Path) -> str:
    """'agree', 'both-reject', or a description of the disagreement."""
    try:
        text = decode(path.read_bytes())
    except DockerfileSyntaxError:
        return "agree-undecodable"
    return compare_text(text)


def compare_text(text: str) -> str:
    """'agree', 'both-reject', or a description of the disagreement."""
    try:
        expected = oracle_view(text)
    except dockerfile.GoParseError:
        expected = None
    try:
        ours = our_view(text)
    except DockerfileSyntaxError as e:
        if expected is None:
            return "both-reject"
        return f"we reject, BuildKit accepts: {e}"
    if expected is None:
        return "BuildKit rejects, we accept"
    if ours != expected:
        for a, b in zip(ours, expected, strict=False):
            if a != b:
                return f"differ: ours={a!r} buildkit={b!r}"
        return f"differ in count: ours={len(ours)} buildkit={len(expected)}"
    return "agree"
