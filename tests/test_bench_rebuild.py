"""bench/rebuild.py's own logic (its real builds are not run in CI): the table, the speed-up, the file it edits."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_rebuild", ROOT / "bench" / "rebuild.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_rebuild"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_table_rows_and_speed_up() -> None:
    b = _bench()
    rows = [
        b.Row("status-page", b.Build(60.0, 30.0, 160_000_000), b.Build(62.0, 7.5, 158_500_000), "", "app.py"),
        b.Row("react-vite", None, None, "base image not built here (node:18-bookworm)"),
    ]
    assert b.speedup(rows[0]) == 4.0 and b.speedup(rows[1]) is None
    lines = b.table(rows).splitlines()
    assert lines[0].startswith("| example | edited | cold original |") and lines[1] == "|" + " --- |" * 9
    assert lines[2] == ("| status-page | app.py | 60.0 s | 62.0 s | 30.0 s | 7.5 s | 4.0x | 160.0 MB | 158.5 MB |")
    assert lines[3] == "| react-vite | – | base image not built here (node:18-bookworm) | | | | | | |"
    assert all(line.count("|") == 10 for line in lines)  # every row has the header's columns


def test_the_edited_file_is_a_source_and_changes(tmp_path: Path) -> None:
    b = _bench()
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "a.js").write_text("//\n")
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("print(1)")
    found = b.source_file(tmp_path)
    assert found == tmp_path / "app.py"
    b.edit(found)
    assert found.read_text() == "print(1)\n# edited by bench/rebuild.py\n"


def test_a_missing_base_is_read_from_the_build_log() -> None:
    b = _bench()
    log = 'Error: creating build container: pull policy is "never" but "docker.io/library/node:99" could not be found'
    assert b._missing("node:99", log)
    assert not b._missing("node:99", 'error building at STEP "RUN npm ci": exit status 1')
