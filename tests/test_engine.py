"""The fix engine: edits, overlaps, fixed point, validation, pragmas, registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from optimizer.core import registry
from optimizer.core.engine import fix_text, lint
from optimizer.core.fix import Applicability, Diagnostic, Edit, Fix, apply_edits, overlaps
from optimizer.core.pragmas import collect
from optimizer.core.rule_context import RuleContext
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse


def test_apply_edits_copies_everything_between() -> None:
    text = "abc\r\ndef\tghi"
    out = apply_edits(text, [Edit(5, 8, "DEF"), Edit.insert(0, ">"), Edit.delete(3, 5)])
    assert out == ">abcDEF\tghi"
    with pytest.raises(ValueError):
        apply_edits(text, [Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_overlap_rules() -> None:
    a = Fix((Edit(0, 5, "x"),), Applicability.SAFE)
    assert overlaps(a, Fix((Edit(4, 6, "y"),), Applicability.SAFE))
    assert not overlaps(a, Fix((Edit(5, 6, "y"),), Applicability.SAFE))
    assert overlaps(Fix((Edit.insert(3, "a"),), Applicability.SAFE), Fix((Edit.insert(3, "b"),), Applicability.SAFE))


@pytest.fixture
def temp_rule() -> Iterator[list[str]]:
    """Register throwaway rules for one test."""
    added: list[str] = []
    yield added
    for code in added:
        registry._RULES.pop(code, None)


def _register(code: str, name: str, func: registry.RuleFunc, added: list[str]) -> None:
    doc = "## What it does\nx\n## Why\nx\n## Example\nx\n## Fix safety\nx"
    registry.all_rules()
    registry.rule(code, name, "test rule", doc)(func)
    added.append(code)


def test_broken_fix_is_dropped_and_reported(temp_rule: list[str]) -> None:
    def breaker(ctx: RuleContext) -> Iterator[Diagnostic]:
        for ins in ctx.doc.instructions:
            if ins.keyword == "ENV":  # turn `ENV A=1` into `ENV A`, which BuildKit rejects
                yield ctx.diagnostic(ins.start, ins.end, "break it", [Edit(ins.src(ins.args_offset) + 1, ins.end, "")])

    _register("DOP990", "test-breaker", breaker, temp_rule)
    text = "FROM a\nENV A=1\n"
    res = fix_text(text, "x", Settings(select={"DOP990"}))
    assert res.output == text
    assert res.failed and "would not parse" in res.failed[0][1]


def test_comment_loss_is_refused(temp_rule: list[str]) -> None:
    def eater(ctx: RuleContext) -> Iterator[Diagnostic]:
        for c in ctx.doc.comments:
            yield ctx.diagnostic(c.start, c.end, "eat", [Edit(c.start, c.end + 1, "")])

    _register("DOP991", "test-eater", eater, temp_rule)
    text = "# keep me\nFROM a\n"
    res = fix_text(text, "x", Settings(select={"DOP991"}))
    assert res.output == text and "lose a comment" in res.failed[0][1]


def test_unsafe_fix_needs_flag(temp_rule: list[str]) -> None:
    def upper(ctx: RuleContext) -> Iterator[Diagnostic]:
        for ins in ctx.doc.instructions:
            if ins.keyword_raw != ins.keyword:
                yield ctx.diagnostic(
                    ins.start,
                    ins.end,
                    "upper",
                    [Edit(ins.start, ins.start + len(ins.keyword), ins.keyword)],
                    Applicability.UNSAFE,
                )

    _register("DOP992", "test-upper", upper, temp_rule)
    text = "from a\nrun x\n"
    assert fix_text(text, "x", Settings(select={"DOP992"})).output == text
    res = fix_text(text, "x", Settings(select={"DOP992"}, unsafe_fixes=True))
    assert res.output == "FROM a\nRUN x\n" and len(res.applied) == 2


def test_fixed_point_with_chains() -> None:
    text = "FROM a\nRUN a\nRUN b\nRUN c\nRUN d\n"
    always = Settings(rule_options={"DOP101": {"merge": "always"}})
    res = fix_text(text, "x", always)
    assert res.output == "FROM a\nRUN a && \\\n    b && \\\n    c && \\\n    d\n"
    assert fix_text(res.output, "x", always).output == res.output
    # by default only steps worth one layer merge: quick setup steps do, independent builds do not
    text = "FROM a\nRUN mkdir /a\nRUN ln -s /a /b\nRUN make\nRUN chmod +x /b/c\nRUN echo ok > /b/d\n"
    res = fix_text(text, "x", Settings())
    assert res.output == (
        "FROM a\nRUN mkdir /a && \\\n    ln -s /a /b\nRUN make\nRUN chmod +x /b/c && \\\n    echo ok > /b/d\n"
    )


def test_pragmas() -> None:
    text = (
        "# dopt: global ignore=DOP999\n"
        "FROM a\n"
        "# hadolint ignore=DL3059,DL3008\n"
        "RUN x\n"
        "# dopt: keep\n"
        "RUN y\n"
        "# dopt: off\n"
        "RUN z\n"
        "# dopt: on\n"
        "# dopt: ignore=ALL\n"
        "\n"
        "RUN w\n"
        "RUN v\n"
    )
    doc = parse(text)
    p = collect(doc)
    x, y, z, w, _v = doc.instructions[1:]
    # an unknown code ignores nothing and is a warning naming its line
    assert p.global_ignore == set()
    assert p.warnings == [(1, "unknown rule selector 'DOP999' (see `dopt rules`) in a dopt pragma; it ignores nothing")]
    assert p.ignored(x, "DOP101", ("DL3059",)) and not p.ignored(x, "DOP102", ())
    assert y.index in p.keep and p.ignored(y, "DOP123", ())
    assert p.in_off_region(z.start, z.end) and not p.in_off_region(w.start, w.end)
    assert not p.ignored(w, "DOP101", ()), "a blank line ends a pragma's reach"
    diags = lint(doc, Settings(select={"DOP101"}, rule_options={"DOP101": {"merge": "always"}}))
    # x-y: keep; y-z and z-w: off region / barrier; only w-v is reported
    assert [doc.line_of(d.start) for d in diags] == [13]


def test_every_rule_is_documented() -> None:
    for r in registry.all_rules():
        sections = r.sections()
        for s in registry.DOC_SECTIONS:
            assert sections.get(s), f"{r.code} has no '{s}' section"
        assert r.summary and r.name


def test_registry_rejects_bad_declarations() -> None:
    with pytest.raises(ValueError):
        registry.rule("X1", "ok-name", "s", "")
    with pytest.raises(ValueError):
        registry.rule("DOP500", "Not_Kebab", "s", "")


def test_readme_lists_every_rule() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for r in registry.all_rules():
        assert f"| {r.code} | {r.name} |" in readme, f"README does not list {r.code}"


def test_no_fixed_point_leaves_the_file_alone(temp_rule: list[str]) -> None:
    def forever(ctx: RuleContext) -> Iterator[Diagnostic]:
        for ins in ctx.doc.instructions:
            if ins.keyword == "RUN":
                yield ctx.diagnostic(ins.start, ins.end, "grow", [Edit.insert(ins.end, " x")])

    _register("DOP993", "test-forever", forever, temp_rule)
    text = "FROM a\nRUN echo\n"
    res = fix_text(text, "x", Settings(select={"DOP993"}))
    assert not res.converged
    assert res.output == text and not res.applied
    assert res.failed and "did not settle" in res.failed[0][1]
