"""Golden cases: ``golden/<rule-name>/<case>.Dockerfile`` and ``<case>.expected.Dockerfile``.

A case that needs a build context is a folder instead: ``golden/<rule>/<case>/Dockerfile`` with the
context's files beside it and ``expected.Dockerfile`` (plus ``expected.dockerignore`` for rules that
write one). An absent expected file means the input must come back unchanged.  A line
``# dopt-test: FLAGS`` anywhere in the input sets flags (``--unsafe-fixes``,
``--select CODES``, ``--ignore CODES``, ``--option RULE.OPTION=VALUE``); without ``--select`` only the folder's
rule runs.

Beside every case its findings are snapshotted (``<case>.findings``, or ``expected.findings`` in a folder case):
one line per finding, ``line:col CODE message`` and, when it has a fix, ``  fix (safe|unsafe): title``.
Run ``DOPT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_golden.py`` to write them, then read the diff.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from optimizer.core import selectors
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import get_rule
from optimizer.core.settings import Settings
from optimizer.syntax.model import Document

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    input: Path
    expected: Path | None

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.name}"


def cases() -> list[Case]:
    out = []
    for f in sorted(GOLDEN.glob("*/*.Dockerfile")):
        if f.name.endswith(".expected.Dockerfile"):
            continue
        name = f.name[: -len(".Dockerfile")]
        exp = f.with_name(f"{name}.expected.Dockerfile")
        out.append(Case(f.parent.name, name, f, exp if exp.exists() else None))
    for f in sorted(GOLDEN.glob("*/*/Dockerfile")):
        exp = f.with_name("expected.Dockerfile")
        out.append(Case(f.parent.parent.name, f.parent.name, f, exp if exp.exists() else None))
    return sorted(out, key=lambda c: c.id)


def flags_of(text: str) -> list[str]:
    found = [line.strip() for line in text.splitlines() if line.strip().startswith("# dopt-test:")]
    if len(found) > 1:
        raise AssertionError("more than one `# dopt-test:` line: only one is read")
    return shlex.split(found[0][len("# dopt-test:") :]) if found else []


def expected_findings(text: str) -> list[tuple[str, int]] | None:
    """``--expect DOP401:3,DOP401:7`` (or ``--expect none``): the findings the input must get."""
    flags = flags_of(text)
    if "--expect" not in flags:
        return None
    value = flags[flags.index("--expect") + 1]
    if value == "none":
        return []
    out = []
    for item in value.split(","):
        code, line = item.split(":")
        out.append((code, int(line)))
    return sorted(out)


def settings_for(case: Case, text: str) -> Settings:
    flags = flags_of(text)
    rule = get_rule(case.rule)
    if rule is None:
        raise AssertionError(f"golden folder {case.rule!r} names no rule")
    st = Settings(select={rule.code})
    it = iter(flags)
    for f in it:
        if f == "--unsafe-fixes":
            st.unsafe_fixes = True
        elif f == "--select":  # expanded as the command line expands them (SC2086: DOP430:SC2086)
            st.select = selectors.expand(next(it).split(","))
        elif f == "--ignore":
            st.ignore = selectors.expand(next(it).split(","))
        elif f == "--cache-mounts":  # the mode `cache-mounts = true` sets in a configuration file
            st.cache_mounts = True
        elif f == "--expect":
            next(it)
        elif f == "--option":  # --option merge-consecutive-runs.merge=always
            key, _, value = next(it).partition("=")
            name, _, opt = key.rpartition(".")
            target = get_rule(name)
            if target is None or opt not in target.options:
                raise AssertionError(f"unknown rule option {key!r} in {case.id}")
            typed: object = value.split(",") if target.options[opt] == "a list of strings" else value
            st.rule_options.setdefault(target.code, {})[opt] = typed
        else:
            raise AssertionError(f"unknown dopt-test flag {f!r} in {case.id}")
    return st


def snapshot_path(case: Case) -> Path:
    if case.input.name == "Dockerfile":
        return case.input.with_name("expected.findings")
    return case.input.with_name(f"{case.name}.findings")


def render_findings(doc: Document, found: list[Diagnostic], context: Path) -> str:
    lines = []
    for d in sorted(found, key=lambda d: (d.start, d.code, d.message)):
        message = d.message.replace(str(context) + "/", "")  # context paths are temporary
        lines.append(f"{doc.line_of(d.start)}:{doc.col_of(d.start)} {d.code} {message}")
        if d.fix is not None:
            title = d.fix.message or "(no title)"
            lines.append(f"  fix ({d.fix.applicability.value}): {title}")
    return "".join(line + "\n" for line in lines) or "(no findings)\n"


def check_snapshot(case: Case, rendered: str) -> None:
    snap = snapshot_path(case)
    if os.environ.get("DOPT_UPDATE_SNAPSHOTS"):
        if not snap.exists() or snap.read_text(encoding="utf-8") != rendered:
            snap.write_text(rendered, encoding="utf-8")
        return
    assert snap.exists(), f"no snapshot {snap}: run with DOPT_UPDATE_SNAPSHOTS=1 and review it"
    assert snap.read_text(encoding="utf-8") == rendered, f"findings changed for {case.id} (see {snap})"
