"""Editor latency (prints figures; asserts nothing).

    python bench/editor_latency.py [--requests 200]

- cold: `dopt rewrite -` on a ~50-line Dockerfile, a new process each time, median of 21;
- warm: `textDocument/formatting` through a running `dopt server` on a 200-line Dockerfile, after a
  `didChange` each time (so nothing is cached between requests): p50 and p95 round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import FIFTY_LINES  # noqa: E402

URI = "file:///tmp/bench/Dockerfile"


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


def cold(runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "optimizer", "rewrite", "-"],
            input=FIFTY_LINES.encode(),
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def clean_two_hundred_lines() -> str:
    """The same file after dopt's safe fixes: what an editor formats on most saves."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from optimizer.core.engine import fix_text
    from optimizer.core.settings import Settings

    return fix_text(two_hundred_lines(), "Dockerfile", Settings()).output


async def warm(requests: int, text: str) -> list[float]:
    client = LanguageClient("bench", "1")
    await client.start_io(sys.executable, "-m", "optimizer", "server")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "dockerfile", 0, text)))
    fmt = lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(URI), lsp.FormattingOptions(4, True))
    times = []
    for i in range(1, requests + 1):
        changed = text.replace("WORKDIR /app0", f"WORKDIR /app0-{i}", 1)
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=i, uri=URI),
                [lsp.TextDocumentContentChangeWholeDocument(changed)],
            )
        )
        t = time.perf_counter()
        await client.text_document_formatting_async(fmt)
        times.append(time.perf_counter() - t)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    a = ap.parse_args()
    print(f"cold `dopt rewrite -`, {FIFTY_LINES.count(chr(10))} lines: median {cold() * 1000:.0f} ms (goal <= 100 ms)")
    for label, text in (
        ("every line to fix (70 fixes)", two_hundred_lines()),
        ("already fixed (a typical save)", clean_two_hundred_lines()),
    ):
        times = sorted(asyncio.run(warm(a.requests, text))[5:])  # the first requests warm the caches up
        p50 = statistics.median(times) * 1000
        p95 = times[int(len(times) * 0.95) - 1] * 1000
        print(
            f"warm textDocument/formatting, {text.count(chr(10))} lines, {label}, {len(times)} requests: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p95 <= 10 ms)"
        )


if __name__ == "__main__":
    main()
