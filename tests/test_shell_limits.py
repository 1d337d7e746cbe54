"""Shell nesting far beyond real scripts is refused cleanly, in work and memory linear in the input."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from optimizer.core.engine import fix_text, lint
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse
from optimizer.syntax.shell import MAX_SHELL_BYTES, MAX_SHELL_DEPTH, Script, parse_script

ROOT = Path(__file__).resolve().parent.parent
MERGE_ALWAYS = Settings(select={"DOP101"}, rule_options={"DOP101": {"merge": "always"}})
REFUSAL = f"not read: shell nested deeper than {MAX_SHELL_DEPTH}"


def nested(depth: int, inner: str = "x") -> str:
    return "echo " + "$(" * depth + inner + ")" * depth


def test_nesting_deeper_than_the_bound_is_refused() -> None:
    script = Script(nested(20_000))
    assert script.refused == REFUSAL
    assert script.has_error
    assert script.commands() == []  # nothing is read from it


def test_the_bound_itself_is_read() -> None:
    at = Script(nested(MAX_SHELL_DEPTH))
    assert at.refused is None and not at.has_error
    assert len(at.commands()) == MAX_SHELL_DEPTH + 1
    assert Script(nested(MAX_SHELL_DEPTH + 1)).refused == REFUSAL


@pytest.mark.parametrize(
    "source",
    [
        "( " * 1001 + "x" + " )" * 1001,  # subshells
        "{ " * 1001 + "x; " + "}; " * 1001,  # brace groups
        "if true; then " * 1001 + "x" + "; fi" * 1001,  # compound commands
    ],
)
def test_every_kind_of_nesting_counts(source: str) -> None:
    assert Script(source).refused == REFUSAL


def test_long_chains_are_not_nesting() -> None:
    # tree-sitter makes `a && b && c` a left-deep list (depth 20,000 here): the shell sees one flat chain
    script = Script(" && ".join(f"echo {i}" for i in range(20_000)))
    assert script.refused is None
    assert len(script.commands()) == 20_000


def test_rules_say_why_they_leave_a_refused_run() -> None:
    text = f"FROM debian:bookworm\nRUN {nested(20_000)}\nRUN echo b\n"
    [d] = lint(parse(text), MERGE_ALWAYS)
    assert d.fix is None
    assert f"(not fixed: line 2 is {REFUSAL})" in d.message
    cmd = f"FROM debian:bookworm\nCMD {nested(2_000)}\n"
    [d] = lint(parse(cmd), Settings(select={"DOP304"}))
    assert f"not fixed: {REFUSAL}" in d.message


def test_refused_run_is_left_byte_identical() -> None:
    text = f"FROM debian:bookworm\nRUN apt-get install -y curl && {nested(5_000)}\n"
    assert fix_text(text, "Dockerfile", Settings(unsafe_fixes=True)).output == text


def test_nested_words_are_not_copied_per_level() -> None:
    # 150 levels around 40 KB: each level's command name spans the rest (6 MB if copied per level)
    script = parse_script(nested(150, " ".join(f"w{i}" for i in range(6_000))))
    tracemalloc.start()
    try:
        cmds = script.commands()
        assert len(cmds) == 151
        assert cmds[1].name.startswith("$(") and cmds[1].basename == cmds[1].name
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3_000_000


def test_deep_nesting_around_much_text_is_refused() -> None:
    # under the depth bound, but the nested spans add up to over 64 times the script's length
    script = Script(nested(900, " ".join(f"w{i}" for i in range(20_000))))
    assert script.refused == "not read: shell nested too deeply for its length"
    assert script.commands() == []


def test_a_script_over_the_size_bound_is_not_read() -> None:
    packages = " ".join(f"p{i}" for i in range(MAX_SHELL_BYTES // 7))  # just over 1 MiB
    script = Script("apt-get install -y " + packages)
    assert script.refused == f"not read: shell script over {MAX_SHELL_BYTES} bytes"
    assert script.has_error and script.commands() == [] and script.top_level() == []
    lines = "".join(f"  p{i} \\\n" for i in range(MAX_SHELL_BYTES // 8))
    text = f"FROM debian:bookworm\nRUN apt-get install -y \\\n{lines}  z\nRUN echo b\n"
    assert fix_text(text, "Dockerfile", Settings(unsafe_fixes=True)).output == text  # left alone, not fixed
    [d] = lint(parse(text), MERGE_ALWAYS)
    assert f"line 2 is not read: shell script over {MAX_SHELL_BYTES} bytes" in d.message


def test_a_long_script_is_not_kept_in_the_cache() -> None:
    big = "echo " + " ".join(f"w{i}" for i in range(20_000))  # 130 KB
    assert parse_script(big) is not parse_script(big)  # the document's memo keeps it while it needs it
    small = "echo small"
    assert parse_script(small) is parse_script(small)


def test_the_cache_is_bounded_by_count_and_length() -> None:
    from optimizer.syntax.shell import _Scripts

    cache = _Scripts(entries=3, chars=100, one=50)
    first = cache("echo a")
    assert cache("echo a") is first
    for i in range(5):
        cache(f"echo {i}")
    assert len(cache._kept) == 3 and "echo a" not in cache._kept  # the least recently used went first
    for i in range(4):
        cache("y" * 40 + str(i))
    assert cache._size == sum(map(len, cache._kept)) <= 100


def test_non_ascii_offsets() -> None:
    source = "echo é && echo 😀 x€y 'ü' && ls"
    script = Script(source)
    words = [w.text for c in script.commands() for w in c.words]
    assert words == ["echo", "é", "echo", "😀", "x€y", "'ü'", "ls"]
    assert [w.value for c in script.commands() for w in c.words][5] == "ü"


_CHILD = """
import sys
sys.setrecursionlimit(150)  # no recursion over the tree or the instructions
from optimizer.core.engine import lint
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse
n = 20_000
text = "FROM debian:bookworm\\nRUN echo " + "$(" * n + "x" + ")" * n + "\\nRUN echo b\\n"
settings = Settings(select={"DOP101"}, rule_options={"DOP101": {"merge": "always"}})
for d in lint(parse(text), settings):
    print(d.message)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS caps the address space on Linux")
def test_twenty_thousand_deep_in_bounded_memory() -> None:
    # The old code built 638 MB of copies for this RUN; 250 MB of address space covers the interpreter, the
    # rules and tree-sitter (about 40 MB resident here).
    cap = 250 * 1024 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], preexec_fn=limit, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert REFUSAL in done.stdout
