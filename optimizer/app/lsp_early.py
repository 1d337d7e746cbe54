"""The first diagnostics before pygls is loaded.

An editor starts `dopt server` when a Dockerfile is opened, and sends `initialize`, `initialized` and that
file's `didOpen` at once. Importing pygls (lsprotocol's ~1,000 classes) takes longer than the lint itself, so
when `lsp_boot` answered `initialize` from its cache, the messages that follow are read here first: each
opened document is linted and its `publishDiagnostics` written straight away, as plain JSON, in the position
encoding of the cached answer. When the client falls quiet (or sends anything but notifications), the rules
are warmed up for the next lint and pygls takes over, with every message read here handed to it in order.
pygls publishes the same diagnostics again for those documents; `lsp_boot.Answer` drops a publication
identical to one that went out here.

Anything unusual (a settings error, a file that does not parse, a message that is not plain JSON) is left to
pygls: nothing is published early for it. Nothing here imports pygls.
"""

from __future__ import annotations

import json
import os
import sys

from optimizer.app.lsp_wire import Body, encode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

    from optimizer.app.config import Resolver
    from optimizer.app.lsp_wire import Frame, Framer

IDLE = 0.05  # seconds without a message after which pygls is loaded
MAX_EARLY = 32  # messages read before pygls at most
SAMPLE = (  # what the warm-up lints: enough shapes to load the rules a real file needs
    "FROM python:3.11\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY . .\n"
    "RUN pip install flask\nEXPOSE 8000\nCMD python app.py\n"
)


def fs_path(uri: str) -> str | None:
    """The file system path of a file URI, as pygls's ``to_fs_path`` gives it (not unquoted)."""
    from urllib.parse import urlparse

    scheme, netloc, path, _p, _q, _f = urlparse(uri)
    if scheme != "file":
        return None
    if netloc and path:
        value = f"//{netloc}{path}"
    elif len(path) >= 3 and path[0] == "/" and path[1].isalpha() and path[2] == ":":
        value = path[1].lower() + path[2:]
    else:
        value = path
    return value.replace("/", "\\") if sys.platform == "win32" else value


class Positions:
    """Offsets of a text to LSP positions, as pygls computes them (lines by ``splitlines(True)``)."""

    def __init__(self, text: str, encoding: str) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self.lines = text.splitlines(True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.encoding = encoding

    def _units(self, s: str) -> int:
        if self.encoding == "utf-8":
            return len(s.encode("utf-8", "surrogatepass"))
        if self.encoding == "utf-32":
            return len(s)
        return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)

    def at(self, offset: int) -> dict[str, int]:
        k = self._bisect(self.starts, offset) - 1
        if k >= len(self.lines):
            return {"line": len(self.lines), "character": 0}
        return {"line": k, "character": self._units(self.lines[k][: offset - self.starts[k]])}


def diagnostics(text: str, uri: str, resolver: Resolver | None, encoding: str) -> list[dict[str, Any]] | None:
    """The diagnostics pygls would publish for this document, or None when pygls must decide."""
    from optimizer.app import pipeline
    from optimizer.app.ruledoc_links import rule_doc_href
    from optimizer.core import severity
    from optimizer.core.settings import Settings
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import parse

    path = fs_path(uri) or uri
    try:
        settings = resolver.settings_for(path) if resolver is not None else Settings()
        doc = parse(text, path)
    except DoptError:
        return None
    found = pipeline.run(text, path, settings, fix=False, doc=doc).findings
    pos = Positions(text, encoding)
    out: list[dict[str, Any]] = []
    for d in found:
        item: dict[str, Any] = {
            "range": {"start": pos.at(d.start), "end": pos.at(max(d.end, d.start))},
            "message": d.message,
            "severity": severity.lsp(severity.of(d)),  # the table every output reads
            "code": d.code,
        }
        href = rule_doc_href(d.code)
        if href is not None:
            item["codeDescription"] = {"href": href}
        item["source"] = "dopt"
        item["data"] = {"fixable": settings.may_fix(d)}
        out.append(item)
    return out


def _ready(framer: Framer, timeout: float) -> bool:
    """Is a message (or part of one) waiting, within ``timeout`` seconds?"""
    if framer.buf:
        return True
    try:
        import select

        fd = framer.stream.fileno()
        return bool(select.select([fd], [], [], timeout)[0])
    except (OSError, ValueError, AttributeError):  # not a selectable stream (Windows pipes): no early phase
        return False


def _json(frame: Frame | None) -> dict[str, Any] | None:
    if not isinstance(frame, Body):
        return None
    try:
        message = json.loads(frame.data)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) and message.get("jsonrpc") == "2.0" else None


def run(
    framer: Framer, out: BinaryIO, result: dict[str, Any], resolver: Resolver | None
) -> tuple[list[Frame | None], list[bytes]]:
    """Read and answer early; the frames read (for pygls, in order) and the publications written."""
    caps = result.get("capabilities")
    encoding = caps.get("positionEncoding", "utf-16") if isinstance(caps, dict) else "utf-16"
    if encoding not in ("utf-8", "utf-16", "utf-32"):
        return [], []
    if os.environ.get("DOPT_LSP_EARLY", "1") == "0":
        return [], []
    frames: list[Frame | None] = []
    published: list[bytes] = []
    warm = False
    while len(frames) < MAX_EARLY:
        if not _ready(framer, IDLE):
            if warm:
                break
            warm_up()  # quiet: load what the first lint needs, then listen a little longer
            warm = True
            continue
        frame = framer.next()
        frames.append(frame)
        message = _json(frame)
        if message is None or "id" in message:  # the end, a garbled message or a request: pygls answers it
            break
        method = message.get("method")
        if method == "textDocument/didOpen":
            note = _publication(message.get("params"), resolver, encoding)
            if note is not None:
                out.write(encode(note))
                out.flush()
                published.append(_key(note["params"]))
                warm = True
        elif method not in ("initialized", "workspace/didChangeConfiguration") and not str(method).startswith("$/"):
            break
    return frames, published


def _publication(params: object, resolver: Resolver | None, encoding: str) -> dict[str, Any] | None:
    item = params.get("textDocument") if isinstance(params, dict) else None
    if not isinstance(item, dict):
        return None
    uri, text, version = item.get("uri"), item.get("text"), item.get("version")
    if not (isinstance(uri, str) and isinstance(text, str) and isinstance(version, int)):
        return None
    found = diagnostics(text, uri, resolver, encoding)
    if found is None:
        return None
    return {
        "jsonrpc": "2.0",
        "method": "textDocument/publishDiagnostics",
        "params": {"uri": uri, "diagnostics": found, "version": version},
    }


def _key(params: Any) -> bytes:
    return json.dumps(params, sort_keys=True, separators=(",", ":")).encode()


def published_key(body: bytes) -> bytes | None:
    """The comparison key of a publishDiagnostics message pygls writes, else None."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("method") != "textDocument/publishDiagnostics":
        return None
    return _key(message.get("params"))


def warm_up() -> None:
    """Load what a lint needs while the editor is quiet, so the first didOpen is answered at once."""
    from optimizer.app import pipeline
    from optimizer.core.settings import Settings

    pipeline.run(SAMPLE, "Dockerfile", Settings(), fix=False)
