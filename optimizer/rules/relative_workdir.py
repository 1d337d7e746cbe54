"""DOP307 relative-workdir."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Document, Instruction, Stage

DOC = """
## What it does
Reports a relative `WORKDIR` and makes it absolute when the folder it continues from is known: an earlier
absolute `WORKDIR` of the stage (or of the stages it is built `FROM`).

## Why
A relative `WORKDIR` continues from the previous one, and in a stage's first `WORKDIR` from the base
image's, which the Dockerfile does not show (`/go` on golang, `/var/www/html` on php-apache). An absolute
path says where the stage works.

## Example
```dockerfile
WORKDIR /srv
WORKDIR app
```
becomes
```dockerfile
WORKDIR /srv
WORKDIR /srv/app
```

## Fix safety
Safe: BuildKit resolves the relative path against the previous `WORKDIR`; the absolute one names the same
folder. Not fixed (reported, saying why): a stage with no earlier absolute `WORKDIR` (the base image's is
the start), a path or an earlier `WORKDIR` with a variable, a `WORKDIR` split over lines, Windows stages.
Paths starting with `$` or a drive letter are not reported (as hadolint).
"""


def _path(ins: Instruction) -> str:
    return ins.args.strip().strip("\"'")


def _reported(path: str) -> bool:
    if not path or path.startswith(("/", "$")):
        return False
    return not (len(path) >= 2 and path[0].isalpha() and path[1] == ":")


def _chain(doc: Document, stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM, oldest first."""
    by_name = {s.name.lower(): s for s in doc.stages if s.name}
    out = [stage]
    while True:
        parent = by_name.get((out[-1].image or out[-1].base).lower())
        if parent is None or parent.index >= out[-1].index or parent in out:
            return out[::-1]
        out.append(parent)


@rule("DOP307", "relative-workdir", "Use an absolute WORKDIR", DOC, hadolint=("DL3000",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for stage in doc.stages:
        if not ctx.posix_shell(stage.from_instruction):
            continue
        current: str | None = None  # the folder in effect, when dopt knows it
        for st in _chain(doc, stage):
            for ins in st.instructions:
                if ins.keyword != "WORKDIR":
                    continue
                path = _path(ins)
                if path.startswith("/"):
                    current = None if "$" in path else posixpath.normpath(path)
                elif current is not None:
                    current = None if "$" in path else posixpath.normpath(posixpath.join(current, path))
                if st is not stage or not _reported(path):
                    continue
                why = None
                if current is None:
                    why = "the folder it continues from is not known (the base image's WORKDIR, or a variable)"
                elif len(ins.segments) > 1 or ins.json:
                    why = "the WORKDIR is split over lines"
                if why is not None:
                    yield ctx.report(ins, f"relative `WORKDIR {path}`; not fixed: line {ins.line_start}: {why}")
                    continue
                assert current is not None
                start = ins.src(ins.args_offset)
                end = ins.src(ins.args_offset + len(ins.args)) if ins.args else start
                yield ctx.report(
                    ins,
                    f"relative `WORKDIR {path}`: it is `{current}`, from the WORKDIR before it",
                    [Edit(start, end, current)],
                    fix_message=f"Use WORKDIR {current}",
                )
