"""`dopt server` answers `initialize` from its cache the second time a client starts it (optimizer/app/lsp_boot.py):
the same answer pygls gives, once, and the server then works as usual."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer.app.lsp_boot import Answer, encode, read_message
from optimizer.app.lsp_wire import Body, Framer

ROOT = Path(__file__).resolve().parent.parent
CAPS: dict[str, Any] = {"general": {"positionEncodings": ["utf-8", "utf-16"]}, "textDocument": {}}
URI = "file:///tmp/x/Dockerfile"
TEXT = "FROM a\nRUN apt-get update\n"


def _session(cache: Path, caps: dict[str, Any]) -> list[dict[str, Any]]:
    """initialize, initialized, didOpen, shutdown, exit: every message the server sent, in order."""
    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "capabilities": caps},
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": URI,
                    "languageId": "dockerfile",
                    "version": 3,
                    "text": "FROM a\nRUN apt-get update\n",
                }
            },
        },
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    stdin = b"".join(encode(m) for m in messages)
    env = {**os.environ, "DOPT_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-m", "optimizer", "server", "--isolated"],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    ).stdout
    stream = io.BytesIO(out)
    sent = []
    while True:
        _raw, message = read_message(stream)
        if message is None:
            break
        sent.append(message)
    return sent


def test_second_start_answers_from_the_cache_exactly_once(tmp_path: Path) -> None:
    first = _session(tmp_path, CAPS)
    assert len(list(tmp_path.glob("initialize-*.json"))) == 1  # pygls's answer, remembered
    second = _session(tmp_path, CAPS)
    for sent in (first, second):
        answers = [m for m in sent if m.get("id") == 1]
        assert len(answers) == 1, sent  # never two answers to one request
        published = [m for m in sent if m.get("method") == "textDocument/publishDiagnostics"]
        assert published and published[0]["params"]["version"] == 3  # the server works after it
        assert any(d["code"] == "DOP201" for d in published[0]["params"]["diagnostics"])
    assert first[0]["id"] == 1 and second[0]["id"] == 1  # the answer comes first
    assert second[0]["result"] == first[0]["result"]
    assert second[0]["result"]["capabilities"]["positionEncoding"] == "utf-8"


def test_another_client_gets_pygls_answer(tmp_path: Path) -> None:
    _session(tmp_path, CAPS)
    other = _session(tmp_path, {"textDocument": {}})
    assert other[0]["id"] == 1 and other[0]["result"]["capabilities"]["positionEncoding"] == "utf-16"
    assert len(list(tmp_path.glob("initialize-*.json"))) == 2


def test_the_framer_gives_the_first_message_then_the_stream() -> None:
    """serve() reads the first message (for the early answer) with the framer the server goes on with."""
    first = encode({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
    rest = encode({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    framer = Framer(io.BytesIO(first + rest))
    assert framer.next() == Body(first.partition(b"\r\n\r\n")[2])
    assert framer.next() == Body(rest.partition(b"\r\n\r\n")[2])
    assert framer.next() is None


@pytest.mark.parametrize("answered", [True, False])
def test_answer_drops_only_the_answer_already_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answered: bool
) -> None:
    monkeypatch.setenv("DOPT_CACHE_DIR", str(tmp_path))
    out = io.BytesIO()
    writer = Answer(out, 7, "k", answered)
    note = encode({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"message": "x"}})
    reply = encode({"jsonrpc": "2.0", "id": 7, "result": {"capabilities": {}}})
    writer.write(note)
    writer.write(reply)
    writer.write(reply)  # a second one is not the initialize answer any more: it goes out
    assert out.getvalue() == (note + reply if answered else note + reply + reply)
    remembered = tmp_path / "initialize-k.json"
    if answered:
        assert not remembered.exists()  # it came from the cache: nothing new to keep
    else:
        assert json.loads(remembered.read_text()) == {"capabilities": {}}


def test_server_options_on_the_fast_path() -> None:
    """`dopt server` is parsed from the option table without the CLI library, like rewrite and check."""
    import subprocess
    import sys

    from optimizer.app.options import parse_fast

    fast = ("rewrite", "check", "server")
    command, opts = parse_fast(
        ["server", "--select", "DOP1", "--ignore=DOP101", "--config", "c.toml", "--isolated"], fast
    ) or (
        "",
        {},
    )
    assert command == "server"
    assert (opts["select"], opts["ignore"], opts["config"], opts["isolated"]) == (
        ["DOP1"],
        ["DOP101"],
        ["c.toml"],
        True,
    )
    assert parse_fast(["server", "--help"], fast) is None  # anything else: the full CLI says what it is
    assert parse_fast(["server", "--select"], fast) is None
    probe = (
        "import sys; sys.argv = ['dopt', 'server', '--isolated']\n"
        "import optimizer.app.lsp_boot as b\n"
        "b.serve = lambda resolver: print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))"
        " or 0\n"
        "from optimizer.app.entry import main\n"
        "main()\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"  # started without typer or click
