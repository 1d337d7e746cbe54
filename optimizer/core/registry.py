"""The rule registry: every rule is declared once, with its code, name and doc."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.core.fix import Diagnostic
    from optimizer.core.rule_context import RuleContext

RuleFunc = Callable[["RuleContext"], Iterable["Diagnostic"]]

DOC_SECTIONS = ("What it does", "Why", "Example", "Fix safety")
_CODE_RE = re.compile(r"DOP\d{3}")
_NAME_RE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")

# One module per rule, discovered in optimizer/rules/. Fixes are tried in this order; a module not listed here is
# still found (after these, by name), so a new rule cannot silently stay unregistered.
RULE_ORDER = (
    "invalid_instruction",
    "merge_runs",
    "apt_lists_cleanup",
    "apt_no_recommends",
    "apt_assume_yes",
    "apk_no_cache",
    "pip_no_cache",
    "rpm_clean_all",
    "rpm_assume_yes",
    "node_cache_clean",
    "conda_clean",
    "gem_no_document",
    "composer_clear_cache",
    "download_left_behind",
    "add_to_copy",
    "maintainer_to_label",
    "copy_chown",
    "exec_form",
    "package_upgrade",
    "cd_workdir",
    "unpinned_base",
    "curl_pipe_shell",
    "secrets_in_args",
    "risky_packages",
    "chmod_777",
    "add_url_checksum",
    "secret_files",
    "devel_to_runtime",
    "builder_runtime_split",
    "non_root_user",
    "add_healthcheck",
    "dockerignore",
    "slim_base",
    "dev_packages",
)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    hadolint: tuple[str, ...]
    doc: str
    func: RuleFunc
    fix: str = "sometimes"  # "always", "sometimes" or "none": whether the rule offers fixes
    options: dict[str, str] = field(default_factory=dict)  # configurable option -> expected type
    severity: str = "warning"  # "error": the build would fail (SARIF level, GitHub annotation, rdjson severity)

    def sections(self) -> dict[str, str]:
        parts = re.split(r"^## +(.+?)\s*$", self.doc, flags=re.M)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


_RULES: dict[str, Rule] = {}


FIX_AVAILABILITY = ("always", "sometimes", "none")


def rule(
    code: str,
    name: str,
    summary: str,
    doc: str,
    hadolint: tuple[str, ...] = (),
    fix: str = "sometimes",
    options: dict[str, str] | None = None,
    severity: str = "warning",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function (pyupgrade-style decorator)."""
    if not _CODE_RE.fullmatch(code):
        raise ValueError(f"bad rule code {code!r}")
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"rule name must be kebab-case: {name!r}")
    if fix not in FIX_AVAILABILITY:
        raise ValueError(f"fix must be one of {FIX_AVAILABILITY}")
    if severity not in ("warning", "error"):
        raise ValueError("severity must be 'warning' or 'error'")

    def deco(func: RuleFunc) -> RuleFunc:
        if code in _RULES and _RULES[code].func is not func:
            raise ValueError(f"duplicate rule code {code}")
        _RULES[code] = Rule(code, name, summary, tuple(hadolint), doc.strip(), func, fix, dict(options or {}), severity)
        return func

    return deco


_loaded = False


def rule_modules() -> list[str]:
    """The rule modules in optimizer/rules/: RULE_ORDER first, then any others by name."""
    import pkgutil

    import optimizer.rules

    found = {m.name for m in pkgutil.iter_modules(optimizer.rules.__path__) if not m.name.startswith("_")}
    return [m for m in RULE_ORDER if m in found] + sorted(found - set(RULE_ORDER))


def all_rules() -> list[Rule]:
    global _loaded
    if not _loaded:
        # what the rule context needs to know about images (which stages run Windows)
        importlib.import_module("optimizer.analysis.images")
        for mod in rule_modules():
            importlib.import_module(f"optimizer.rules.{mod}")
        _loaded = True
    return list(_RULES.values())


def get_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    for r in all_rules():
        if r.code == key.upper() or r.name == key.lower():
            return r
    return None
