"""What users install: the wheel from a regular (non-editable) `pip install`, in a fresh venv, run from
outside the checkout — every subcommand, the builder-less verify error, the language server, the README example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["rewrite", "check", "rules", "explain", "verify", "batch", "server"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with dopt installed from its wheel; returns the venv's bin folder."""
    tmp = tmp_path_factory.mktemp("pkg")
    src = tmp / "src"  # build from a copy: no stale build/ or egg-info of the checkout leaks in
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", "golden", ".*_cache"
        ),
    )
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)], check=True, timeout=600
    )
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(dist.glob("dopt-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, timeout=900)
    return venv / "bin"


def _run(
    bin_dir: Path, *args: str, cwd: Path, path: str | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = path if path is not None else f"{bin_dir}:{os.environ.get('PATH', '')}"
    return subprocess.run([str(bin_dir / "dopt"), *args], cwd=cwd, env=env, capture_output=True, text=True, **kw)  # type: ignore[call-overload,no-any-return]


def test_wheel_holds_every_package_and_data(installed: Path) -> None:
    wheel = next((installed.parent.parent / "dist").glob("dopt-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for pkg in (
        "optimizer/app/verify",
        "optimizer/app",
        "optimizer/core",
        "optimizer/syntax",
        "optimizer/analysis",
        "optimizer/rules",
    ):
        assert f"{pkg}/__init__.py" in names, pkg
    for data in (
        "optimizer/py.typed",
        "optimizer/analysis/data/images.toml",
        "optimizer/analysis/data/dev_runtime.json",
        "optimizer/analysis/data/context.toml",
        "optimizer/templates/runtime_stage.j2",
    ):
        assert data in names, data
    # every module of the checkout is in the wheel
    for f in (ROOT / "optimizer").rglob("*.py"):
        assert str(f.relative_to(ROOT)) in names, f


def test_imports_from_the_installed_copy(installed: Path, tmp_path: Path) -> None:
    r = subprocess.run(
        [str(installed / "python"), "-c", "import optimizer; print(optimizer.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0 and str(installed.parent) in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(installed: Path, tmp_path: Path, command: str) -> None:
    r = _run(installed, command, "--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout and command in r.stdout


def test_verify_without_a_builder(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nRUN pip install flask\n")
    r = _run(installed, "verify", "Dockerfile", cwd=tmp_path, path=str(installed))  # no docker, podman or buildah
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no image builder found"), r.stderr
    assert "internal error" not in r.stderr


def test_readme_example(installed: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "flask-psycopg", tmp_path / "flask-psycopg")
    before = (tmp_path / "flask-psycopg" / "Dockerfile").read_bytes()
    r = _run(installed, "rewrite", "--diff", "--unsafe-fixes", "flask-psycopg/Dockerfile", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "+FROM python:3.11-slim AS builder" in r.stdout  # the split (templates and data are installed)
    assert "HEALTHCHECK" in r.stdout and "USER" in r.stdout
    assert (tmp_path / "flask-psycopg" / "Dockerfile").read_bytes() == before  # --diff writes nothing


def _frame(msg: dict[str, object]) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_server_starts_and_shuts_down(installed: Path, tmp_path: Path) -> None:
    msgs: list[dict[str, object]] = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    proc = subprocess.run(
        [str(installed / "dopt"), "server"],
        input=b"".join(_frame(m) for m in msgs),
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert '"id": 1' in out.replace('"id":1', '"id": 1') and "capabilities" in out
    assert "documentFormattingProvider" in out
