"""Rule listings and documentation: `dopt rules`, `dopt explain`, and the README's rule table.

``python scripts/gen_rule_table.py`` rewrites the table in README.md from the registry (a test fails
when it is stale), so a new rule needs no hand-written row.
"""

from __future__ import annotations

import json

from optimizer.core.registry import Rule, all_rules


def sorted_rules() -> list[Rule]:
    return sorted(all_rules(), key=lambda r: r.code)


def safety(r: Rule) -> str:
    """What the rule's fixes are: safe, unsafe, safe or unsafe (per fix), or report only.

    Read from the "Fix safety" section of its documentation, which every rule has.
    """
    if r.fix == "none":
        return "report only"
    text = r.sections().get("Fix safety", "").lower()
    unsafe = "unsafe" in text
    safe = "safe" in text.replace("unsafe", "")
    if safe and unsafe:
        return "safe or unsafe"
    return "unsafe" if unsafe else "safe"


def rules_text() -> str:
    rows = []
    for r in sorted_rules():
        hado = f" (hadolint {', '.join(r.hadolint)})" if r.hadolint else ""
        rows.append(f"{r.code}  {r.name:<28} {safety(r):<14} {r.summary}{hado}\n")
    return "".join(rows)


def rules_json() -> str:
    data = [
        {
            "code": r.code,
            "name": r.name,
            "summary": r.summary,
            "fix": r.fix,
            "safety": safety(r),
            "hadolint": list(r.hadolint),
            "options": dict(r.options),
        }
        for r in sorted_rules()
    ]
    return json.dumps(data, indent=2) + "\n"


def explain_rule(r: Rule) -> str:
    hado = f"\nAnswers hadolint: {', '.join(r.hadolint)}\n" if r.hadolint else ""
    return f"# {r.code} {r.name}\n\n{r.summary}\n{hado}\nFixes: {safety(r)}\n\n{r.doc}\n"


def explain_one(code: str) -> str | None:
    """A rule by code or name; a hadolint code shows every dopt rule that answers it."""
    from optimizer.core.registry import get_rule
    from optimizer.core.selectors import is_hadolint, is_shellcheck, rules_for_hadolint

    if is_shellcheck(code) and code.strip().upper() != "SC":
        return _explain_shellcheck(code.strip().upper())
    if is_hadolint(code):
        found = rules_for_hadolint(code)
        if not found:
            return None
        head = f"hadolint {code.upper()} is answered by {', '.join(r.code for r in found)}.\n\n"
        return head + "\n".join(explain_rule(r) for r in found)
    r = get_rule(code)
    return explain_rule(r) if r is not None else None


SHELLCHECK_WIKI = "https://www.shellcheck.net/wiki/"


def _explain_shellcheck(code: str) -> str:
    """An SC code: where ShellCheck documents it, then the rule that reports it."""
    from optimizer.core import tools
    from optimizer.core.registry import get_rule

    r = get_rule(tools.SHELLCHECK_RULE[0])
    assert r is not None
    installed = "" if tools.shellcheck() is not None else f" (ShellCheck is not installed: {tools.SHELLCHECK_INSTALL})"
    head = (
        f"ShellCheck {code} is reported by {r.code} ({r.name}){installed}.\n"
        f"What it means and how to fix it: {SHELLCHECK_WIKI}{code}\n\n"
    )
    return head + explain_rule(r)


def explain_all() -> str:
    """Every rule's documentation, by code, as one Markdown document (with the table first)."""
    parts = ["# dopt rules\n\n", rule_table(), "\n"]
    for r in sorted_rules():
        body = explain_rule(r).replace("\n## ", "\n### ").replace("# ", "## ", 1)
        parts.append(body + "\n")
    return "".join(parts)


def rule_table() -> str:
    """The Markdown table of every rule (README.md's "Rules" table)."""
    lines = ["| code | name | what | fix | hadolint |", "| --- | --- | --- | --- | --- |"]
    for r in sorted_rules():
        level = " (level *error*)" if r.severity == "error" else ""
        lines.append(f"| {r.code} | {r.name} | {r.summary}{level} | {safety(r)} | {', '.join(r.hadolint) or '–'} |")
    return "\n".join(lines) + "\n"
