"""The cache-mounts mode from the command line and from a configuration file (the rules' output is in the
golden cases marked `# dopt-test: --cache-mounts`)."""

from __future__ import annotations

from pathlib import Path

from .oracle import buildkit_parses
from .test_cli import dopt

SOURCE = (
    "FROM python:3.11-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
    "RUN pip install flask==3.0.3\n"
)
PIP_MOUNT = "RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3\n"


def _rewrite(tmp_path: Path, *args: str) -> str:
    path = tmp_path / "Dockerfile"
    path.write_text(SOURCE)
    proc = dopt("rewrite", "--select", "DOP201,DOP205", *args, str(path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    return path.read_text()


def test_flag_turns_cleanups_into_cache_mounts(tmp_path: Path) -> None:
    out = _rewrite(tmp_path, "--cache-mounts")
    assert out.startswith("# syntax=docker/dockerfile:1\nFROM python:3.11-slim\n")
    assert PIP_MOUNT in out and "--no-cache-dir" not in out
    assert "--mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update" in out
    assert "rm -f /etc/apt/apt.conf.d/docker-clean" in out and "rm -rf /var/lib/apt/lists" not in out
    assert buildkit_parses(out)
    again = dopt("rewrite", "--select", "DOP201,DOP205", "--cache-mounts", "--check", str(tmp_path / "Dockerfile"))
    assert again.returncode == 0, again.stdout.decode()  # a second run changes nothing


def test_without_the_mode_caches_are_deleted(tmp_path: Path) -> None:
    out = _rewrite(tmp_path)
    assert "--mount" not in out and "# syntax" not in out
    assert "pip install --no-cache-dir flask" in out and "rm -rf /var/lib/apt/lists/*" in out


def test_configuration_file_and_its_override(tmp_path: Path) -> None:
    (tmp_path / "dopt.toml").write_text("cache-mounts = true\n")
    assert PIP_MOUNT in _rewrite(tmp_path)
    assert "--mount" not in _rewrite(tmp_path, "--no-cache-mounts")
