"""Does any rule grow faster than linearly? (prints figures; asserts nothing)

    python bench/scaling.py [--base 250] [--repeat 3] [--rules DOP201,DOP101] [--engine]

For every rule, every workload below is generated at 1x, 2x, 4x and 8x the base size, parsed once, and
the rule is run alone (``Settings(select={code})``, the shell bodies already parsed, so the figure is
the rule's own work) on a fresh copy of the document's memo. The table gives, per rule, the workload
where its Python function calls per unit grow most from 1x to 8x, those calls and their ratio (growth),
its microseconds per unit there at 1x and 8x and their ratio, and the largest time growth over all
workloads. The unit is an instruction, or a line where instructions span many lines. A linear rule has
growth ~1.0; the goal is <= 1.5 for every rule. Time on a shared machine also grows with cache misses and
other processes, so the table also gives Python function calls per unit (one profiled run at each size):
a count that does not depend on the machine, and grows for a rule that calls a function per pair of
instructions (not for a loop inside one call, such as a comprehension over all instructions, ``x in
a_list`` or ``text.find`` per instruction: only the time column shows those, on a quiet machine).
A rule is flagged when its calls per unit grow more than 1.5x, or its time does on a quiet machine.

Timings are the best of ``--repeat`` runs, with the garbage collector paused (all documents are kept in
memory, so a collection costs in proportion to the whole benchmark, not to the rule) and the shell-parse
cache emptied (else a small document would be served from it and a large one not).

``--engine`` also times the whole pipeline (parse + every rule + fixes to a fixed point) per workload, with the
growth of its time per unit from 1x to 8x. Shell shapes: ``and-chain`` (one RUN of up to 50,000 ``&&`` commands),
``long-word`` (one word of up to 200,000 characters), ``nested`` (``$(`` up to 500 deep around 500 words),
``heredocs`` and ``continuation``; ``--workloads and-chain,nested --engine`` for those alone.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from optimizer.core.engine import fix_text, lint  # noqa: E402
from optimizer.core.registry import all_rules  # noqa: E402
from optimizer.core.rule_context import RuleContext  # noqa: E402
from optimizer.core.settings import Settings  # noqa: E402
from optimizer.syntax.model import Document  # noqa: E402
from optimizer.syntax.parser import parse  # noqa: E402
from optimizer.syntax.shell import parse_script  # noqa: E402


def apt_chains(n: int) -> str:
    return "FROM debian:bookworm\n" + "".join(f"RUN apt-get update && apt-get install -y p{i}\n" for i in range(n))


def apt_split(n: int) -> str:
    # an update, then installs without their own update: every cleanup must look at every later RUN
    return "FROM debian:bookworm\n" + "".join(
        f"RUN apt-get update\nRUN apt-get install -y p{i} && pip install q{i}\n" for i in range(n // 2)
    )


def mergeable_runs(n: int) -> str:
    return "FROM debian:bookworm\n" + "".join(f"RUN echo {i} && cd /tmp/{i}\n" for i in range(n))


def heredocs(n: int) -> str:
    return "FROM debian:bookworm\n" + "".join(
        f"RUN <<EOF\napt-get update\napt-get install -y p{i}\npip install q{i}\nEOF\n" for i in range(n)
    )


def many_stages(n: int) -> str:
    out = ["FROM python:3.11 AS s0\nRUN pip install flask\n"]
    for i in range(1, n // 3):
        out.append(f"FROM s{i - 1} AS s{i}\nCOPY --from=s{i - 1} /app /app\nRUN npm install x{i} && echo {i}\n")
    out.append(f"FROM s{n // 3 - 1}\nCMD python app.py\n")
    return "".join(out)


def many_copies(n: int) -> str:
    return (
        "FROM python:3.11-slim\nWORKDIR /app\n"
        + "".join(
            f"COPY f{i}.txt /app/\nADD http://example.com/{i}.tgz /opt/\n" if i % 2 else f"ADD d{i}.tar.gz /app/{i}/\n"
            for i in range(n)
        )
        + 'CMD ["python", "app.py"]\n'
    )


def long_continuation(n: int) -> str:
    packages = "".join(f"    p{i} \\\n" for i in range(n))
    return "FROM debian:bookworm\nRUN apt-get update && apt-get install -y \\\n" + packages + "    last\n"


def env_arg(n: int) -> str:
    out = ["FROM node:20\n"]
    for i in range(n // 3):
        out.append(f"ARG A{i}=x\nENV V{i}=$A{i} PASSWORD{i}=s\nRUN npm install x{i} && pip install y{i}\n")
    return "".join(out)


def relative_adds(n: int) -> str:
    # relative destinations: each ADD asks whether a WORKDIR was set before it (in this stage or its parents)
    return "FROM debian:bookworm AS base\nRUN true\nFROM base\n" + "".join(f"ADD f{i}.txt rel{i}/\n" for i in range(n))


def cmds(n: int) -> str:
    # shell-form CMD/ENTRYPOINT: each asks for the SHELL in effect and whether the stage has a CMD
    return 'FROM debian:bookworm\nSHELL ["/bin/bash", "-c"]\n' + "".join(
        f"CMD echo {i}\nENTRYPOINT run {i}\n" for i in range(n // 2)
    )


def pragmas(n: int) -> str:
    # a pragma above every instruction, and off/on regions
    out = ["FROM debian:bookworm\n"]
    for i in range(n // 3):
        out.append(
            f"# dopt: ignore=DOP201\nRUN apt-get update && apt-get install -y p{i}\n"
            f"# hadolint ignore=DL3008\nRUN apt-get install -y q{i}\n"
            f"# dopt: off\nRUN pip install r{i}\n# dopt: on\n"
        )
    return "".join(out)


def downloads(n: int) -> str:
    # an archive downloaded and unpacked per RUN: each asks whether a later RUN uses the file
    return "FROM debian:bookworm\n" + "".join(
        f"RUN curl -fsSLo /tmp/a{i}.tgz https://x.example/{i}.tgz && tar -xzf /tmp/a{i}.tgz -C /opt\n" for i in range(n)
    )


def and_chain(n: int) -> str:
    # one RUN of 25n commands, a command a continuation line (8x: 50,000 commands)
    return "FROM debian:bookworm\nRUN " + " \\\n && ".join(f"echo {i}" for i in range(25 * n)) + "\n"


def long_word(n: int) -> str:
    # one word of 100n characters, continued over n lines (the continuations join it)
    return "FROM debian:bookworm\nRUN echo " + "".join("a" * 99 + "\\\n" for _ in range(n)) + "a\n"


def nested(n: int) -> str:
    # $( nested n/4 deep (8x: 500, under the refusal at 1,000), a level a line, around n/4 words
    depth = max(1, n // 4)
    words = " ".join(f"w{i}" for i in range(depth))
    return "FROM debian:bookworm\nRUN echo \\\n" + " $( \\\n" * depth + f" {words}" + ")" * depth + "\n"


def mixed(n: int) -> str:
    from throughput import FIFTY_LINES

    body = FIFTY_LINES.split("\n", 1)[1]  # without the syntax directive
    reps = max(1, n // 48)
    return "# syntax=docker/dockerfile:1\n" + "".join(body.replace("AS base", f"AS base{k}") for k in range(reps))


WORKLOADS: dict[str, Callable[[int], str]] = {
    "apt-chains": apt_chains,
    "apt-split": apt_split,
    "mergeable-runs": mergeable_runs,
    "heredocs": heredocs,
    "stages": many_stages,
    "copies": many_copies,
    "continuation": long_continuation,
    "env-arg": env_arg,
    "relative-adds": relative_adds,
    "cmds": cmds,
    "pragmas": pragmas,
    "downloads": downloads,
    "mixed": mixed,
    "and-chain": and_chain,
    "long-word": long_word,
    "nested": nested,
}
SCALES = (1, 2, 4, 8)


def _warm(doc: Document) -> dict[str, object]:
    """Parse every shell body once (shared by all rules), and return the memo to start each rule from."""
    ctx = RuleContext(doc, all_rules()[0])
    for _ in ctx.shell_bodies():
        pass
    return dict(doc.memo)


def _size(doc: Document) -> int:
    """Instructions, or lines when an instruction spans many (one RUN with 10,000 continuation lines)."""
    return max(len(doc.instructions), len(doc.line_offsets))


def time_rule(doc: Document, warm: dict[str, object], code: str, repeat: int) -> float:
    settings = Settings(select={code})
    best = float("inf")
    for _ in range(repeat):
        doc.memo = dict(warm)
        parse_script.cache_clear()
        gc.collect()
        gc.disable()  # a collection of the whole heap (every workload's documents) is not the rule's cost
        try:
            t = time.perf_counter()
            lint(doc, settings)
            best = min(best, time.perf_counter() - t)
        finally:
            gc.enable()
    return best


def calls_per_unit(doc: Document, warm: dict[str, object], code: str) -> float:
    """Python function calls per unit in one run of the rule (deterministic)."""
    import cProfile
    import pstats

    doc.memo = dict(warm)
    parse_script.cache_clear()
    profile = cProfile.Profile()
    profile.enable()
    lint(doc, Settings(select={code}))
    profile.disable()
    return pstats.Stats(profile).total_calls / _size(doc)  # type: ignore[attr-defined,no-any-return]


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=250, help="instructions at 1x")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs per point")
    ap.add_argument("--rules", default="", help="comma-separated codes (default: all)")
    ap.add_argument("--workloads", default="", help="comma-separated workload names (default: all)")
    ap.add_argument("--engine", action="store_true", help="also time parse + all rules + fixes per workload")
    a = ap.parse_args()
    rules = [r for r in all_rules() if not a.rules or r.code in a.rules.split(",")]
    names = [w for w in WORKLOADS if not a.workloads or w in a.workloads.split(",")]
    docs: dict[str, list[tuple[Document, dict[str, object]]]] = {}
    for w in names:
        docs[w] = []
        for s in SCALES:
            doc = parse(WORKLOADS[w](a.base * s), "Dockerfile")
            docs[w].append((doc, _warm(doc)))
    print(f"base {a.base} instructions; sizes {', '.join(f'{s}x' for s in SCALES)}; best of {a.repeat}")
    print(
        f"{'rule':<8} {'name':<26} {'workload':<15} {'calls/unit 1x':>13} {'8x':>6} {'growth':>6}"
        f" {'us/unit 1x':>10} {'8x':>7} {'growth':>6}   worst time growth"
    )
    worst_time = worst_calls = 0.0
    for r in rules:
        rows = []
        for w in names:
            (small, small_warm), (big, big_warm) = docs[w][0], docs[w][-1]
            c1, c8 = calls_per_unit(small, small_warm, r.code), calls_per_unit(big, big_warm, r.code)
            per = [time_rule(doc, warm, r.code, a.repeat) / _size(doc) * 1e6 for doc, warm in docs[w]]
            # below 1 us per unit the time is noise
            rows.append((w, c1, c8, c8 / max(c1, 1e-9), per, per[-1] / max(per[0], 0.05) if per[-1] > 1 else 0.0))
        w, c1, c8, call_growth, per, growth = max(rows, key=lambda row: row[3])
        tw = max(rows, key=lambda row: row[5])
        flag = "  <-- grows" if call_growth > 1.5 or tw[5] > 1.5 else ""
        worst_time, worst_calls = max(worst_time, tw[5]), max(worst_calls, call_growth)
        print(
            f"{r.code:<8} {r.name:<26} {w:<15} {c1:13.1f} {c8:6.1f} {call_growth:6.2f}"
            f" {per[0]:10.2f} {per[-1]:7.2f} {growth:6.2f}   {tw[5]:5.2f} ({tw[0]}){flag}"
        )
    print(f"worst growth 1x -> 8x: calls per unit {worst_calls:.2f}; time per unit {worst_time:.2f}")
    if a.engine:
        print()
        print(f"{'engine: parse + all rules + fixes':<36} " + " ".join(f"{f'ms {s}x':>9}" for s in SCALES))
        settings = Settings(unsafe_fixes=True)
        for w in names:
            cells = []
            for s in SCALES:
                text = WORKLOADS[w](a.base * s)
                ts = []
                for _ in range(a.repeat):
                    parse_script.cache_clear()
                    gc.collect()
                    gc.disable()
                    try:
                        t = time.perf_counter()
                        fix_text(text, "Dockerfile", settings)
                        ts.append(time.perf_counter() - t)
                    finally:
                        gc.enable()
                cells.append(min(ts) * 1000)
            n1 = _size(parse(WORKLOADS[w](a.base), "Dockerfile"))
            n8 = _size(parse(WORKLOADS[w](a.base * SCALES[-1]), "Dockerfile"))
            u1, u8 = cells[0] * 1000 / n1, cells[-1] * 1000 / n8
            print(
                f"{w:<36} "
                + " ".join(f"{c:9.0f}" for c in cells)
                + f"   us/unit 1x {u1:7.1f}  8x {u8:7.1f}  growth {u8 / max(u1, 1e-9):5.2f}"
            )


if __name__ == "__main__":
    main()
