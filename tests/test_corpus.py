"""The shared corpus: agreement with BuildKit, byte-exact round trip, all rules on."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.core.engine import comment_lines, fix_text
from optimizer.core.settings import Settings
from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.parser import decode, parse

from .oracle import CORPUS, buildkit_parses, compare_file, corpus_files

FILES = corpus_files()
pytestmark = [pytest.mark.corpus]


def test_corpus_is_there() -> None:
    assert FILES, f"the shared corpus is missing: {CORPUS} (it must sit beside the checkout)"


def _id(p: Path) -> str:
    return str(p.relative_to(CORPUS))


@pytest.mark.parametrize("path", FILES, ids=[_id(p) for p in FILES])
def test_agrees_with_buildkit(path: Path) -> None:
    verdict = compare_file(path)
    assert verdict in ("agree", "both-reject", "agree-undecodable"), verdict


def _text(path: Path) -> str | None:
    try:
        text = decode(path.read_bytes())
        parse(text)
    except DockerfileSyntaxError:
        return None
    return text


ACCEPTED = [p for p in FILES if _text(p) is not None]  # the others are checked by test_agrees_with_buildkit


@pytest.mark.parametrize("path", ACCEPTED, ids=[_id(p) for p in ACCEPTED])
def test_round_trip_without_rules(path: Path) -> None:
    text = _text(path)
    assert text is not None
    result = fix_text(text, str(path), Settings(select=set()))
    assert result.output.encode("utf-8") == path.read_bytes()


REAL = [p for p in ACCEPTED if "real" in p.relative_to(CORPUS).parts[:1]]


@pytest.mark.parametrize("path", REAL, ids=[_id(p) for p in REAL])
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_all_rules(path: Path, unsafe: bool) -> None:
    text = _text(path)
    assert text is not None
    settings = Settings(unsafe_fixes=unsafe)
    result = fix_text(text, str(path), settings)
    assert result.converged
    again = fix_text(result.output, str(path), settings)
    assert again.output == result.output, "not idempotent"
    assert buildkit_parses(result.output)
    assert comment_lines(result.output) >= comment_lines(text)


def _lf(path: Path) -> str | None:
    """The file with LF line endings (a file that has CRLF already is converted), None when a CR stands elsewhere."""
    text = _text(path)
    if text is None:
        return None
    lf = text.replace("\r\n", "\n")
    return None if "\r" in lf else lf


@pytest.mark.parametrize("path", REAL, ids=[_id(p) for p in REAL])
def test_crlf_checkout_gets_the_same_rewrite(path: Path) -> None:
    """A Windows checkout (CRLF) of the file is rewritten exactly as the LF checkout, with CRLF endings."""
    lf = _lf(path)
    if lf is None:
        pytest.skip("a CR that ends no line: there is no LF checkout of this file")
    settings = Settings(unsafe_fixes=True)
    want = fix_text(lf, str(path), settings).output.replace("\n", "\r\n")
    got = fix_text(lf.replace("\n", "\r\n"), str(path), settings).output
    assert got == want
