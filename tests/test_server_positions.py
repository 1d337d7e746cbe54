"""The server's offset -> client position conversion (O(log n)) answers exactly what pygls's own does."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

from optimizer.app import server

TEXTS = ["a", "FROM a\nRUN b\n", "é😀x\r\ny\n\nz", "line\nno newline at the end", "😀😀\n😀", "\n\n\n"]


@pytest.mark.parametrize("encoding", list(lsp.PositionEncodingKind))
@pytest.mark.parametrize("text", TEXTS)
def test_positions_match_pygls(encoding: lsp.PositionEncodingKind, text: str) -> None:
    td = TextDocument(f"file:///t/{encoding.value}/{TEXTS.index(text)}", text, position_codec=PositionCodec(encoding))
    for offset in range(len(text) + 1):
        assert server._position(td, offset) == td.client_position_at_offset(offset), offset


def test_an_edited_document_is_not_answered_from_the_old_lines() -> None:
    td = TextDocument("file:///t/edit", "ab\ncd\n")
    assert server._position(td, 4) == lsp.Position(1, 1)
    td.apply_change(lsp.TextDocumentContentChangeWholeDocument("x\ny\nzz\n"))
    assert server._position(td, 5) == lsp.Position(2, 1)
