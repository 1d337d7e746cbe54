"""What the README says about the benchmarks matches the benchmarks."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
]


def test_readme_counts_the_scaling_workloads() -> None:
    spec = importlib.util.spec_from_file_location("bench_scaling", ROOT / "bench" / "scaling.py")
    assert spec is not None and spec.loader is not None
    scaling = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scaling)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.findall(r"every rule alone on (\w+) workloads", readme)
    assert said == [NUMBERS[len(scaling.WORKLOADS)]], (said, sorted(scaling.WORKLOADS))


def test_throughput_bench_measures_one_process_and_the_pool() -> None:
    """The README's throughput figures come from both modes bench/throughput.py runs."""
    bench = (ROOT / "bench" / "throughput.py").read_text(encoding="utf-8")
    assert '["-j", "1"]' in bench and "CLI default (pool" in bench
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "several hundred files per second per core" not in readme
    section = readme[readme.index("- `python bench/throughput.py`") :]
    assert re.search(r"one process \(`-j 1`\)", section) and re.search(r"\d+ files/s", section)
