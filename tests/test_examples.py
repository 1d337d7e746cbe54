"""Every bundled example (examples/*/): what `dopt rewrite --unsafe-fixes` makes of it, without a build.

The real builds are tests/test_verify_build.py (CI's subset) and bench/image_size.py (all); these checks run
everywhere: the rewrite lands on the runtime base the example's dopt-example.toml names (`runtime_base`), it is
a fixed point, BuildKit's parser reads it, and the CMD/ENTRYPOINT lines are kept byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer.core.engine import fix_text
from optimizer.core.settings import Settings
from optimizer.syntax.parser import parse
from tests.oracle import buildkit_parses

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/dopt-example.toml"))


def _config(example: Path) -> dict[str, Any]:
    with (example / "dopt-example.toml").open("rb") as fh:
        return dict(tomllib.load(fh))


def _rewrite(example: Path, text: str) -> str:
    settings = Settings(unsafe_fixes=True)
    return fix_text(text, str(example / "Dockerfile"), settings).output


def test_every_family_has_an_example() -> None:
    bases = {parse((e / "Dockerfile").read_text()).stages[0].base.split(":")[0] for e in EXAMPLES}
    for family in ("python", "golang", "node", "rust", "eclipse-temurin", "pytorch/pytorch"):
        assert family in bases, family


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_rewrite(example: Path) -> None:
    config = _config(example)
    text = (example / "Dockerfile").read_text()
    out = _rewrite(example, text)
    assert out != text
    assert buildkit_parses(out)
    assert _rewrite(example, out) == out, "not a fixed point"
    final = parse(out).stages[-1]
    assert final.base == config["runtime_base"]
    # what the image runs is still there, byte for byte
    runners = [i for i in parse(text).instructions if i.keyword in ("CMD", "ENTRYPOINT")]
    for ins in runners:
        assert text[ins.start : ins.end] in out


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_the_fixes_an_example_holds_back_are_applied_without_verify(example: Path) -> None:
    """`holds_back`: fixes that break the example only at run time (static reading cannot see why), so the
    plain rewrite applies them and `rewrite --verify` must hold them back (tests/test_verify_build.py)."""
    holds_back = _config(example).get("holds_back", [])
    text = (example / "Dockerfile").read_text()
    result = fix_text(text, str(example / "Dockerfile"), Settings(unsafe_fixes=True, context=str(example)))
    applied = {d.code for d in result.applied}
    assert set(holds_back) <= applied, f"{sorted(set(holds_back) - applied)} no longer fire: the example proves nothing"
