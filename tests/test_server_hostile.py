"""`dopt server` survives any client: a raw JSON-RPC client over pipes sends what real clients should not, and
every request still gets exactly one answer with the right code, notifications none, and the server keeps
serving (or ends with the exit code the protocol asks for). Every read has a timeout: a hang fails the test."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0  # seconds for one answer (the machine may be busy; a hang still fails)
TEXT = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n"
FORMAT_OPTIONS = {"tabSize": 4, "insertSpaces": True}


def frame(message: object) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    """`dopt server` in a subprocess, and what it writes, message by message (read by a thread)."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "optimizer", "server", "--isolated"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "DOPT_CACHE_DIR": str(tmp / "cache"), **(env or {})},
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 1000
        self.notifications: list[dict[str, Any]] = []  # what came before the answers waited for
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(out.read(length)))

    def send(self, raw: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(raw)
        self.proc.stdin.flush()

    def notify(self, method: str, params: object = None) -> None:
        self.send(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def receive(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the server in {timeout} s") from None
        assert message is not None, "the server ended"
        return message

    def answer(self, ident: object) -> dict[str, Any]:
        """The answer to request ``ident``; what the server sent before it must be notifications."""
        while True:
            message = self.receive()
            if "method" in message:
                self.notifications.append(message)
                continue
            assert message.get("id") == ident, f"expected the answer to {ident!r}, got {message}"
            return message

    def request(self, method: str, params: object = None) -> dict[str, Any]:
        self.next_id += 1
        self.send(frame({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}))
        return self.answer(self.next_id)

    def initialize(self) -> None:
        answer = self.request("initialize", {"processId": None, "capabilities": {}})
        assert "capabilities" in answer["result"], answer
        self.notify("initialized", {})

    def open(self, uri: str, text: str = TEXT) -> dict[str, Any]:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}},
        )
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message

    def alive(self) -> None:
        """The server still answers (an unknown method: -32601), and sent nothing else before."""
        answer = self.request("dopt/ping", {})
        assert answer["error"]["code"] == -32601, answer

    def finish(self, shutdown: bool = True) -> int:
        if shutdown:
            assert self.request("shutdown")["result"] is None
        self.notify("exit")
        return self.wait()

    def wait(self) -> int:
        return self.proc.wait(timeout=TIMEOUT)

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path)
    try:
        yield s
    finally:
        s.kill()


def error_code(answer: dict[str, Any]) -> int:
    assert "error" in answer and "result" not in answer, answer
    code = answer["error"]["code"]
    assert isinstance(code, int)
    assert "Traceback" not in json.dumps(answer), answer  # one clean line, never a Python traceback
    return code


# -- framing ------------------------------------------------------------------------------------------------------

GARBLED = {
    "letters": b"Content-Length: abc\r\n\r\n",
    "negative": b"Content-Length: -5\r\n\r\n",
    "binary junk": b"Content-Length: \x00\xff\xfe\x01\r\n\r\n",
    "no content-length": b"Content-Type: application/vscode-jsonrpc\r\n\r\n",
    "line without colon": b"\x89PNG\x1a\x00garbage\r\n\r\n",
    "two lengths": b"Content-Length: 3\r\nContent-Length: 9\r\n\r\n",
}


@pytest.mark.parametrize("header", list(GARBLED.values()), ids=list(GARBLED))
def test_a_garbled_header_is_skipped_and_the_server_resynchronises(server: Server, header: bytes) -> None:
    """Before: pygls never matched a header again (the body glued to the next header read as one line) and
    the server answered nothing more."""
    server.initialize()
    lost = json.dumps({"jsonrpc": "2.0", "id": 77, "method": "shutdown", "params": None}).encode()
    server.send(header + lost)  # the body right after it, then the next message
    server.alive()  # its request was lost with the header: no answer to 77, no shutdown
    assert server.finish() == 0
    assert "framing error" in server.stderr()


def test_junk_between_messages_is_skipped(server: Server) -> None:
    server.initialize()
    server.send(b"\x00\x01 not a header at all \xff" * 100 + b"\r\n\r\n")
    server.alive()
    assert server.finish() == 0


def test_a_lying_content_length_is_answered_and_memory_stays_bounded(server: Server) -> None:
    """Before: `Content-Length: 99999999999` made pygls allocate the whole body (MemoryError, or the server
    swapping), with no answer. Now the request's id shows in its first bytes: -32600 at once; what follows is
    thrown away as the rest of that body, without keeping it."""
    server.initialize()
    server.send(
        b"Content-Length: 99999999999\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": 5, "method": "x"}).encode()
    )
    answer = server.answer(5)
    assert error_code(answer) == -32600 and "99999999999" in answer["error"]["message"]
    server.send(b"\0" * (8 * 1024 * 1024))  # 8 MiB more of the "message": read and dropped
    time.sleep(0.5)
    assert _peak_rss_mib(server.proc.pid) < 200
    server.kill()


def _peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def test_a_message_over_the_limit_is_discarded_and_its_request_answered(tmp_path: Path) -> None:
    """$DOPT_LSP_MAX_MESSAGE caps one message: a larger request is answered -32600; a larger didOpen is dropped,
    and the document then counts as not open (never formatted from a text the server did not get)."""
    server = Server(tmp_path, {"DOPT_LSP_MAX_MESSAGE": "4096"})
    try:
        server.initialize()
        uri = "file:///tmp/dopt-hostile/Dockerfile"
        big = TEXT + "# " + "x" * 8000 + "\n"
        server.send(frame({"jsonrpc": "2.0", "id": 9, "method": "dopt/big", "params": {"text": big}}))
        assert error_code(server.answer(9)) == -32600
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": big}},
        )
        answer = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS})
        assert error_code(answer) == -32602 and "not open" in answer["error"]["message"]
        server.open(uri)  # a small one still works
        answer = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS})
        assert answer["result"], answer
        # a change too large to read: the server's copy would be stale, so the document is forgotten
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": big}]},
        )
        answer = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS})
        assert error_code(answer) == -32602 and "not open" in answer["error"]["message"]
        assert server.finish() == 0
    finally:
        server.kill()


# -- every request gets an answer with the right code ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "ident"),
    [
        (b"{not json", -32700, None),
        (b"", -32700, None),
        (b"\xff\xfe\x00garbage", -32700, None),
        (b"[" * 100000, -32700, None),  # nested past the recursion limit
        (b"[1, 2]", -32600, None),  # a batch: LSP has none
        (b'"a string"', -32600, None),
        (b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}', -32600, None),
        (b'{"jsonrpc": "2.0", "id": 3, "method": 42}', -32600, 3),
        (b'{"jsonrpc": "1.0", "id": 4, "method": "shutdown"}', -32600, 4),
        (b'{"jsonrpc": "2.0", "id": 5, "method": "dopt/unknown"}', -32601, 5),
        (b'{"jsonrpc": "2.0", "id": 6, "method": "$/unknown", "params": {}}', -32601, 6),
        (b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/formatting", "params": {"textDocument": 5}}', -32602, 7),
        (b'{"jsonrpc": "2.0", "id": 8, "method": "textDocument/codeAction", "params": [1, 2]}', -32602, 8),
        (b'{"jsonrpc": "2.0", "id": "s", "method": "textDocument/formatting"}', -32602, "s"),
        # a notification's method with an id: pygls ran it as a notification and never answered
        (b'{"jsonrpc": "2.0", "id": 9, "method": "$/cancelRequest", "params": {"id": 1}}', -32600, 9),
    ],
)
def test_a_bad_request_gets_an_error_answer(server: Server, body: bytes, code: int, ident: object) -> None:
    """Before: a body pygls could not parse or structure was logged and never answered (the client waits)."""
    server.initialize()
    server.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert error_code(server.answer(ident)) == code
    server.alive()
    assert server.finish() == 0


def test_lifecycle_errors(server: Server) -> None:
    """Before: a request before initialize was answered -32603 with a traceback; a second initialize was
    served again; requests after shutdown (and a second shutdown) were never answered."""
    uri = "file:///tmp/dopt-hostile/Dockerfile"
    answer = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS})
    assert error_code(answer) == -32002
    server.initialize()
    assert error_code(server.request("initialize", {"processId": None, "capabilities": {}})) == -32600
    server.open(uri)
    assert server.request("shutdown")["result"] is None
    answer = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS})
    assert error_code(answer) == -32600
    assert error_code(server.request("shutdown")) == -32600
    server.notify("exit")
    assert server.wait() == 0


def test_exit_without_shutdown_is_exit_code_1(server: Server) -> None:
    """Before: 0 (pygls's sys.exit(1) was swallowed)."""
    server.initialize()
    assert server.finish(shutdown=False) == 1


def test_the_input_ending_without_shutdown_is_exit_code_1(server: Server) -> None:
    """Before: 0, as if the client had asked the server to stop."""
    server.initialize()
    assert server.proc.stdin is not None
    server.proc.stdin.close()
    assert server.wait() == 1


def test_an_unopened_document_is_never_read_from_the_disk(server: Server, tmp_path: Path) -> None:
    """Before: formatting a document the client never opened read its path (a FIFO there hung the server) and
    answered with a Python traceback when the file was missing."""
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    uri = fifo.as_uri()
    server.initialize()
    for method, params in (
        ("textDocument/formatting", {"textDocument": {"uri": uri}, "options": FORMAT_OPTIONS}),
        (
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": _range(0, 0), "context": {"diagnostics": []}},
        ),
        ("textDocument/formatting", {"textDocument": {"uri": uri + "-missing"}, "options": FORMAT_OPTIONS}),
    ):
        answer = server.request(method, params)
        assert error_code(answer) == -32602 and "not open" in answer["error"]["message"], answer
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})  # no publish from the disk either
    server.notify(
        "textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "FROM a\n"}]}
    )
    server.alive()
    assert server.finish() == 0


def _range(line: int, col: int) -> dict[str, Any]:
    pos = {"line": line, "character": col}
    return {"start": pos, "end": pos}


def test_notifications_never_get_an_answer(server: Server) -> None:
    """Before: notifications before initialize went to pygls (didOpen failed and popped up a window/showMessage
    before the answer to initialize), and a notification with params pygls could not read did the same."""
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": "file:///x", "languageId": "d", "version": 1, "text": "FROM a\n"}},
    )
    server.notify("$/cancelRequest", {"id": 1})
    first = server.request("initialize", {"processId": None, "capabilities": {}})
    assert "result" in first  # nothing came before the answer
    server.notify("initialized", {})
    server.notify("dopt/unknownNotification", {"a": 1})
    server.notify("$/unknown", None)
    server.notify("textDocument/didOpen", 5)
    server.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never-opened"}})
    server.notify("$/cancelRequest", {"id": 12345})  # no such request
    server.notify("$/cancelRequest", "x")
    server.send(frame({"jsonrpc": "2.0", "id": 4242, "result": None}))  # an answer to nothing
    server.alive()  # `answer` fails on anything but notifications before it; none of these were answered
    messages = []
    while not server.messages.empty():
        messages.append(server.messages.get())
    assert not [m for m in messages if m and "method" not in m], messages
    assert [n["method"] for n in server.notifications] == []  # not even a window/showMessage
    assert server.finish() == 0


def test_a_failing_handler_answers_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Before: pygls answered -32603 with the Python traceback in the answer's data."""
    from pygls.exceptions import JsonRpcInternalError

    from optimizer.app import server as srv

    def broken(ls: object, params: object) -> None:
        raise KeyError("boom")

    with pytest.raises(JsonRpcInternalError) as raised:
        srv._answered(broken)(srv.DoptServer(), None)
    error = raised.value.to_response_error()
    assert error.code == -32603 and error.message == "dopt: internal error: KeyError: 'boom'" and error.data is None
    assert "Traceback" in capsys.readouterr().err  # the traceback goes to the log
