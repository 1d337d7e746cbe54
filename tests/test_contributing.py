"""CONTRIBUTING.md's worked example is the rule as it is in the tree, so that the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_worked_example_is_the_module_in_the_tree() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)````python\n(.*?)^\1````$", text, re.S | re.M)
    assert len(blocks) == 1, "CONTRIBUTING.md has one ````python block: the worked example"
    indent, body = blocks[0]
    code = "".join(line[len(indent) :] if line.strip() else "\n" for line in body.splitlines(True))
    assert "`DOP210 gem-no-document` exactly as it is in the tree" in text
    module = (ROOT / "optimizer" / "rules" / "gem_no_document.py").read_text(encoding="utf-8")
    assert code == module
