"""Hostile clients of `dopt server`: one scenario per bad client, each saying what the server did.

    python bench/hostile_lsp.py            # runs every scenario here, one after another, and prints a table

`SCENARIOS` is what `bench/hostile.py` runs (each in its own subprocess, measuring time and peak memory): a name
and a function taking a fresh temporary folder and returning the outcome ("answered -32600 in 3 ms",
"resynchronised: next request answered in 2 ms", "ended: exit code 1"). The server is a child of the scenario's
process and is always waited for, so its peak memory counts in the scenario's; the outcome also gives the
server's own peak (VmHWM). Every read has a timeout: a server that hangs gives "no answer in 20 s".
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20.0
TEXT = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n"
OPTIONS = {"tabSize": 4, "insertSpaces": True}


class NoAnswer(Exception):
    pass


def frame(message: object) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    def __init__(self, tmp: Path, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "optimizer", "server", "--isolated"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=tmp,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "DOPT_CACHE_DIR": str(tmp / "cache"),
                **(env or {}),
            },
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def send(self, raw: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(raw)
        self.proc.stdin.flush()

    def notify(self, method: str, params: object = None) -> None:
        self.send(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def answer(self, ident: object) -> dict[str, Any]:
        """The answer to ``ident`` (notifications before it are skipped; another answer is a failure)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise NoAnswer(f"no answer in {TIMEOUT:.0f} s") from None
            if message is None:
                raise NoAnswer(f"the server ended (exit code {self.proc.wait()})")
            if "method" in message:
                continue
            if message.get("id") != ident:
                raise NoAnswer(f"an answer to {message.get('id')!r} instead of {ident!r}")
            return message

    def request(self, method: str, params: object = None) -> dict[str, Any]:
        self.ids += 1
        self.send(frame({"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params}))
        return self.answer(self.ids)

    def start(self) -> None:
        self.request("initialize", {"processId": None, "capabilities": {}})
        self.notify("initialized", {})

    def open(self, uri: str, text: str = TEXT) -> None:
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "d", "version": 1, "text": text}}
        )

    def peak_mib(self) -> float:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return float("nan")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


def _ms(t: float) -> str:
    return f"{(time.perf_counter() - t) * 1000:.0f} ms"


def _outcome(answer: dict[str, Any], t: float) -> str:
    if "error" in answer:
        return f"answered {answer['error']['code']} in {_ms(t)}"
    return f"answered a result in {_ms(t)}"


def _scenario(body: Callable[[Client], str], env: dict[str, str] | None = None) -> Callable[[Path], str]:
    def run(tmp: Path) -> str:
        client = Client(tmp, env)
        try:
            client.start()
            outcome = body(client)
            peak = client.peak_mib()
            return outcome if peak != peak else f"{outcome}; server peak {peak:.0f} MiB"  # nan: it has ended
        except NoAnswer as e:
            return str(e)
        finally:
            client.close()

    return run


def _garbled(raw: bytes) -> Callable[[Path], str]:
    """A garbled header (with a request's body after it), then a good request."""

    def body(c: Client) -> str:
        c.send(raw + json.dumps({"jsonrpc": "2.0", "id": 999, "method": "shutdown"}).encode())
        t = time.perf_counter()
        c.request("dopt/ping", {})
        return f"resynchronised: next request answered in {_ms(t)}"

    return _scenario(body)


def _raw_request(raw: bytes, ident: object) -> Callable[[Path], str]:
    def body(c: Client) -> str:
        t = time.perf_counter()
        c.send(raw)
        return _outcome(c.answer(ident), t)

    return _scenario(body)


def _body(data: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def _lying_length(c: Client) -> str:
    t = time.perf_counter()
    c.send(b"Content-Length: 99999999999\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": 5, "method": "x"}).encode())
    outcome = _outcome(c.answer(5), t)
    c.send(b"\0" * (32 * 1024 * 1024))  # the "rest of the body": read and thrown away
    time.sleep(0.5)
    return outcome + " (then 32 MiB of it discarded)"


def _oversize_change(c: Client) -> str:
    uri = "file:///tmp/hostile/Dockerfile"
    c.open(uri)
    big = TEXT + "# " + "x" * (17 * 1024 * 1024) + "\n"
    t = time.perf_counter()
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": big}]})
    answer = c.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": OPTIONS})
    return f"17 MiB didChange discarded, document forgotten: formatting {_outcome(answer, t)}"


def _before_initialize(tmp: Path) -> str:
    c = Client(tmp)
    try:
        t = time.perf_counter()
        return _outcome(
            c.request("textDocument/formatting", {"textDocument": {"uri": "file:///x"}, "options": OPTIONS}), t
        )
    except NoAnswer as e:
        return str(e)
    finally:
        c.close()


def _after_shutdown(c: Client) -> str:
    c.request("shutdown")
    t = time.perf_counter()
    return _outcome(c.request("textDocument/formatting", {"textDocument": {"uri": "file:///x"}, "options": OPTIONS}), t)


def _second_shutdown(c: Client) -> str:
    c.request("shutdown")
    t = time.perf_counter()
    return _outcome(c.request("shutdown"), t)


def _exit_code(shutdown: bool, close_only: bool = False) -> Callable[[Client], str]:
    def body(c: Client) -> str:
        if shutdown:
            c.request("shutdown")
        t = time.perf_counter()
        if close_only:
            assert c.proc.stdin is not None
            c.proc.stdin.close()
        else:
            c.notify("exit")
        try:
            code = c.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return f"still running {TIMEOUT:.0f} s later"
        return f"ended: exit code {code} in {_ms(t)}"

    return body


def _fifo(tmp: Path) -> str:
    fifo = tmp / "Dockerfile"
    os.mkfifo(fifo)

    def body(c: Client) -> str:
        t = time.perf_counter()
        answer = c.request("textDocument/formatting", {"textDocument": {"uri": fifo.as_uri()}, "options": OPTIONS})
        return _outcome(answer, t) + " (a FIFO at the path, never opened)"

    return _scenario(body)(tmp)


def _notification_burst(c: Client) -> str:
    t = time.perf_counter()
    for i in range(250):
        c.notify("dopt/unknown", {"i": i})
        c.notify("textDocument/didOpen", i)  # params that do not fit
        c.notify(
            "textDocument/didChange", {"textDocument": {"uri": f"file:///no/{i}", "version": 1}, "contentChanges": []}
        )
        c.notify("$/cancelRequest", {"id": 10_000 + i})
    c.request("dopt/ping", {})
    return f"no answer to 1000 bad notifications; next request answered after {_ms(t)}"


def _junk_stream(c: Client) -> str:
    c.send(os.urandom(1024 * 1024).replace(b"\n", b" "))
    t = time.perf_counter()
    c.request("dopt/ping", {})
    return f"resynchronised after 1 MiB of random bytes: next request answered in {_ms(t)}"


SCENARIOS: list[tuple[str, Callable[[Path], str]]] = [
    ("content-length-letters", _garbled(b"Content-Length: abc\r\n\r\n")),
    ("content-length-negative", _garbled(b"Content-Length: -5\r\n\r\n")),
    ("content-length-binary", _garbled(b"Content-Length: \x00\xff\xfe\r\n\r\n")),
    ("no-content-length", _garbled(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")),
    ("content-length-huge", _scenario(_lying_length)),
    ("message-over-limit", _scenario(_oversize_change)),
    ("random-bytes", _scenario(_junk_stream)),
    ("body-not-json", _raw_request(_body(b"{not json"), None)),
    ("body-nested-100k", _raw_request(_body(b"[" * 100_000), None)),
    ("batch", _raw_request(_body(b"[1, 2]"), None)),
    ("bad-id", _raw_request(_body(b'{"jsonrpc": "2.0", "id": [1], "method": "shutdown"}'), None)),
    ("wrong-jsonrpc", _raw_request(_body(b'{"jsonrpc": "1.0", "id": 4, "method": "shutdown"}'), 4)),
    ("unknown-method", _raw_request(frame({"jsonrpc": "2.0", "id": 7, "method": "dopt/nope"}), 7)),
    (
        "params-wrong-type",
        _raw_request(frame({"jsonrpc": "2.0", "id": 8, "method": "textDocument/formatting", "params": [1]}), 8),
    ),
    ("before-initialize", _before_initialize),
    ("after-shutdown", _scenario(_after_shutdown)),
    ("second-shutdown", _scenario(_second_shutdown)),
    ("exit-without-shutdown", _scenario(_exit_code(shutdown=False))),
    ("exit-after-shutdown", _scenario(_exit_code(shutdown=True))),
    ("input-closed", _scenario(_exit_code(shutdown=False, close_only=True))),
    ("format-unopened-fifo", _fifo),
    ("notification-burst", _scenario(_notification_burst)),
]


def main() -> None:
    import tempfile

    width = max(len(name) for name, _ in SCENARIOS)
    for name, scenario in SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            outcome = scenario(Path(tmp))
            print(f"{name:<{width}}  {(time.perf_counter() - t):5.2f} s  {outcome}", flush=True)


if __name__ == "__main__":
    main()
