"""A bounded atheris run over the whole rewrite path (DOPT_FUZZ_SECONDS, default 60)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.fuzz
def test_fuzz_rewrite(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    seconds = int(os.environ.get("DOPT_FUZZ_SECONDS", "60"))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, f in enumerate(sorted((ROOT / "golden").rglob("*.Dockerfile"))):
        shutil.copy(f, seeds / f"{i}.Dockerfile")
    for f in sorted((ROOT / "tests" / "fuzz_regressions").glob("*")):
        shutil.copy(f, seeds / f.name)
    r = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_rewrite.py"),
            f"-max_total_time={seconds}",
            "-timeout=30",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(seeds),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    crashes = [p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-"))]
    assert r.returncode == 0 and not crashes, (
        f"fuzzer found {crashes}: copy them to tests/fuzz_regressions/\n" + r.stderr[-3000:]
    )
