"""DOP701 where a golden case cannot reach: a Dockerfile read from standard input has no build context."""

from __future__ import annotations

from optimizer.core.engine import lint
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse

TEXT = "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"


def test_no_readable_context_is_reported_without_a_fix() -> None:
    found = lint(parse(TEXT, "-"), Settings(select={"DOP701"}, unsafe_fixes=True))
    assert [(d.code, d.fix) for d in found] == [("DOP701", None)]
    assert "the build context is not readable" in found[0].message


def test_a_builder_stage_gets_the_fix() -> None:
    """The gain is build time: a stage that does not ship is still worth reordering (unlike the byte rules)."""
    from pathlib import Path

    case = Path(__file__).resolve().parent.parent / "golden" / "cache-friendly-order" / "go-mod-download"
    doc = parse((case / "Dockerfile").read_text(), str(case / "Dockerfile"))
    found = lint(doc, Settings(select={"DOP701"}, unsafe_fixes=True))
    assert len(found) == 1 and found[0].fix is not None
