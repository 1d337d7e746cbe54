"""The language server's framing (optimizer/app/lsp_wire.py) on streams that arrive in pieces, lie or carry junk:
frames come out the same however the bytes are cut, memory stays bounded, and a garbled header costs only itself."""

from __future__ import annotations

import io
import json

import pytest

from optimizer.app.lsp_wire import CHUNK, PEEK, Body, Framer, Garbled, Oversize, envelope, max_message


def frame(message: object) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Trickle(io.RawIOBase):
    """A pipe that gives at most ``step`` bytes per read, and records the largest read asked for."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data = data
        self.pos = 0
        self.step = step
        self.asked = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.asked = max(self.asked, n)
        chunk = self.data[self.pos : self.pos + min(n, self.step)]
        self.pos += len(chunk)
        return chunk


def frames(data: bytes, step: int = 1 << 20, limit: int = 1 << 20) -> list[object]:
    framer = Framer(Trickle(data, step), limit)  # type: ignore[arg-type]
    out: list[object] = []
    while (f := framer.next()) is not None:
        out.append(f)
    return out


A = {"jsonrpc": "2.0", "id": 1, "method": "a", "params": {"text": "Content-Length: 12\r\n"}}
B = {"jsonrpc": "2.0", "method": "b", "params": None}


def body(message: object) -> Body:
    return Body(json.dumps(message).encode())


@pytest.mark.parametrize("step", [1, 2, 7, 64, 1 << 20])
def test_frames_do_not_depend_on_how_the_bytes_arrive(step: int) -> None:
    data = b"\r\n" + frame(A) + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + frame(B)
    assert frames(data, step) == [body(A), body(B)]


@pytest.mark.parametrize("step", [1, 5, 1 << 20])
@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Length: abc\r\n\r\n{}",
        b"Content-Length: -5\r\n\r\n{}",
        b"Content-Length: 1e3\r\n\r\n{}",
        b"Content-Length: \xff\x00\r\n\r\n{}",
        b"Content-Length: 99999999999999999999999\r\n\r\n",
        b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"no colon here\r\n\r\n{}",
        b"Content-Type: x\r\n\r\n{}",
    ],
)
def test_a_garbled_header_costs_only_its_own_message(bad: bytes, step: int) -> None:
    got = frames(frame(A) + bad + frame(B), step)
    assert got[0] == body(A) and got[-1] == body(B)
    assert len(got) == 3 and isinstance(got[1], Garbled)


def test_the_resynchronisation_finds_a_header_cut_by_a_read() -> None:
    junk = b"\x00junk" * 20000  # longer than a chunk, no newline
    got = frames(junk + frame(A), step=CHUNK - 3)
    assert got[-1] == body(A) and all(isinstance(g, Garbled) for g in got[:-1])


def test_a_message_over_the_limit_is_discarded_in_chunks() -> None:
    big = {"jsonrpc": "2.0", "id": "big", "method": "m", "params": {"text": "x" * 300_000}}
    stream = Trickle(frame(big) + frame(B), 1 << 20)
    framer = Framer(stream, 1000)  # type: ignore[arg-type]
    first = framer.next()
    assert first == Oversize(len(json.dumps(big)), "big", "m")
    assert len(framer.buf) <= PEEK  # only the first bytes were kept
    assert framer.next() == body(B)
    assert stream.asked <= 1 << 20  # never a read sized by the announced length


def test_a_lying_length_is_answered_from_its_first_bytes() -> None:
    """The id shows before the announced bytes come: the frame comes out, the rest is skipped lazily."""
    data = b"Content-Length: 99999999999\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": 5, "method": "x"}).encode()
    framer = Framer(Trickle(data, 1 << 20), 1000)  # type: ignore[arg-type]
    assert framer.next() == Oversize(99999999999, 5, "x")
    assert framer.next() is None  # the input ended inside the announced body


def test_the_end_of_the_input() -> None:
    assert frames(b"") == []
    assert frames(b"\r\n\r\n") == []
    assert frames(frame(A)[:-3]) == []  # inside a body
    assert frames(b"Content-Len") == [Garbled("the input ended inside a header")]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'{"jsonrpc":"2.0","id":12,"method":"m","params":{"id":3}}', (12, "m")),
        (
            b'{"params":{"id":3,"method":"no"},"method":"textDocument/didOpen","jsonrpc":"2.0"',
            (None, "textDocument/didOpen"),
        ),
        (b'{"jsonrpc":"2.0","id":12', (None, None)),  # 12 may go on
        (b'{"id":"a\\"b","method":"m"}', ('a"b', "m")),
        (b'{"id":true,"method":1}', (None, None)),
        (b"[1,2]", (None, None)),
        (b"\xff\xfe{", (None, None)),
    ],
)
def test_envelope_reads_only_the_top_level(head: bytes, expected: tuple[object, object]) -> None:
    assert envelope(head) == expected


def test_the_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOPT_LSP_MAX_MESSAGE", "4096")
    assert max_message() == 4096
    for bad in ("0", "-1", "lots", ""):
        monkeypatch.setenv("DOPT_LSP_MAX_MESSAGE", bad)
        assert max_message() == 16 * 1024 * 1024
