"""`dopt server`: a Language Server over stdio (pygls).

- diagnostics on open, change and save;
- `textDocument/formatting` applies the safe fixes and answers with minimal text edits (one per
  changed hunk), or null when nothing changes;
- code actions: a quick fix per fixable diagnostic (unsafe ones say so), "ignore this rule here"
  (inserts a `# dopt: ignore=CODE` pragma above the instruction), and `source.fixAll.dopt`.

Positions are converted with the document's negotiated position encoding (UTF-16 unless the client
offers another one). Only documents the client opened are served: a request about another one is answered with
an error (-32602), and nothing is ever read from the disk. The message loop, which answers every request whatever
the client sends, is `lsp_session.py`.
"""

from __future__ import annotations

import asyncio
import bisect
import difflib
import functools
import traceback
from collections.abc import Callable, Sequence
from typing import BinaryIO, TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition

from optimizer import __version__
from optimizer.app import pipeline
from optimizer.app.config import Resolver
from optimizer.app.files import split_lines
from optimizer.app.lsp_session import Session, log, run
from optimizer.app.lsp_wire import Frame, Framer
from optimizer.app.ruledoc_links import rule_doc_href, set_docs_base
from optimizer.core import severity
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.settings import Settings
from optimizer.errors import DoptError
from optimizer.syntax.model import Document
from optimizer.syntax.parser import parse

FIX_ALL = "source.fixAll.dopt"
DEBOUNCE = 0.002  # seconds between a didChange and its diagnostics
SOURCE = "dopt"


class DoptServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dopt", __version__)
        self.resolver: Resolver | None = None  # configuration files and command-line choices

    def opened(self) -> dict[str, TextDocument]:
        """The documents the client opened, by URI (pygls keys them unquoted)."""
        return self.workspace.text_documents  # type: ignore[no-any-return]

    def document(self, uri: str) -> TextDocument | None:
        """An open document; never one pygls would read from the disk."""
        return self.opened().get(unquote(uri))

    def forget_documents(self) -> None:
        for key, td in list(self.opened().items()):
            self.workspace.remove_text_document(key)
            _PARSED.pop(td.uri, None)
            _LINES.pop(td.uri, None)

    def settings_for(self, td: TextDocument) -> Settings | DoptError:
        if self.resolver is None:
            return Settings()
        try:
            return self.resolver.settings_for(td.path or td.uri)
        except DoptError as e:
            return e


def _range(td: TextDocument, start: int, end: int) -> lsp.Range:
    return lsp.Range(_position(td, start), _position(td, end))


_LINES: dict[str, tuple[str, Sequence[str], list[int]]] = {}  # uri -> (text, its lines, where each starts)


def _position(td: TextDocument, offset: int) -> lsp.Position:
    """``td.client_position_at_offset`` in O(log n): pygls splits the text and walks its lines on every call,
    which made publishing 85 findings on a 200-line file cost more than finding them."""
    source = td.source
    cached = _LINES.get(td.uri)
    if cached is None or (cached[0] is not source and cached[0] != source):
        lines = td.lines
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        cached = _LINES[td.uri] = (source, lines, starts)
    _text, lines, starts = cached
    k = bisect.bisect_right(starts, offset) - 1
    if k >= len(lines):  # at or beyond the end (as pygls answers it)
        return td.position_codec.position_to_client_units(lines, ServerTextPosition(len(lines), 0))
    return td.position_codec.position_to_client_units(lines, ServerTextPosition(k, offset - starts[k]))


_PARSED: dict[str, tuple[str, Document | DoptError]] = {}  # uri -> (text, its parse): one per open file


def _parse(td: TextDocument) -> Document | DoptError:
    """The document's parse, reused while its text is unchanged (its lint results live on it too)."""
    cached = _PARSED.get(td.uri)
    source = td.source
    if cached is not None and cached[0] == source:
        return cached[1]
    try:
        result: Document | DoptError = parse(source, td.path or td.uri)
    except DoptError as e:
        result = e
    _PARSED[td.uri] = (source, result)
    return result


def diagnostics(td: TextDocument, settings: Settings) -> list[lsp.Diagnostic]:
    doc = _parse(td)
    if isinstance(doc, DoptError):
        line = max((doc.line or 1) - 1, 0)
        pos = lsp.Position(line, 0)
        return [lsp.Diagnostic(lsp.Range(pos, pos), doc.message, lsp.DiagnosticSeverity.Error, source=SOURCE)]
    return [_diagnostic(td, d, settings) for d in _findings(td, doc, settings)]


def _findings(td: TextDocument, doc: Document, settings: Settings) -> list[Diagnostic]:
    return pipeline.run(td.source, td.path or td.uri, settings, fix=False, doc=doc).findings


def _diagnostic(td: TextDocument, d: Diagnostic, settings: Settings) -> lsp.Diagnostic:
    href = rule_doc_href(d.code)
    return lsp.Diagnostic(
        range=_range(td, d.start, max(d.end, d.start)),
        message=d.message,
        severity=lsp.DiagnosticSeverity(severity.lsp(severity.of(d))),  # the table every output reads
        code=d.code,
        code_description=lsp.CodeDescription(href=href) if href is not None else None,
        source=SOURCE,
        data={"fixable": settings.may_fix(d)},
    )


def minimal_edits(td: TextDocument, before: str, after: str) -> list[lsp.TextEdit]:
    """One text edit per changed hunk of lines, in the document's position encoding."""
    a, b = split_lines(before), split_lines(after)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            edits.append(lsp.TextEdit(_range(td, starts[i1], starts[i2]), "".join(b[j1:j2])))
    return edits


def formatting(td: TextDocument, settings: Settings) -> list[lsp.TextEdit] | None:
    doc = _parse(td)
    if isinstance(doc, DoptError):
        return None
    safe = Settings(
        select=settings.select,
        ignore=settings.ignore,
        unsafe_fixes=False,
        fixable=settings.fixable,
        unfixable=settings.unfixable,
        rule_options=settings.rule_options,
        cache_mounts=settings.cache_mounts,
    )
    run = pipeline.run(td.source, td.path or td.uri, safe, lint_input=False, doc=doc)
    if not run.changed:
        return None
    return minimal_edits(td, td.source, run.output)


def code_actions(td: TextDocument, params: lsp.CodeActionParams, settings: Settings) -> list[lsp.CodeAction]:
    doc = _parse(td)
    if isinstance(doc, DoptError):
        return []
    wanted = params.context.only
    actions: list[lsp.CodeAction] = []
    want_quick = not wanted or any(k.startswith("quickfix") for k in wanted)
    want_fix_all = not wanted or any(FIX_ALL.startswith(k) for k in wanted)
    if want_quick:
        lo = td.offset_at_position(params.range.start)
        hi = td.offset_at_position(params.range.end)
        for d in _findings(td, doc, settings):
            if not (d.start <= hi and lo <= max(d.end, d.start)):
                continue
            diag = _diagnostic(td, d, settings)
            if d.fix is not None and not d.fix.files:
                # (fixes that write other files, such as .dockerignore, are left to the command line)
                unsafe = d.fix.applicability is Applicability.UNSAFE
                edits = [lsp.TextEdit(_range(td, e.start, e.end), e.content) for e in d.fix.edits]
                actions.append(
                    lsp.CodeAction(
                        title=f"{d.code}: {d.fix.message or d.message}{' (unsafe)' if unsafe else ''}",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=not unsafe,
                        edit=lsp.WorkspaceEdit(changes={td.uri: edits}),
                    )
                )
            ignore = _ignore_edit(td, doc, d)
            if ignore is not None:
                actions.append(
                    lsp.CodeAction(
                        title=f"Ignore {d.code} for this instruction",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        edit=lsp.WorkspaceEdit(changes={td.uri: [ignore]}),
                    )
                )
    if want_fix_all:
        all_edits = formatting(td, settings)
        if all_edits:
            actions.append(
                lsp.CodeAction(
                    title="dopt: apply all safe fixes",
                    kind=FIX_ALL,
                    edit=lsp.WorkspaceEdit(changes={td.uri: all_edits}),
                )
            )
    return actions


def _ignore_edit(td: TextDocument, doc: Document, d: Diagnostic) -> lsp.TextEdit | None:
    """Insert `# dopt: ignore=CODE` above the instruction (or add the code to an existing pragma)."""
    ins = next((i for i in doc.instructions if i.start <= d.start <= max(i.end, i.start)), None)
    if ins is None:
        return None
    line_start = doc.line_start_offset(ins.line_start)
    above = ins.line_start - 1
    if above >= 1:
        text = doc.line_text(above)
        stripped = text.strip()
        if stripped.startswith("#") and "dopt:" in stripped and "ignore=" in stripped and "global" not in stripped:
            start = doc.line_start_offset(above) + len(text.rstrip())
            return lsp.TextEdit(_range(td, start, start), f",{d.code}")
    indent = doc.indent_of(ins)
    return lsp.TextEdit(_range(td, line_start, line_start), f"{indent}# dopt: ignore={d.code}{doc.newline}")


R = TypeVar("R")


def _answered(handler: Callable[[DoptServer, R], object]) -> Callable[[DoptServer, R], object]:
    """A request handler whose failure is answered in one line (-32603; the traceback goes to stderr)."""

    @functools.wraps(handler)
    def wrapper(ls: DoptServer, params: R) -> object:
        try:
            return handler(ls, params)
        except JsonRpcException:
            raise
        except Exception as e:
            log("".join(traceback.format_exception(e)).rstrip())
            raise JsonRpcInternalError(message=f"dopt: internal error: {type(e).__name__}: {e}"[:300]) from None

    return wrapper


def _open_document(ls: DoptServer, uri: str) -> TextDocument:
    td = ls.document(uri)
    if td is None:
        raise JsonRpcInvalidParams(message=f"dopt: {uri} is not open (textDocument/didOpen first)")
    return td


def create_server() -> DoptServer:
    server = DoptServer()

    def publish(ls: DoptServer, uri: str) -> None:
        td = ls.document(uri)
        if td is None:  # closed (or forgotten) since
            return
        settings = ls.settings_for(td)
        if isinstance(settings, DoptError):
            pos = lsp.Position(0, 0)
            found = [
                lsp.Diagnostic(
                    lsp.Range(pos, pos), f"dopt configuration: {settings}", lsp.DiagnosticSeverity.Error, source=SOURCE
                )
            ]
        else:
            found = diagnostics(td, settings)
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=td.version)
        )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DoptServer, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    pending: dict[str, asyncio.TimerHandle] = {}

    def publish_soon(ls: DoptServer, uri: str) -> None:
        """Publish after DEBOUNCE: a request the editor sent right after the change (formatting on save,
        code actions) is answered first, and a burst of changes is linted once."""
        old = pending.pop(uri, None)
        if old is not None:
            old.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the server's loop (called directly): at once
            publish(ls, uri)
            return

        def fire() -> None:
            pending.pop(uri, None)
            publish(ls, uri)

        pending[uri] = loop.call_later(DEBOUNCE, fire)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DoptServer, params: lsp.DidChangeTextDocumentParams) -> None:
        publish_soon(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DoptServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        _PARSED.pop(uri, None)
        _LINES.pop(uri, None)
        old = pending.pop(uri, None)
        if old is not None:
            old.cancel()
        # a closed file's findings leave the editor's problem list (as ruff's server clears them)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: DoptServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        base = options.get("ruleDocsUrl") if isinstance(options, dict) else None
        if isinstance(base, str):
            set_docs_base(base)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DoptServer, params: lsp.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @_answered
    def format_document(ls: DoptServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        td = _open_document(ls, params.text_document.uri)
        settings = ls.settings_for(td)
        return None if isinstance(settings, DoptError) else formatting(td, settings)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
    )
    @_answered
    def code_action(ls: DoptServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        td = _open_document(ls, params.text_document.uri)
        settings = ls.settings_for(td)
        return [] if isinstance(settings, DoptError) else code_actions(td, params, settings)

    return server


def main(
    resolver: Resolver | None, framer: Framer, first: Frame | None, stdout: BinaryIO, more: Sequence[Frame | None] = ()
) -> int:
    """Serve until `exit` (or the end of the input): 0 after `shutdown`, else 1. ``more``: frames read after
    ``first`` before pygls was loaded (lsp_early), handled in order before the rest of the input."""
    server = create_server()
    server.resolver = resolver
    writer = StdoutWriter(stdout)
    server.protocol.set_writer(writer)
    session = Session(server, writer.write, framer.limit)
    session.forget = server.forget_documents
    return run(session, framer, first, more)
