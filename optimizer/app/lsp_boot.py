"""Answer the language server's `initialize` before pygls is loaded.

pygls imports lsprotocol.types, a module of ~1,000 attrs classes that takes 300-800 ms to import:
longer than an editor should wait for `initialize`. The answer pygls gives depends only on the
client's capabilities and on dopt's features, so the first time a client (by its capabilities)
starts the server, pygls answers and the answer is kept in the cache folder
(``$DOPT_CACHE_DIR``, else ``$XDG_CACHE_HOME/dopt``, else ``~/.cache/dopt``); the next time the same
client starts it, that answer goes out at once, and pygls still receives the `initialize` (it sets up
the workspace and the position encoding from it) but its own answer, identical, is not sent again.
The messages are read by `lsp_wire.Framer` (bounded, resynchronising) from the first one on.

Nothing here imports pygls; an unreadable or unwritable cache only means no early answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from optimizer.app.lsp_wire import encode

__all__ = ["Answer", "encode", "read_message", "serve"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

    from optimizer.app.config import Resolver
    from optimizer.app.lsp_wire import Frame


def cache_dir() -> str:
    base = os.environ.get("DOPT_CACHE_DIR")
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "dopt")


def read_message(stream: BinaryIO, limit: int = 16 * 1024 * 1024) -> tuple[bytes, dict[str, Any] | None]:
    """One LSP message, for a client reading the server's output (benchmarks, tests): its raw bytes (headers and
    body) and its JSON (None when it is not one, or is longer than ``limit``). The server reads with
    `lsp_wire.Framer`."""
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
            digits = value.strip()
            if not digits.isdigit() or int(digits) > limit:
                return raw, None
            length = int(digits)
    if length is None:
        return raw, None
    body = stream.read(length)
    raw += body
    try:
        message = json.loads(body)
    except ValueError:
        return raw, None
    return raw, message if isinstance(message, dict) else None


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


class Answer:
    """stdout for pygls: drops its answer to `initialize` when it already went out, or remembers it."""

    def __init__(
        self, out: BinaryIO, request_id: object, key: str | None, answered: bool, early: list[bytes] | None = None
    ) -> None:
        self.out = out
        self.request_id = request_id
        self.key = key
        self.answered = answered
        self.pending = request_id is not None
        self.early = list(early or ())  # publications lsp_early sent: pygls's identical ones are not sent again

    def write(self, data: bytes) -> int:
        if self.early:
            from optimizer.app.lsp_early import published_key

            found = published_key(data.partition(b"\r\n\r\n")[2])
            if found is not None and found in self.early:
                self.early.remove(found)
                return len(data)
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
    """Run the language server on stdio, answering `initialize` early when this client was seen before; the exit
    code (0 after shutdown and exit, else 1)."""
    from optimizer.app.lsp_wire import Body, Framer, max_message

    stdout = sys.stdout.buffer
    # unbuffered: the server's reader thread may still wait in it when the server ends, and a daemon thread
    # holding a BufferedReader's lock at interpreter shutdown aborts the process
    stdin = getattr(sys.stdin.buffer, "raw", sys.stdin.buffer)
    framer = Framer(stdin, max_message())
    first = framer.next()
    request_id, key, answered = None, None, False
    message = _json(first.data) if isinstance(first, Body) else None
    if (
        isinstance(message, dict)
        and message.get("jsonrpc") == "2.0"
        and message.get("method") == "initialize"
        and isinstance(message.get("id"), (int, str))
        and isinstance(message.get("params"), dict)
    ):
        request_id = message["id"]
        key = _key(message["params"].get("capabilities"))
        result = _cached(key)
        if result is not None:
            stdout.write(encode({"jsonrpc": "2.0", "id": request_id, "result": result}))
            stdout.flush()
            answered = True
    more: list[Frame | None] = []
    early: list[bytes] = []
    if answered and isinstance(message, dict) and result is not None:
        # the client goes on at once (initialized, didOpen): lint and publish before pygls is loaded
        from optimizer.app import lsp_early
        from optimizer.app.ruledoc_links import set_docs_base

        options = message["params"].get("initializationOptions")
        if isinstance(options, dict) and isinstance(options.get("ruleDocsUrl"), str):
            set_docs_base(options["ruleDocsUrl"])
        more, early = lsp_early.run(framer, stdout, result, resolver)
    try:
        from optimizer.app.server import main as run_server
    except ImportError:
        sys.stderr.write("error: the editor server needs pygls: pip install pygls\n")
        return 2
    out = Answer(stdout, request_id, key, answered, early)
    return run_server(resolver, framer, first, out, more)  # type: ignore[arg-type]


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
