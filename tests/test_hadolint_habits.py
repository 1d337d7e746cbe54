"""hadolint habits: DL codes as selectors, .hadolint.yaml, hadolint pragmas; dopt pragmas that read like --ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import dopt, write

TEXT = b"FROM debian:bookworm\nRUN mkdir /app\nRUN touch /x\nRUN pip install flask==3.0.3\n"  # DOP101 (line 3), DOP205


def codes(r: object) -> list[str]:
    out = getattr(r, "stdout").decode().splitlines()  # noqa: B009
    return [line.split(": ")[1].split()[0] for line in out]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "Dockerfile", TEXT)
    return tmp_path


def test_dl_codes_select_and_ignore(repo: Path) -> None:
    f = str(repo / "Dockerfile")
    assert codes(dopt("check", f)) == ["DOP101", "DOP205"]
    assert codes(dopt("check", "--select", "DL3059", f)) == ["DOP101"]
    assert codes(dopt("check", "--ignore", "DL3059,DL3042", f)) == []
    (repo / ".dopt.toml").write_text('select = ["DL3042"]\n')
    assert codes(dopt("check", f)) == ["DOP205"]
    (repo / ".dopt.toml").write_text('unfixable = ["DL3042"]\n')
    merge, pip = dopt("check", f).stdout.decode().splitlines()
    assert merge.endswith("[*]") and not pip.endswith("[*]")


def test_hadolint_yaml_is_honoured(repo: Path) -> None:
    f = str(repo / "Dockerfile")
    (repo / ".hadolint.yaml").write_text("ignored:\n  - DL3059\ntrustedRegistries:\n  - docker.io\n")
    assert codes(dopt("check", f)) == ["DOP205"]
    assert codes(dopt("check", "--isolated", f)) == ["DOP101", "DOP205"]
    # the dopt configuration says otherwise: its ignore list wins, or it turns hadolint's file off
    (repo / ".dopt.toml").write_text('ignore = ["DOP205"]\n')
    assert codes(dopt("check", f)) == ["DOP101"]
    (repo / ".dopt.toml").write_text("hadolint-config = false\n")
    assert codes(dopt("check", f)) == ["DOP101", "DOP205"]
    (repo / ".dopt.toml").unlink()
    (repo / ".hadolint.yaml").unlink()
    (repo / ".hadolint.yml").write_text("ignored: [DL3042]\n")
    assert codes(dopt("check", f)) == ["DOP101"]
    (repo / ".hadolint.yml").write_text("ignored: DL3042\n")
    r = dopt("check", f)
    assert r.returncode == 2 and b".hadolint.yml: ignored must be a list of strings" in r.stderr


PRAGMAS = [
    ("# dopt: ignore=DOP205", []),
    ("# dopt: ignore=DOP2", []),
    ("# dopt: ignore=pip-no-cache-dir", []),
    ("# dopt: ignore=DL3042", []),
    ("# dopt: ignore=ALL", []),
    ("# dopt: ignore=DOP101,pip-no-cache-dir", []),
    ("# hadolint ignore=DL3042", []),
    ("# dopt: global ignore=DOP2", []),
    ("# dopt: ignore=DOP201", ["DOP205"]),
    ("# dopt: ignore=DL3059", ["DOP205"]),
]
SOURCE = b"FROM debian:bookworm\n%s\nRUN pip install flask==3.0.3\n"


@pytest.mark.parametrize("pragma,left", PRAGMAS, ids=[p for p, _ in PRAGMAS])
def test_pragmas_take_what_ignore_takes(tmp_path: Path, pragma: str, left: list[str]) -> None:
    f = write(tmp_path / "Dockerfile", SOURCE % pragma.encode())
    r = dopt("check", "--select", "DOP2", str(f))
    assert codes(r) == left
    assert b"warning" not in r.stderr


@pytest.mark.parametrize(
    "pragma,warning",
    [
        ("# dopt: ignroe=DOP101", "unknown dopt pragma 'ignroe=DOP101'"),
        ("# dopt: ignore=DOP999", "unknown rule selector 'DOP999'"),
        ("# dopt: ignore=merge-consecutive-run", "(did you mean 'merge-consecutive-runs'?)"),
        ("# hadolint ignore=DOP101", "unknown hadolint code 'DOP101'"),
        ("# hadolint ignore=DL9999", "DL9999 is not implemented by dopt"),
        ("# hadolint ignore=SC9999", "SC9999 is not implemented by dopt"),
        ("# dopt: ignore=DL9999", "DL9999 is not implemented by dopt"),
    ],
)
def test_bad_pragmas_warn_with_the_line_and_block_nothing(tmp_path: Path, pragma: str, warning: str) -> None:
    f = write(tmp_path / "Dockerfile", SOURCE % pragma.encode())  # the pragma sits right above the finding
    r = dopt("check", "--select", "DOP2", str(f))
    assert codes(r) == ["DOP205"], "the bad pragma ignores nothing"
    warnings = [ln for ln in r.stderr.decode().splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {f}:2: ") and warning in warnings[0]
    assert r.returncode == 1, "a warning does not change the exit code"
    r = dopt("rewrite", "--select", "DOP2", str(f))
    assert r.returncode == 0 and b"--no-cache-dir" in f.read_bytes(), "and the fix still applies"
    assert dopt("check", "-q", str(f)).stderr == b"", "-q silences the warning"


# hadolint codes no dopt rule answers (DL3048/DL3049: label checks; SC codes are answered by DOP430, DL3026 by
# DOP431: tests/test_shellcheck.py, tests/test_hadolint_config.py)
UNANSWERED = ("DL9999", "DL3048", "DL3049")


@pytest.mark.parametrize("code", UNANSWERED)
@pytest.mark.parametrize("flag", ["--select", "--extend-select"])
def test_selecting_an_unanswered_hadolint_code_is_a_usage_error(repo: Path, code: str, flag: str) -> None:
    """No false green: a CI switching from hadolint must not pass on a check dopt does not run."""
    r = dopt("check", flag, f"DL3059,{code}", str(repo / "Dockerfile"))
    assert r.returncode == 2
    assert r.stdout == b""
    assert r.stderr.startswith(f"error: {code} is not implemented by dopt".encode())
    assert b"All checks passed" not in r.stderr


def test_selecting_an_unanswered_hadolint_code_in_a_configuration_is_an_error(repo: Path) -> None:
    f = str(repo / "Dockerfile")
    (repo / ".dopt.toml").write_text('extend-select = ["DL9999"]\nselect = ["DL3059"]\n')
    r = dopt("check", f)
    assert r.returncode == 2 and b"DL9999 is not implemented by dopt" in r.stderr
    assert b"All checks passed" not in r.stderr


def test_ignoring_an_unanswered_hadolint_code_warns(repo: Path) -> None:
    f = str(repo / "Dockerfile")
    r = dopt("check", "--ignore", "DL9999,DL3042", f)
    assert codes(r) == ["DOP101"] and r.returncode == 1
    assert r.stderr.decode().splitlines()[0] == (
        "warning: --ignore: DL9999 is not implemented by dopt (no dopt rule answers it; see `dopt rules`);"
        " it ignores nothing"
    )
    (repo / ".dopt.toml").write_text('ignore = ["DL9999"]\n')  # harmless in a configuration: accepted
    assert codes(dopt("check", f)) == ["DOP101", "DOP205"]


def test_explain_an_unanswered_hadolint_code() -> None:
    for code in UNANSWERED:
        r = dopt("explain", code)
        assert r.returncode == 2 and r.stdout == b""
        assert r.stderr.startswith(f"error: {code} is not implemented by dopt".encode())
