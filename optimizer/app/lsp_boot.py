"""Answer the language server's `initialize` before pygls is loaded.

pygls imports lsprotocol.types, a module of ~1,000 attrs classes that takes 300-800 ms to import:
longer than an editor should wait for `initialize`. The answer pygls gives depends only on the
client's capabilities and on dopt's features, so the first time a client (by its capabilities)
starts the server, pygls answers and the answer is kept in the cache folder
(``$DOPT_CACHE_DIR``, else ``$XDG_CACHE_HOME/dopt``, else ``~/.cache/dopt``); the next time the same
client starts it, that answer goes out at once, and pygls still receives the `initialize` (it sets up
the workspace and the position encoding from it) but its own answer, identical, is not sent again.

Nothing here imports pygls; an unreadable or unwritable cache only means no early answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

    from optimizer.app.config import Resolver


def cache_dir() -> str:
    base = os.environ.get("DOPT_CACHE_DIR")
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "dopt")


def read_message(stream: BinaryIO) -> tuple[bytes, dict[str, Any] | None]:
    """One LSP message: its raw bytes (headers and body) and its JSON (None when it is not one)."""
    raw = b""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return raw, None
        raw += line
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii", "replace").partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return raw, None
    if length is None:
        return raw, None
    body = stream.read(length)
    raw += body
    try:
        message = json.loads(body)
    except ValueError:
        return raw, None
    return raw, message if isinstance(message, dict) else None


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _key(capabilities: object) -> str:
    import importlib.util

    from optimizer import __version__

    # which pygls: its location and modification time (importlib.metadata would cost 20 ms of the start)
    spec = importlib.util.find_spec("pygls")
    try:
        pygls = f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}" if spec is not None and spec.origin else "?"
    except OSError:
        pygls = "?"
    blob = json.dumps([__version__, pygls, capabilities], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _cached(key: str) -> dict[str, Any] | None:
    try:
        with open(os.path.join(cache_dir(), f"initialize-{key}.json"), encoding="utf-8") as fh:
            found = json.load(fh)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _remember(key: str, result: object) -> None:
    folder = cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".initialize-{key}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(result, fh)
        os.replace(tmp, os.path.join(folder, f"initialize-{key}.json"))
    except OSError:
        pass


class Replay:
    """stdin for pygls: the message already read, then the rest of the real stream."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self.pending = first
        self.rest = rest

    def readline(self) -> bytes:
        if self.pending:
            k = self.pending.find(b"\n")
            if k != -1:
                line, self.pending = self.pending[: k + 1], self.pending[k + 1 :]
                return line
            line, self.pending = self.pending, b""
            return line + self.rest.readline()
        return self.rest.readline()

    def read(self, n: int = -1) -> bytes:
        if self.pending:
            if n < 0:
                data, self.pending = self.pending, b""
                return data + self.rest.read()
            data, self.pending = self.pending[:n], self.pending[n:]
            if len(data) < n:
                data += self.rest.read(n - len(data))
            return data
        return self.rest.read(n)


class Answer:
    """stdout for pygls: drops its answer to `initialize` when it already went out, or remembers it."""

    def __init__(self, out: BinaryIO, request_id: object, key: str | None, answered: bool) -> None:
        self.out = out
        self.request_id = request_id
        self.key = key
        self.answered = answered
        self.pending = request_id is not None

    def write(self, data: bytes) -> int:
        if self.pending:
            head, _, body = data.partition(b"\r\n\r\n")
            try:
                message = json.loads(body)
            except ValueError:
                message = None
            if isinstance(message, dict) and "method" not in message and message.get("id") == self.request_id:
                self.pending = False
                if self.answered:
                    return len(data)  # the same answer went out already
                if self.key is not None and "result" in message:
                    _remember(self.key, message["result"])
        written = self.out.write(data)
        return written if written is not None else len(data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.close()


def serve(resolver: Resolver | None) -> int:
    """Run the language server on stdio, answering `initialize` early when this client was seen before."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    raw, first = read_message(stdin)
    request_id, key, answered = None, None, False
    if first is not None and first.get("method") == "initialize" and "id" in first:
        request_id = first["id"]
        params = first.get("params")
        key = _key(params.get("capabilities") if isinstance(params, dict) else None)
        result = _cached(key)
        if result is not None:
            stdout.write(encode({"jsonrpc": "2.0", "id": request_id, "result": result}))
            stdout.flush()
            answered = True
    try:
        from optimizer.app.server import main as run_server
    except ImportError:
        sys.stderr.write("error: the editor server needs pygls: pip install pygls\n")
        return 2
    run_server(resolver, Replay(raw, stdin), Answer(stdout, request_id, key, answered))  # type: ignore[arg-type]
    return 0
