"""Output formats of `dopt check`: json, sarif (2.1.0), github (workflow commands), gitlab (Code Quality),
junit (XML), rdjson (reviewdog).

``FORMATS`` is the one list of them (the option table, the fast parser and the CLI read it). Every
renderer works from the format-neutral records of ``actions.json_records``; a record's ``severity``
(error, warning, info or style: the rule's, or hadolint's from a .hadolint.yaml ``override``) maps to each
format's levels through the one table of ``core/severity.py``.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from optimizer import __version__

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "rdjson")
Record = dict[str, Any]


def render(fmt: str, records: list[Record], files: list[str] | None = None) -> str:
    """``files``: every file checked, in order (junit lists the clean ones too)."""
    if fmt == "json":
        return json.dumps([_public(r) for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(records), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(github_line(r) + "\n" for r in records)
    if fmt == "gitlab":
        return json.dumps(gitlab(records), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return junit(records, files)
    if fmt == "rdjson":
        return json.dumps(rdjson(records), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown output format {fmt!r}")


def _severity(rec: Record, output: str) -> str:
    """What ``output`` calls the record's level (error, warning, info or style: ``core/severity.py``)."""
    from optimizer.core import severity

    return severity.name(severity.level(rec["code"], rec.get("severity")), output)


def _strip(loc: dict[str, int]) -> dict[str, int]:
    return {"row": loc["row"], "column": loc["column"]}


def _public(r: Record) -> Record:
    """The JSON record without the byte columns kept for rdjson."""
    out = dict(r, location=_strip(r["location"]), end_location=_strip(r["end_location"]))
    if r["fix"] is not None:
        out["fix"] = dict(
            r["fix"],
            edits=[
                dict(e, location=_strip(e["location"]), end_location=_strip(e["end_location"]))
                for e in r["fix"]["edits"]
            ],
        )
    return out


# -- SARIF 2.1.0 ----------------------------------------------------------------


def repo_relative(path: str) -> str:
    """The path relative to its repository root (a folder with .git), else to the current folder."""
    full = os.path.abspath(path)
    d = os.path.dirname(full)
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            base = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            base = os.getcwd()
            break
        d = parent
    rel = os.path.relpath(full, base)
    return rel.replace(os.sep, "/")


def _region(start: dict[str, int], end: dict[str, int]) -> dict[str, int]:
    region = {"startLine": start["row"], "startColumn": start["column"]}
    if (end["row"], end["column"]) > (start["row"], start["column"]):
        region.update(endLine=end["row"], endColumn=end["column"])
    return region


def sarif(records: list[Record]) -> dict[str, Any]:
    from optimizer.core.registry import all_rules

    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for rec in records:
        uri = quote(repo_relative(rec["filename"])) if rec["filename"] != "-" else "-"
        location = {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": _region(rec["location"], rec["end_location"]),
        }
        result: dict[str, Any] = {
            "ruleId": rec["code"],
            "ruleIndex": index[rec["code"]],
            "level": _severity(rec, "sarif"),
            "message": {"text": rec["message"]},
            "locations": [{"physicalLocation": location}],
        }
        fix = rec["fix"]
        if fix is not None and rec["fixable"]:
            result["fixes"] = [
                {
                    "description": {"text": fix["message"] or f"{rec['code']} {rec['name']}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                            "replacements": [
                                {
                                    "deletedRegion": _region(e["location"], e["end_location"]),
                                    "insertedContent": {"text": e["content"]},
                                }
                                for e in fix["edits"]
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dopt",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {"text": r.sections().get("What it does", r.summary)},
                                "help": {"text": r.doc, "markdown": r.doc},
                                "defaultConfiguration": {"level": r.severity},
                                "properties": {"fix": r.fix, "hadolint": list(r.hadolint)},
                            }
                            for r in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
                "results": results,
            }
        ],
    }


# -- GitHub workflow commands -------------------------------------------------------


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def workspace_relative(path: str) -> str:
    """A path as GitHub annotations want it: relative to the workspace root (``GITHUB_WORKSPACE``, else the
    current folder), with forward slashes and no ``./``; a file outside it keeps its absolute path."""
    if path == "-":
        return path
    root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    full = os.path.abspath(path)
    rel = os.path.relpath(full, os.path.abspath(root))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def github_line(rec: Record) -> str:
    start, end = rec["location"], rec["end_location"]
    props = [
        f"file={_escape_property(workspace_relative(rec['filename']))}",
        f"line={start['row']}",
        f"col={start['column']}",
        f"endLine={end['row']}",
        f"endColumn={end['column']}",
        f"title={_escape_property(rec['code'] + ' ' + rec['name'])}",
    ]
    message = rec["message"]  # no ` [*]`: an annotation is read on GitHub, where `--fix` means nothing
    command = _severity(rec, "github")
    return f"::{command} {','.join(props)}::{_escape_data(message)}"


# -- GitLab Code Quality (a subset of Code Climate's issue format) ------------------------


def gitlab(records: list[Record]) -> list[dict[str, Any]]:
    """One issue per finding; paths relative to the repository; fingerprints stable across line moves.

    The fingerprint hashes the path, the code, the message and how many identical findings came
    before in the file, not the line: a finding that only moved is the same finding to GitLab.
    """
    import hashlib

    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for rec in records:
        path = repo_relative(rec["filename"]) if rec["filename"] != "-" else "-"
        key = (path, rec["code"], rec["message"])
        n = seen[key] = seen.get(key, -1) + 1
        digest = hashlib.sha256("\0".join([*key, str(n)]).encode("utf-8")).hexdigest()
        start, end = rec["location"], rec["end_location"]
        out.append(
            {
                "type": "issue",
                "check_name": rec["code"],
                "description": f"{rec['code']} {rec['message']}",
                "categories": ["Style"],
                "severity": _severity(rec, "gitlab"),
                "fingerprint": digest,
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": start["row"], "column": start["column"]},
                        "end": {"line": end["row"], "column": end["column"]},
                    },
                },
            }
        )
    return out


# -- JUnit XML ----------------------------------------------------------------------------


def junit(records: list[Record], files: list[str] | None = None) -> str:
    """A test suite per file, a failing test case per finding (a file without findings: one passing case)."""
    from xml.etree import ElementTree as ET

    by_file: dict[str, list[Record]] = {f: [] for f in files or []}
    for rec in records:
        by_file.setdefault(rec["filename"], []).append(rec)
    total = sum(max(1, len(v)) for v in by_file.values())
    root = ET.Element("testsuites", name="dopt", tests=str(total), failures=str(len(records)), errors="0", time="0")
    for path, recs in by_file.items():
        suite = ET.SubElement(
            root, "testsuite", name=path, tests=str(max(1, len(recs))), failures=str(len(recs)), errors="0"
        )
        suite.set("time", "0")
        suite.set("file", path)
        if not recs:
            ET.SubElement(suite, "testcase", name="no findings", classname=path, time="0")
            continue
        for rec in recs:
            row, col = rec["location"]["row"], rec["location"]["column"]
            case = ET.SubElement(
                suite, "testcase", name=f"{rec['code']} {rec['name']} (line {row})", classname=path, time="0"
            )
            failure = ET.SubElement(case, "failure", message=rec["message"], type=rec["code"])
            failure.text = f"{path}:{row}:{col}: {rec['code']} {rec['message']}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- reviewdog rdjson ------------------------------------------------------------------


def _rd_pos(loc: dict[str, int]) -> dict[str, int]:
    return {"line": loc["row"], "column": loc["byte_column"]}  # reviewdog counts columns in UTF-8 bytes


def rdjson(records: list[Record]) -> dict[str, Any]:
    diagnostics = []
    for rec in records:
        diag: dict[str, Any] = {
            "message": rec["message"],
            "location": {
                "path": rec["filename"],
                "range": {"start": _rd_pos(rec["location"]), "end": _rd_pos(rec["end_location"])},
            },
            "severity": _severity(rec, "rdjson"),
            "code": {"value": rec["code"]},
        }
        if rec["fix"] is not None and rec["fixable"]:
            diag["suggestions"] = [
                {"range": {"start": _rd_pos(e["location"]), "end": _rd_pos(e["end_location"])}, "text": e["content"]}
                for e in rec["fix"]["edits"]
            ]
        diagnostics.append(diag)
    return {"source": {"name": "dopt"}, "severity": "WARNING", "diagnostics": diagnostics}


# -- Markdown (dopt verify's pull-request body) ---------------------------------------------
# Text from a Dockerfile or from build output goes through these, never into Markdown as it is: it
# could open a link, an HTML tag, a table cell or a code block, or mention a person (@name).

_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~")
_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {127: None}


def md_text(s: str) -> str:
    """Plain text as one line of Markdown that renders as itself: HTML characters as entities, Markdown
    punctuation backslash-escaped (a colon before a word too: no :emoji: shortcode), `@` and `#`
    followed by a zero-width space (no mention, no issue link)."""
    out = []
    import re

    text = re.sub(r"\s+", " ", s.translate(_CONTROL))  # one line; a space at either end is kept (md_message)
    for i, ch in enumerate(text):
        if ch == ":" and text[i + 1 : i + 2].isalnum():
            out.append("\\:")  # no :emoji: shortcode
        elif ch in _MD_ENTITY:
            out.append(_MD_ENTITY[ch])
        elif ch in "@#":
            out.append((ch if ch == "@" else "\\#") + "&#8203;")
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md_code(s: str, in_table: bool = False) -> str:
    """Text as an inline code span (one line; a fence longer than any run of backticks inside; in a
    table cell, pipes escaped, which GitHub's tables need even inside code)."""
    s = " ".join(s.translate(_CONTROL).split())
    import re

    runs = [len(m) for m in re.findall(r"`+", s)]
    longest = max(runs, default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    if in_table:
        s = s.replace("|", "\\|")
    return f"{fence}{pad}{s}{pad}{fence}"


def md_message(s: str) -> str:
    """A dopt message, whose `backticks` quote Dockerfile text: the quotes as code spans, the rest as text."""
    parts = s.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no pairs to trust
        return md_text(s)
    return "".join(md_code(p) if i % 2 and p else md_text("``" if i % 2 else p) for i, p in enumerate(parts))


def md_block(s: str, info: str = "text") -> str:
    """Text as a fenced code block (a fence longer than any inside), control characters removed."""
    s = s.translate(_CONTROL).rstrip("\n")
    import re

    runs = [len(m) for m in re.findall(r"^[ \t]*(`{3,}|~{3,})", s, re.M)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{info}\n{s}\n{fence}\n"
