"""The rule registry: every rule is declared once, with its code, name and doc."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from optimizer.records import field, record

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
    "apt_get_not_apt",
    "apk_no_cache",
    "pip_no_cache",
    "rpm_clean_all",
    "rpm_assume_yes",
    "node_cache_clean",
    "conda_clean",
    "gem_no_document",
    "composer_clear_cache",
    "download_left_behind",
    "wget_progress",
    "add_to_copy",
    "maintainer_to_label",
    "copy_chown",
    "exec_form",
    "shell_pipefail",
    "sudo_as_root",
    "package_upgrade",
    "cd_workdir",
    "relative_workdir",
    "unpinned_base",
    "curl_pipe_shell",
    "secrets_in_args",
    "risky_packages",
    "chmod_777",
    "add_url_checksum",
    "secret_files",
    "unpinned_packages",
    "copy_relative_dest",
    "curl_and_wget",
    "devel_to_runtime",
    "builder_runtime_split",
    "non_root_user",
    "add_healthcheck",
    "dockerignore",
    "slim_base",
    "dev_packages",
    "cache_friendly_order",
    "build_cache_mounts",
)


@record(frozen=True)
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
_modules: list[str] | None = None


def rule_modules() -> list[str]:
    """The rule modules in optimizer/rules/: RULE_ORDER first, then any others by name."""
    global _modules
    if _modules is None:
        import os

        import optimizer.rules

        found = set()
        for folder in optimizer.rules.__path__:  # os.scandir, not pkgutil (which imports inspect: cold start)
            for entry in os.scandir(folder):
                stem, dot, ext = entry.name.partition(".")
                if dot and ext in ("py", "pyc") and stem.isidentifier() and not stem.startswith("_"):
                    found.add(stem)
        _modules = [m for m in RULE_ORDER if m in found] + sorted(found - set(RULE_ORDER))
    return list(_modules)


def _plugins() -> None:
    # what the rule context needs to know about images (which stages run Windows)
    importlib.import_module("optimizer.analysis.images")


def _load_all() -> None:
    global _loaded
    if not _loaded:
        _plugins()
        for mod in rule_modules():
            importlib.import_module(f"optimizer.rules.{mod}")
        _loaded = True


def all_rules() -> list[Rule]:
    """Every rule, in fix order (the order of the rule modules; rules registered at run time last)."""
    _load_all()
    return rules_matching(lambda _code, _name: True)


def _index() -> tuple[tuple[str, str, str], ...] | None:
    """The precompiled index (code, name, module), or None when it does not list exactly the modules found."""
    from optimizer.core.rule_index import INDEX

    return INDEX if [m for _c, _n, m in INDEX] == rule_modules() else None


def rules_matching(selected: Callable[[str, str], bool]) -> list[Rule]:
    """The rules whose (code, name) are selected, in fix order, importing only their modules."""
    index = _index()
    if index is None:  # a rule module the index does not know (tests/test_rule_index.py says to regenerate it)
        _load_all()
        position = {m: k for k, m in enumerate(rule_modules())}
        ordered = sorted(
            _RULES.values(), key=lambda r: position.get(r.func.__module__.rsplit(".", 1)[-1], len(position))
        )
        return [r for r in ordered if selected(r.code, r.name)]
    _plugins()
    out = []
    for code, name, module in index:
        if selected(code, name):
            if code not in _RULES:
                importlib.import_module(f"optimizer.rules.{module}")
            out.append(_RULES[code])
    known = {code for code, _n, _m in index}
    # rules registered at run time, outside optimizer/rules (tests, embedders): after the indexed ones
    out += [r for code, r in _RULES.items() if code not in known and selected(r.code, r.name)]
    return out


def rule_names() -> list[tuple[str, str]]:
    """(code, name) of every rule, without importing them."""
    index = _index()
    if index is None:
        return [(r.code, r.name) for r in all_rules()]
    known = {code for code, _n, _m in index}
    return [(code, name) for code, name, _m in index] + [
        (r.code, r.name) for r in _RULES.values() if r.code not in known
    ]


def get_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    found = rules_matching(lambda code, name: code == key.upper() or name == key.lower())
    return found[0] if found else None
