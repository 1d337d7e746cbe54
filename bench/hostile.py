"""Hostile inputs: for each scenario, its outcome, wall time and peak memory (prints figures; asserts nothing)

    python bench/hostile.py [--only NAME[,NAME]] [--timeout 120]

Scenarios come from every ``bench/hostile_*.py`` module that defines
``SCENARIOS: list[tuple[str, Callable[[Path], str]]]``: a name, and a function that is given a fresh temporary
folder and returns an outcome in words (``exit 2: is a FIFO``, ``3 appends lost``). Each scenario runs in a
fresh Python subprocess (``python bench/hostile.py --run MODULE NAME DIR``), so its peak memory is its own:
the maximum resident set size of that subprocess and of every process it waited for
(``getrusage(RUSAGE_SELF)`` and ``RUSAGE_CHILDREN``, as the child reports them). A scenario that does not
finish within ``--timeout`` seconds is killed and reported as such.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

Scenario = tuple[str, Callable[[Path], str]]


def modules() -> list[str]:
    return sorted(p.stem for p in BENCH.glob("hostile_*.py"))


def scenarios(module: str) -> list[Scenario]:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    found = getattr(importlib.import_module(module), "SCENARIOS", None)
    return list(found) if isinstance(found, list) else []


def run_one(module: str, name: str, folder: str) -> None:
    """In the measured subprocess: run the scenario, print one JSON line."""
    import resource

    func = dict(scenarios(module))[name]
    try:
        outcome = func(Path(folder))
    except Exception as e:  # a scenario that breaks is an outcome too
        outcome = f"scenario raised {type(e).__name__}: {e}"
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"outcome": outcome, "self_kb": own, "children_kb": children}))


def measure(module: str, name: str, timeout: float) -> tuple[str, float, float]:
    with tempfile.TemporaryDirectory(prefix="dopt-hostile-") as folder:
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        start = time.monotonic()
        try:
            p = subprocess.run(
                [sys.executable, __file__, "--run", module, name, folder],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            return f"did not finish in {timeout:.0f} s (killed)", time.monotonic() - start, float("nan")
        took = time.monotonic() - start
        lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
        if not lines:
            tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
            return f"scenario process exited {p.returncode}: {tail}", took, float("nan")
        got = json.loads(lines[-1])
        return str(got["outcome"]), took, max(got["self_kb"], got["children_kb"]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--run", nargs=3, metavar=("MODULE", "NAME", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        run_one(*args.run)
        return
    only = {n for n in args.only.split(",") if n}
    rows = []
    for module in modules():
        for name, _func in scenarios(module):
            if only and name not in only:
                continue
            outcome, took, peak = measure(module, name, args.timeout)
            rows.append((module.removeprefix("hostile_"), name, outcome, took, peak))
            print(f"{module}:{name}: {outcome} ({took:.2f} s, {peak:.0f} MB)", file=sys.stderr)
    width = max((len(r[1]) for r in rows), default=8)
    print(f"| {'area':<6} | {'scenario':<{width}} | {'time':>8} | {'peak RSS':>8} | outcome")
    print(f"|{'-' * 8}|{'-' * (width + 2)}|{'-' * 10}|{'-' * 10}|---------")
    for area, name, outcome, took, peak in rows:
        print(f"| {area:<6} | {name:<{width}} | {took:>6.2f} s | {peak:>5.0f} MB | {outcome}")


if __name__ == "__main__":
    main()
