"""Editor latency, next to hadolint's on the same files (prints figures; asserts nothing).

    python bench/editor_latency.py [--dopt PATH] [--hadolint PATH] [--requests 100] [--runs 21]

- cold start: `dopt rewrite -` on a ~50-line Dockerfile, a new process each time (median and p95 of
  --runs); hadolint's `hadolint -` on the same file; then `dopt rewrite -` on every example's Dockerfile and
  on the corpus's median-sized file (median of --runs each; goal <= 60 ms);
- first diagnostics: from `initialized` + `didOpen` (sent at once after the answer to `initialize`, as
  editors do) to the `publishDiagnostics`, on the 200-line file, with the answer to `initialize` cached
  (the second start of a client on a machine) and without the early phase (DOPT_LSP_EARLY=0); ruff's own
  server on a 200-line Python file beside it (goal <= 150 ms);
- `initialize`: from starting `dopt server` to its answer to `initialize` (median and p95 of 11; the
  answer is cached per client after the first start, see optimizer/app/lsp_boot.py);
- on a 200-line file already fixed (a typical save) and on the worst case (every line to fix, ~70
  safe fixes): after a `didChange`, the time to its `publishDiagnostics`, and the round trip of a
  `textDocument/formatting` sent right after the `didChange` (p50 and p95 of --requests, after 5
  warm-up changes); hadolint on the same file (a process per run, as editors run it).

--dopt defaults to the `dopt` beside this Python (measure a regular `pip install .`, not an editable
one); the goals of issue 16 are printed beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import FIFTY_LINES  # noqa: E402

URI = "file:///tmp/dopt-bench/Dockerfile"


def two_hundred_lines() -> str:
    blocks = []
    for i in range(11):
        blocks.append(f"""# stage {i}
FROM python:3.11-slim AS s{i}
WORKDIR /app{i}
RUN apt-get update
RUN apt-get install -y --no-install-recommends gcc libpq-dev \\
        curl \\
        git
COPY requirements{i}.txt .
RUN pip install -r requirements{i}.txt
RUN pip install gunicorn
ADD app{i}.py /app{i}/
ENV PORT=80{i:02d}
EXPOSE 80{i:02d}
RUN useradd -m app{i}
RUN chown -R app{i} /app{i}
USER app{i}
HEALTHCHECK CMD curl -f http://localhost:80{i:02d}/ || exit 1
CMD gunicorn -b 0.0.0.0:80{i:02d} app{i}:app
""")
    text = "\n".join(blocks)
    return "\n".join(text.splitlines()[:200]) + "\n"


def clean_two_hundred_lines() -> str:
    """The same file after dopt's safe fixes: what an editor formats on most saves."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from optimizer.core.engine import fix_text
    from optimizer.core.settings import Settings

    return fix_text(two_hundred_lines(), "Dockerfile", Settings()).output


def safe_fixes(text: str) -> int:
    from optimizer.core.engine import fix_text
    from optimizer.core.settings import Settings

    return len(fix_text(text, "Dockerfile", Settings()).applied)


def _ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[max(0, int(round(len(xs) * 0.95)) - 1)]
    return f"p50 {statistics.median(xs) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"


def per_process(cmd: list[str], stdin: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, input=stdin.encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return times


class Client:
    """A language client that can wait for the diagnostics of a given document version."""

    def __init__(self) -> None:
        self.client = LanguageClient("dopt-bench", "1")
        self.waiting: dict[int, asyncio.Future[float]] = {}

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            fut = self.waiting.pop(params.version if params.version is not None else -1, None)
            if fut is not None and not fut.done():
                fut.set_result(time.perf_counter())

    async def start(self, cmd: list[str]) -> float:
        t = time.perf_counter()
        await self.client.start_io(*cmd)
        await self.client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
        took = time.perf_counter() - t
        self.client.initialized(lsp.InitializedParams())
        return took

    def expect(self, version: int) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[version] = fut
        return fut

    def change(self, version: int, text: str) -> None:
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=URI),
                [lsp.TextDocumentContentChangeWholeDocument(text)],
            )
        )

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def initialize_times(cmd: list[str], runs: int) -> list[float]:
    """From starting the server to the whole answer to `initialize` (a raw client: pygls's own client
    spends ~100 ms building its converters for the answer, which is not the server's latency)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from optimizer.app.lsp_boot import encode, read_message

    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}}
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(encode(init))
        proc.stdin.flush()
        _raw, answer = read_message(proc.stdout)  # type: ignore[arg-type]
        out.append(time.perf_counter() - t)
        assert answer is not None and answer.get("id") == 1, answer
        proc.stdin.write(encode({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
        proc.stdin.write(encode({"jsonrpc": "2.0", "method": "exit", "params": None}))
        proc.stdin.close()
        proc.wait(timeout=60)
    return out


async def editing(cmd: list[str], text: str, requests: int) -> tuple[list[float], list[float]]:
    """(didChange -> publishDiagnostics, formatting right after a didChange) round trips."""
    c = Client()
    await c.start(cmd)
    opened = c.expect(0)
    c.client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "dockerfile", 0, text)))
    await opened
    fmt = lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(URI), lsp.FormattingOptions(4, True))
    diagnostics, formatting = [], []
    version = 0
    for i in range(requests + 5):
        version += 1
        changed = text.replace("WORKDIR /app0", f"WORKDIR /app0-{version}", 1)
        done = c.expect(version)
        t = time.perf_counter()
        c.change(version, changed)
        published = await done
        if i >= 5:
            diagnostics.append(published - t)
    for i in range(requests + 5):
        version += 1
        changed = text.replace("WORKDIR /app0", f"WORKDIR /app0-{version}", 1)
        done = c.expect(version)
        t = time.perf_counter()
        c.change(version, changed)
        await c.client.text_document_formatting_async(fmt)
        took = time.perf_counter() - t
        await done  # let the diagnostics of this change go out before the next one
        if i >= 5:
            formatting.append(took)
    await c.stop()
    return diagnostics, formatting


def first_diagnostics(cmd: list[str], text: str, runs: int, env: dict[str, str], uri: str = URI) -> list[float]:
    """From `initialized` + `didOpen` to the first `publishDiagnostics` of that document, a new server each run."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from optimizer.app.lsp_boot import encode, read_message

    language = "python" if uri.endswith(".py") else "dockerfile"
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}}
    opened = {"textDocument": {"uri": uri, "languageId": language, "version": 0, "text": text}}
    out = []
    for _ in range(runs):
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **env}
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(encode(init))
        proc.stdin.flush()
        read_message(proc.stdout)  # type: ignore[arg-type]
        t = time.perf_counter()
        proc.stdin.write(encode({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.write(encode({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": opened}))
        proc.stdin.flush()
        while True:
            _raw, message = read_message(proc.stdout)  # type: ignore[arg-type]
            if message is None:
                raise RuntimeError(f"{cmd[0]} ended before publishing diagnostics")
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                break
        out.append(time.perf_counter() - t)
        proc.stdin.write(encode({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
        proc.stdin.write(encode({"jsonrpc": "2.0", "method": "exit", "params": None}))
        proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def python_two_hundred_lines() -> str:
    """A 200-line Python module with findings of ruff's default rules (unused imports and arguments, `== None`)."""
    lines = ["import os", "import sys", ""]
    i = 0
    while len(lines) < 200:
        lines += [
            f"def handler_{i}(request, unused_{i}=None):",
            f"    x = {i}",
            f"    return request.get('a{i}') == None",
            "",
        ]
        i += 1
    return "\n".join(lines[:200]) + "\n"


def corpus_median_file() -> Path | None:
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
    files = sorted(
        (p for p in corpus.rglob("*") if p.is_file() and p.name != "PROVENANCE.tsv"), key=lambda p: p.stat().st_size
    )
    return files[len(files) // 2] if files else None


def main() -> None:
    ap = argparse.ArgumentParser()
    here = Path(sys.executable).parent
    ap.add_argument("--dopt", default=shutil.which("dopt", path=str(here)) or "", help="the dopt executable")
    ap.add_argument("--hadolint", default=shutil.which("hadolint", path=f"{here}{os.pathsep}{os.environ['PATH']}"))
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args()
    dopt = [a.dopt] if a.dopt else [sys.executable, "-m", "optimizer"]
    hadolint = [a.hadolint, "--no-fail", "-"] if a.hadolint else None
    print(f"dopt: {' '.join(dopt)}; hadolint: {a.hadolint or 'not found'}; {os.cpu_count()} CPUs")
    lines = FIFTY_LINES.count("\n")
    print(
        f"cold `dopt rewrite -`, {lines} lines:     {_ms(per_process([*dopt, 'rewrite', '-'], FIFTY_LINES, a.runs))}"
        "  (goal <= 100 ms)"
    )
    if hadolint:
        print(f"cold `hadolint -`, same file:         {_ms(per_process(hadolint, FIFTY_LINES, a.runs))}")
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("examples/*/Dockerfile"))
    median = corpus_median_file()
    if median is not None:
        files.append(median)
    print(f"cold `dopt rewrite -` per file (median of {a.runs}; goal <= 60 ms):")
    for f in files:
        label = (
            f.parent.name if f.parent.parent.name == "examples" else f"corpus median ({f.name}, {f.stat().st_size} B)"
        )
        print(f"  {label:40s} {_ms(per_process([*dopt, 'rewrite', '-'], f.read_text(), a.runs))}")
    print(f"server `initialize`:                  {_ms(initialize_times([*dopt, 'server'], 11))}  (goal <= 200 ms)")
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = {"DOPT_CACHE_DIR": cache}
        text = two_hundred_lines()
        first_diagnostics([*dopt, "server"], text, 1, env)  # the client's first start fills the cache
        print(f"first diagnostics after didOpen, 200 lines ({a.runs // 2 + 1} starts each; goal <= 150 ms):")
        starts = a.runs // 2 + 1
        cached = first_diagnostics([*dopt, "server"], text, starts, env)
        print(f"  dopt (initialize answered from the cache):  {_ms(cached)}")
        print(
            "  dopt without the early phase:              "
            f"{_ms(first_diagnostics([*dopt, 'server'], text, a.runs // 2 + 1, {**env, 'DOPT_LSP_EARLY': '0'}))}"
        )
    ruff = shutil.which("ruff", path=f"{here}{os.pathsep}{os.environ['PATH']}")
    if ruff:
        py = python_two_hundred_lines()
        got = first_diagnostics([ruff, "server"], py, a.runs // 2 + 1, {}, uri="file:///tmp/dopt-bench/mod.py")
        print(f"  ruff server, a 200-line Python module:      {_ms(got)}")
    for label, text, goal in (
        ("already fixed (a typical save)", clean_two_hundred_lines(), 10),
        (f"worst case ({safe_fixes(two_hundred_lines())} safe fixes)", two_hundred_lines(), 25),
    ):
        diagnostics, formatting = asyncio.run(editing([*dopt, "server"], text, a.requests))
        print(f"{text.count(chr(10))} lines, {label}, {a.requests} changes:")
        print(f"  didChange -> publishDiagnostics:    {_ms(diagnostics)}  (goal p95 <= {goal} ms)")
        print(f"  formatting after didChange:         {_ms(formatting)}  (goal p95 <= {goal} ms)")
        if hadolint:
            print(f"  hadolint, a process per run:        {_ms(per_process(hadolint, text, a.runs))}")


if __name__ == "__main__":
    main()
