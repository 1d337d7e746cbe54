"""Links from a diagnostic to its rule's documentation (LSP `codeDescription.href`). No pygls here."""

from __future__ import annotations

import os

from optimizer import __version__

DOCS_ENV = "DOPT_RULE_DOCS_URL"
_HREFS: dict[str, str | None] = {}
_DOCS_BASE: list[str] = []  # the client's `initializationOptions.ruleDocsUrl`, when it gives one


def set_docs_base(base: str) -> None:
    """The client's `initializationOptions.ruleDocsUrl`."""
    if base.strip():
        _DOCS_BASE.append(base.strip())
        _HREFS.clear()


def rule_doc_href(code: str) -> str | None:
    """Where an editor opens the rule's documentation (the diagnostic's `codeDescription.href`).

    A base URL from the client (`initializationOptions: {"ruleDocsUrl": ...}`) or `$DOPT_RULE_DOCS_URL` wins:
    `{code}` in it is replaced by the code, else the code is appended as a path segment. Without one, the
    documentation `dopt explain CODE` prints is written once to the cache folder and linked as a file:
    it is the installed version's own text and opens without a network. ShellCheck's codes link to its wiki.
    """
    if code in _HREFS:
        return _HREFS[code]
    base = _DOCS_BASE[-1] if _DOCS_BASE else os.environ.get(DOCS_ENV, "").strip()
    href: str | None
    if code.startswith("SC") and code[2:].isdigit():
        href = f"https://www.shellcheck.net/wiki/{code}"
    elif base:
        href = base.replace("{code}", code) if "{code}" in base else f"{base.rstrip('/')}/{code}"
    else:
        href = _doc_file(code)
    _HREFS[code] = href
    return href


def _doc_file(code: str) -> str | None:
    from pathlib import Path

    from optimizer.app.lsp_boot import cache_dir
    from optimizer.app.ruledocs import explain_one

    text = explain_one(code)
    if text is None:
        return None
    folder = Path(cache_dir()) / "rules" / __version__
    target = folder / f"{code}.md"
    try:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{code}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
    except OSError:
        return None
    return target.resolve().as_uri()
