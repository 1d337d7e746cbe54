"""Edited RUNs that mix continuation styles, over ../shared/corpus/real.

    python bench/run_styles.py [--unsafe-fixes] [--select CODES] [--corpus DIR]

Runs the rules (safe fixes by default, as `dopt rewrite` would) and, in every rewritten file, looks
at each RUN that is not in the input verbatim: does it chain its lines both with `&&` at line ends
(`a && \\`) and at line starts (`    && b`)? RUNs that already mixed both in the input are counted
apart (a fix cannot be blamed for them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "real"

from optimizer.core.engine import fix_text  # noqa: E402
from optimizer.core.settings import Settings  # noqa: E402
from optimizer.errors import DoptError  # noqa: E402
from optimizer.syntax.model import Instruction  # noqa: E402
from optimizer.syntax.parser import parse  # noqa: E402


def mixed(text: str, ins: Instruction) -> bool:
    """Does the RUN chain lines both as `a && \\` and as `    && b`? (self-contained, to measure old trees too)"""
    leading = trailing = 0
    segs = ins.segments
    for k, (_l, s, length) in enumerate(segs):
        seg = text[s : s + length].strip(" \t")
        if k > 0 and seg.startswith(("&&", "||")):
            leading += 1
        if k < len(segs) - 1 and seg.endswith(("&&", "||")):
            trailing += 1
    return bool(leading and trailing)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--unsafe-fixes", action="store_true")
    ap.add_argument("--select", default=None)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--show", action="store_true", help="print the offending RUNs")
    args = ap.parse_args()
    settings = Settings(select=set(args.select.split(",")) if args.select else None, unsafe_fixes=args.unsafe_fixes)
    files = edited = bad = inherited = 0
    for p in sorted(Path(args.corpus).iterdir()):
        try:
            text = p.read_bytes().decode("utf-8")
            before = parse(text, str(p))
            result = fix_text(text, str(p), settings)
            after = parse(result.output, str(p))
        except (UnicodeDecodeError, DoptError):
            continue
        files += 1
        old_runs = [i for i in before.instructions if i.keyword == "RUN"]
        old_texts = {text[i.start : i.end] for i in old_runs}
        old_mixed = [set(text[i.start : i.end].splitlines()) for i in old_runs if mixed(text, i)]
        out = result.output
        for ins in after.instructions:
            if ins.keyword != "RUN" or out[ins.start : ins.end] in old_texts:
                continue
            edited += 1
            if not mixed(out, ins):
                continue
            body = out[ins.start : ins.end]
            lines = set(body.splitlines())
            if any(len(lines & old) * 2 >= len(old) for old in old_mixed):  # mostly an input RUN that mixed them
                inherited += 1
                continue
            bad += 1
            if args.show:
                print(f"== {p.name}\n{body}\n")
    print(
        f"{files} corpus files; {edited} edited RUNs; {bad} of them mix continuation styles "
        f"(+{inherited} that already mixed them in the input)"
    )


if __name__ == "__main__":
    main()
