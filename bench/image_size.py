"""Image size before and after `dopt rewrite --unsafe-fixes`, measured with real builds.

    python bench/image_size.py [--builder buildah] [examples/NAME ...]

Runs `dopt verify --unsafe-fixes --format json` (with the example's smoke command from its
dopt-example.toml) on every app in examples/ and prints, per example: original and rewritten bytes,
change %, layers before/after, build seconds before/after, smoke pass/fail (and the health check
for services), run-time parity (the image's own command run side by side: ok, FAIL, or - when the
final stage has no CMD/ENTRYPOINT) with the problems found listed below the table; then the mean
and median change. Goal: every rewrite builds and passes its smoke
test, and the median image is at least 40% smaller. Base images: scripts/base_images.sh.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--builder", default=None)
    ap.add_argument("--run-seconds", default="20", help="run-time parity check length per image (0: off)")
    ap.add_argument("examples", nargs="*")
    args = ap.parse_args()
    examples = [Path(e) for e in args.examples] or sorted(
        p.parent for p in (ROOT / "examples").glob("*/dopt-example.toml")
    )
    rows = []
    for ex in examples:
        with (ex / "dopt-example.toml").open("rb") as fh:
            cfg = tomllib.load(fh)
        cmd = [
            sys.executable,
            "-m",
            "optimizer",
            "verify",
            "--unsafe-fixes",
            "--format",
            "json",
            "-q",
            "--run-seconds",
            args.run_seconds,
            "--smoke",
            cfg["smoke"],
            str(ex / "Dockerfile"),
        ]
        if args.builder:
            cmd[4:4] = ["--builder", args.builder]
        if cfg.get("holds_back"):  # fixes that break it at run time: verify must find and hold them back
            cmd[4:4] = ["--bisect"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        try:
            rep = json.loads(proc.stdout)
        except json.JSONDecodeError:
            print(f"{ex.name}: verify failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
            continue
        rows.append((ex.name, rep, proc.returncode))
    header = (
        f"{'example':<16} {'original B':>13} {'rewritten B':>13} {'change':>8} {'layers':>7} "
        f"{'build s':>11} {'smoke':>11} {'health':>7} {'parity':>6} {'user':>6}"
    )
    print(header)
    print("-" * len(header))
    changes = []
    for name, rep, _code in rows:
        a, b = rep["original"], rep["rewritten"]
        ch = rep["change_percent"]
        if ch is not None:
            changes.append(ch)

        def ok(img: dict[str, object]) -> str:
            return "pass" if img["built"] and img["smoke_code"] == 0 else "FAIL"

        def parity(img: dict[str, Any]) -> str:
            rt = img.get("runtime")
            return "-" if not rt else ("FAIL" if rt["problems"] else "ok")

        print(
            f"{name:<16} {a['size'] or 0:>13,} {b['size'] or 0:>13,} {'' if ch is None else f'{ch:+.1f}%':>8} "
            f"{a['layers']}/{b['layers']:>4} {a['build_seconds']:>5.0f}/{b['build_seconds']:<5.0f} "
            f"{ok(a)}/{ok(b):>6} {b['health'] or '-':>7} {parity(b):>6} {b['user'] or 'root':>6}"
        )
    for name, rep, _code in rows:
        rt = rep["rewritten"].get("runtime") or {}
        for problem in rt.get("problems", []):
            print(f"  {name}: parity: {problem}")
        for warning in rt.get("warnings", []):
            print(f"  {name}: warning: {warning}")
        for held in rep.get("held_back", []):
            print(f"  {name}: held back {held['code']} {held['name']}: {'; '.join(held['reasons'])}")
    if changes:
        print(
            f"\nmean change {statistics.mean(changes):+.1f}%, median change {statistics.median(changes):+.1f}% "
            f"over {len(changes)} examples (goal: median <= -40%)"
        )
    return 0 if rows and all(code == 0 for _n, _r, code in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
