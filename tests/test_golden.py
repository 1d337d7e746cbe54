from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from optimizer.engine import fix_text
from optimizer.registry import get_rule

from .golden_harness import Case, cases, expected_findings, settings_for
from .oracle import buildkit_parses

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(case: Case) -> None:
    data = case.input.read_bytes()
    text = data.decode("utf-8")
    settings = settings_for(case, text)
    result = fix_text(text, str(case.input), settings)
    expected = case.expected.read_bytes() if case.expected else data
    assert result.output.encode("utf-8") == expected
    assert not result.failed, result.failed
    # idempotent: a second run changes nothing
    again = fix_text(result.output, str(case.input), settings)
    assert again.output == result.output
    # BuildKit's own parser accepts the output
    assert buildkit_parses(result.output)
    expect = expected_findings(text)
    if expect is not None:
        from optimizer.engine import lint
        from optimizer.parser import parse

        doc = parse(text, str(case.input))
        got = sorted((d.code, doc.line_of(d.start)) for d in lint(doc, settings))
        assert got == expect


def test_every_rule_has_golden_cases() -> None:
    from optimizer.registry import all_rules

    by_rule: dict[str, list[Case]] = {}
    for c in CASES:
        by_rule.setdefault(c.rule, []).append(c)
    for r in all_rules():
        got = by_rule.get(r.name, [])
        if r.fix == "none":
            expects = [expected_findings(c.input.read_text()) for c in got]
            fixes = [e for e in expects if e]
            noops = [e for e in expects if e == []]
        else:
            fixes = [c for c in got if c.expected]
            noops = [c for c in got if not c.expected]
        least = 8 if r.code.startswith("DOP5") else 5  # structural rules: eight or more, as their issue asks
        assert len(fixes) >= least and len(noops) >= 5, f"{r.code} {r.name}: {len(fixes)} fix / {len(noops)} no-op"


HADOLINT = shutil.which("hadolint")
FIX_CASES = [c for c in CASES if c.expected]


@pytest.mark.skipif(HADOLINT is None, reason="hadolint binary not installed")
@pytest.mark.parametrize("case", FIX_CASES, ids=[c.id for c in FIX_CASES])
def test_hadolint_no_longer_reports(case: Case) -> None:
    """After the fix, hadolint no longer reports the codes the rule answers."""
    rule = get_rule(case.rule)
    assert rule is not None
    if not rule.hadolint:
        pytest.skip("rule answers no hadolint code")
    assert case.expected is not None
    before = _hadolint_codes(case.input.read_bytes())
    after = _hadolint_codes(case.expected.read_bytes())
    targeted = set(rule.hadolint)
    if not targeted & before:
        pytest.skip(f"hadolint does not report {sorted(targeted)} on this input")
    assert not (targeted & after), f"hadolint still reports {targeted & after}"


def _hadolint_codes(data: bytes) -> set[str]:
    assert HADOLINT is not None
    proc = subprocess.run(
        [HADOLINT, "--no-fail", "-f", "json", "-"], input=data, capture_output=True, check=False
    )
    return {f["code"] for f in json.loads(proc.stdout or b"[]")}
