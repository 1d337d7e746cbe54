"""DOP502's output over ../shared/corpus/real, per file, for comparing two versions of dopt (a refactor must
leave it byte-identical): the md5 of `dopt rewrite --unsafe-fixes --select DOP502`'s output and the findings
of `dopt check --select DOP502` (message, span, whether it has a fix).

    git archive main | tar -x -C /tmp/dopt-old
    python bench/split_identity.py dump /tmp/dopt-old /tmp/old.json
    python bench/split_identity.py dump . /tmp/new.json
    python bench/split_identity.py compare /tmp/old.json /tmp/new.json

`dump` imports dopt from ROOT (the code under test), not from the installed package.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def dump(root: Path, out: Path) -> None:
    sys.path.insert(0, str(root.resolve()))
    from optimizer.core.engine import fix_text, lint
    from optimizer.core.settings import Settings
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import parse

    fixing, checking = Settings(select={"DOP502"}, unsafe_fixes=True), Settings(select={"DOP502"})
    found: dict[str, dict[str, object]] = {}
    for path in sorted(p for p in CORPUS.iterdir() if p.is_file()):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            output = fix_text(text, str(path), fixing).output
            findings = [(d.message, d.start, d.end, d.fix is not None) for d in lint(parse(text), checking)]
        except DoptError as e:
            found[path.name] = {"md5": f"error: {e}", "changed": False, "findings": []}
            continue
        md5 = hashlib.md5(output.encode()).hexdigest()
        found[path.name] = {"md5": md5, "changed": output != text, "findings": findings}
    out.write_text(json.dumps(found, indent=0, sort_keys=True))
    refused = sum(any(not f[3] for f in v["findings"]) for v in found.values())  # type: ignore[attr-defined]
    print(f"{len(found)} files; {sum(bool(v['changed']) for v in found.values())} rewritten; {refused} refused")


def compare(a: Path, b: Path) -> int:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    same_md5 = sum(old[k]["md5"] == new.get(k, {}).get("md5") for k in old)
    same_findings = sum(old[k]["findings"] == new.get(k, {}).get("findings") for k in old)
    print(f"{len(old)} files: rewrite md5 identical for {same_md5}, findings identical for {same_findings}")
    for k in old:
        if old[k] != new.get(k):
            print(f"  differs: {k}")
    return 0 if same_md5 == same_findings == len(old) == len(new) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
