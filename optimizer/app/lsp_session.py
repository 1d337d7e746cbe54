"""The language server's message loop: every request gets one JSON-RPC answer, whatever the client sends.

pygls handles the messages it can structure; this loop reads the frames itself (`lsp_wire.Framer`: bounded memory,
resynchronisation after a garbled header) and answers what pygls would leave unanswered:

- a body that is not JSON: -32700 (id null); not a JSON-RPC request object: -32600 (with its id when it has a
  valid one); params pygls cannot structure: -32602; a method nobody handles: -32601 (pygls);
- a request before `initialize`: -32002; a second `initialize`, or any request after `shutdown` (a second
  `shutdown` too): -32600;
- a message larger than the limit: -32600 when its first bytes show its id. A notification too large to read
  (or one whose method does not show) may have changed a document the server then no longer knows: every open
  document is forgotten (formatting and code actions on it answer an error until the client opens it again),
  never linted or formatted from a stale text;
- notifications never get an answer: an unknown one, one before `initialize` or after `shutdown`, or one with
  params that do not fit is dropped with one line on stderr; `$/cancelRequest` goes to pygls.

`exit` ends the server with 0 after `shutdown`, else 1; the end of the input likewise.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types as lsp

from optimizer.app.lsp_wire import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    PARSE_ERROR,
    SERVER_NOT_INITIALIZED,
    Body,
    Frame,
    Framer,
    Garbled,
    Oversize,
    error,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from optimizer.app.server import DoptServer

NEW, RUNNING, SHUT_DOWN = "new", "running", "shut down"
# notifications about a document the server must have opened (else pygls fails on them, or reads the disk)
_ABOUT_OPEN_DOCUMENT = {lsp.TEXT_DOCUMENT_DID_CHANGE, lsp.TEXT_DOCUMENT_DID_CLOSE, lsp.TEXT_DOCUMENT_DID_SAVE}


def log(line: str) -> None:
    sys.stderr.write(f"dopt server: {line}\n")
    sys.stderr.flush()


class Session:
    def __init__(self, server: DoptServer, write: Callable[[bytes], None], limit: int) -> None:
        self.server = server
        self.write = write
        self.limit = limit
        self.state = NEW
        self.forget: Callable[[], None] = lambda: None  # drops every open document (set by the server)

    def reply(self, ident: int | str | None, code: int, message: str) -> None:
        self.write(error(ident, code, message))

    def handle(self, frame: Frame | None) -> int | None:
        """Handle one frame; the exit code when the server must end."""
        if frame is None:
            if self.state == SHUT_DOWN:
                return 0
            log("the input ended without shutdown and exit")
            return 1
        if isinstance(frame, Garbled):
            log(f"framing error: {frame.reason}; skipping to the next Content-Length header")
            return None
        if isinstance(frame, Oversize):
            self._oversize(frame)
            return None
        return self._message(frame)

    def _oversize(self, frame: Oversize) -> None:
        what = f"a message of {frame.length} bytes (the limit is {self.limit}, $DOPT_LSP_MAX_MESSAGE)"
        if frame.id is not None:
            log(f"{what} was not read; request {frame.id!r} is answered with an error")
            self.reply(frame.id, INVALID_REQUEST, f"{what} was not read")
            return
        method = frame.method
        if self.state == NEW:
            log(f"{what} ({method or 'method unknown'}) was not read")
        elif method is None or method.startswith(("textDocument/", "notebookDocument/", "workspace/")):
            log(f"{what} ({method or 'method unknown'}) was not read: every open document is forgotten")
            self.forget()
        else:
            log(f"{what} ({method}) was not read")

    def _message(self, frame: Body) -> int | None:
        try:
            data = _json(frame.data)
        except (ValueError, RecursionError) as e:
            self.reply(None, PARSE_ERROR, f"the body is not JSON: {e}"[:200])
            return None
        if not isinstance(data, dict):
            self.reply(None, INVALID_REQUEST, "a message must be a JSON object (LSP has no batches)")
            return None
        method = data.get("method")
        ident = data.get("id")
        valid_id = isinstance(ident, (int, str)) and not isinstance(ident, bool)
        if method is None and "id" in data and ("result" in data or "error" in data):
            try:
                response = self.server.protocol.structure_message(data)
            except Exception as e:
                log(f"a response that does not fit ({type(e).__name__}): dropped")
                return None
            self._pygls(response, "a response")  # to a request of ours (pygls resolves it)
            return None
        if not isinstance(method, str):
            self.reply(ident if valid_id else None, INVALID_REQUEST, "a request needs a method (a string)")
            return None
        if "id" not in data or method == lsp.EXIT:  # exit is a notification even when sent with an id
            return self._notification(method, data)
        if not valid_id:
            self.reply(None, INVALID_REQUEST, f"{method}: the id must be an integer or a string")
        elif data.get("jsonrpc") != "2.0":
            self.reply(ident, INVALID_REQUEST, f'{method}: "jsonrpc" must be "2.0"')
        elif self.state == NEW and method != lsp.INITIALIZE:
            self.reply(ident, SERVER_NOT_INITIALIZED, f"{method}: the server is not initialized yet")
        elif self.state != NEW and method == lsp.INITIALIZE:
            self.reply(ident, INVALID_REQUEST, "initialize: the server is already initialized")
        elif self.state == SHUT_DOWN:
            self.reply(ident, INVALID_REQUEST, f"{method}: the server is shut down; only exit is accepted")
        else:
            message = self._structure(data)
            if isinstance(message, str):
                self.reply(ident, INVALID_PARAMS, f"{method}: invalid params: {message}")
                return None
            if not hasattr(message, "id"):  # a notification's method, sent as a request: pygls would not answer
                self.reply(ident, INVALID_REQUEST, f"{method} is a notification: it takes no id")
                return None
            uri = _document_uri(message) if method in self.server.protocol.fm.features else None
            if uri is not None and uri not in self.server.opened():
                self.reply(ident, INVALID_PARAMS, f"{method}: {uri} is not open (textDocument/didOpen first)")
                return None
            if method == lsp.INITIALIZE:
                self.state = RUNNING
            elif method == lsp.SHUTDOWN:
                self.state = SHUT_DOWN
            self._pygls(message, f"request {ident!r} ({method})", ident)
        return None

    def _notification(self, method: str, data: dict[str, Any]) -> int | None:
        if method == lsp.EXIT:
            if self.state == SHUT_DOWN:
                return 0
            log("exit without shutdown: exit code 1")
            return 1
        if self.state != RUNNING or data.get("jsonrpc") != "2.0":
            why = "is not JSON-RPC 2.0" if self.state == RUNNING else f"came while the server is {self.state}"
            log(f"notification {method} {why}: dropped")
            return None
        message = self._structure(data)
        if isinstance(message, str):
            log(f"notification {method}: invalid params ({message}): dropped")
            return None
        if method in _ABOUT_OPEN_DOCUMENT:
            uri = _document_uri(message)
            if uri is not None and uri not in self.server.opened():
                log(f"notification {method} for {uri}, which is not open: dropped")
                return None
        self._pygls(message, f"notification {method}")
        return None

    def _structure(self, data: dict[str, Any]) -> Any:
        """The message as pygls's types (lsprotocol), or why it does not fit them. (pygls's own
        `structure_message` does the same and logs the whole cattrs traceback on every failure.)"""
        from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

        protocol = self.server.protocol
        if "params" not in data:  # JSON-RPC lets a message leave them out
            data = {**data, "params": None}
        fallback = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
        try:
            return protocol._converter.structure(data, protocol.get_message_type(data["method"]) or fallback)
        except Exception as cause:
            try:
                from cattrs import transform_error

                details = "; ".join(transform_error(cause))
            except Exception:
                details = f"{type(cause).__name__}: {cause}"
            return details[:300] or type(cause).__name__

    def _pygls(self, message: Any, what: str, ident: int | str | None = None) -> None:
        try:
            self.server.protocol.handle_message(message)
        except BrokenPipeError:
            raise
        except Exception as e:  # pygls answers a request's own errors; this is anything it let through
            log(f"{what} failed: {type(e).__name__}: {e}")
            if ident is not None:
                self.reply(ident, -32603, f"internal error: {type(e).__name__}")


def _document_uri(message: Any) -> str | None:
    """The (unquoted, as pygls keys them) URI of the document a textDocument/ message is about."""
    if not getattr(message, "method", "").startswith("textDocument/") or message.method == lsp.TEXT_DOCUMENT_DID_OPEN:
        return None
    uri = getattr(getattr(getattr(message, "params", None), "text_document", None), "uri", None)
    if not isinstance(uri, str):
        return None
    from urllib.parse import unquote

    return unquote(uri)


def _json(body: bytes) -> Any:
    import json

    return json.loads(body)


def run(session: Session, framer: Framer, first: Frame | None, more: Sequence[Frame | None] = ()) -> int:
    """Handle the frames (``first``, then ``more``, read before) until `exit` or the end of the input; the
    exit code."""
    return asyncio.run(_loop(session, framer, first, more))


async def _loop(session: Session, framer: Framer, first: Frame | None, more: Sequence[Frame | None]) -> int:
    for frame in (first, *more):
        code = session.handle(frame)
        if code is not None:
            return code
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue[Frame | None] = asyncio.Queue()
    taken = threading.Semaphore(1)  # read ahead at most one frame: memory stays bounded while a request runs

    def read() -> None:
        while True:
            taken.acquire()
            frame = framer.next()
            try:
                loop.call_soon_threadsafe(frames.put_nowait, frame)
            except RuntimeError:  # the loop ended (exit)
                return
            if frame is None:
                return

    # a daemon thread: the server can end (exit) while it waits for input
    threading.Thread(target=read, name="dopt-lsp-reader", daemon=True).start()
    while True:
        frame = await frames.get()
        taken.release()
        code = session.handle(frame)
        if code is not None:
            return code
