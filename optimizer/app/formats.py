"""Machine-readable output of `dopt check`: json, sarif (2.1.0), github (workflow commands), rdjson.

Every renderer works from the format-neutral records of ``actions.json_records``.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from optimizer import __version__

FORMATS = ("text", "json", "sarif", "github", "rdjson")
Record = dict[str, Any]


def render(fmt: str, records: list[Record]) -> str:
    if fmt == "json":
        return json.dumps([_public(r) for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(records), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(github_line(r) + "\n" for r in records)
    if fmt == "rdjson":
        return json.dumps(rdjson(records), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown output format {fmt!r}")


def _severity(code: str) -> str:
    """ "error" for findings the build would fail on, else "warning"."""
    from optimizer.core.registry import get_rule

    r = get_rule(code)
    return r.severity if r is not None else "warning"


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
            "level": _severity(rec["code"]),
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


def github_line(rec: Record) -> str:
    start, end = rec["location"], rec["end_location"]
    props = [
        f"file={_escape_property(rec['filename'])}",
        f"line={start['row']}",
        f"col={start['column']}",
        f"endLine={end['row']}",
        f"endColumn={end['column']}",
        f"title={_escape_property(rec['code'] + ' ' + rec['name'])}",
    ]
    message = rec["message"] + (" [*]" if rec["fixable"] else "")
    return f"::{_severity(rec['code'])} {','.join(props)}::{_escape_data(message)}"


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
            "severity": _severity(rec["code"]).upper(),
            "code": {"value": rec["code"]},
        }
        if rec["fix"] is not None and rec["fixable"]:
            diag["suggestions"] = [
                {"range": {"start": _rd_pos(e["location"]), "end": _rd_pos(e["end_location"])}, "text": e["content"]}
                for e in rec["fix"]["edits"]
            ]
        diagnostics.append(diag)
    return {"source": {"name": "dopt"}, "severity": "WARNING", "diagnostics": diagnostics}
