"""atheris target: arbitrary bytes through the whole rewrite path.

Every input must either rewrite (idempotently, into text our parser accepts, without losing a
comment line) or raise a clean DoptError (the CLI's exit 2). Anything else is a crash; atheris
saves the input, and it belongs in tests/fuzz_regressions/ as a regression test.

    python fuzz/fuzz_rewrite.py -max_total_time=60 [corpus_dir]
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from optimizer.core.engine import comment_lines, fix_text
    from optimizer.core.settings import Settings
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import decode, parse

SETTINGS = (Settings(), Settings(unsafe_fixes=True))


def check_one(data: bytes) -> None:
    try:
        text = decode(data)
        parse(text)
    except DoptError:
        return
    for settings in SETTINGS:
        out = fix_text(text, "Dockerfile", settings).output
        parse(out)  # the result parses
        assert fix_text(out, "Dockerfile", settings).output == out, "not idempotent"
        assert comment_lines(out) >= comment_lines(text), "lost a comment line"


def main() -> None:
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
