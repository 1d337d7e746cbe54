"""The ``dopt verify`` and ``dopt rewrite --verify`` commands: options, progress, report."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from optimizer.app.verify.core import ImageReport, VerifyReport, verify
from optimizer.core.settings import Settings
from optimizer.syntax.model import Document


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f} MB"


def render_text(report: VerifyReport) -> str:
    lines = [f"{report.path}: verified with {report.builder}"]
    if report.unchanged:
        lines.append("  the rewrite changes nothing")
    images = [report.original] + ([report.all_fixes] if report.all_fixes else []) + [report.rewritten]
    for img in images:
        if not img.built:
            lines.append(f"  {img.label:<10} did not build: {img.failed_step or 'see below'}")
            lines += ["    " + x for x in img.log_tail.splitlines()[-8:]]
            continue
        smoke = "" if img.smoke_code is None else f", smoke exit {img.smoke_code}"
        health = f", health {img.health}" if img.health and img.health != "none" else ""
        comp = f" ({_mb(img.compressed)} compressed)" if img.compressed else ""
        lines.append(
            f"  {img.label:<10} {_mb(img.size)}{comp}, {img.layers} layers, built in "
            f"{img.build_seconds:.0f} s, user {img.user or 'root'}{smoke}{health}"
        )
        if img.smoke_code not in (None, 0):
            lines += ["    " + x for x in img.smoke_output.splitlines()[-8:]]
        if img.health == "failed":
            lines += ["    " + x for x in img.health_output.splitlines()[-8:]]
        if img.runtime is not None:
            lines += _render_runtime(img)
    if report.change is not None and report.rewritten.built:
        lines.append(f"  change: {report.change:+.1f}% ({_mb(report.original.size)} -> {_mb(report.rewritten.size)})")
    if report.fixes:
        lines.append(f"  fixes applied ({len(report.fixes)}):")
        lines += [f"    {f}" for f in report.fixes]
    if report.attribution:
        lines.append(
            "  bytes saved per rule (the rewrite built again without it; rules interact, so these need not add up):"
        )
        for a in report.attribution:
            saved = "did not build" if a.bytes_saved is None else f"{-a.bytes_saved / 1e6:+,.1f} MB"
            lines.append(f"    {saved:>14}  {a.code} {a.name} ({a.fixes} fix{'es' if a.fixes != 1 else ''})")
    if report.dropped:
        lines.append("  left out by --bisect (the rewrite works without them):")
        lines += [f"    {f}" for f in report.dropped]
    if report.layers is not None:
        from optimizer.app.verify.layers import render_text as layer_lines

        for label, found in report.layers.items():
            if label == "rewritten" and report.unchanged:
                continue
            lines += layer_lines(label, found)
    if report.regression and not report.rewritten.parity_ok and report.rewritten.built:
        lines.append("  FAILED: the rewrite does not behave like the original at run time")
    elif report.regression:
        lines.append("  FAILED: the original works but the rewrite does not")
    elif not report.original.works:
        lines.append("  the original itself does not work: nothing to compare")
    else:
        lines.append("  ok: the rewrite builds and works")
    return "\n".join(lines) + "\n"


def _render_runtime(img: ImageReport) -> list[str]:
    rt = img.runtime
    assert rt is not None
    if rt.status == "running":
        state = f"still running after {rt.seconds:g} s"
    else:
        state = f"exited with code {rt.exit_code} after {rt.seconds:g} s"
    home = f", HOME {rt.home or 'not set'} ({rt.home_state})" if rt.home_state else ""
    lines = [f"    run: {state}{home}"]
    if rt.write_set:
        shown = ", ".join(rt.write_set[:6]) + (f" and {len(rt.write_set) - 6} more" if len(rt.write_set) > 6 else "")
        lines.append(f"    wrote: {shown}")
    if rt.problems or (img.label != "original" and rt.output_tail and rt.warnings):
        lines += ["      | " + x for x in rt.output_tail.splitlines()[-5:]]
    lines += [f"    PARITY: {p}" for p in rt.problems]
    lines += [f"    warning: {w}" for w in rt.warnings]
    return lines


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM runs the same cleanup as Ctrl-C: no image or container is left behind."""

    def handler(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


class Progress:
    """On a terminal: a live line with the current step and elapsed time; otherwise plain log lines."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.monotonic()
        self.live = sys.stderr.isatty() and not quiet and not os.environ.get("NO_COLOR_PROGRESS")
        self.status = None
        if self.live:
            from rich.console import Console

            self.status = Console(stderr=True).status("verify")
            self.status.start()

    def __call__(self, message: str) -> None:
        elapsed = time.monotonic() - self.start
        if self.status is not None:
            self.status.update(f"[{elapsed:5.0f} s] {message}")
        elif not self.quiet:
            sys.stderr.write(f"[{elapsed:5.0f} s] {message}\n")
            sys.stderr.flush()

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()


def render(reports: list[VerifyReport], output_format: str) -> str:
    """The reports as text, JSON (one object; a list for several files), Markdown (a pull-request body)
    or HTML (one self-contained page: the layers of both images as stacked bars)."""
    if output_format == "html":
        from optimizer.app.verify.html import render_html

        return render_html(reports)
    if output_format == "json":
        data: object = [r.as_dict() for r in reports] if len(reports) != 1 else reports[0].as_dict()
        return json.dumps(data, indent=2) + "\n"
    if output_format == "markdown":
        from optimizer.app.verify.markdown import render_markdown_all

        return render_markdown_all(reports)
    return "".join(render_text(r) for r in reports)


def run_verify(
    path: str,
    settings: Settings,
    *,
    builder_name: str | None,
    context: str | None,
    smoke: str | None,
    bisect: bool,
    output_format: str,
    quiet: bool,
    write: bool = False,
    check_health: bool = True,
    run_seconds: float = 20,
    attribute: bool = False,
    layers: bool = False,
    reports: list[VerifyReport] | None = None,
    diffs: list[str] | None = None,
) -> int:
    """Exit codes: 0 the rewrite works (or changes nothing); 1 the original works and the rewrite does
    not; 2 usage errors, an unreadable file, no builder, or an original that does not build.

    The report is printed in ``output_format``, unless ``reports`` collects it (several files);
    ``layers`` (implied by the html format) reads each image's layers: where the bytes went;
    ``diffs`` collects the unified diff of the verified rewrite (and of the context files it writes)."""
    from optimizer.app.files import read, write_atomic, write_context_file
    from optimizer.app.verify.builders import BuilderError, pick
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import parse

    try:
        loaded = read(path)
        text = loaded.text
        doc = parse(text, path)
    except DoptError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    ctx = Path(context) if context else Path(path).resolve().parent
    if not ctx.is_dir():
        sys.stderr.write(f"error: the build context {ctx} is not a folder\n")
        return 2
    settings.context = str(ctx)
    try:
        builder = pick(builder_name, bases=_bases(doc))
    except BuilderError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    progress = Progress(quiet or output_format != "text")
    try:
        with _terminate_as_interrupt():
            report = verify(
                path,
                text,
                settings,
                builder,
                ctx,
                smoke,
                bisect,
                progress,
                check_health,
                run_seconds,
                attribute,
                layers=layers or output_format == "html",
            )
    except KeyboardInterrupt:
        progress.stop()
        sys.stderr.write("interrupted: images and containers removed\n")
        return 130
    finally:
        progress.stop()
    if reports is not None:
        reports.append(report)
    else:
        sys.stdout.write(render([report], output_format))
    if not report.original.works:
        what = "does not build" if not report.original.built else "does not work (smoke test, health check)"
        sys.stderr.write(
            f"error: {path}: the original {what} with {builder.name}: nothing to compare; "
            "pick another builder with --builder or DOPT_BUILDER=docker|podman|buildah\n"
        )
        return 2
    if report.regression:
        return 1
    if diffs is not None and not report.unchanged:
        diffs.append(_diff(path, text, report))
    if write and not report.unchanged:
        try:
            if report.rewritten_text != text:
                write_atomic(loaded, report.rewritten_text)
            for f, content in sorted(report.files.items()):
                write_context_file(f, content, report.file_sources.get(f))
        except DoptError as e:
            sys.stderr.write(f"error: {e}\n")
            return 2
        if not quiet:
            sys.stderr.write(f"rewrote {path} (verified)\n")
    return 0


def _diff(path: str, text: str, report: VerifyReport) -> str:
    """The verified rewrite as a unified diff, context files included (as ``rewrite --diff`` prints it)."""
    from optimizer.app.pipeline import Outcome
    from optimizer.core.engine import FixResult
    from optimizer.syntax.parser import parse

    out = Outcome(path, text, parse(text, path))
    out.result = FixResult(text, report.rewritten_text, files=report.files, file_sources=report.file_sources)
    return out.diff()


def _bases(doc: Document) -> list[str]:
    """The images the Dockerfile builds FROM (not its own stages, not scratch, no unexpanded ARGs)."""
    names = {s.name.lower() for s in doc.stages if s.name}
    out = []
    for s in doc.stages:
        base = s.base
        if base and base.lower() not in names and base != "scratch" and "$" not in base and base not in out:
            out.append(base)
    return out


__all__ = ["ImageReport", "VerifyReport", "render", "render_text", "run_verify"]
