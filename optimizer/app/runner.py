"""The work behind the CLI, free of any CLI library (fast to import, easy to test)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from optimizer.app import pipeline
from optimizer.app.files import Loaded, editing, read, write_atomic
from optimizer.core.engine import FixResult
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.settings import Settings
from optimizer.core.tools import SHELLCHECK_RULE
from optimizer.errors import DoptError, InputError
from optimizer.records import field, record, replace
from optimizer.syntax.model import Document
from optimizer.syntax.parser import decode, parse


@record
class FileOutcome:
    path: str
    error: DoptError | None = None
    result: FixResult | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    doc: Document | None = None
    written: bool = False
    outcome: pipeline.Outcome | None = None

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed

    def diff(self) -> str:
        return self.outcome.diff() if self.outcome is not None else ""

    def file_name(self, f: str) -> str:
        return self.outcome.file_name(f) if self.outcome is not None else f


@contextmanager
def _opened(path: str, stdin_filename: str | None, write: bool) -> Iterator[Loaded]:
    """The input; a file dopt may write is read and kept under its lock (``files.editing``) until written."""
    if write and path != "-":
        with editing(path) as loaded:
            yield loaded
    else:
        yield _load(path, stdin_filename)


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
    # `rewrite` shows no findings, and ShellCheck's (DOP430, report only) never change the output: no process for it
    settings = replace(settings, ignore=settings.ignore | {SHELLCHECK_RULE[0]})
    try:
        with _opened(path, stdin_filename, write) as loaded:
            run = pipeline.run(loaded.text, display, settings, lint_input=False)
            out.outcome, out.doc, out.result = run, run.doc, run.result
            if write and path != "-" and run.result is not None and run.result.changed:
                _write(loaded, run.result)
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
        with _opened(path, stdin_filename, fix) as loaded:
            run = pipeline.run(loaded.text, display, settings, lint_input=not fix, fix=fix)
            out.outcome, out.doc, out.result = run, run.doc, run.result
            if run.result is not None:
                out.diagnostics = run.result.remaining
                out.doc = parse(run.result.output, display)
                if path != "-" and run.result.changed:
                    _write(loaded, run.result)
                    out.written = True
            else:
                out.diagnostics = run.findings
    except DoptError as e:
        if e.path is None:
            e.path = display
        out.error = e
    return out


# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides of "Trojan source"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def printable(text: str) -> str:
    """``text`` safe for a terminal: an escape sequence from a Dockerfile shows as ``\\x1b[…`` instead of
    acting (moving the cursor, retitling the window, hiding lines). Tabs and newlines stay, and so does the
    ``\\r`` of a CRLF line ending."""
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _escape(ch: str) -> str:
    n = ord(ch)
    if ch == "\r":
        return "\\r"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def use_color(stream: TextIO, flag: bool | None = None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def color_diff(diff: str) -> str:
    """A unified diff coloured as `git diff` does: headers bold, hunks cyan, removals red, additions green."""
    out = []
    for line in diff.splitlines(keepends=True):
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if line.startswith(("--- ", "+++ ")):
            out.append(f"\x1b[1m{body}\x1b[0m{end}")
        elif line.startswith("@@"):
            out.append(f"\x1b[36m{body}\x1b[0m{end}")
        elif line.startswith("-"):
            out.append(f"\x1b[31m{body}\x1b[0m{end}")
        elif line.startswith("+"):
            out.append(f"\x1b[32m{body}\x1b[0m{end}")
        else:
            out.append(line)
    return "".join(out)


def format_diagnostic(o: FileOutcome, d: Diagnostic, settings: Settings, color: bool) -> str:
    assert o.doc is not None
    line, col = o.doc.line_of(d.start), o.doc.col_of(d.start)
    fixable = settings.may_fix(d)
    mark = " [*]" if fixable else ""
    code = d.code
    path = printable(o.path)
    message = printable(d.message)
    if color:
        code = f"\x1b[1;31m{code}\x1b[0m"
        path = f"\x1b[1m{path}\x1b[0m"
        mark = " \x1b[36m[*]\x1b[0m" if fixable else ""
    return f"{path}:{line}:{col}: {code} {message}{mark}"


def hidden_unsafe(diags: list[Diagnostic], settings: Settings) -> int:
    if settings.unsafe_fixes:
        return 0
    return sum(1 for d in diags if d.fix is not None and d.fix.applicability is Applicability.UNSAFE)


def _write(loaded: Loaded, result: FixResult) -> None:
    """The Dockerfile, then the context files its fixes write (each atomically).

    A second file behind a symlink is refused before anything is written (nothing half-applied)."""
    from optimizer.app.files import symlink_reason, write_context_file

    for f in sorted(result.files):
        reason = symlink_reason(f)
        if reason is not None:
            raise InputError(f"not written: {reason}", path=loaded.path)
    if result.output != result.source:
        write_atomic(loaded, result.output)
    for f, text in sorted(result.files.items()):
        write_context_file(f, text, result.file_sources.get(f))
