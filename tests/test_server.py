"""`dopt server` driven by a real LSP client (pygls) over stdio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import lsprotocol.types as lsp
from pygls.lsp.client import LanguageClient
from pygls.workspace import PositionCodec, TextDocument

URI = "file:///tmp/dopt-test/Dockerfile"
# the second RUN removes what the first wrote: DOP101 merges them (and DOP205 adds --no-cache-dir)
TEXT = "FROM debian:bookworm\nRUN echo 😀 é > /a\nRUN rm /a && pip install flask==3.0.3\n"
FIXED = "FROM debian:bookworm\nRUN echo 😀 é > /a && \\\n    rm /a && pip install --no-cache-dir flask==3.0.3\n"


def apply(text: str, edits: Any, encoding: str = "utf-16") -> str:
    doc = TextDocument(URI, text, position_codec=PositionCodec(encoding))
    spans = sorted(
        ((doc.offset_at_position(e.range.start), doc.offset_at_position(e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def session(encodings: list[str] | None, body: Callable[[LanguageClient, dict[str, Any]], Awaitable[None]]) -> None:
    async def run() -> None:
        client = LanguageClient("dopt-tests", "1")
        published: dict[str, Any] = {}

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: Any) -> None:
            published[params.uri] = params
            published.setdefault("events", asyncio.Event()).set()

        await client.start_io(sys.executable, "-m", "optimizer", "server")
        caps = lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(position_encodings=encodings))
        result = await client.initialize_async(lsp.InitializeParams(capabilities=caps))
        published["encoding"] = result.capabilities.position_encoding
        client.initialized(lsp.InitializedParams())
        try:
            await asyncio.wait_for(body(client, published), 30)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    asyncio.run(run())


async def diagnostics_for(
    client: LanguageClient, published: dict[str, Any], version: int, text: str | None = None, open_: bool = False
) -> Any:
    published.setdefault("events", asyncio.Event()).clear()
    if open_:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "dockerfile", version, text or TEXT))
        )
    else:
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=URI),
                [lsp.TextDocumentContentChangeWholeDocument(text or TEXT)],
            )
        )
    while True:
        await asyncio.wait_for(published["events"].wait(), 10)
        if published[URI].version == version:
            return published[URI]
        published["events"].clear()


def code_actions(result: Sequence[lsp.Command | lsp.CodeAction] | None) -> list[lsp.CodeAction]:
    """The server's answer: code actions only (never bare commands)."""
    assert result is not None
    actions = [a for a in result if isinstance(a, lsp.CodeAction)]
    assert len(actions) == len(result)
    return actions


def changes(action: lsp.CodeAction) -> Sequence[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return action.edit.changes[URI]


def test_diagnostics_formatting_and_actions_utf16() -> None:
    async def body(client: LanguageClient, published: dict[str, Any]) -> None:
        assert published["encoding"] == "utf-16"
        params = await diagnostics_for(client, published, 1, open_=True)
        assert [(d.code, d.range.start.line) for d in params.diagnostics] == [("DOP101", 2), ("DOP205", 2)]
        fmt = lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(URI), lsp.FormattingOptions(4, True))
        edits = await client.text_document_formatting_async(fmt)
        assert edits is not None
        assert len(edits) == 1 and edits[0].range.start.line == 1  # one hunk, the first line untouched
        assert apply(TEXT, edits) == FIXED
        ctx = lsp.CodeActionContext(diagnostics=[])
        actions = code_actions(
            await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    lsp.TextDocumentIdentifier(URI), lsp.Range(lsp.Position(2, 0), lsp.Position(2, 0)), ctx
                )
            )
        )
        by_title = {a.title: a for a in actions}
        merge = next(a for t, a in by_title.items() if t.startswith("DOP101"))
        # the insertion after "😀 é > /a" is at UTF-16 column 18 (the emoji is two code units)
        assert changes(merge)[0].range.start == lsp.Position(1, 18)
        merged = "FROM debian:bookworm\nRUN echo 😀 é > /a && \\\n    rm /a && pip install flask==3.0.3\n"
        assert apply(TEXT, changes(merge)) == merged
        ignore = by_title["Ignore DOP205 for this instruction"]
        ignored = apply(TEXT, changes(ignore))
        assert ignored == (
            "FROM debian:bookworm\nRUN echo 😀 é > /a\n# dopt: ignore=DOP205\nRUN rm /a && pip install flask==3.0.3\n"
        )
        fix_all = next(a for a in actions if a.kind == "source.fixAll.dopt")
        assert apply(TEXT, changes(fix_all)) == FIXED
        # the pragma silences DOP205 (and, being a barrier, the merge)
        params = await diagnostics_for(client, published, 2, ignored)
        assert list(params.diagnostics) == []
        # nothing to format: null
        await diagnostics_for(client, published, 3, FIXED)
        assert await client.text_document_formatting_async(fmt) is None
        # a broken file: one error diagnostic, no formatting
        params = await diagnostics_for(client, published, 4, "FROM a\nRUN <<EOF\n")
        (d,) = params.diagnostics
        assert d.severity == lsp.DiagnosticSeverity.Error and "unterminated heredoc" in d.message
        assert await client.text_document_formatting_async(fmt) is None

    session(None, body)


def test_utf8_position_encoding_is_honoured() -> None:
    async def body(client: LanguageClient, published: dict[str, Any]) -> None:
        assert published["encoding"] == "utf-8"
        await diagnostics_for(client, published, 1, open_=True)
        ctx = lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix])
        actions = code_actions(
            await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    lsp.TextDocumentIdentifier(URI), lsp.Range(lsp.Position(2, 0), lsp.Position(2, 0)), ctx
                )
            )
        )
        merge = next(a for a in actions if a.title.startswith("DOP101"))
        assert changes(merge)[0].range.start == lsp.Position(1, 21)  # bytes: 😀 is 4, é is 2
        merged = apply(TEXT, changes(merge), "utf-8")
        assert merged.startswith("FROM debian:bookworm\nRUN echo 😀 é > /a && \\\n")
        assert all(a.kind == "quickfix" for a in actions)

    session(["utf-8", "utf-16"], body)


def _serve(
    body: Callable[[LanguageClient, dict[str, Any]], Awaitable[None]],
    env: dict[str, str],
    options: Any = None,
) -> None:
    import os

    async def run() -> None:
        client = LanguageClient("dopt-tests", "1")
        published: dict[str, Any] = {"events": asyncio.Event()}

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: Any) -> None:
            published.setdefault("log", []).append(params)
            published[params.uri] = params
            published["events"].set()

        await client.start_io(sys.executable, "-m", "optimizer", "server", env={**os.environ, **env})
        await client.initialize_async(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), initialization_options=options)
        )
        client.initialized(lsp.InitializedParams())
        try:
            await asyncio.wait_for(body(client, published), 30)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    asyncio.run(run())


def test_did_close_clears_the_documents_diagnostics(tmp_path: Any) -> None:
    async def body(client: LanguageClient, published: dict[str, Any]) -> None:
        found = await diagnostics_for(client, published, 1, open_=True)
        assert found.diagnostics
        published["events"].clear()
        client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(URI)))
        await asyncio.wait_for(published["events"].wait(), 10)
        assert list(published[URI].diagnostics) == []  # the editor's problem list forgets the closed file

    _serve(body, {"DOPT_CACHE_DIR": str(tmp_path)})


def test_each_diagnostic_links_its_rule_documentation(tmp_path: Any) -> None:
    from pathlib import Path
    from urllib.parse import urlparse

    async def local(client: LanguageClient, published: dict[str, Any]) -> None:
        found = await diagnostics_for(client, published, 1, open_=True)
        codes = {d.code for d in found.diagnostics}
        assert {"DOP101", "DOP205"} <= codes
        for d in found.diagnostics:
            href = d.code_description.href
            assert href.startswith("file://"), href
            page = Path(urlparse(href).path)
            assert page.is_relative_to(tmp_path) and page.name == f"{d.code}.md"
            assert page.read_text(encoding="utf-8").startswith(f"# {d.code} "), page  # `dopt explain`'s text

    _serve(local, {"DOPT_CACHE_DIR": str(tmp_path)})

    async def hosted(client: LanguageClient, published: dict[str, Any]) -> None:
        found = await diagnostics_for(client, published, 1, open_=True)
        hrefs = {d.code: d.code_description.href for d in found.diagnostics}
        assert hrefs["DOP101"] == "https://docs.example.org/rules/DOP101.html", hrefs

    _serve(hosted, {"DOPT_CACHE_DIR": str(tmp_path)}, {"ruleDocsUrl": "https://docs.example.org/rules/{code}.html"})

    async def from_env(client: LanguageClient, published: dict[str, Any]) -> None:
        found = await diagnostics_for(client, published, 1, open_=True)
        assert {d.code_description.href for d in found.diagnostics if d.code == "DOP205"} == {
            "https://example.net/dopt/DOP205"
        }

    _serve(from_env, {"DOPT_CACHE_DIR": str(tmp_path), "DOPT_RULE_DOCS_URL": "https://example.net/dopt/"})
