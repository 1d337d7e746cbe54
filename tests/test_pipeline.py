"""One pipeline: the command line, `dopt batch` and the language server give the same result for a file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.app.batch import Job, record
from optimizer.app.runner import rewrite_one

from .golden_harness import Case, cases, settings_for

CASES = [c for c in cases() if c.expected or c.input.name == "Dockerfile"]


def _copy(case: Case, tmp_path: Path) -> Path:
    if case.input.name == "Dockerfile":  # a folder case: its context, without the expected files
        shutil.copytree(case.input.parent, tmp_path / "ctx", ignore=shutil.ignore_patterns("expected.*"))
        return tmp_path / "ctx" / "Dockerfile"
    dst = tmp_path / case.input.name
    dst.write_bytes(case.input.read_bytes())
    return dst


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_batch_and_rewrite_diff_agree(case: Case, tmp_path: Path) -> None:
    path = _copy(case, tmp_path)
    settings = settings_for(case, path.read_text(encoding="utf-8"))
    cli = rewrite_one(str(path), settings, write=False)
    rec = record(Job(str(path), path.read_bytes()), settings)
    assert cli.error is None and rec["error"] is None
    assert rec["diff"] == cli.diff()
    assert rec["changed"] == cli.changed
    if case.expected is not None or cli.changed:
        assert rec["diff"], "a case that changes must have a diff"


def test_second_file_is_in_every_diff(tmp_path: Path) -> None:
    """A fix that writes .dockerignore: `dopt rewrite --diff` and `dopt batch` both show the new file."""
    case = next(c for c in cases() if c.id == "dockerignore/py-no-dockerignore")
    path = _copy(case, tmp_path)
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "rewrite",
            "--diff",
            "--isolated",
            "--unsafe-fixes",
            "--select",
            "DOP601",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1, cli.stderr
    assert "+++ " + str(path.parent / ".dockerignore") in cli.stdout
    listing = tmp_path / "files.txt"
    listing.write_text(f"{path}\n")
    out = tmp_path / "out.jsonl"
    batch = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "batch",
            str(listing),
            "--jsonl",
            str(out),
            "--isolated",
            "--unsafe-fixes",
            "--select",
            "DOP601",
        ],
        capture_output=True,
        text=True,
    )
    assert batch.returncode in (0, 1), batch.stderr
    rec = json.loads(out.read_text().splitlines()[0])
    assert rec["diff"] == cli.stdout
    assert not (path.parent / ".dockerignore").exists()  # neither wrote anything
