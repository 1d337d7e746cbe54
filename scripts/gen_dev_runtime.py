"""Generate optimizer/analysis/data/dev_runtime.json: Debian `-dev` packages -> the runtime libraries they need.

    python scripts/gen_dev_runtime.py [--corpus ../shared/corpus/real] [--out optimizer/analysis/data/dev_runtime.json]

The package names are every `-dev` package that a Dockerfile of the corpus installs with apt-get/apt
(found with dopt's own shell parser). For each, `apt-cache show` on this machine (Debian bookworm;
run `apt-get update` first) gives its Source and Depends: the runtime libraries are the dependencies
built from the same source package that are not themselves `-dev` packages (libpq-dev -> libpq5).
A virtual package is resolved through the package that provides it. Names bookworm does not know
(Ubuntu-only, renamed, or long gone) are listed as such, never guessed.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_dev_packages(corpus: Path) -> set[str]:
    from optimizer.analysis.invocations import invocations
    from optimizer.core.registry import all_rules
    from optimizer.core.rule_context import RuleContext
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import decode, parse

    rule = all_rules()[0]
    names: set[str] = set()
    for p in sorted(corpus.iterdir()):
        try:
            doc = parse(decode(p.read_bytes()))
        except DoptError:
            continue
        ctx = RuleContext(doc, rule)
        for body in ctx.shell_bodies():
            for inv in invocations(body.script, "apt-get", "apt", "aptitude"):
                if inv.sub != "install":
                    continue
                for w in inv.packages():
                    name = re.split(r"[=:]", w.value)[0]
                    if w.literal and name.endswith("-dev") and re.fullmatch(r"[a-z0-9][a-z0-9+.-]*", name):
                        names.add(name)
    return names


@functools.cache
def show(name: str) -> dict[str, str] | None:
    """The first stanza of `apt-cache show NAME`, or None."""
    r = subprocess.run(["apt-cache", "show", "--no-all-versions", name], capture_output=True, text=True, check=False)
    if r.returncode != 0 or not r.stdout.strip():
        return None
    fields: dict[str, str] = {}
    key = ""
    for line in r.stdout.split("\n\n")[0].splitlines():
        if line.startswith(" ") and key:
            fields[key] += " " + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def provider(name: str) -> str | None:
    r = subprocess.run(["apt-cache", "showpkg", name], capture_output=True, text=True, check=False)
    lines = r.stdout.splitlines()
    if "Reverse Provides: " not in lines:
        return None
    after = lines[lines.index("Reverse Provides: ") + 1 :]
    providers = sorted({ln.split()[0] for ln in after if ln.strip()})
    return providers[0] if providers else None


def source_of(fields: dict[str, str]) -> str:
    return fields.get("Source", fields["Package"]).split()[0]


def runtime_libraries(name: str, depth: int = 0) -> tuple[str, list[str]] | None:
    """(the package resolved, the runtime libraries from the same source), or None when unknown.

    A transitional `-dev` package with no library of its own (libjpeg-dev) is followed into the
    `-dev` packages it depends on.
    """
    fields = show(name)
    resolved = name
    if fields is None:
        real = provider(name)
        if real is None:
            return None
        fields, resolved = show(real), real
        if fields is None:
            return None
    src = source_of(fields)
    out: list[str] = []
    dev_deps: list[str] = []
    for alt in re.split(r",\s*", fields.get("Depends", "")):
        dep = alt.split("|")[0].strip().split()[0] if alt.strip() else ""
        dep = dep.split(":")[0]
        if not dep or dep.endswith("-headers"):
            continue
        if dep.endswith("-dev"):
            dev_deps.append(dep)
            continue
        dep_fields = show(dep)
        if dep_fields is not None and source_of(dep_fields) == src and dep not in out:
            out.append(dep)
    if not out and depth == 0:
        for dev in dev_deps:
            found = runtime_libraries(dev, depth + 1)
            if found is not None:
                out.extend(lib for lib in found[1] if lib not in out)
    return resolved, sorted(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    ap.add_argument("--out", default=str(ROOT / "optimizer" / "analysis" / "data" / "dev_runtime.json"))
    a = ap.parse_args()
    names = sorted(corpus_dev_packages(Path(a.corpus)))
    mapping: dict[str, list[str]] = {}
    provided: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        found = runtime_libraries(name)
        if found is None:
            unknown.append(name)
            continue
        resolved, libs = found
        mapping[name] = libs
        if resolved != name:
            provided[name] = resolved
    data = {
        "about": "Debian -dev packages -> runtime library packages from the same source (apt-cache, Debian "
        "bookworm). Generated by scripts/gen_dev_runtime.py; do not edit by hand.",
        "packages": mapping,
        "provided_by": provided,
        "not_in_bookworm": unknown,
    }
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(
        f"{len(names)} -dev packages: {len(mapping)} mapped ({sum(1 for v in mapping.values() if v)} with "
        f"runtime libraries), {len(unknown)} unknown to bookworm -> {a.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
