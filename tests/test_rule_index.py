"""The precompiled rule index (optimizer/core/rule_index.py) and lazy loading of rule modules by selection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.core import registry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def test_the_index_is_in_sync_with_the_rule_modules() -> None:
    from gen_rule_index import TARGET, generate

    assert TARGET.read_text() == generate(), "run `python scripts/gen_rule_index.py`"


def _loaded_rules(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_a_selection_imports_only_its_rule_modules() -> None:
    loaded = _loaded_rules(
        "import sys\n"
        "from optimizer.core.settings import Settings\n"
        "from optimizer.core.engine import lint\n"
        "from optimizer.syntax.parser import parse\n"
        "rules = Settings(select={'DOP201', 'maintainer-to-label'}).rules()\n"
        "assert [r.code for r in rules] == ['DOP201', 'DOP302'], rules\n"
        "lint(parse('FROM a\\nRUN apt-get update\\n'), Settings(select={'DOP201', 'maintainer-to-label'}))\n"
        "print(*sorted(m for m in sys.modules if m.startswith('optimizer.rules.')))\n"
    )
    assert loaded == {"optimizer.rules.apt_lists_cleanup", "optimizer.rules.maintainer_to_label"}


def test_selectors_are_checked_without_importing_rules() -> None:
    loaded = _loaded_rules(
        "import sys\n"
        "from optimizer.core.selectors import check\n"
        "check({'DOP2', 'merge-consecutive-runs', 'ALL'})\n"
        "print(*sorted(m for m in sys.modules if m.startswith('optimizer.rules.')))\n"
    )
    assert loaded == set()


def test_order_and_selection_match_the_full_registry() -> None:
    from optimizer.core.settings import Settings

    every = registry.all_rules()
    assert [r.code for r in Settings().rules()] == [r.code for r in every]
    assert [r.code for r in Settings(select={"DOP2"}, ignore={"DOP203"}).rules()] == [
        r.code for r in every if r.code.startswith("DOP2") and r.code != "DOP203"
    ]


def test_a_module_missing_from_the_index_falls_back_to_importing_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from optimizer.core.settings import Settings

    monkeypatch.setattr(registry, "_modules", [*registry.rule_modules(), "not_in_the_index"])
    monkeypatch.setattr(registry, "_loaded", True)  # the fake module is never imported
    assert registry._index() is None
    assert [r.code for r in Settings(select={"DOP201"}).rules()] == ["DOP201"]
