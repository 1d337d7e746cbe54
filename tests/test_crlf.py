"""A Windows checkout (CRLF) gets the rewrite of the LF checkout, with CRLF endings: over every golden case.

The same property over the shared corpus is in test_corpus.py (marked corpus)."""

from __future__ import annotations

import pytest

from optimizer.core.engine import fix_text

from .golden_harness import Case, cases, settings_for

CASES = [c for c in cases() if "\r" not in c.input.read_bytes().decode("utf-8").replace("\r\n", "\n")]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_crlf_copy_gets_the_same_rewrite(case: Case) -> None:
    lf = case.input.read_bytes().decode("utf-8").replace("\r\n", "\n")
    settings = settings_for(case, lf)
    want = fix_text(lf, str(case.input), settings).output.replace("\n", "\r\n")
    assert fix_text(lf.replace("\n", "\r\n"), str(case.input), settings).output == want
