"""Rules about one tool only parse the RUNs that mention it (RuleContext.shell_bodies(*words)),
and still find it however the command name is quoted or escaped."""

from __future__ import annotations

import pytest

from optimizer.core.engine import lint
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse


@pytest.mark.parametrize(
    ("run", "code"),
    [
        ('"p"ip install flask', "DOP205"),
        ("p'ip' install flask", "DOP205"),
        ("/usr/bin/pip3 install flask", "DOP205"),
        ("python3 -m pip install flask", "DOP205"),
        ('"ap"k add curl', "DOP204"),
        ("n\\\npm install left-pad", "DOP208"),  # a continuation inside the word
    ],
)
def test_a_mention_in_any_spelling_is_found(run: str, code: str) -> None:
    doc = parse(f"FROM alpine\nRUN {run}\n")
    assert [d.code for d in lint(doc, Settings(select={code}))] == [code]


def test_only_mentioning_runs_are_parsed() -> None:
    text = "FROM alpine\n" + "".join(f"RUN echo {i}\n" for i in range(20)) + "RUN apk add curl\n"
    doc = parse(text)
    assert [d.code for d in lint(doc, Settings(select={"DOP204"}))] == ["DOP204"]
    assert len(doc.memo["bodies"]) == 1  # the other 20 RUNs were never parsed as shell
