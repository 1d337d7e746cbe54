"""``dopt batch --report OUT.jsonl``: one summary over every line of a ``batch --verify`` run.

Files proven, held back (proven with some fixes left out), unchanged, failed (the rewrite breaks and
nothing was held back), whose original does not work, and errors; the bytes the proven rewrites save;
the rules held back most often, each with its most frequent reasons; the slowest builds. Markdown (a
page for the people who decide) or JSON. Lines of a plain ``batch`` run (no ``status``) are counted
apart; a half-written last line is skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from optimizer.app.formats import md_code, md_message, md_text
from optimizer.errors import DoptError

TOP_RULES = 10
TOP_REASONS = 3
SLOWEST = 5
STATUSES = ("proven", "held-back", "unchanged", "failed", "original-broken", "error")


def load(path: str) -> list[dict[str, Any]]:
    """The records of the file, the last one per path (a rerun appends the retried files again)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise DoptError(f"{path}: cannot read: {e.strerror or e}") from None
    out: dict[str, dict[str, Any]] = {}
    for line in data.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("path"), str):
            out[rec["path"]] = rec
    return list(out.values())


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(_status(r) for r in records)
    saved = [r["bytes_saved"] for r in records if _status(r) in ("proven", "held-back") and r.get("bytes_saved")]
    held: dict[str, dict[str, Any]] = {}
    for r in records:
        for h in r.get("held_back") or []:
            entry = held.setdefault(h["code"], {"code": h["code"], "name": h.get("name", ""), "files": 0, "fixes": 0})
            entry["files"] += 1
            entry["fixes"] += len(h.get("fixes") or [])
            entry.setdefault("_reasons", Counter()).update(dict.fromkeys(h.get("reasons") or [], 1))
    rules = sorted(held.values(), key=lambda e: (-e["files"], -e["fixes"], e["code"]))[:TOP_RULES]
    for e in rules:
        e["reasons"] = [{"reason": k, "files": n} for k, n in e.pop("_reasons").most_common(TOP_REASONS)]
    for e in held.values():
        e.pop("_reasons", None)
    builds = []
    for r in records:
        for label in ("original", "rewritten"):
            img = r.get(label) or {}
            if img.get("build_seconds") is not None and img.get("built") is not None:
                builds.append(
                    {"path": r["path"], "image": label, "seconds": img["build_seconds"], "built": img["built"]}
                )
    builds.sort(key=lambda b: -float(b["seconds"] or 0))
    failed = [
        {"path": r["path"], "status": _status(r), "why": _why(r)}
        for r in records
        if _status(r) in ("failed", "original-broken", "error")
    ]
    return {
        "files": len(records),
        "counts": {s: counts.get(s, 0) for s in (*STATUSES, "not verified") if counts.get(s, 0) or s in STATUSES},
        "bytes_saved": sum(saved),
        "held_back_rules": rules,
        "slowest_builds": builds[:SLOWEST],
        "task_seconds": round(sum(float(r.get("seconds") or 0) for r in records), 1),
        "not_proven": failed,
    }


def _status(r: dict[str, Any]) -> str:
    if r.get("error"):
        return "error"
    return str(r.get("status") or "not verified")


def _why(r: dict[str, Any]) -> str:
    if r.get("error"):
        return str(r["error"])
    if _status(r) == "original-broken":
        img = r.get("original") or {}
        return (
            "did not build: " + (img.get("failed_step") or "see its log")
            if not img.get("built")
            else "its smoke test, health check or run fails"
        )
    img = r.get("rewritten") or {}
    if not img.get("built"):
        return "the rewrite did not build: " + (img.get("failed_step") or "see its log")
    problems = img.get("parity_problems") or []
    if problems:
        return str(problems[0])
    if img.get("smoke_code") not in (None, 0):
        return f"the rewrite's smoke test exited with code {img['smoke_code']}"
    if img.get("health") == "failed":
        return "the rewrite's HEALTHCHECK did not pass"
    return "the rewrite does not work"


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def render_markdown(s: dict[str, Any]) -> str:
    c = s["counts"]
    lines = [f"# dopt: verified rewrite of {s['files']} Dockerfile{'s' if s['files'] != 1 else ''}", ""]
    lines += ["| files | |", "|:--|--:|"]
    labels = {
        "proven": "proven (every fix kept)",
        "held-back": "proven with fixes held back",
        "unchanged": "unchanged (nothing to fix)",
        "failed": "failed (the rewrite breaks)",
        "original-broken": "the original does not work",
        "error": "errors (run again to retry)",
        "not verified": "not verified (lines of a plain batch)",
    }
    lines += [f"| {labels[k]} | {v} |" for k, v in c.items()]
    lines += [
        "",
        f"**Bytes saved** by the proven rewrites: {_mb(s['bytes_saved'])} (uncompressed, summed over files).",
        "",
    ]
    if s["held_back_rules"]:
        lines += ["## Rules held back most often", ""]
        for e in s["held_back_rules"]:
            name = f" {md_text(e['name'])}" if e["name"] else ""
            files = f"{e['files']} file{'s' if e['files'] != 1 else ''}"
            lines.append(
                f"- **{md_text(e['code'])}**{name}: {files}, {e['fixes']} fix{'es' if e['fixes'] != 1 else ''}"
            )
            lines += [f"  - {md_message(x['reason'])} ({x['files']})" for x in e["reasons"]]
        lines.append("")
    if s["slowest_builds"]:
        lines += ["## Slowest builds", "", "| file | image | seconds |", "|:--|:--|--:|"]
        for b in s["slowest_builds"]:
            mark = "" if b["built"] else " (failed)"
            lines.append(f"| {md_code(b['path'], in_table=True)} | {b['image']}{mark} | {float(b['seconds']):.0f} |")
        lines.append("")
    if s["not_proven"]:
        lines += ["## Not proven", ""]
        lines += [f"- {md_code(x['path'])} ({x['status']}): {md_message(x['why'])}" for x in s["not_proven"]]
        lines.append("")
    lines.append(f"_Task time, summed over files: {s['task_seconds']:,.0f} s._")
    return "\n".join(lines) + "\n"


def report(path: str, output_format: str) -> str:
    summary = summarize(load(path))
    if output_format == "json":
        return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    return render_markdown(summary)
