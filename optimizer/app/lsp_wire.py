"""The language server's wire: LSP framing read defensively, and JSON-RPC envelopes checked before pygls sees them.

A client may send anything. `Framer.next` turns the byte stream into frames and never trusts a header:

- `Body`: one message's bytes (at most the size limit);
- `Garbled`: a header block it could not read (a `Content-Length` that is not a decimal number, a line without
  `:`, no `Content-Length` at all, a header longer than 8 KiB); the framer then skips to the next
  `Content-Length:` in the stream (resynchronises) and goes on;
- `Oversize`: a message announced larger than the limit (`$DOPT_LSP_MAX_MESSAGE` bytes, 16 MiB by default). Its
  bytes are read and thrown away in chunks (memory stays bounded); the frame comes out as soon as its first bytes
  show its top-level `id` and `method` (or after 64 KiB of it), so a request can be answered even when the
  announced length is a lie;
- None: the input ended.

Nothing here imports pygls (`lsp_boot` uses it before pygls is loaded).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, BinaryIO

DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024
MAX_HEADER = 8 * 1024  # bytes in one header block
PEEK = 64 * 1024  # bytes of an oversize message searched for its id and method
CHUNK = 64 * 1024
MAX_READ = 1024 * 1024  # the largest single read (never one sized by an announced length)
_RESYNC = re.compile(rb"(?i)content-length[ \t]*:")

# JSON-RPC and LSP error codes
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_NOT_INITIALIZED = -32002


def max_message() -> int:
    """The size limit of one message: `$DOPT_LSP_MAX_MESSAGE` (bytes, a positive integer) or 16 MiB."""
    value = os.environ.get("DOPT_LSP_MAX_MESSAGE", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_MESSAGE


@dataclass(frozen=True)
class Body:
    data: bytes


@dataclass(frozen=True)
class Garbled:
    reason: str


@dataclass(frozen=True)
class Oversize:
    length: int
    id: int | str | None  # its top-level id, when its first bytes show one
    method: str | None  # likewise its method


Frame = Body | Garbled | Oversize


class Framer:
    """LSP messages from a binary stream, with at most one message (<= the limit) and a 64 KiB chunk in memory."""

    def __init__(self, stream: BinaryIO, limit: int = DEFAULT_MAX_MESSAGE) -> None:
        self.stream = stream
        self.limit = limit
        self.buf = bytearray()
        self.eof = False
        self.lost = False  # after a garbled header: skip to the next `Content-Length:`
        self.skip = 0  # bytes of an oversize message still to throw away
        read1 = getattr(stream, "read1", None)
        self._read = read1 if read1 is not None else stream.read

    def _fill(self, want: int = CHUNK) -> bool:
        """Read what the stream has (at least one byte, at most ``want``); False at the end of the input."""
        if self.eof:
            return False
        chunk = self._read(min(max(want, 1), MAX_READ))
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def next(self) -> Frame | None:
        if self.skip and not self._discard():
            return None
        if self.lost and not self._resync():
            return None
        length = self._header()
        if not isinstance(length, int):
            return length
        if length > self.limit:
            return self._oversize(length)
        while len(self.buf) < length:
            if not self._fill(length - len(self.buf)):
                return None  # the input ended inside a message
        body = bytes(self.buf[:length])
        del self.buf[:length]
        return Body(body)

    def _garbled(self, reason: str, consumed: int) -> Garbled:
        del self.buf[:consumed]
        self.lost = True
        return Garbled(reason)

    def _header(self) -> int | Garbled | None:
        """The Content-Length of the next header block (consumed), or why there is none."""
        pos = 0
        length: int | None = None
        lines = 0
        while True:
            nl = self.buf.find(b"\n", pos)
            if nl == -1:
                if len(self.buf) > MAX_HEADER:
                    return self._garbled(f"a header line longer than {MAX_HEADER} bytes", len(self.buf))
                if not self._fill():
                    if bytes(self.buf).strip():
                        return self._garbled("the input ended inside a header", len(self.buf))
                    return None
                continue
            line = bytes(self.buf[pos:nl]).rstrip(b"\r")
            pos = nl + 1
            if pos > MAX_HEADER:
                return self._garbled(f"a header block longer than {MAX_HEADER} bytes", pos)
            if not line.strip():
                if lines == 0:  # blank lines between messages
                    del self.buf[:pos]
                    pos = 0
                    continue
                break
            lines += 1
            name, colon, value = line.partition(b":")
            if not colon:
                return self._garbled(f"a header line without ':': {_show(line)}", pos)
            if name.strip().lower() != b"content-length":
                continue  # Content-Type and the like
            digits = value.strip()
            if not (digits.isdigit() and len(digits) <= 18):
                return self._garbled(f"Content-Length is not a byte count: {_show(value.strip())}", pos)
            if length is not None and length != int(digits):
                return self._garbled("two different Content-Length headers", pos)
            length = int(digits)
        del self.buf[:pos]
        if length is None:
            return self._garbled("a header block without Content-Length", 0)
        return length

    def _resync(self) -> bool:
        """Drop bytes up to the next `Content-Length:` (False: the input ended first)."""
        while True:
            found = _RESYNC.search(self.buf)
            if found is not None:
                del self.buf[: found.start()]
                self.lost = False
                return True
            keep = 32  # a marker cut in two by the chunk boundary
            if len(self.buf) > keep:
                del self.buf[:-keep]
            if not self._fill():
                return False

    def _oversize(self, length: int) -> Oversize:
        """Keep the first bytes (up to PEEK) until they show the envelope; the rest is thrown away by `next`."""
        head = min(length, PEEK)
        while True:
            ident, method, whole = _envelope(bytes(self.buf[:head]))
            if ident is not None or whole or len(self.buf) >= head or not self._fill(head - len(self.buf)):
                break
        taken = min(len(self.buf), length)
        del self.buf[:taken]
        self.skip = length - taken
        return Oversize(length, ident, method)

    def _discard(self) -> bool:
        while self.skip:
            if not self.buf and not self._fill(self.skip):
                self.skip = 0
                return False
            taken = min(len(self.buf), self.skip)
            del self.buf[:taken]
            self.skip -= taken
        return True


def _show(raw: bytes) -> str:
    text = raw[:40].decode("ascii", "backslashreplace")
    return repr(text + ("…" if len(raw) > 40 else ""))


_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+)', re.S)


def envelope(head: bytes) -> tuple[int | str | None, str | None]:
    """The top-level `id` and `method` of a JSON object from its first bytes (None where they do not show)."""
    ident, method, _whole = _envelope(head)
    return ident, method


def _envelope(head: bytes) -> tuple[int | str | None, str | None, bool]:
    """`envelope`, and whether the top-level object ended within ``head``."""
    text = head.decode("utf-8", "replace")
    depth = 0
    key: str | None = None
    expect_key = False
    found: dict[str, Any] = {}
    whole = False
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        pos = m.end()
        tok = m.group(1)
        if m.end() == len(text) and tok[0] not in '{}[]:,"':
            break  # a number or literal that may go on past what we have
        if tok in "{[":
            depth += 1
            expect_key = tok == "{" and depth == 1
            key = None if depth > 1 else key
            continue
        if tok in "}]":
            depth -= 1
            if depth == 0:
                whole = True
                break
            continue
        if depth != 1:
            continue
        if tok == ",":
            expect_key, key = True, None
        elif tok == ":":
            expect_key = False
        elif expect_key and tok.startswith('"'):
            key = _scalar(tok)
        elif key in ("id", "method") and key not in found:
            found[key] = _scalar(tok)
    ident, method = found.get("id"), found.get("method")
    return (
        ident if isinstance(ident, str) or (isinstance(ident, int) and not isinstance(ident, bool)) else None,
        method if isinstance(method, str) else None,
        whole,
    )


def _scalar(token: str) -> Any:
    try:
        return json.loads(token)
    except ValueError:
        return None


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def error(ident: int | str | None, code: int, message: str) -> bytes:
    """A JSON-RPC error response, framed."""
    return encode({"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}})
