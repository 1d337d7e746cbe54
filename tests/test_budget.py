"""The wall-clock budget for large documents (optimizer/core/budget.py), with a fake clock: no timing assertions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from optimizer import records
from optimizer.core import registry
from optimizer.core.budget import Budget, OutOfTime, watched
from optimizer.core.engine import fix_text, lint
from optimizer.core.fix import Diagnostic
from optimizer.core.rule_context import RuleContext
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse

N = 60
TEXT = "FROM debian:bookworm\n" + "".join(f"RUN apt-get update && apt-get install -y p{i}\n" for i in range(N))
SKIPPED = f"skipped: file too large for this rule ({N + 1} instructions)"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _slow(code: str, clock: FakeClock, per_instruction: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rule ``code`` cost ``per_instruction`` fake seconds for every instruction it looks at."""
    registry.all_rules()
    original = registry._RULES[code]

    def slow(ctx: RuleContext) -> Iterator[Diagnostic]:
        for _ins in ctx.doc.instructions:
            clock.now += per_instruction
        yield from original.func(ctx)

    monkeypatch.setitem(registry._RULES, code, records.replace(original, func=slow))


def _codes(diags: list[Diagnostic]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in diags:
        out.setdefault(d.code, []).append(d.message)
    return out


def test_a_rule_out_of_time_is_skipped_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    _slow("DOP101", clock, 0.2, monkeypatch)
    settings = Settings(select={"DOP101", "DOP201", "DOP202"}, large_file=10)
    diags = lint(parse(TEXT), settings, Budget(30.0, clock))
    found = _codes(diags)
    assert found["DOP101"] == [SKIPPED]  # its share was 10 s, it needed 12: stopped, partial findings dropped
    assert len(found["DOP201"]) == N and len(found["DOP202"]) == N  # the others ran to the end
    skip = next(d for d in diags if d.code == "DOP101")
    assert skip.fix is None and skip.start == 0  # reported on line 1, nothing to fix


def test_a_small_document_has_no_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    _slow("DOP202", clock, 1.0, monkeypatch)
    settings = Settings(select={"DOP202"}, large_file=N + 1)  # not over the threshold
    found = _codes(lint(parse(TEXT), settings, Budget(1.0, clock)))
    assert len(found["DOP202"]) == N and SKIPPED not in found["DOP202"]


def test_the_share_is_fair_and_unused_time_rolls_over(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    # three rules, 90 s: the first (instant) leaves its 30 s to the next two, so a rule needing 40 s still fits
    _slow("DOP202", clock, 40.0 / (N + 1), monkeypatch)
    settings = Settings(select={"DOP101", "DOP201", "DOP202"}, large_file=10)
    found = _codes(lint(parse(TEXT), settings, Budget(90.0, clock)))
    assert SKIPPED not in found["DOP202"] and len(found["DOP202"]) == N


def test_a_rule_that_only_yields_is_stopped_between_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    registry.all_rules()
    original = registry._RULES["DOP202"]

    def chatty(ctx: RuleContext) -> Iterator[Diagnostic]:
        for d in original.func(ctx):  # never iterates the instructions itself between findings
            clock.now += 1.0
            yield d

    monkeypatch.setitem(registry._RULES, "DOP202", records.replace(original, func=chatty))
    found = _codes(lint(parse(TEXT), Settings(select={"DOP202"}, large_file=10), Budget(5.0, clock)))
    assert found["DOP202"] == [SKIPPED]


def test_no_budget_left_skips_every_rule_even_instant_ones() -> None:
    settings = Settings(select={"DOP201", "DOP301"}, large_file=10, budget_seconds=0.0)
    found = _codes(lint(parse(TEXT), settings))
    assert found == {"DOP201": [SKIPPED], "DOP301": [SKIPPED]}


def test_fix_text_shares_one_budget_and_keeps_the_file_when_everything_is_skipped() -> None:
    settings = Settings(select={"DOP201", "DOP202"}, large_file=10, budget_seconds=0.0)
    result = fix_text(TEXT, "Dockerfile", settings)
    assert result.output == TEXT and not result.applied
    assert {d.message for d in result.remaining} == {SKIPPED}


def test_fixes_of_the_rules_that_finished_are_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    _slow("DOP201", clock, 1.0, monkeypatch)
    monkeypatch.setattr("optimizer.core.engine.Budget", lambda seconds: Budget(seconds, clock))
    settings = Settings(select={"DOP201", "DOP202"}, large_file=10, budget_seconds=40.0, unsafe_fixes=True)
    result = fix_text(TEXT, "Dockerfile", settings)
    assert result.output.count("install --no-install-recommends -y") == N  # DOP202 finished: fixed
    assert "rm -rf /var/lib/apt/lists" not in result.output  # DOP201 ran out: not fixed
    assert any(d.code == "DOP201" and d.message == SKIPPED for d in result.remaining)


def test_a_global_pragma_silences_the_notice() -> None:
    text = "# dopt: global ignore=DOP201\n" + TEXT
    found = _codes(lint(parse(text), Settings(select={"DOP201", "DOP202"}, large_file=10, budget_seconds=0.0)))
    assert "DOP201" not in found and found["DOP202"][0].startswith("skipped:")


def test_watching_ends_with_the_rule() -> None:
    doc = parse(TEXT)
    clock = FakeClock()
    budget = Budget(1.0, clock)
    plain = doc.instructions
    with watched(doc, budget):
        kept = doc.instructions
        clock.now = 5.0
        with pytest.raises(OutOfTime):
            for _ins in doc.instructions:
                pass
        with pytest.raises(OutOfTime):
            for _ins in doc.stages[0].instructions:
                pass
    assert doc.instructions is plain and type(doc.stages[0].instructions) is list
    assert len(list(kept)) == N + 1  # a copy a rule kept no longer looks at the clock


def test_slices_and_reversed_iteration_are_watched_too() -> None:
    doc = parse(TEXT)
    clock = FakeClock()
    with watched(doc, Budget(1.0, clock)):
        part = doc.stages[0].instructions[1:]
        clock.now = 5.0
        with pytest.raises(OutOfTime):
            for _ins in part:
                pass
        with pytest.raises(OutOfTime):
            for _ins in reversed(doc.instructions):
                pass
        assert doc.instructions[0].keyword == "FROM"  # an index is just the instruction
    assert len(list(part)) == N  # after the rule, a kept slice no longer looks at the clock
