"""Build time: a cold build and a rebuild after a source edit, original vs `dopt rewrite --unsafe-fixes`.

    python bench/rebuild.py [--examples flask-psycopg,status-page] [--markdown]

For each example (examples/*), on a copy of its folder: the original Dockerfile and the rewrite are each built
twice with buildah and a layer cache (`buildah bud --layers`) in a private store per run, base images read
from the machine's default store the way `dopt verify` does (optimizer/app/verify/builders.py): once cold,
then again after one source file was edited (a comment appended: a changed file, as a developer's edit is;
buildah's cache looks at content, not at mtimes). Prints per example the seconds of both builds, the image
bytes and how much faster the rebuild of the rewrite is. An example whose base image is not in the store is
listed as "base image not built here". Timings on a shared machine vary from run to run: the figures are what
this run measured, nothing is asserted. Goal (issue 24): the rebuild after a source edit at least 3x faster on
every example whose install came after the sources.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (".py", ".go", ".js", ".ts", ".tsx", ".jsx", ".rs", ".java", ".rb")
COMMENT = {".py": "#", ".rb": "#"}  # others: //


@dataclass(frozen=True)
class Build:
    cold: float  # seconds
    rebuild: float  # seconds, after the source edit
    size: int  # bytes of the rebuilt image


@dataclass(frozen=True)
class Row:
    example: str
    original: Build | None
    rewrite: Build | None
    note: str = ""  # why there are no figures ("base image not built here", "build failed: …")
    edited: str = ""  # the source file edited before the rebuild


def speedup(row: Row) -> float | None:
    """How many times faster the rewrite's rebuild is than the original's."""
    if row.original is None or row.rewrite is None or row.rewrite.rebuild <= 0:
        return None
    return row.original.rebuild / row.rewrite.rebuild


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def table(rows: Sequence[Row]) -> str:
    """The results as a Markdown table (one line per example)."""
    head = (
        "| example | edited | cold original | cold rewrite | rebuild original | rebuild rewrite | rebuild speed-up "
        "| bytes original | bytes rewrite |"
    )
    lines = [head, "|" + " --- |" * 9]
    for r in rows:
        if r.original is None or r.rewrite is None:
            lines.append(f"| {r.example} | {r.edited or '–'} | {r.note} | | | | | | |")
            continue
        s = speedup(r)
        o, w = r.original, r.rewrite
        lines.append(
            f"| {r.example} | {r.edited} | {o.cold:.1f} s | {w.cold:.1f} s | {o.rebuild:.1f} s | {w.rebuild:.1f} s "
            f"| {s:.1f}x | {_mb(o.size)} | {_mb(w.size)} |"
        )
    return "\n".join(lines) + "\n"


def source_file(folder: Path) -> Path | None:
    """The source file to edit: the first by name with a source suffix, outside manifests and vendored folders."""
    skip = {"node_modules", ".git", "target", "vendor", "dist"}
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in SOURCES and not skip & set(p.relative_to(folder).parts)
    )
    return found[0] if found else None


def edit(path: Path) -> None:
    """Change a source file the way a developer's edit does (a new line at the end)."""
    mark = COMMENT.get(path.suffix, "//")
    text = path.read_text()
    path.write_text(text + ("" if text.endswith("\n") else "\n") + f"{mark} edited by bench/rebuild.py\n")


def bases(dockerfile: Path) -> list[str]:
    from optimizer.syntax.parser import parse

    doc = parse(dockerfile.read_text(), str(dockerfile))
    names = {s.name.lower() for s in doc.stages if s.name}
    return [s.base for s in doc.stages if s.base.lower() not in names and s.base.lower() != "scratch"]


def _missing(base: str, log: str) -> bool:
    """Does the build log say that ``base`` is not in the store (buildah with --pull=never)?"""
    text = log.lower()
    return base.lower() in text and ("pull policy" in text or "not known" in text or "not found" in text)


def measure(folder: Path, label: str) -> Build | str:
    """Cold build and rebuild of ``folder``'s Dockerfile in a private store: the figures, or why not."""
    from optimizer.app.verify.builders import BuildahBuilder

    builder = BuildahBuilder()
    try:
        tag = f"localhost/dopt-rebuild-{label}:latest"
        cold = builder.build(folder / "Dockerfile", folder, tag)
        if not cold.ok:
            # the store is not asked beforehand: under load its lock makes a look-up time out, the build waits
            missing = [b for b in bases(folder / "Dockerfile") if _missing(b, cold.log_tail)]
            if missing:
                return f"base image not built here ({', '.join(missing)})"
            return f"{label} build failed: {cold.failed_step or cold.log_tail[-200:]}"
        target = source_file(folder)
        if target is None:
            return "no source file to edit"
        edit(target)
        again = builder.build(folder / "Dockerfile", folder, tag)
        if not again.ok:
            return f"{label} rebuild failed: {again.failed_step or again.log_tail[-200:]}"
        size = builder.inspect(tag).size
        return Build(cold.seconds, again.seconds, size)
    finally:
        builder.cleanup()
        if builder.store is not None:
            shutil.rmtree(builder.store, ignore_errors=True)


def run_example(example: Path, work: Path) -> Row:
    name = example.name
    original = work / name / "original"
    rewrite = work / name / "rewrite"
    shutil.copytree(example, original, ignore=shutil.ignore_patterns("dopt-example.toml"))
    shutil.copytree(example, rewrite, ignore=shutil.ignore_patterns("dopt-example.toml"))
    subprocess.run(
        [sys.executable, "-m", "optimizer", "rewrite", "--unsafe-fixes", "-q", str(rewrite / "Dockerfile")],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    edited = source_file(original)
    shown = str(edited.relative_to(original)) if edited else ""
    a = measure(original, f"{name}-original")
    if isinstance(a, str):
        return Row(name, None, None, a, shown)
    b = measure(rewrite, f"{name}-rewrite")
    if isinstance(b, str):
        return Row(name, None, None, b, shown)
    return Row(name, a, b, "", shown)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--examples", default="", help="comma-separated example names (default: all of examples/)")
    args = ap.parse_args(argv)
    chosen = [e for e in args.examples.split(",") if e]
    examples = [ROOT / "examples" / e for e in chosen] or sorted(
        p.parent for p in (ROOT / "examples").glob("*/Dockerfile")
    )
    sys.path.insert(0, str(ROOT))
    rows = []
    with tempfile.TemporaryDirectory(prefix="dopt-rebuild-") as tmp:
        for example in examples:
            row = run_example(example, Path(tmp))
            rows.append(row)
            sys.stderr.write(table([row]).splitlines()[-1] + "\n")  # each row as soon as it is measured
    sys.stdout.write(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
