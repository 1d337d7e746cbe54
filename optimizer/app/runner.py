"""The work behind the CLI, free of any CLI library (fast to import, easy to test)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from optimizer.app.files import Loaded, read, unified_diff, write_atomic
from optimizer.core.engine import FixResult, fix_text, lint
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.settings import Settings
from optimizer.errors import DoptError
from optimizer.syntax.model import Document
from optimizer.syntax.parser import decode, parse


@dataclass
class FileOutcome:
    path: str
    error: DoptError | None = None
    result: FixResult | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    doc: Document | None = None
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed


def _load(path: str, stdin_filename: str | None) -> Loaded:
    if path == "-":
        from optimizer.syntax.parser import MAX_BYTES

        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = stdin_filename or "-"
        return Loaded(name, data, decode(data, name), None)
    return read(path)


def rewrite_one(path: str, settings: Settings, *, write: bool, stdin_filename: str | None = None) -> FileOutcome:
    display = stdin_filename if path == "-" and stdin_filename else path
    out = FileOutcome(display)
    try:
        loaded = _load(path, stdin_filename)
        doc = parse(loaded.text, display)
        out.doc = doc
        out.result = fix_text(loaded.text, display, settings, doc)
        if write and path != "-" and out.result.changed:
            _write(loaded, out.result)
            out.written = True
    except DoptError as e:
        if e.path is None:
            e.path = display
        out.error = e
    return out


def check_one(path: str, settings: Settings, *, fix: bool, stdin_filename: str | None = None) -> FileOutcome:
    display = stdin_filename if path == "-" and stdin_filename else path
    out = FileOutcome(display)
    try:
        loaded = _load(path, stdin_filename)
        doc = parse(loaded.text, display)
        out.doc = doc
        if fix:
            out.result = fix_text(loaded.text, display, settings, doc)
            out.diagnostics = out.result.remaining
            out.doc = parse(out.result.output, display)
            if path != "-" and out.result.changed:
                _write(loaded, out.result)
                out.written = True
        else:
            out.diagnostics = lint(doc, settings)
    except DoptError as e:
        if e.path is None:
            e.path = display
        out.error = e
    return out


def use_color(stream: TextIO, flag: bool | None = None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def format_diagnostic(o: FileOutcome, d: Diagnostic, settings: Settings, color: bool) -> str:
    assert o.doc is not None
    line, col = o.doc.line_of(d.start), o.doc.col_of(d.start)
    fixable = settings.may_fix(d)
    mark = " [*]" if fixable else ""
    code = d.code
    path = o.path
    if color:
        code = f"\x1b[1;31m{code}\x1b[0m"
        path = f"\x1b[1m{path}\x1b[0m"
        mark = " \x1b[36m[*]\x1b[0m" if fixable else ""
    return f"{path}:{line}:{col}: {code} {d.message}{mark}"


def hidden_unsafe(diags: list[Diagnostic], settings: Settings) -> int:
    if settings.unsafe_fixes:
        return 0
    return sum(1 for d in diags if d.fix is not None and d.fix.applicability is Applicability.UNSAFE)


def _write(loaded: Loaded, result: FixResult) -> None:
    """The Dockerfile, then the context files its fixes write (each atomically)."""
    from optimizer.app.files import write_context_file

    if result.output != result.source:
        write_atomic(loaded, result.output)
    for f, text in sorted(result.files.items()):
        write_context_file(f, text, result.file_sources.get(f))


def context_file_name(o: FileOutcome, f: str) -> str:
    """How a context file is named in messages and diffs: beside the Dockerfile's name as given."""
    base = os.path.dirname(os.path.abspath(o.path)) if o.path != "-" else os.getcwd()
    rel = os.path.relpath(f, base)
    if rel.startswith(".."):
        return f
    return os.path.join(os.path.dirname(o.path), rel) if o.path != "-" else rel


def diff_of(o: FileOutcome) -> str:
    assert o.result is not None
    out = unified_diff(o.result.source, o.result.output, o.path)
    for f, text in sorted(o.result.files.items()):
        before = o.result.file_sources.get(f)
        out += unified_diff(before or "", text, context_file_name(o, f), new_file=before is None)
    return out
