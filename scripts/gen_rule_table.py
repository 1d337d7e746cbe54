"""Rewrite the rule table of README.md from the rule registry: `python scripts/gen_rule_table.py`.

The table sits between the `<!-- rules-table:start -->` and `<!-- rules-table:end -->` markers;
`tests/test_cli.py` fails when it is stale. `--check` exits 1 instead of writing when it would change.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer.app.ruledocs import rule_table  # noqa: E402

START, END = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->\n"


def updated(readme: str) -> str:
    head, sep, rest = readme.partition(START)
    _old, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"README.md has no {START.strip()} … {END.strip()} block")
    return head + START + rule_table() + END + tail


def main() -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if new == text:
        return 0
    if "--check" in sys.argv[1:]:
        print("README.md's rule table is stale: run `python scripts/gen_rule_table.py`", file=sys.stderr)
        return 1
    path.write_text(new, encoding="utf-8")
    print("README.md: rule table rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
