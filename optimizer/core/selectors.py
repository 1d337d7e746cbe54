"""Rule selectors, as ``--select``/``--ignore``, configuration files and pragmas spell them.

A selector is a rule code (``DOP101``), a code prefix (``DOP1``), a rule name
(``merge-consecutive-runs``), ``ALL``, or a hadolint code (``DL3059``), which stands for the dopt rules
that answer it, or a ShellCheck code (``SC2086``), which stands for those findings of the ShellCheck rule
(DOP430): expanded, it is the sub-selector ``DOP430:SC2086``, which selects (or ignores) those findings
only, not the whole rule. Everything that reads selectors goes through here, so they mean the same everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from optimizer.core import tools
from optimizer.core.registry import Rule, all_rules, rule_names

_HADOLINT = re.compile(r"(?i)(DL|SC)\d{4}")
_SHELLCHECK = re.compile(r"(?i)SC[123]\d{3}")  # ShellCheck's codes: SC1xxx parsing, SC2xxx, SC3xxx portability
SELECTING = ("select", "extend-select")  # the configuration keys (and options) that choose which rules run


def is_hadolint(selector: str) -> bool:
    return bool(_HADOLINT.fullmatch(selector.strip()))


def is_shellcheck(selector: str) -> bool:
    """An SC code (``SC2086``), or ``SC`` alone: every ShellCheck finding (the ShellCheck rule)."""
    s = selector.strip()
    return s.upper() == "SC" or bool(_SHELLCHECK.fullmatch(s))


def hadolint_map() -> dict[str, list[str]]:
    """hadolint code -> the dopt rule codes that answer it."""
    out: dict[str, list[str]] = {}
    for r in all_rules():
        for h in r.hadolint:
            out.setdefault(h.upper(), []).append(r.code)
    return out


def rules_for_hadolint(code: str) -> list[Rule]:
    codes = [tools.SHELLCHECK_RULE[0]] if is_shellcheck(code) else hadolint_map().get(code.strip().upper(), [])
    return [r for r in all_rules() if r.code in codes]


def expand(selectors: Iterable[str]) -> set[str]:
    """hadolint codes replaced by the dopt codes that answer them (a code no rule answers selects nothing), and
    ShellCheck codes by sub-selectors of the ShellCheck rule (``DOP430:SC2086``)."""
    mapping: dict[str, list[str]] | None = None
    out: set[str] = set()
    for s in selectors:
        s = s.strip()
        if s.upper() == "SC":
            out.add(tools.SHELLCHECK_RULE[0])
        elif is_shellcheck(s):
            out.add(f"{tools.SHELLCHECK_RULE[0]}:{s.upper()}")
        elif is_hadolint(s):
            mapping = mapping if mapping is not None else hadolint_map()
            out.update(mapping.get(s.upper(), []))
        elif s:
            out.add(s)
    return out


def known(selector: str) -> bool:
    s = selector.strip()
    if not s:
        return False
    if is_hadolint(s) or is_shellcheck(s):
        return not s.upper().startswith("SC") or is_shellcheck(s)
    if s.upper() == "ALL":
        return True
    # codes and names from the precompiled rule index: checking a selection imports no rule module
    return any(code == s.upper() or name == s.lower() or code.startswith(s.upper()) for code, name in rule_names())


def suggestion(selector: str) -> str | None:
    """The nearest rule code or name, for a "did you mean" (None when nothing is near)."""
    words = [w for pair in rule_names() for w in pair]
    s = selector.strip()
    close = difflib.get_close_matches(s.upper() if s[:3].upper() == "DOP" else s.lower(), words, n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_message(selector: str) -> str:
    hint = suggestion(selector)
    return f"unknown rule selector {selector!r}" + (f" (did you mean {hint!r}?)" if hint else " (see `dopt rules`)")


def implemented(selector: str) -> bool:
    """False for a hadolint code no dopt rule answers (it would select or ignore nothing), and for a ShellCheck
    code or the ShellCheck rule itself when ShellCheck is not installed."""
    if is_shellcheck(selector) or _names_shellcheck_rule(selector):
        return tools.shellcheck() is not None
    return not is_hadolint(selector) or selector.strip().upper() in hadolint_map()


def _names_shellcheck_rule(selector: str) -> bool:
    s = selector.strip()
    return s.upper() == tools.SHELLCHECK_RULE[0] or s.lower() == tools.SHELLCHECK_RULE[1]


def not_implemented_message(code: str) -> str:
    if is_shellcheck(code) or _names_shellcheck_rule(code):
        return f"{code.strip()} needs ShellCheck, which is not installed: {tools.SHELLCHECK_INSTALL}"
    return f"{code.strip().upper()} is not implemented by dopt (no dopt rule answers it; see `dopt rules`)"


def check(selectors: Iterable[str], where: str | None = None, selecting: bool = False) -> list[str]:
    """Raise a ConfigError naming the first selector that names no rule; return warnings for the others.

    A hadolint code no rule answers selects nothing: in a selection (``selecting``: ``--select``,
    ``--extend-select``) it is an error, so that a CI switching from hadolint never goes green on a check that
    did not run; anywhere else (``--ignore``, ``--fixable``) ignoring it is harmless, and it is a warning.
    """
    from optimizer.errors import ConfigError

    warnings: list[str] = []
    for s in sorted(set(selectors)):
        if not known(s):
            raise ConfigError(unknown_message(s), path=where)
        if not implemented(s):
            if selecting:
                raise ConfigError(not_implemented_message(s), path=where)
            warnings.append(not_implemented_message(s) + "; it ignores nothing")
    return warnings


def matches(code: str, name: str, selectors: Iterable[str]) -> bool:
    """Whether a whole rule is named by any of these (already expanded) selectors (a sub-selector such as
    ``DOP430:SC2086`` names some findings of a rule, not the rule)."""
    for s in selectors:
        s = s.strip()
        if s and ":" not in s and (s.upper() == "ALL" or s.lower() == name or code.startswith(s.upper())):
            return True
    return False
