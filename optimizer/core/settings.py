"""What decides which rules run and which fixes apply: built by the configuration layer, read by the engine."""

from __future__ import annotations

from typing import Any

from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.registry import Rule, rules_matching
from optimizer.records import field, record

# Where the budget starts. bench/scaling.py measures every rule linear; all rules together cost up to ~0.3 ms
# per instruction (apt chains, the worst workload), so 5,000 instructions take ~1.5 s unbudgeted. Above that,
# the 6 s budget (plus parsing, ~1.5 s for 5 MB) bounds a run however large the file (5 MB: ~110,000 instructions).
LARGE_FILE = 5_000
BUDGET_SECONDS = 6.0


@record
class Settings:
    select: set[str] | None = None  # None = all rules
    ignore: set[str] = field(default_factory=set)
    unsafe_fixes: bool = False
    fixable: set[str] | None = None
    unfixable: set[str] = field(default_factory=set)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    context: str | None = None  # the build context folder (default: the Dockerfile's folder)
    cache_mounts: bool = False  # cache-cleaning rules keep caches in BuildKit cache mounts (analysis/cache_mounts.py)
    drop: frozenset[tuple[str, str, str]] = frozenset()  # fixes never to apply: (code, message, text) (--bisect)
    large_file: int = LARGE_FILE  # documents with more instructions are linted against a budget (core/budget.py)
    budget_seconds: float = BUDGET_SECONDS  # that budget: for all rules and every fix round of one document
    target: str | None = None  # the stage that is built (`--target`); None: the last stage
    target_source: str | None = None  # where ``target`` came from when no option set it (a compose file)

    def key(self) -> object:
        """What decides the findings (for caches); fixability does not change them."""
        return (
            frozenset(self.select) if self.select is not None else None,
            frozenset(self.ignore),
            repr(sorted(self.rule_options.items())),
            self.context,
            self.cache_mounts,
            self.large_file,
            self.budget_seconds,
            self.target,
        )

    def rules(self) -> list[Rule]:
        """The selected rules, in fix order (only their modules are imported). A sub-selector (``DOP430:SC2086``,
        what ``SC2086`` expands to) selects its rule, whose other findings ``keeps`` then drops."""
        select, ignore = self.select, self.ignore
        partly = {s.partition(":")[0].upper() for s in select or () if ":" in s}
        return rules_matching(
            lambda code, name: (
                (select is None or code in partly or _matches_code(code, name, select))
                and not _matches_code(code, name, ignore)
            )
        )

    def keeps(self, d: Diagnostic) -> bool:
        """Whether the sub-selectors let this finding through: ``--ignore SC2086`` drops the ShellCheck rule's
        SC2086 findings, ``--select SC2086`` keeps only those (unless the whole rule is selected too)."""
        if not d.hadolint:
            return True
        subs = [f"{d.code}:{h}" for h in d.hadolint]
        if any(s in self.ignore for s in subs):
            return False
        if self.select is None or _matches_code(d.code, d.name, self.select):
            return True
        return any(s in self.select for s in subs)

    def may_fix(self, d: Diagnostic) -> bool:
        if d.fix is None:
            return False
        if d.fix.applicability is Applicability.UNSAFE and not self.unsafe_fixes:
            return False
        if self.fixable is not None and not _matches_code(d.code, d.name, self.fixable):
            return False
        return not _matches_code(d.code, d.name, self.unfixable)


def _matches_code(code: str, name: str, selectors: set[str]) -> bool:
    for s in selectors:
        s = s.strip()
        if ":" in s:  # a sub-selector (DOP430:SC2086) names findings, not the rule
            continue
        if s.upper() == "ALL" or s.lower() == name or (s.upper() and code.startswith(s.upper())):
            return True
    return False
