"""The one per-file pipeline: text → parse → lint → fix → diff.

The command line (`rewrite`, `check`), `dopt batch`, the language server and `dopt verify` all call
``run``; none of them parses, lints, fixes or diffs a file on its own, so they cannot drift apart
(a fix that writes a second file, such as ``.dockerignore``, shows in every diff).
"""

from __future__ import annotations

import os

from optimizer.app.files import unified_diff
from optimizer.core.engine import FixResult, fix_text, lint
from optimizer.core.fix import Diagnostic
from optimizer.core.settings import Settings
from optimizer.records import field, record
from optimizer.syntax.model import Document
from optimizer.syntax.parser import decode, parse


@record
class Outcome:
    """What dopt makes of one file."""

    path: str  # as the user named it (used in messages and diffs)
    source: str
    doc: Document  # the parsed input
    findings: list[Diagnostic] = field(default_factory=list)  # on the input (when linted)
    result: FixResult | None = None  # when fixed

    @property
    def output(self) -> str:
        return self.result.output if self.result is not None else self.source

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed

    @property
    def files(self) -> dict[str, str]:
        """Other files of the build context the fixes write: absolute path → new content."""
        return self.result.files if self.result is not None else {}

    @property
    def dropped(self) -> list[tuple[Diagnostic, str]]:
        """Fixes left out, with the reason (the result would not parse, would lose a comment, another fix made
        the finding go away or withdrew its fix, …)."""
        return self.result.failed + self.result.vanished if self.result is not None else []

    def file_name(self, f: str) -> str:
        """How a context file is named in messages and diffs: beside the Dockerfile's name as given."""
        base = os.path.dirname(os.path.abspath(self.path)) if self.path != "-" else os.getcwd()
        rel = os.path.relpath(f, base)
        if rel.startswith(".."):
            return f
        return os.path.join(os.path.dirname(self.path), rel) if self.path != "-" else rel

    def diff(self) -> str:
        """A unified diff (p0 paths) of the Dockerfile and of every context file the fixes write."""
        if self.result is None:
            return ""
        out = unified_diff(self.result.source, self.result.output, self.path)
        for f, text in sorted(self.result.files.items()):
            before = self.result.file_sources.get(f)
            out += unified_diff(before or "", text, self.file_name(f), new_file=before is None)
        return out


def run(
    text: str,
    path: str,
    settings: Settings,
    *,
    lint_input: bool = True,
    fix: bool = True,
    doc: Document | None = None,
) -> Outcome:
    """Parse ``text`` (unless ``doc`` is its parse), lint it and/or fix it. Raises DoptError on bad input."""
    if doc is None:
        doc = parse(text, path)
    if settings.target is not None:
        _check_target(doc, settings, path)
    out = Outcome(path, text, doc)
    if lint_input:
        out.findings = lint(doc, settings)
    if fix:
        out.result = fix_text(text, path, settings, doc)
    return out


def _check_target(doc: Document, settings: Settings, path: str) -> None:
    """An unknown ``--target`` is a usage error (BuildKit would refuse it too)."""
    from optimizer.core.rule_context import target_index
    from optimizer.errors import ConfigError

    assert settings.target is not None
    if target_index(doc, settings.target) is None:
        names = ", ".join(s.name for s in doc.stages if s.name) or "none has a name"
        where = f" (from {settings.target_source})" if settings.target_source else ""
        raise ConfigError(f"unknown target stage '{settings.target}'{where}; the stages are: {names}", path=path)


def run_bytes(data: bytes, path: str, settings: Settings, *, lint_input: bool = True, fix: bool = True) -> Outcome:
    """``run`` on a file's bytes (BOM, encoding and size checks as for files read from disk)."""
    return run(decode(data, path), path, settings, lint_input=lint_input, fix=fix)
