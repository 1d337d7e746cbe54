"""analysis/stage_facts.py answers what the per-instruction walks it replaced answered (checked against them
on generated multi-stage files), once per document."""

from __future__ import annotations

import random

import pytest

from optimizer.analysis.invocations import later_runs
from optimizer.analysis.stage_facts import env_set_before, later_run_mentioning, next_run
from optimizer.core.registry import all_rules
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Document, Instruction
from optimizer.syntax.parser import parse


def _random_file(seed: int) -> str:
    rng = random.Random(seed)
    names = ["base", "build", "dev", "final"]
    lines = []
    for s in range(rng.randint(1, 5)):
        base = rng.choice([*names[:s], "debian:bookworm", "python:3.12"]) if s else "debian:bookworm"
        lines.append(f"FROM {base} AS {rng.choice(names)}")
        for _ in range(rng.randint(0, 6)):
            kind = rng.random()
            if kind < 0.2:
                lines.append(f"ENV {rng.choice(['PIP_NO_CACHE_DIR', 'X', 'NPM_CONFIG_CACHE'])}=1")
            elif kind < 0.3:
                lines.append(f"ARG {rng.choice(['UV_NO_CACHE', 'Y'])}")
            else:
                pkg = rng.choice(["a.tgz", "b.tgz", "curl"])
                lines.append(f"RUN {rng.choice(['apt-get update && ', '', 'echo '])}apt-get install -y {pkg}")
    return "\n".join(lines) + "\n"


def _env_walk(doc: Document, ins: Instruction, name: str) -> bool:
    """The old stage_env_names walk (parents: earlier stages of that name)."""
    stage = doc.stage_of(ins)
    upto: Instruction | None = ins
    seen: set[int] = set()
    while stage is not None and stage.index not in seen:
        seen.add(stage.index)
        for other in stage.instructions:
            if upto is not None and other is upto:
                break
            if other.keyword in ("ENV", "ARG") and name in {n for n, _v in key_values(other)}:
                return True
        base = stage.base.lower()
        stage = next((s for s in doc.stages[: stage.index] if s.name and s.name.lower() == base), None)
        upto = None
    return False


@pytest.mark.parametrize("seed", range(60))
def test_same_answers_as_the_walks(seed: int) -> None:
    doc = parse(_random_file(seed))
    ctx = RuleContext(doc, all_rules()[0])
    installs = lambda i: "install" in i.args and "update" not in i.args  # noqa: E731
    for ins in doc.instructions:
        if ins.keyword != "RUN":
            continue
        later = later_runs(ctx, ins)
        assert next_run(doc, ins, "installs", installs) == next((o for o in later if installs(o)), None)
        for needle in ("a.tgz", "b.tgz", "install", "zzz"):
            want = next((o for o in later if needle in doc.text[o.start : o.end]), None)
            assert later_run_mentioning(doc, ins, needle) == want
        for name in ("PIP_NO_CACHE_DIR", "UV_NO_CACHE", "NPM_CONFIG_CACHE", "Z"):
            assert env_set_before(doc, ins, name) == _env_walk(doc, ins, name), (name, ins.line_start)


@pytest.mark.parametrize(
    "text,argv",
    [
        # a CMD the stage set before its ENTRYPOINT stays (BuildKit's dispatcher: `if !d.cmdSet { Cmd = nil }`)
        ('FROM a\nCMD ["--port", "9"]\nENTRYPOINT ["srv"]\n', ["srv", "--port", "9"]),
        ('FROM a\nENTRYPOINT ["x"]\nCMD ["c"]\nENTRYPOINT ["srv"]\n', ["srv", "c"]),
        # a CMD inherited from the stage it is built FROM is reset by the stage's ENTRYPOINT
        ('FROM a AS base\nCMD ["c"]\nFROM base\nENTRYPOINT ["srv"]\n', ["srv"]),
        ('FROM a AS base\nCMD ["c"]\nFROM base\nCMD ["d"]\nENTRYPOINT ["srv"]\n', ["srv", "d"]),
        # an inherited CMD without an ENTRYPOINT in the stage stays
        ('FROM a AS base\nENTRYPOINT ["srv"]\nCMD ["c"]\nFROM base\nRUN x\n', ["srv", "c"]),
    ],
)
def test_entrypoint_resets_only_an_inherited_cmd(text: str, argv: list[str]) -> None:
    from optimizer.analysis.service import command_of
    from optimizer.analysis.stage_facts import facts_of

    doc = parse(text)
    assert facts_of(doc, doc.stages[-1]).argv() == (argv, False)
    if len(doc.stages) == 1:  # the stage-local reading agrees
        assert command_of(doc.stages[0])[0] == argv


@pytest.mark.parametrize(
    "text,workdir,known",
    [
        # a relative WORKDIR starts from the base image's WORKDIR (BuildKit), not from /
        ("FROM golang:1.22\nWORKDIR app\n", "/go/app", True),
        ("FROM php:8.3-apache\nWORKDIR sub/../site\n", "/var/www/html/site", True),
        ("FROM tomcat:10\nWORKDIR webapps\n", "/usr/local/tomcat/webapps", True),
        ("FROM python:3.12\nWORKDIR app\n", "/app", True),
        ("FROM golang:1.22\n", "/go", True),  # no WORKDIR: the image's
        ("ARG GO=1.22\nFROM golang:${GO}\nWORKDIR src\n", "/go/src", True),
        ("FROM golang:1.22 AS b\nWORKDIR src\nFROM b\nWORKDIR x\n", "/go/src/x", True),  # through FROM <stage>
        # an image dopt does not know: relative is unknown, absolute is known
        ("FROM myorg/base:1\nWORKDIR app\n", "/app", False),
        ("FROM myorg/base:1\n", "/", False),
        ("FROM myorg/base:1\nWORKDIR app\nWORKDIR /srv\nWORKDIR x\n", "/srv/x", True),
        ("FROM python:3.12\nWORKDIR $NOWHERE/app\n", "/$NOWHERE/app", False),
    ],
)
def test_relative_workdir_starts_from_the_base_image(text: str, workdir: str, known: bool) -> None:
    from optimizer.analysis.stage_facts import facts_of

    doc = parse(text)
    facts = facts_of(doc, doc.stages[-1])
    assert (facts.workdir, facts.workdir_known) == (workdir, known)


def test_workdir_before_each_instruction() -> None:
    from optimizer.analysis.stage_facts import workdir_before

    doc = parse("FROM golang:1.22\nRUN a\nWORKDIR src\nRUN b\nFROM myorg/x\nRUN c\nWORKDIR /w\nRUN d\n")
    assert [workdir_before(doc, i) for i in doc.instructions if i.keyword == "RUN"] == ["/go", "/go/src", None, "/w"]
