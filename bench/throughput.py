"""Throughput, memory and cold-start figures for dopt, next to hadolint's (prints figures; asserts nothing).

    python bench/throughput.py [--runs 5] [--dopt PATH] [--hadolint PATH]

- `dopt check` and `dopt rewrite --diff` over every file of ../shared/corpus/real, twice: in one process
  (`-j 1`), and as the CLI runs by default (a process pool of one worker per CPU, from 16 files on):
  files/s (median of the runs) and the peak RSS of the largest process of a run (for the pool: the parent
  or one worker; the workers together use about that much each);
- the same work in-process (parse + all rules + fixes), files/s;
- cold wall time of `dopt rewrite -` on a ~50-line Dockerfile (median of 21 runs), next to a bare
  `python -c pass` for reference;
- hadolint on the same inputs: the corpus in one process, and `hadolint -` on the 50-line file.

--dopt defaults to the `dopt` beside this Python (a regular `pip install .` measures what users run;
an editable install adds its import hook), else `python -m optimizer`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
HERE = Path(sys.executable).parent
_BESIDE = shutil.which("dopt", path=str(HERE))
DOPT = [_BESIDE] if _BESIDE else [sys.executable, "-m", "optimizer"]

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


# Runs a command and prints the peak RSS (kB) of its largest process, itself or a waited-for descendant
# (pool workers included): a fresh figure per run, where this process's RUSAGE_CHILDREN only ever grows.
_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def cli_run(args: list[str], files: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest process of one run."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, *DOPT, *args, *files], capture_output=True, check=False)
    wall = time.perf_counter() - t
    return wall, int(out.stdout.decode().split()[-1]) / 1024


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
    global DOPT
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dopt", default="", help="the dopt executable (default: beside this Python)")
    ap.add_argument("--hadolint", default=shutil.which("hadolint", path=f"{HERE}{os.pathsep}{os.environ['PATH']}"))
    a = ap.parse_args()
    if a.dopt:
        DOPT = [a.dopt]
    print(f"dopt: {' '.join(DOPT)}; hadolint: {a.hadolint or 'not found'}; {os.cpu_count()} CPUs")
    files = sorted(str(p) for p in REAL.iterdir() if p.is_file())
    n = len(files)
    print(f"corpus: {n} files from {REAL}")
    os.environ.pop("FORCE_COLOR", None)
    cpus = os.cpu_count() or 1
    modes: list[tuple[str, list[str]]] = [("one process (-j 1)", ["-j", "1"]), (f"CLI default (pool of {cpus})", [])]
    for label, args in (("dopt check", ["check", "-q"]), ("dopt rewrite --diff", ["rewrite", "--diff", "-q"])):
        for mode, jobs in modes:
            runs = [cli_run(args + jobs, files) for _ in range(a.runs)]
            med = statistics.median(t for t, _rss in runs)
            print(
                f"{label:<20} {mode:<24} median {med:6.2f} s  {n / med:8.1f} files/s  "
                f"peak RSS {max(rss for _t, rss in runs):6.1f} MB  (runs: "
                + ", ".join(f"{t:.2f}" for t, _rss in runs)
                + ")"
            )
    t = in_process(files)
    print(f"in-process parse+lint+fix {t:6.2f} s  {n / t:8.1f} files/s")
    stdin = FIFTY_LINES.encode()
    base = cold([sys.executable, "-c", "pass"], b"")
    c = cold(DOPT + ["rewrite", "-"], stdin)
    print(
        f"cold `dopt rewrite -` on a {FIFTY_LINES.count(chr(10))}-line file: median {c * 1000:.0f} ms "
        f"(bare python startup {base * 1000:.0f} ms)"
    )
    if a.hadolint:
        times = [_hadolint(a.hadolint, files) for _ in range(a.runs)]
        med = statistics.median(times)
        print(f"{'hadolint (same files)':<22} median {med:6.2f} s  {n / med:8.1f} files/s")
        h = cold([a.hadolint, "--no-fail", "-"], stdin)
        print(f"cold `hadolint -` on the same {FIFTY_LINES.count(chr(10))}-line file: median {h * 1000:.0f} ms")


def _hadolint(exe: str, files: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([exe, "--no-fail", *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
