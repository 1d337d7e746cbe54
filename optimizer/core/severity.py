"""Severity levels, in one table: a finding's level and what each output names it.

A rule's own level is ``error`` (the build would fail: DOP001) or ``warning``; a ``.hadolint.yaml``
``override`` may set any of hadolint's four levels for a code. Every output format of ``dopt check`` and the
language server read the names below, so one finding has the same severity everywhere.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from optimizer.core.fix import Diagnostic

LEVELS = ("error", "warning", "info", "style")  # most severe first (hadolint's levels)

# level -> what each output calls it (LSP: DiagnosticSeverity 1 Error, 2 Warning, 3 Information, 4 Hint)
NAMES: dict[str, dict[str, str | int]] = {
    "error": {"sarif": "error", "github": "error", "gitlab": "critical", "rdjson": "ERROR", "lsp": 1},
    "warning": {"sarif": "warning", "github": "warning", "gitlab": "major", "rdjson": "WARNING", "lsp": 2},
    "info": {"sarif": "note", "github": "notice", "gitlab": "minor", "rdjson": "INFO", "lsp": 3},
    "style": {"sarif": "note", "github": "notice", "gitlab": "info", "rdjson": "INFO", "lsp": 4},
}


def level(code: str, override: str | None = None) -> str:
    """The finding's level: the override (from a .hadolint.yaml), else the rule's own, else warning."""
    if override in NAMES:
        return override
    from optimizer.core.registry import get_rule

    rule = get_rule(code)
    return rule.severity if rule is not None else "warning"


def name(lvl: str, output: str) -> str:
    """What ``output`` (sarif, github, gitlab, rdjson) calls the level."""
    return str(NAMES.get(lvl, NAMES["warning"])[output])


def lsp(lvl: str) -> int:
    """The language server's DiagnosticSeverity for the level."""
    return int(NAMES.get(lvl, NAMES["warning"])["lsp"])


def of(d: Diagnostic, overrides: dict[str, str] | None = None) -> str:
    """A finding's level: a .hadolint.yaml ``override`` of a hadolint code it answers (the most severe), else of
    its dopt code, else its own (ShellCheck's level for DOP430), else its rule's."""
    overrides = overrides or {}
    named = [overrides[h] for h in d.hadolint if h in overrides]
    if named:
        return min(named, key=LEVELS.index)
    return overrides.get(d.code) or d.severity or level(d.code)


def fails(lvl: str, threshold: str | None) -> bool:
    """Does a finding of this level make `check` exit 1 under this failure threshold (None: every finding)?"""
    if threshold is None:
        return True
    if threshold not in LEVELS:  # ignore, none: no finding fails
        return False
    return LEVELS.index(lvl if lvl in LEVELS else "warning") <= LEVELS.index(threshold)
