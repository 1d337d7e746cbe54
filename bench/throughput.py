"""Throughput, memory and cold-start figures for dopt (prints figures; asserts nothing).

    python bench/throughput.py [--runs 5]

- `dopt check` and `dopt rewrite --diff` over every file of ../shared/corpus/real, one process:
  files/s (median of the runs) and peak RSS of that process;
- the same work in-process (parse + all rules + fixes), files/s;
- cold wall time of `dopt rewrite -` on a ~50-line Dockerfile (median of 21 runs), next to a bare
  `python -c pass` for reference.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
DOPT = [sys.executable, "-m", "optimizer"]

FIFTY_LINES = """\
# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update
RUN apt-get install -y --no-install-recommends \\
        build-essential \\
        libpq-dev \\
        curl
# Python dependencies
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN pip install gunicorn
COPY . .
RUN python -m compileall -q .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

FROM node:20 AS web
WORKDIR /web
COPY package.json package-lock.json ./
RUN npm ci
COPY web/ .
RUN npm run build
RUN ls dist

FROM base AS final
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION
COPY --from=web /web/dist /app/static
RUN useradd -m app
RUN chown -R app /app
USER app
HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
# run
RUN echo one
RUN echo two
RUN echo three
RUN echo four
RUN cd /tmp && echo five
RUN echo six
RUN echo seven
RUN echo eight
RUN echo nine
RUN echo ten
RUN echo eleven
RUN echo twelve
ENTRYPOINT ["/bin/sh", "-c"]
"""


def _child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cli_run(args: list[str], files: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(DOPT + args + files, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def in_process(files: list[str]) -> float:
    sys.path.insert(0, str(ROOT))
    from optimizer.core.engine import fix_text, lint
    from optimizer.core.settings import Settings
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import decode, parse

    settings = Settings(unsafe_fixes=True)
    t = time.perf_counter()
    for f in files:
        try:
            text = decode(Path(f).read_bytes(), f)
            doc = parse(text, f)
            lint(doc, settings)
            fix_text(text, f, settings, doc)
        except DoptError:
            pass
    return time.perf_counter() - t


def cold(cmd: list[str], stdin: bytes, runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    files = sorted(str(p) for p in REAL.iterdir() if p.is_file())
    n = len(files)
    print(f"corpus: {n} files from {REAL}")
    os.environ.pop("FORCE_COLOR", None)
    for label, args in (("dopt check", ["check", "-q"]), ("dopt rewrite --diff", ["rewrite", "--diff", "-q"])):
        times = [cli_run(args, files) for _ in range(a.runs)]
        med = statistics.median(times)
        print(
            f"{label:<22} median {med:6.2f} s  {n / med:8.1f} files/s  (runs: "
            + ", ".join(f"{t:.2f}" for t in times)
            + ")"
        )
    print(f"peak RSS of one dopt process over the corpus: {_child_peak_mb():.1f} MB")
    t = in_process(files)
    print(f"in-process parse+lint+fix {t:6.2f} s  {n / t:8.1f} files/s")
    stdin = FIFTY_LINES.encode()
    base = cold([sys.executable, "-c", "pass"], b"")
    c = cold(DOPT + ["rewrite", "-"], stdin)
    print(
        f"cold `dopt rewrite -` on a {FIFTY_LINES.count(chr(10))}-line file: median {c * 1000:.0f} ms "
        f"(bare python startup {base * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
