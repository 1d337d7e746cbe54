"""The first diagnostics before pygls is loaded (optimizer/app/lsp_early.py): the same as pygls's, sent once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer.app.lsp_boot import encode, read_message

ROOT = Path(__file__).resolve().parent.parent
TEXTS = {
    "example": (ROOT / "examples" / "flask-psycopg" / "Dockerfile").read_text(),
    # astral and accented characters before findings, CRLF, a form feed (a line break to splitlines)
    "unicode": (
        "FROM debian:bookworm\r\nRUN echo 😀 é > /a\r\nRUN rm /a && pip install flask\r\n# \x0c x\nRUN apt-get update\n"
    ),
    "broken": "FROM debian:bookworm\nRUN <<EOF\necho unterminated\n",  # does not parse: left to pygls
}


def _session(cache: Path, encodings: list[str] | None, text: str, early: bool) -> tuple[list[dict[str, Any]], str]:
    """Initialize, then initialized and didOpen at once, as editors do; every message up to shutdown."""
    env = {**os.environ, "DOPT_CACHE_DIR": str(cache), "DOPT_LSP_EARLY": "1" if early else "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None and proc.stdout is not None

    def send(message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(encode(message))
        proc.stdin.flush()

    caps: dict[str, Any] = {"general": {"positionEncodings": encodings}} if encodings else {}
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": caps}})
    _raw, answer = read_message(proc.stdout)  # type: ignore[arg-type]
    assert answer is not None and answer["id"] == 1
    encoding = answer["result"]["capabilities"].get("positionEncoding", "utf-16")
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    item = {"uri": "file:///tmp/dopt-early/Dockerfile", "languageId": "dockerfile", "version": 3, "text": text}
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}})
    # a request after the didOpen: its answer comes after the didOpen's diagnostics
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    seen = []
    while True:
        _raw, message = read_message(proc.stdout)  # type: ignore[arg-type]
        assert message is not None
        if message.get("id") == 2:
            break
        seen.append(message)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    assert proc.wait(timeout=60) == 0
    return seen, encoding


@pytest.mark.parametrize("encodings", [None, ["utf-8"], ["utf-32"]], ids=["utf-16", "utf-8", "utf-32"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_early_diagnostics_are_pyglss_sent_once(tmp_path: Path, name: str, encodings: list[str] | None) -> None:
    text = TEXTS[name]
    # the first start of this client fills the cache of its `initialize` answer: pygls answers everything
    first, _enc = _session(tmp_path, encodings, text, early=True)
    late, encoding = _session(tmp_path, encodings, text, early=False)  # the answer from the cache, no early phase
    early, encoding2 = _session(tmp_path, encodings, text, early=True)  # the answer from the cache, early phase
    assert encoding == encoding2 == (encodings[0] if encodings else "utf-16")
    publications = [m for m in early if m.get("method") == "textDocument/publishDiagnostics"]
    assert len(publications) == 1, early  # pygls's identical publication was not sent again
    assert early == late == first
    found = publications[0]["params"]["diagnostics"]
    if name == "broken":
        assert [d["severity"] for d in found] == [1]  # pygls's parse error diagnostic
    else:
        assert found and all(d["codeDescription"]["href"].startswith("file://") for d in found)


def test_positions_follow_the_encoding() -> None:
    from optimizer.app.lsp_early import Positions

    text = "a😀b\r\nc\x0cd\n"
    at = {enc: Positions(text, enc) for enc in ("utf-8", "utf-16", "utf-32")}
    b = text.index("b")
    assert [at[e].at(b)["character"] for e in ("utf-8", "utf-16", "utf-32")] == [5, 3, 2]
    d = text.index("d")
    assert at["utf-16"].at(d) == {"line": 2, "character": 0}  # a form feed ends a line, as pygls counts them
    assert at["utf-16"].at(len(text)) == {"line": 3, "character": 0}


def test_the_early_phase_publishes_and_hands_every_message_on() -> None:
    import io
    import json

    from optimizer.app import lsp_early
    from optimizer.app.lsp_wire import Body, Framer

    read, write = os.pipe()
    item = {
        "uri": "file:///tmp/dopt-early/Dockerfile",
        "languageId": "dockerfile",
        "version": 1,
        "text": TEXTS["example"],
    }
    messages: list[dict[str, Any]] = [
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}},
        {"jsonrpc": "2.0", "id": 7, "method": "textDocument/formatting", "params": {}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},  # after a request: left to pygls's loop
    ]
    os.write(write, b"".join(encode(m) for m in messages))
    out = io.BytesIO()
    with os.fdopen(read, "rb", buffering=0) as stream:
        frames, published = lsp_early.run(Framer(stream), out, {"capabilities": {}}, None)
    os.close(write)
    assert [json.loads(f.data) for f in frames if isinstance(f, Body)] == messages[:3]
    out.seek(0)
    _raw, note = read_message(out)
    assert note is not None and note["method"] == "textDocument/publishDiagnostics"
    assert note["params"]["version"] == 1 and {d["code"] for d in note["params"]["diagnostics"]} >= {"DOP205"}
    assert len(published) == 1
