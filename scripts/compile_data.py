"""Compile the TOML knowledge files to JSON, which loads without tomllib (cold start).

    python scripts/compile_data.py

The TOML files stay the source of truth (edit those); tests/test_knowledge.py fails when a compiled
file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "optimizer" / "analysis" / "data"
SOURCES = (
    "images.toml",
    "buildcache.toml",
    "context.toml",
    "layers.toml",
    "layer_paths.toml",
    "runtime.toml",
    "workdirs.toml",
)


def compiled(name: str) -> str:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    with (DATA / name).open("rb") as fh:
        return json.dumps(tomllib.load(fh), indent=1, sort_keys=True) + "\n"


def main() -> None:
    for name in SOURCES:
        target = DATA / (name.removesuffix(".toml") + ".compiled.json")
        target.write_text(compiled(name))
        sys.stdout.write(f"wrote {target}\n")


if __name__ == "__main__":
    main()
