"""pre-commit runs the hooks of this checkout (`pre-commit try-repo`) in a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MERGEABLE = b"FROM debian:bookworm\nRUN mkdir -p /app\nRUN touch /app/x\n"
MERGED = b"FROM debian:bookworm\nRUN mkdir -p /app && \\\n    touch /app/x\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)


def test_pre_commit_hooks(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@x",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@x",
    )
    (repo / "Dockerfile").write_bytes(MERGEABLE)
    (repo / "README.md").write_text("not a Dockerfile\n")
    # names `types: [dockerfile]` misses; a per-Dockerfile ignore file; an excluded folder
    for name in ("api.dockerfile", "Dockerfile_arm", "svc/Dockerfile-WINDOWS_LTSC2019"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(MERGEABLE)
    (repo / "Dockerfile.dockerignore").write_text("RUN this is no Dockerfile\n")
    (repo / "vendor").mkdir()
    (repo / "vendor" / "Dockerfile").write_bytes(MERGEABLE)
    (repo / ".dopt.toml").write_text('exclude = ["vendor"]\n')
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "init"]):
        assert run(cmd, repo, env).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT)]
    check = run([*pre_commit, "dopt-check", "--all-files"], repo, env)
    assert check.returncode == 1, check.stdout + check.stderr
    reported = sorted({line.split(":", 1)[0] for line in check.stdout.splitlines() if ": DOP101 " in line})
    assert reported == ["Dockerfile", "Dockerfile_arm", "api.dockerfile", "svc/Dockerfile-WINDOWS_LTSC2019"]
    assert "vendor" not in check.stdout and "dockerignore" not in check.stdout
    first = run([*pre_commit, "dopt", "--all-files"], repo, env)
    assert first.returncode == 1, first.stdout + first.stderr  # it changed a file
    assert "files were modified by this hook" in first.stdout
    assert (repo / "Dockerfile").read_bytes() == MERGED
    assert (repo / "api.dockerfile").read_bytes() == MERGED
    assert (repo / "vendor" / "Dockerfile").read_bytes() == MERGEABLE, "exclude applies to the files pre-commit passes"
    second = run([*pre_commit, "dopt", "--all-files"], repo, env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert run([*pre_commit, "dopt-check", "--all-files"], repo, env).returncode == 0
