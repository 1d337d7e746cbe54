"""Hostile shell inputs for bench/hostile.py: deep nesting, huge RUNs, many instructions (prints; asserts nothing).

``SCENARIOS`` lists (name, function): the function gets a fresh temporary folder, writes a Dockerfile there, runs
``dopt rewrite --diff`` on it in this process (bench/hostile.py runs each scenario in its own subprocess and
measures its time and peak memory) and returns the outcome: the exit code, what became of the longest RUN
(read, or why not) and the input size.

Alone, ``python bench/hostile_shell.py [--root TREE] [names...]`` runs them the same way (a subprocess each,
time and peak RSS from ``RUSAGE_CHILDREN``) against the dopt tree ``--root`` (default: this checkout), so
that two trees can be compared.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

MB = 1 << 20


def nested(depth: int, per_line: int = 0) -> str:
    """``RUN echo $($(…x…))``, ``depth`` deep; with ``per_line``, that many ``$(`` per continuation line."""
    if not per_line:
        return "RUN echo " + "$(" * depth + "x" + ")" * depth + "\n"
    lines = [" " + "$(" * min(per_line, depth - k) + " \\\n" for k in range(0, depth, per_line)]
    return "RUN echo \\\n" + "".join(lines) + " x" + ")" * depth + "\n"


def packages(size: int) -> str:
    """One RUN installing a package per continuation line, about ``size`` bytes."""
    count = size // 12
    return "RUN apt-get update && apt-get install -y \\\n" + "".join(f"    p{i} \\\n" for i in range(count)) + "    z\n"


def chain(commands: int) -> str:
    return "RUN " + " \\\n && ".join(f"echo {i}" for i in range(commands)) + "\n"


def _run_dopt(folder: Path, body: str) -> str:
    """Write ``FROM … + body`` and run ``dopt rewrite --diff`` on it here; the outcome in one line."""
    path = folder / "Dockerfile"
    text = "FROM debian:bookworm\n" + body
    path.write_text(text)
    from optimizer.app.entry import main

    argv = sys.argv
    sys.argv = ["dopt", "rewrite", "--diff", str(path)]
    saved = os.dup(1), os.dup(2)
    code = 0
    with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
        os.dup2(out.fileno(), 1)  # the CLI writes to the file descriptors (sys.stdout.buffer), not to sys.stdout
        os.dup2(err.fileno(), 2)
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            sys.argv = argv
    return f"exit {code}; {_longest_run(text)}; {len(text.encode()) / MB:.2f} MB in"


def _longest_run(text: str) -> str:
    """Was the longest RUN read as shell, or refused (and why)?"""
    from optimizer.syntax.parser import parse
    from optimizer.syntax.shell import parse_script

    try:
        doc = parse(text)
    except Exception as e:  # noqa: BLE001 (a benchmark reports, it does not judge)
        return f"file refused: {e}"
    runs = [i for i in doc.instructions if i.keyword == "RUN"]
    if not runs:
        return "no RUN"
    ins = max(runs, key=lambda i: len(i.args))
    script = parse_script(ins.args)
    why: str | None = getattr(script, "refused", None)  # older trees have no refusal
    if why:
        return why
    return "not parsed" if script.has_error else f"read ({len(script.commands())} commands)"


def nested_20k(folder: Path) -> str:
    return _run_dopt(folder, nested(20_000))  # one 60 KB line


def nested_40k(folder: Path) -> str:
    return _run_dopt(folder, nested(40_000, per_line=10_000))  # 120 KB over continuation lines


def nested_1000_around_30kb(folder: Path) -> str:
    return _run_dopt(folder, nested(1_000).replace("x)", " ".join(f"w{i}" for i in range(5_000)) + ")", 1))


def run_5mb(folder: Path) -> str:
    return _run_dopt(folder, packages(5 * MB))


def run_just_under_1mb(folder: Path) -> str:
    return _run_dopt(folder, packages(MB - 64 * 1024))


def chain_50k(folder: Path) -> str:
    return _run_dopt(folder, chain(50_000))


def instructions_50k(folder: Path) -> str:
    return _run_dopt(folder, "".join(f"RUN echo {i}\nENV V{i}={i}\n" for i in range(25_000)))


def comments_5mb(folder: Path) -> str:
    line = "# " + "c" * 77 + "\n"
    return _run_dopt(folder, line * (5 * MB // len(line)) + "RUN true\n")


SCENARIOS: list[tuple[str, Callable[[Path], str]]] = [
    ("shell: $( nested 20,000 deep (60 KB line)", nested_20k),
    ("shell: $( nested 40,000 deep (continued lines)", nested_40k),
    ("shell: $( nested 1,000 deep around 30 KB", nested_1000_around_30kb),
    ("shell: one 5 MB RUN (a package a line)", run_5mb),
    ("shell: one RUN just under 1 MiB", run_just_under_1mb),
    ("shell: one RUN of 50,000 && commands", chain_50k),
    ("shell: 50,000 small instructions", instructions_50k),
    ("shell: 5 MB of comments", comments_5mb),
]


def _child(index: int, folder: str) -> None:
    print(SCENARIOS[index][1](Path(folder)))


def main() -> None:
    import argparse
    import subprocess
    import tempfile
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent), help="the dopt tree to run")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("names", nargs="*", help="substrings of scenario names (default: all)")
    a = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([a.root, str(Path(__file__).resolve().parent)])}
    print(f"{'scenario':<48} {'time s':>7} {'peak MB':>8}  outcome")
    for k, (name, _fn) in enumerate(SCENARIOS):
        if a.names and not any(n in name for n in a.names):
            continue
        with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "out", "w+") as out:
            work = Path(tmp) / "work"
            work.mkdir()
            code = f"import hostile_shell as m; m._child({k}, {str(work)!r})"
            t = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=work
            )
            while True:  # wait4: this child's own peak RSS
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - t > a.timeout:
                    child.kill()
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.02)
            secs = time.perf_counter() - t
            child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting
            out.seek(0)
            lines = out.read().strip().splitlines()
            outcome = lines[-1] if lines and child.returncode == 0 else f"failed ({child.returncode}): {lines[-1:]}"
            print(f"{name:<48} {secs:7.2f} {usage.ru_maxrss / 1024:8.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
