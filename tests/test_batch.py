"""`dopt batch`: JSON lines per file, resumable, local processes or Ray tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer.app.batch import run_batch
from optimizer.core.settings import Settings

# DOP101 (the second RUN re-owns what the first wrote) and DOP205
GOOD = b"FROM debian:bookworm\nRUN mkdir /app\nRUN chown 1000 /app && pip install flask==3.0.3\n"
CLEAN = b'FROM debian:bookworm\nCMD ["bash"]\n'
BAD = b"FROM a\nRUN <<EOF\n"


def fleet(tmp_path: Path, n: int = 40) -> list[str]:
    paths = []
    for i in range(n):
        p = tmp_path / "repos" / f"r{i:03d}" / "Dockerfile"
        p.parent.mkdir(parents=True)
        p.write_bytes(BAD if i == 5 else GOOD if i % 2 else CLEAN)
        paths.append(str(p))
    paths.append(str(tmp_path / "repos" / "missing" / "Dockerfile"))
    return paths


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_batch_cli_and_resume(tmp_path: Path) -> None:
    paths = fleet(tmp_path)
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(paths) + "\n")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "optimizer", "batch", str(listing), "--jsonl", str(out), "-j", "2"]
    r = subprocess.run(cmd, capture_output=True, check=False)
    assert r.returncode == 2, r.stderr  # two files errored
    assert b"41 files processed, 0 already in" in r.stderr and b"2 with errors" in r.stderr
    recs = lines(out)
    assert [x["path"] for x in recs] == paths, "input order"
    by = {x["path"]: x for x in recs}
    good = by[paths[1]]
    assert [f["code"] for f in good["findings"]] == ["DOP101", "DOP205"]
    assert good["changed"] and "+RUN mkdir /app && \\\n" in str(good["diff"])
    assert by[paths[0]]["changed"] is False and by[paths[0]]["diff"] == ""
    assert "unterminated heredoc" in str(by[paths[5]]["error"])
    assert "cannot read" in str(by[paths[-1]]["error"])
    ok = [x for x in recs if x["error"] is None]
    failed = [x for x in recs if x["error"] is not None]
    # the errored files are tried again (still failing: exit 2); the others are skipped
    r = subprocess.run(cmd, capture_output=True, check=False)
    assert r.returncode == 2
    assert b"2 files processed, 39 already in" in r.stderr
    assert lines(out) == ok + failed
    # interrupted: the last 10 lines never made it, and the one before is half written
    data = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(data[:30]) + data[30][:17])
    r = subprocess.run(cmd, capture_output=True, check=False)
    assert b"11 files processed, 30 already in" in r.stderr
    assert sorted(map(str, lines(out))) == sorted(map(str, recs))
    # the cause fixed: the retry succeeds and the run exits 0
    Path(paths[5]).write_bytes(GOOD)
    Path(paths[-1]).parent.mkdir()
    Path(paths[-1]).write_bytes(CLEAN)
    r = subprocess.run(cmd, capture_output=True, check=False)
    assert r.returncode == 0, r.stderr
    assert b"2 files processed, 39 already in" in r.stderr and b"0 with errors" in r.stderr
    final = lines(out)
    assert sorted(x["path"] for x in final) == sorted(paths) and all(x["error"] is None for x in final)


def test_batch_single_process_equals_pool(tmp_path: Path) -> None:
    paths = fleet(tmp_path, 20)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_batch(paths, str(a), Settings(), jobs=1)
    run_batch(paths, str(b), Settings(), jobs=2)
    assert lines(a) == lines(b)


@pytest.mark.ray
def test_batch_on_ray(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    paths = fleet(tmp_path, 30)
    local, remote = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_batch(paths, str(local), Settings(unsafe_fixes=True), jobs=1)
    ray.init(_node_ip_address="127.0.0.1", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        done, skipped, errors = run_batch(paths, str(remote), Settings(unsafe_fixes=True), executor="ray")
    finally:
        ray.shutdown()
    assert (done, skipped, errors) == (31, 0, 2)
    assert lines(remote) == lines(local)
