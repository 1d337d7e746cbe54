""".hadolint.yaml beyond ignored: failure-threshold (and --failure-threshold), override, trustedRegistries (DOP431),
and a warning for every key dopt does not use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import dopt, write

# DOP205 (pip without --no-cache-dir: warning), SC2006 (backticks: style), SC2046 (warning)
TEXT = b"FROM debian:bookworm\nRUN pip install flask==3.0.3 && ls `pwd`\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "Dockerfile", TEXT)
    return tmp_path


def levels(repo: Path, *args: str) -> dict[str, str]:
    r = dopt("check", "--output-format", "json", *args, str(repo / "Dockerfile"))
    return {f"{x['code']} {x['message'].split(':')[0]}": x["severity"] for x in json.loads(r.stdout)}


def test_failure_threshold_decides_the_exit_code(repo: Path) -> None:
    f = str(repo / "Dockerfile")
    assert dopt("check", f).returncode == 1  # no threshold: every finding fails
    (repo / ".hadolint.yaml").write_text("failure-threshold: error\n")
    r = dopt("check", f)
    assert r.returncode == 0 and b"DOP205" in r.stdout, "findings below the threshold are shown, and pass"
    for level, code in (("warning", 1), ("info", 1), ("style", 1), ("ignore", 0), ("none", 0), ("error", 0)):
        assert dopt("check", "--failure-threshold", level, f).returncode == code, level
    # the only finding left is SC2006 (style): it fails at style, not at info
    only_style = ("--select", "SC2006")
    assert dopt("check", "--failure-threshold", "info", *only_style, f).returncode == 0
    assert dopt("check", "--failure-threshold", "style", *only_style, f).returncode == 1
    (repo / ".dopt.toml").write_text('failure-threshold = "warning"\n')  # dopt's configuration wins
    assert dopt("check", f).returncode == 1
    r = dopt("check", "--failure-threshold", "fatal", f)
    assert r.returncode == 2 and b"fatal" in r.stderr
    (repo / ".dopt.toml").unlink()
    (repo / ".hadolint.yaml").write_text("failure-threshold: fatal\n")
    r = dopt("check", f)
    assert r.returncode == 2 and b"failure-threshold must be one of error, warning, info, style" in r.stderr


def test_override_changes_severities(repo: Path) -> None:
    before = levels(repo)
    assert before["DOP430 SC2006"] == "style" and before["DOP430 SC2046"] == "warning"
    (repo / ".hadolint.yaml").write_text("override:\n  error: [SC2006]\n  info: [DL3042]\nfailure-threshold: error\n")
    after = levels(repo)
    assert after["DOP430 SC2006"] == "error" and after["DOP430 SC2046"] == "warning"
    assert [v for k, v in after.items() if k.startswith("DOP205")] == ["info"]
    assert dopt("check", str(repo / "Dockerfile")).returncode == 1, "SC2006 is an error now"
    (repo / ".hadolint.yaml").write_text("override:\n  error: [SC2006]\nignored: [SC2006]\nfailure-threshold: error\n")
    assert dopt("check", str(repo / "Dockerfile")).returncode == 0, "ignored wins"


def test_trusted_registries(repo: Path) -> None:
    f = write(repo / "Dockerfile", b"FROM quay.io/acme/tool:1\nFROM debian:bookworm\nFROM registry.example.com/x\n")
    assert b"DOP431" not in dopt("check", str(f)).stdout, "no list, no finding"
    (repo / ".hadolint.yaml").write_text("trustedRegistries:\n  - docker.io\n  - '*.example.com'\n")
    r = dopt("check", "--select", "DL3026", str(f))
    assert r.stdout.decode().splitlines() == [
        f"{f}:1:1: DOP431 `quay.io/acme/tool:1` comes from quay.io, which is not a trusted registry"
    ]
    assert r.returncode == 1
    (repo / ".dopt.toml").write_text('[untrusted-registry]\ntrusted-registries = ["quay.io"]\n')
    r = dopt("check", "--select", "DOP431", str(f))
    assert [line.split(" `")[1].split("`")[0] for line in r.stdout.decode().splitlines()] == [
        "debian:bookworm",
        "registry.example.com/x",
    ]
    (repo / ".hadolint.yaml").write_text("trustedRegistries: docker.io\n")
    r = dopt("check", str(f))
    assert r.returncode == 2 and b"trustedRegistries must be a list of strings" in r.stderr


def test_keys_dopt_does_not_use_warn_once(repo: Path) -> None:
    write(repo / "sub" / "Dockerfile", TEXT)
    (repo / ".hadolint.yaml").write_text("trustedRegistry: [x]\nno-fail: true\nstrict-labels: true\nbogus: 1\n")
    r = dopt("check", str(repo))
    warnings = [line for line in r.stderr.decode().splitlines() if line.startswith("warning:")]
    path = repo / ".hadolint.yaml"
    assert warnings == [
        f"warning: {path}: unknown key `trustedRegistry` (did you mean `trustedRegistries`?); it is ignored",
        f"warning: {path}: `no-fail` is not used by dopt (use `dopt check --exit-zero`)",
        f"warning: {path}: `strict-labels` is not used by dopt (dopt has no label checks (DL3048-DL3058))",
        f"warning: {path}: unknown key `bogus` (hadolint's keys: failure-threshold, ignored, override, "
        "trustedRegistries, no-fail, no-color, format, verbose, disable-ignore-pragma, label-schema, strict-labels);"
        " it is ignored",
    ]
    assert r.returncode == 1, "warnings do not change the exit code"
    assert dopt("check", "-q", str(repo)).stderr == b""
