"""DOP101 over ../shared/corpus/real: files it changes, and the merges it makes per reason.

    python bench/merge_runs.py [--merge always|when-it-pays] [--corpus DIR]

DOP101 runs alone (safe fixes, as `dopt rewrite --select DOP101` would), to a fixed point; every
applied merge is counted under its reason (the fix title). With ``--all`` every rule runs, as a
plain `dopt rewrite` would, and only DOP101's merges are counted.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer.core.engine import fix_text  # noqa: E402
from optimizer.core.settings import Settings  # noqa: E402
from optimizer.errors import DoptError  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--merge", default=None, help="the rule's `merge` option (default: the rule's default)")
    ap.add_argument("--all", action="store_true", help="run every rule, count DOP101's merges")
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args()
    options = {"DOP101": {"merge": args.merge}} if args.merge else {}
    settings = Settings(select=None if args.all else {"DOP101"}, rule_options=options)
    files = sorted(p for p in Path(args.corpus).iterdir() if p.is_file())
    changed = merges = reported = 0
    reasons: Counter[str] = Counter()
    read = 0
    for p in files:
        try:
            text = p.read_bytes().decode("utf-8")
            result = fix_text(text, str(p), settings)
        except (UnicodeDecodeError, DoptError):
            continue
        read += 1
        mine = [d for d in result.applied if d.code == "DOP101"]
        if mine:
            changed += 1
        merges += len(mine)
        for d in mine:
            reasons[(d.fix.message if d.fix else "") or "(no reason given)"] += 1
        reported += sum(1 for d in result.remaining if d.code == "DOP101")
    print(f"{read} corpus files; DOP101 changes {changed} files with {merges} merges; {reported} findings left")
    for reason, n in reasons.most_common():
        print(f"  {n:5d}  {reason}")


if __name__ == "__main__":
    main()
