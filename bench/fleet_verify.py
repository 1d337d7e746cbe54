"""Wall time of `dopt batch --verify` over the examples: `-j 1`, `-j 2`, and Ray on one node (prints figures).

    python bench/fleet_verify.py [--examples cache-service,status-page] [--select DOP301] [--ray-builders 2]

Each mode verifies the same examples from nothing (a fresh output file; every task builds in a store of its
own, so no mode warms another's layers: only the machine's read-only base images are shared), with
`--keep-proven --unsafe-fixes --run-seconds 6` and the examples' smoke tests; `--select DOP301` by default
(two builds and runs per example; `--select ""` for every rule, several more builds each). The table gives
the wall time, the task time summed over files (what one worker would spend), the speed-up over `-j 1`,
and the load average before each run: builds are CPU and disk bound, so on a shared machine the figures
move with the other processes.

Ray: `ray.init(num_cpus=N, resources={"builder": N})` on this machine (N = --ray-builders), then
`run_batch(..., executor="ray")`; its time includes starting Ray and shipping each context as bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def listing(names: list[str], dest: Path) -> Path:
    rows = []
    for n in names:
        with (ROOT / "examples" / n / "dopt-example.toml").open("rb") as fh:
            smoke = tomllib.load(fh)["smoke"]
        rows.append(f"{ROOT / 'examples' / n / 'Dockerfile'}\t\t{smoke}")
    dest.write_text("\n".join(rows) + "\n")
    return dest


def summary(out: Path) -> tuple[float, str]:
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    statuses = ",".join(sorted(str(r.get("status")) for r in recs))
    return sum(float(r.get("seconds") or 0) for r in recs), statuses


def run_cli(files: Path, out: Path, jobs: int, flags: list[str]) -> float:
    start = time.monotonic()
    cmd = [sys.executable, "-m", "optimizer", "batch", str(files), "--verify", "--jsonl", str(out), "-j", str(jobs)]
    proc = subprocess.run(cmd + flags, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"-j {jobs} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.monotonic() - start


def run_ray(files: Path, out: Path, builders: int, select: list[str]) -> float:
    import ray

    from optimizer.app.batch import run_batch
    from optimizer.app.batch_verify import VerifyOptions
    from optimizer.core.settings import Settings

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    settings = Settings(unsafe_fixes=True, select=set(select) if select else None)
    opts = VerifyOptions(builder="buildah", keep_proven=True, run_seconds=6)
    temp = tempfile.mkdtemp(prefix="ray-bench-", dir="/tmp")
    start = time.monotonic()
    ray.init(
        num_cpus=builders,
        resources={"builder": builders},
        include_dashboard=False,
        log_to_driver=False,
        _temp_dir=temp,
        _node_ip_address="127.0.0.1",
    )
    try:
        run_batch(files.read_text().splitlines(), str(out), settings, executor="ray", verify=opts)
    finally:
        ray.shutdown()
        subprocess.run(["rm", "-rf", temp], check=False)
    return time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", default="cache-service,status-page")
    ap.add_argument("--select", default="DOP301", help="rules to run (empty: every rule)")
    ap.add_argument("--ray-builders", type=int, default=2)
    args = ap.parse_args()
    names = [n for n in args.examples.split(",") if n]
    select = [c for c in args.select.split(",") if c]
    flags = ["--keep-proven", "--unsafe-fixes", "--builder", "buildah", "--run-seconds", "6", "-q"]
    flags += ["--select", ",".join(select)] if select else []
    rows: list[tuple[str, float, float, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        work = Path(tmp)
        files = listing(names, work / "list.txt")
        modes: list[tuple[str, Callable[[Path], float]]] = [
            ("-j 1", lambda o: run_cli(files, o, 1, flags)),
            ("-j 2", lambda o: run_cli(files, o, 2, flags)),
        ]
        modes.append(
            (f"ray, 1 node, {args.ray_builders} builders", lambda o: run_ray(files, o, args.ray_builders, select))
        )
        for label, run in modes:
            out = work / f"{len(rows)}.jsonl"
            load = os.getloadavg()[0]
            wall = run(out)
            task, statuses = summary(out)
            rows.append((label, wall, task, load, statuses))
            print(f"{label}: {wall:.0f} s ({statuses})", file=sys.stderr)
    base = rows[0][1]
    print(f"{len(names)} examples ({', '.join(names)}), {os.cpu_count()} CPUs, select {args.select or 'all'}")
    print("| mode | wall s | task s (sum) | speed-up vs -j 1 | load avg before | statuses |")
    print("|:--|--:|--:|--:|--:|:--|")
    for label, wall, task, load, statuses in rows:
        print(f"| {label} | {wall:.0f} | {task:.0f} | {base / wall:.2f}x | {load:.1f} | {statuses} |")


if __name__ == "__main__":
    main()
