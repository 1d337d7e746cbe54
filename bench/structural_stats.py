"""Per structural rule, over ../shared/corpus/real: files rewritten, files reported without a fix
(skipped, with the reason), and the most common reasons.

    python bench/structural_stats.py [--codes DOP501,DOP502,DOP503,DOP504] [--top 8]

Each rule runs alone with --unsafe-fixes, as `dopt rewrite --unsafe-fixes --select CODE` would.
The corpus has Dockerfiles only, no build contexts: reasons that need the context say so.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer.core.engine import fix_text  # noqa: E402
from optimizer.core.settings import Settings  # noqa: E402
from optimizer.errors import DoptError  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def reason_of(message: str) -> str:
    m = re.search(r"not (?:split|changed|added|fixed|switched to `[^`]*`): (?:line \d+:? )?(.*?)\)?$", message)
    text = m.group(1) if m else message
    text = text.split("; line ")[0]  # the first reason (DOP502 names the other lines after it)
    text = re.sub(r"`[^`]*`", "`…`", text)  # group by the kind of reason, not by the package
    return re.sub(r"\d+", "N", text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--codes", default="DOP501,DOP502,DOP503,DOP504,DOP601,DOP602,DOP603")
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args()
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    texts = {}
    for p in files:
        try:
            texts[p] = p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
    print(f"{len(texts)} corpus files")
    for code in args.codes.split(","):
        settings = Settings(select={code}, unsafe_fixes=True)
        rewritten = skipped = 0
        reasons: Counter[str] = Counter()
        for p, text in texts.items():
            try:
                result = fix_text(text, str(p), settings)
            except DoptError:
                continue
            if result.output != text:
                rewritten += 1
            left = [d for d in result.remaining if d.code == code and d.fix is None]
            if left:
                skipped += 1
                reasons.update({reason_of(d.message) for d in left})
        print(f"\n{code}: rewrote {rewritten} files, reported {skipped} without a fix")
        for reason, n in reasons.most_common(args.top):
            print(f"  {n:4d}  {reason}")


if __name__ == "__main__":
    main()
