"""ruff (lint and format) and mypy stay clean (they are part of the test command).

The tools are the venv's (beside this interpreter), never whatever is first on PATH.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ["optimizer", "tests", "bench", "fuzz", "scripts", "examples"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint() -> None:
    r = _ruff("check", *TREES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format() -> None:
    r = _ruff("format", "--check", *TREES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy", "optimizer"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_on_tests_scripts_and_benches() -> None:
    """The code around the package is type-checked too (strict, with pygls' untyped decorators allowed)."""
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "tests", "scripts", "bench", "fuzz"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
