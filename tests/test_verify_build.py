"""Real builds: `dopt verify --unsafe-fixes` on every app in examples/ with buildah (marked `build`).

Needs root, buildah and debootstrap; the base images (debian:bookworm-slim, python:3.x-slim) are built
once per machine by scripts/base_images.sh, since no registry is reachable. Without the tools these
tests skip, unless DOPT_REQUIRE_BUILD=1 (set by .ci/run), which makes a missing tool a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/dopt-example.toml"))
REQUIRED = os.environ.get("DOPT_REQUIRE_BUILD") == "1"

pytestmark = pytest.mark.build


def _missing() -> str | None:
    for tool in ("buildah", "debootstrap"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if os.geteuid() != 0:
        return "buildah with vfs storage and chroot isolation needs root here"
    return None


@pytest.fixture(scope="session")
def base_images() -> None:
    why = _missing()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"DOPT_REQUIRE_BUILD=1 but {why}")
        pytest.skip(why)
    subprocess.run(["bash", str(ROOT / "scripts" / "base_images.sh")], check=True, timeout=1800)


def example_config(example: Path) -> dict[str, Any]:
    with (example / "dopt-example.toml").open("rb") as fh:
        return dict(tomllib.load(fh))


def dopt(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, cwd=cwd, timeout=3600, check=False
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_verifies(example: Path, base_images: None) -> None:
    cfg = example_config(example)
    proc = dopt(
        "verify",
        "--unsafe-fixes",
        "--builder",
        "buildah",
        "--format",
        "json",
        "--smoke",
        cfg["smoke"],
        str(example / "Dockerfile"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    before, after = report["original"], report["rewritten"]
    for img in (before, after):
        assert img["built"], img["log_tail"]
        assert img["smoke_code"] == 0, img["smoke_output"]
        assert cfg["expect_output"] in img["smoke_output"]
    assert report["change_percent"] <= -cfg["min_saving_percent"], report["change_percent"]
    assert after["user"] not in ("", "root", "0"), "the rewritten image must run as a non-root user"
    assert before["user"] in ("", "root")
    if cfg["service"]:
        assert after["health"] == "passed", after["health_output"]
    # nothing of ours is left behind
    images = subprocess.run(
        ["buildah", "--storage-driver", "vfs", "images", "--format", "{{.Name}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "dopt-verify" not in images


def test_rewrite_verify_writes_the_verified_result(tmp_path: Path, base_images: None) -> None:
    app = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "xml-cli", app)
    before = (app / "Dockerfile").read_text()
    proc = dopt(
        "rewrite",
        "--verify",
        "--unsafe-fixes",
        "--builder",
        "buildah",
        "--smoke",
        "python xmltool.py selftest",
        str(app / "Dockerfile"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = (app / "Dockerfile").read_text()
    assert after != before and "AS builder" in after and "USER 10001:10001" in after
    assert "ok: the rewrite builds and works" in proc.stdout


def _buildah(*args: str) -> set[str]:
    out = subprocess.run(
        ["buildah", "--storage-driver", "vfs", *args], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_sigterm_mid_build_leaves_nothing_behind(tmp_path: Path, base_images: None) -> None:
    import signal
    import time

    images = _buildah("images", "-a", "-q", "--no-trunc")
    containers = _buildah("containers", "-a", "-q", "--notruncate")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optimizer",
            "verify",
            "--unsafe-fixes",
            "--builder",
            "buildah",
            str(ROOT / "examples" / "worker-pandas" / "Dockerfile"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _buildah("containers", "-a", "-q", "--notruncate") == containers:
        time.sleep(1)  # wait until a build is under way
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "interrupted: images and containers removed" in err
    assert _buildah("containers", "-a", "-q", "--notruncate") == containers
    assert _buildah("images", "-a", "-q", "--no-trunc") == images
