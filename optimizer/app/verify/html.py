"""``--output-format html``: one self-contained page, the layers of both images as stacked bars.

Inline SVG and CSS only: no script, no network, no external font (a Content-Security-Policy says so
to the browser too). Each layer is a segment as tall as its bytes; hovering it shows the instruction
that made it and its largest folders (an SVG ``<title>``); the rule that would cut it is written beside
the bar. Tables below give every number in text. Everything that comes from the Dockerfile or the
build (instructions, paths, the file's name) is escaped.
"""

from __future__ import annotations

import html

from optimizer.app.verify.core import VerifyReport
from optimizer.app.verify.layers import ImageLayers, Layer, mb, rule_name, short

BAR_W = 110
LABEL_W = 330
BAR_H = 420
TOP = 30
_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {127: None}

CSS = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d232a;
  background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 4px; }
.summary { margin: 0 0 8px; color: #444; }
svg { display: block; margin: 8px 0 16px; }
svg text { font: 12px system-ui, sans-serif; fill: #1d232a; }
svg .head { font-weight: 600; } svg text.in-bar { fill: #fff; pointer-events: none; }
rect.base { fill: #b7c0c9; } rect.own { fill: #4a78c8; } rect.cut { fill: #e07b39; }
rect { stroke: #fff; stroke-width: 1; } g.layer:hover rect { stroke: #111; stroke-width: 2; }
line { stroke: #888; stroke-width: 1; }
table { border-collapse: collapse; margin: 4px 0 18px; }
th, td { border-bottom: 1px solid #dde; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, "SFMono-Regular", Menlo, monospace; } td code { overflow-wrap: anywhere; }
td { max-width: 420px; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
.error { color: #a40000; }
"""


def esc(text: str) -> str:
    """Text from the Dockerfile or the build, safe in HTML text, attributes and SVG ``<title>``."""
    return html.escape(str(text).translate(_CONTROL), quote=True)


def _kind(layer: Layer) -> str:
    if layer.cuts or any(p.rule for p in layer.paths):
        return "cut"
    return "base" if layer.base else "own"


def _tooltip(layer: Layer) -> str:
    lines = [f"#{layer.index} {mb(layer.size)}: {short(layer.instruction or '(no history)', 200)}"]
    if layer.base:
        lines[0] += " (base image)"
    lines += [f"{p.path}  {mb(p.bytes)}" + (f"  -> {p.rule}" if p.rule else "") for p in layer.paths]
    lines += [f"{c.rule} {c.name} would cut {c.path} ({mb(c.bytes)})" for c in layer.cuts]
    return "\n".join(lines)


def _bars(found: dict[str, ImageLayers], names: dict[str, str]) -> str:
    """The SVG: one stacked bar per image on a common scale, cut labels beside each bar."""
    biggest = max((img.size for img in found.values()), default=0) or 1
    parts: list[str] = []
    height = TOP + BAR_H + 40
    for col, (label, img) in enumerate(found.items()):
        x = 20 + col * (BAR_W + LABEL_W)
        parts.append(
            f'<text class="head" x="{x}" y="{TOP - 12}">{esc(names.get(label, label))}: {esc(mb(img.size))}, '
            f"{len(img.layers)} layers</text>"
        )
        y = float(TOP + BAR_H)  # layers stack from the bottom of the image up
        for layer in img.layers:
            h = max(2.0, layer.size / biggest * BAR_H)
            y -= h
            parts.append(
                f'<g class="layer" data-image="{esc(label)}" data-index="{layer.index}" data-bytes="{layer.size}">'
                f"<title>{esc(_tooltip(layer))}</title>"
                f'<rect class="{_kind(layer)}" x="{x}" y="{y:.1f}" width="{BAR_W}" height="{h:.1f}"/>'
                + (
                    f'<text class="in-bar" x="{x + 6}" y="{y + h / 2 + 4:.1f}">'
                    f"#{layer.index} {esc(mb(layer.size))}</text>"
                    if h >= 18
                    else ""
                )
                + "</g>"
            )
        y = float(TOP + BAR_H)
        labels: list[tuple[float, str]] = []
        for layer in img.layers:
            h = max(2.0, layer.size / biggest * BAR_H)
            y -= h
            cuts = [(c.rule, c.path, c.bytes) for c in layer.cuts]
            named = {c.rule for c in layer.cuts}
            cuts += [(p.rule, p.path, p.bytes) for p in layer.paths if p.rule and p.rule not in named]
            for rule, path, size in cuts[:3]:
                labels.append((y + h / 2, short(f"{rule} {rule_name(rule)}: {path} {mb(size)}", 52)))
        labels.sort(key=lambda t: t[0])  # top down, each pushed below the last when they would overlap
        last = float("-inf")
        for mid, text in labels:
            ty = max(mid + 4, last + 15)
            last = ty
            parts.append(f'<line x1="{x + BAR_W}" y1="{mid:.1f}" x2="{x + BAR_W + 10}" y2="{ty - 4:.1f}"/>')
            parts.append(f'<text class="cut-label" x="{x + BAR_W + 14}" y="{ty:.1f}">{esc(text)}</text>')
        if labels:
            height = max(height, int(last) + 20)
    width = 20 + len(found) * (BAR_W + LABEL_W)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="layers of each image">' + "".join(parts) + "</svg>"
    )


def _table(label: str, img: ImageLayers) -> str:
    if img.error:
        return f'<p class="error">{esc(label)}: {esc(img.error)}</p>'
    rows = [
        f'<table class="layers" data-image="{esc(label)}" data-bytes="{img.size}">'
        f"<caption>{esc(label)}: {esc(mb(img.size))} in {len(img.layers)} layers</caption>"
        "<tr><th>#</th><th>size</th><th>instruction</th><th>largest folders</th><th>a rule would cut</th></tr>"
    ]
    for layer in reversed(img.layers):
        base = " <em>(base image)</em>" if layer.base else ""
        paths = "<br>".join(
            f"<code>{esc(p.path)}</code> {esc(mb(p.bytes))}" + (f" → {esc(p.rule)}" if p.rule else "")
            for p in layer.paths
        )
        cuts = "<br>".join(
            f"{esc(c.rule)} {esc(c.name)}: <code>{esc(c.path)}</code> {esc(mb(c.bytes))} ({esc(c.what)})"
            for c in layer.cuts
        )
        note = f"<br><em>{esc(layer.note)}</em>" if layer.note else ""
        rows.append(
            f'<tr data-index="{layer.index}"><td class="num">{layer.index}</td>'
            f'<td class="num size" data-bytes="{layer.size}">{esc(mb(layer.size))}</td>'
            f"<td><code>{esc(short(layer.instruction or '(no history)', 160))}</code>{base}</td>"
            f"<td>{paths}{note}</td><td>{cuts or '–'}</td></tr>"
        )
    return "".join(rows) + "</table>"


def _section(report: VerifyReport) -> str:
    out = [f"<section><h2><code>{esc(report.path)}</code></h2>"]
    a, b = report.original, report.rewritten
    change = f" ({report.change:+.1f}%)".replace("-", "−") if report.change is not None and b.built else ""
    out.append(
        f'<p class="summary">built with {esc(report.builder)}: original {esc(mb(a.size))}, '
        + ("the rewrite changes nothing" if report.unchanged else f"rewrite {esc(mb(b.size))}{change}")
        + f"; {len(report.fixes)} fix{'es' if len(report.fixes) != 1 else ''} applied.</p>"
    )
    found = dict(report.layers or {})
    if report.unchanged:
        found.pop("rewritten", None)
    names = {"original": "original", "rewritten": "rewrite"}
    drawable = {k: v for k, v in found.items() if not v.error}
    if drawable:
        out.append(_bars(drawable, names))
    elif not found:
        out.append('<p class="error">No layers were read (run dopt verify with --layers).</p>')
    out += [_table(names.get(k, k), v) for k, v in found.items()]
    return "".join(out) + "</section>"


def render_html(reports: list[VerifyReport]) -> str:
    """The whole page: a section per Dockerfile."""
    legend = (
        '<p class="legend">hover a layer for its instruction and largest folders:'
        '<span style="background:#b7c0c9"></span>base image<span style="background:#4a78c8"></span>this Dockerfile'
        '<span style="background:#e07b39"></span>a rule would cut part of it</p>'
    )
    body = "".join(_section(r) for r in reports)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>dopt verify: where the bytes went</title><style>{CSS}</style></head><body>"
        f"<h1>dopt verify: where the bytes went</h1>{legend}{body}</body></html>\n"
    )
