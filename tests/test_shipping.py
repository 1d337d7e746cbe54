"""Stages that never ship: unsafe fixes that only edit them are reported without their fix (issue #21)."""

from __future__ import annotations

from optimizer.core import registry
from optimizer.core.fix import Applicability, Edit
from optimizer.core.rule_context import RuleContext, idle_stage, shipping_stages
from optimizer.syntax.parser import parse


def _ships(text: str) -> list[int]:
    return sorted(shipping_stages(parse(text, "Dockerfile")))


def test_the_final_stage_and_what_it_is_built_from_ship() -> None:
    text = "FROM alpine AS Base\nFROM golang AS build\nFROM base AS mid\nFROM MID\nCOPY --from=build /x /x\n"
    assert _ships(text) == [0, 2, 3]  # names are case-insensitive; `build` is only copied from
    assert _ships("FROM alpine\nRUN true\n") == [0]
    assert _ships("FROM alpine AS a\nFROM debian\n") == [1]


def test_an_unresolved_base_could_be_any_stage() -> None:
    assert _ships("FROM alpine AS a\nFROM golang AS b\nFROM $BASE\n") == [0, 1, 2]
    # a global ARG's default is resolved as BuildKit resolves it
    assert _ships("ARG BASE=a\nFROM alpine AS a\nFROM golang AS b\nFROM ${BASE}\n") == [0, 2]


def test_idle_stage_names_the_stage_only_when_every_edit_is_in_one_that_never_ships() -> None:
    text = "ARG X=1\nFROM golang AS build\nRUN make\nFROM alpine\nRUN true\n"
    doc = parse(text, "Dockerfile")
    in_build, in_final, before = text.index("RUN make"), text.index("RUN true"), 0
    assert idle_stage(doc, [in_build]) == "stage `build` (line 2)"
    assert idle_stage(doc, [in_build, in_final]) is None
    assert idle_stage(doc, [before]) is None  # a global ARG belongs to no stage


def test_report_drops_an_unsafe_fix_in_a_stage_that_never_ships_and_keeps_a_safe_one() -> None:
    text = "FROM golang AS build\nRUN make\nFROM alpine\nCOPY --from=build /x /x\n"
    doc = parse(text, "Dockerfile")
    rule = next(iter(registry.all_rules()))
    ctx = RuleContext(doc, rule)
    run = doc.instructions[1]
    unsafe = ctx.report(run, "m", [Edit.insert(run.end, " x")], Applicability.UNSAFE)
    assert unsafe.fix is None
    assert (
        unsafe.message
        == "m; not fixed: stage `build` (line 1) never ships (the final image is not built FROM it): no gain, only risk"
    )
    safe = ctx.report(run, "m", [Edit.insert(run.end, " x")], Applicability.SAFE)
    assert safe.fix is not None and safe.message == "m"
    final = doc.instructions[3]
    assert ctx.report(final, "m", [Edit.insert(final.end, " x")], Applicability.UNSAFE).fix is not None
