"""The engine's promise: a finding `dopt check` marks fixable is fixed by `dopt rewrite` with the same
flags, or `rewrite` says on stderr why it was not (its fix broke the file, or another fix made it go away)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from optimizer.app.actions import Report, _dropped
from optimizer.app.runner import FileOutcome
from optimizer.core import engine
from optimizer.core.engine import FixResult, fix_text, lint
from optimizer.core.fix import Applicability, Diagnostic, Edit, Fix
from optimizer.core.settings import Settings
from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.parser import decode, parse

from .oracle import CORPUS, corpus_files

REAL = [p for p in corpus_files() if "real" in p.relative_to(CORPUS).parts[:1]]


def _accounted(text: str, path: str, settings: Settings) -> tuple[Counter[str], Counter[str], FixResult]:
    """Fixable findings of the first round per code, and per code those applied, failed, vanished or left."""
    first = Counter(d.code for d in lint(parse(text, path), settings) if settings.may_fix(d))
    result = fix_text(text, path, settings)
    return first, _seen(result, settings), result


def _seen(result: FixResult, settings: Settings) -> Counter[str]:
    """Per code, the first-round findings the result accounts for: applied, failed, vanished, or left.

    A fix that broke the file leaves its finding in the text, so it is in ``failed`` *and* in ``remaining``:
    it is counted once (each failed finding takes its twin, same code and message, out of ``remaining``), or a
    silently dropped finding of the same code would hide behind it.
    """
    seen: Counter[str] = Counter(d.code for d in result.applied)
    seen.update(d.code for d, _why in result.failed)
    seen.update(d.code for d, _why in result.vanished)
    left = Counter((d.code, d.message) for d in result.remaining if settings.may_fix(d))
    left.subtract(Counter((d.code, d.message) for d, _why in result.failed))
    for (code, _message), n in left.items():
        seen[code] += max(n, 0)
    return seen


def test_a_broken_fix_does_not_hide_a_dropped_finding_of_its_code() -> None:
    """Two fixable DOP101 findings: A's fix broke the file (so A is in `failed` and still in `remaining`), B is
    nowhere. B was dropped silently, and the accounting must see it."""
    text = "FROM debian\n# keep\nRUN a\nRUN b\n"
    a = Diagnostic("DOP101", "m", "A", 19, 24, Fix((Edit(12, 19, ""),), Applicability.SAFE))
    result = FixResult(source=text, output=text, failed=[(a, "the result would lose a comment line")], remaining=[a])
    assert _seen(result, Settings()) == Counter({"DOP101": 1})  # not 2: A once, B missing


def test_a_broken_fix_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine itself: A's fix breaks the file (it drops a comment), B is fixed; both counted once."""
    text = "FROM debian\n# keep\nRUN a\nRUN b\n"

    def fake_lint(doc, settings):  # type: ignore[no-untyped-def]
        out = []
        if "RUN a\n" in doc.text and "# keep" in doc.text:  # A's fix drops the comment: the engine refuses it
            at = doc.text.index("RUN a")
            out.append(Diagnostic("DOP101", "m", "A", at, at + 5, Fix((Edit(12, at, ""),), Applicability.SAFE)))
        if "RUN b" in doc.text:
            at = doc.text.index("RUN b")
            out.append(
                Diagnostic("DOP101", "m", "B", at, at + 5, Fix((Edit(at, at + 5, "RUN c"),), Applicability.SAFE))
            )
        return out

    monkeypatch.setattr(engine, "lint", fake_lint)
    result = fix_text(text, "-", Settings())
    assert [d.message for d in result.applied] == ["B"]
    assert [d.message for d, _why in result.failed] == ["A"] and [d.message for d in result.remaining] == ["A"]
    assert _seen(result, Settings()) == Counter({"DOP101": 2})


@pytest.mark.corpus
@pytest.mark.skipif(not REAL, reason="../shared/corpus is not there")
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_every_fixable_finding_is_fixed_or_explained_over_the_corpus(unsafe: bool) -> None:
    settings = Settings(unsafe_fixes=unsafe)  # every rule, as `dopt rewrite [--unsafe-fixes]` runs them
    silent: list[str] = []
    for path in REAL:
        try:
            text = decode(path.read_bytes())
            parse(text)
        except DockerfileSyntaxError:
            continue
        first, seen, result = _accounted(text, str(path), settings)
        for code, n in first.items():
            if seen[code] < n:
                silent.append(f"{path.name}: {code} {n - seen[code]} fixable finding(s) dropped silently")
        for d, why in result.vanished:
            assert why.startswith(
                ("the finding went away after other fixes (DOP", "its fix was withdrawn after other fixes (DOP")
            ), (path.name, d.code, why)
    assert not silent, "\n".join(silent)


def test_vanished_finding_is_recorded_with_the_fixes_that_removed_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 1 offers A (fixed) and B; after A's fix, B is gone without having been applied."""
    text = "FROM debian\nRUN a\nRUN b\n"
    a = Diagnostic("DOP101", "a", "A", 12, 17, Fix((Edit(12, 17, "RUN x"),), Applicability.SAFE))
    b = Diagnostic("DOP504", "b", "B", 18, 23, Fix((Edit(23, 23, "\nHEALTHCHECK NONE"),), Applicability.UNSAFE))
    b_other = Diagnostic("DOP504", "b", "B", 18, 23, Fix((Edit(12, 12, "#"),), Applicability.UNSAFE))

    def fake_lint(doc, settings):  # type: ignore[no-untyped-def]
        if "RUN x" in doc.text:
            return []  # A's fix made B go away
        return [a, b_other] if settings.unsafe_fixes else [a]

    monkeypatch.setattr(engine, "lint", fake_lint)
    result = fix_text(text, "-", Settings(unsafe_fixes=True))
    assert [d.message for d in result.applied] == ["A"]
    assert [(d.code, why) for d, why in result.vanished] == [
        ("DOP504", "the finding went away after other fixes (DOP101)")
    ]
    # without --unsafe-fixes B was never fixable: nothing to explain
    result = fix_text(text, "-", Settings())
    assert result.vanished == [] and [d.message for d in result.applied] == ["A"]
    del b


def test_finding_still_there_after_a_conflict_is_not_vanished(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two fixes at the same point: one per round; the other is found again (by code and message) and applied."""
    text = "FROM debian\nCMD x\n"
    first = Diagnostic("DOP503", "u", "U", 0, 11, Fix((Edit(12, 12, "USER 1\n"),), Applicability.UNSAFE))
    second = Diagnostic("DOP504", "h", "H", 0, 11, Fix((Edit(12, 12, "HEALTHCHECK NONE\n"),), Applicability.UNSAFE))

    def fake_lint(doc, settings):  # type: ignore[no-untyped-def]
        out = []
        if "USER 1" not in doc.text:
            out.append(first)
        if "HEALTHCHECK" not in doc.text:
            shift = len(doc.text) - len(text)
            out.append(
                Diagnostic(
                    "DOP504",
                    "h",
                    "H",
                    0,
                    11,
                    Fix((Edit(12 + shift, 12 + shift, "HEALTHCHECK NONE\n"),), Applicability.UNSAFE),
                )
            )
        return out

    monkeypatch.setattr(engine, "lint", fake_lint)
    result = fix_text(text, "-", Settings(unsafe_fixes=True))
    assert sorted(d.code for d in result.applied) == ["DOP503", "DOP504"]
    assert result.vanished == []
    del second


def test_rewrite_says_why_on_stderr() -> None:
    text = "FROM debian\nRUN a\n"
    gone = Diagnostic("DOP504", "add-healthcheck", "H", 12, 17, None)
    result = FixResult(source=text, output=text, vanished=[(gone, "the finding went away after other fixes (DOP304)")])
    outcome = FileOutcome("svc/Dockerfile", result=result, doc=parse(text, "svc/Dockerfile"))
    r = Report()
    _dropped(r, outcome, quiet=False)
    assert r.events == [
        ("err", b"svc/Dockerfile:2: DOP504 fix not applied: the finding went away after other fixes (DOP304)\n")
    ]


def test_healthcheck_and_the_exec_form_rule_together(tmp_path: Path) -> None:
    """DOP304 leaves `CMD gunicorn -b :$PORT …` alone (it needs the shell for $PORT: reported without a fix);
    DOP504 still adds the probe on the port ENV sets, and nothing fixable goes missing."""
    text = "FROM python:3.12-slim\nENV PORT=8000\nCOPY . /app\nCMD gunicorn -b :$PORT app:app\n"
    settings = Settings(select={"DOP304", "DOP504"}, unsafe_fixes=True)
    first, seen, result = _accounted(text, str(tmp_path / "Dockerfile"), settings)
    assert first == Counter({"DOP504": 1})
    assert sorted(d.code for d in result.applied) == ["DOP504"]
    assert [d.code for d in result.remaining] == ["DOP304"] and result.remaining[0].fix is None
    assert result.vanished == []
    assert "CMD gunicorn -b :$PORT app:app\n" in result.output
    assert "HEALTHCHECK" in result.output and "HTTPConnection('127.0.0.1', 8000" in result.output
