"""``--output-format markdown``: the verify report as a pull-request body, one section per Dockerfile.

A reviewer decides from this page alone: size before and after, layers, build seconds, smoke test,
health check, run-time parity and the user each image runs as; every fix applied (with the bytes its
rule saves, when ``--attribute`` measured them); every fix held back with what failed with it in.
Everything that comes from the Dockerfile or from the build goes through ``formats.md_*``.
"""

from __future__ import annotations

from optimizer.app.formats import md_block, md_code, md_message, md_text
from optimizer.app.verify.core import ImageReport, VerifyReport, failure_reasons
from optimizer.core.registry import get_rule


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f} MB"


def _signed_mb(n: int) -> str:
    return f"{n / 1e6:+,.1f} MB".replace("-", "−")


def _verdict(report: VerifyReport) -> str:
    if not report.original.works:
        return "⚠️ **The original itself does not work** with " + md_text(report.builder) + ": nothing to compare."
    if report.regression:
        if report.rewritten.built and not report.rewritten.parity_ok:
            return "❌ **The rewrite does not behave like the original at run time.** Do not merge."
        return "❌ **The original works but the rewrite does not.** Do not merge."
    if report.unchanged and not report.held_back:
        return "✅ The rewrite changes nothing."
    if report.unchanged:
        return "✅ **Every fix is held back**: the file stays as it is."
    return (
        "✅ **The rewrite builds and behaves like the original** (built and run with " + md_text(report.builder) + ")."
    )


def _run_cell(img: ImageReport) -> str:
    rt = img.runtime
    if rt is None:
        return "–"
    if rt.status == "running":
        return f"still running after {rt.seconds:g} s"
    return f"exited with code {rt.exit_code} after {rt.seconds:g} s"


def _table(report: VerifyReport) -> list[str]:
    a, b = report.original, report.rewritten
    cols = [a] if report.unchanged else [a, b]
    head = "| | original |" + ("" if report.unchanged else " rewrite |")
    rows = [head, "|:--|--:|" + ("" if report.unchanged else "--:|")]

    def row(name: str, cells: list[str]) -> None:
        rows.append(f"| {name} | " + " | ".join(cells) + " |")

    if not all(img.built for img in cols):
        row("built", ["yes" if img.built else "**no**" for img in cols])
    size = [_mb(img.size) if img.built else "–" for img in cols]
    if len(cols) == 2 and a.size and b.size is not None and b.built:
        size[1] += f" ({_signed_mb(b.size - a.size)}, {report.change or 0:+.1f}%)".replace("-", "−")
    row("size (uncompressed)", size)
    if any(img.compressed for img in cols):
        row("compressed", [_mb(img.compressed) for img in cols])
    row("layers", [str(img.layers) if img.built else "–" for img in cols])
    row("build", [f"{img.build_seconds:.0f} s" for img in cols])
    row("runs as", [md_code(img.user or "root", in_table=True) if img.built else "–" for img in cols])
    if any(img.smoke_code is not None for img in cols):
        row("smoke test", ["–" if img.smoke_code is None else f"exit {img.smoke_code}" for img in cols])
    if any(img.health not in ("", "none") for img in cols):
        row("health check", [img.health if img.health not in ("", "none") else "–" for img in cols])
    if any(img.runtime is not None for img in cols):
        row("own command", [_run_cell(img) for img in cols])
        if len(cols) == 2 and b.runtime is not None:
            row("run-time parity", ["–", "same" if b.parity_ok else "**broken**"])
    return rows


def _applied(report: VerifyReport) -> list[str]:
    if not report.fixes:
        return []
    out = [f"### Applied ({len(report.fixes)} fix{'es' if len(report.fixes) != 1 else ''})", ""]
    saved = {a.code: a for a in report.attribution}
    by_rule: dict[str, list[str]] = {}
    for f in report.fixes:
        by_rule.setdefault(f.split(":", 1)[0], []).append(f.split(":", 1)[1].strip() if ":" in f else f)
    for code, messages in by_rule.items():
        a = saved.get(code)
        if a is None:
            size = ""
        elif a.bytes_saved is None:
            size = " — the rewrite without it did not build"
        else:
            size = f" — saves {_mb(a.bytes_saved)}" if a.bytes_saved >= 0 else f" — adds {_mb(-a.bytes_saved)}"
        rule = get_rule(code)
        name = f" {md_text(rule.name)}" if rule else ""
        out.append(f"- **{md_text(code)}**{name}{size}")
        out += [f"  - {md_message(m)}" for m in messages]
    for f in sorted(report.files):
        before = report.file_sources.get(f)
        out.append(f"- writes {md_code(f)} ({'new file' if before is None else 'appended to'})")
    if report.fixes and not report.attribution:
        out += ["", "_Bytes per rule: run `dopt verify --attribute` (one more build per rule)._"]
    elif report.attribution:
        out += [
            "",
            "_Bytes per rule: the rewrite built again without that rule; rules interact, so these need not add up._",
        ]
    return out + [""]


def _held_back(report: VerifyReport) -> list[str]:
    if report.held_back:
        held = report.held_back
        n = sum(len(h.fixes) for h in held)
        out = [f"### Held back ({n} fix{'es' if n != 1 else ''})", ""]
        for h in held:
            name = f" {md_text(h.name)}" if h.name else ""
            out.append(f"- **{md_text(h.code)}**{name}")
            out += [f"  - {md_message(f.split(':', 1)[1].strip() if ':' in f else f)}" for f in h.fixes]
            out += [f"  - ❌ with it: {md_message(r)}" for r in h.reasons] or ["  - ❌ with it: the rewrite fails"]
        return out + [""]
    if report.regression:
        reasons = failure_reasons(report.rewritten)
        out = ["### What failed", ""] + [f"- {md_message(r)}" for r in reasons]
        return out + ["", "_`dopt rewrite --verify` (or `dopt verify --bisect`) finds the fixes to hold back._", ""]
    return []


def _details(report: VerifyReport) -> list[str]:
    imgs = [("original", report.original)]
    if report.all_fixes:
        imgs.append(("rewrite with every fix", report.all_fixes))
    if not report.unchanged:
        imgs.append(("rewrite, verified" if report.all_fixes else "rewrite", report.rewritten))
    out: list[str] = []
    for label, img in imgs:
        parts: list[str] = []
        if not img.built:
            parts += [f"Did not build: {md_message(img.failed_step or 'see the log')}", "", md_block(img.log_tail)]
        if img.smoke_code not in (None, 0):
            parts += [f"Smoke test exit {img.smoke_code}:", "", md_block(img.smoke_output[-2000:])]
        if img.health == "failed":
            parts += ["Health check output:", "", md_block(img.health_output[-2000:])]
        rt = img.runtime
        if rt is not None:
            if rt.write_set:
                shown = ", ".join(md_code(p) for p in rt.write_set[:12])
                more = f" and {len(rt.write_set) - 12} more" if len(rt.write_set) > 12 else ""
                parts.append(f"- wrote: {shown}{more}")
            if rt.home_state:
                parts.append(f"- HOME: {md_code(rt.home or 'not set')} ({rt.home_state})")
            parts += [f"- parity: {md_message(p)}" for p in rt.problems]
            parts += [f"- warning: {md_message(w)}" for w in rt.warnings]
            if rt.output_tail:
                parts += ["", "Last lines of output:", "", md_block(rt.output_tail)]
        if parts:
            body = "\n".join(parts).rstrip("\n")
            out += [f"<details><summary>{label}</summary>", "", body, "", "</details>", ""]
    return out


def _layers(report: VerifyReport) -> list[str]:
    """With --layers: each image's layers (top first), their largest folders and what a rule would cut, folded."""
    if report.layers is None:
        return []
    from optimizer.app.verify.layers import mb, short

    out: list[str] = []
    for label, img in report.layers.items():
        if label == "rewritten" and report.unchanged:
            continue
        name = "rewrite" if label == "rewritten" else label
        if img.error:
            out += [f"Layers of the {name}: {md_message(img.error)}", ""]
            continue
        n = len(img.layers)
        out += [
            f"<details><summary>Layers of the {name}: {mb(img.size)} in {n} layer{'s' if n != 1 else ''}</summary>",
            "",
            "| # | size | instruction | largest folders | a rule would cut |",
            "|--:|--:|:--|:--|:--|",
        ]
        for layer in reversed(img.layers):
            what = md_code(short(layer.instruction or "(no history)", 120), in_table=True)
            if layer.base:
                what += " (base image)"
            paths = "<br>".join(
                f"{md_code(p.path, in_table=True)} {mb(p.bytes)}" + (f" → {md_text(p.rule)}" if p.rule else "")
                for p in layer.paths
            )
            cuts = "<br>".join(
                f"**{md_text(c.rule)}** {md_text(c.name)}: {md_code(c.path, in_table=True)} {mb(c.bytes)}"
                for c in layer.cuts
            )
            out.append(f"| {layer.index} | {mb(layer.size)} | {what} | {paths or '–'} | {cuts or '–'} |")
        out += ["", "</details>", ""]
    return out


def render_markdown(report: VerifyReport) -> str:
    """One Dockerfile's section of the pull-request body."""
    lines = [f"## {md_code(report.path)}", "", _verdict(report), ""]
    lines += _table(report) + [""]
    lines += _applied(report)
    lines += _held_back(report)
    lines += _details(report)
    lines += _layers(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_markdown_all(reports: list[VerifyReport]) -> str:
    """The whole body: a title line, then every file's section."""
    n = len(reports)
    head = f"# dopt: verified rewrite of {n} Dockerfile{'s' if n != 1 else ''}\n\n"
    head += (
        "Each image was built before and after the rewrite from the same context, and run: the fixes kept "
        "pass the build, the smoke test, the health check and run-time parity; the others are held back.\n\n"
    )
    return head + "\n".join(render_markdown(r) for r in reports)
