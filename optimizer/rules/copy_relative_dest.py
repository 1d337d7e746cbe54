"""DOP411 copy-relative-destination."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction

DOC = """
## What it does
Reports a `COPY` to a relative destination (`COPY app.py .`) in a stage that has set no `WORKDIR` yet
(in itself or in the stages it is built `FROM`), as hadolint's DL3045 does. It offers no fix.

## Why
A relative destination is resolved against the working directory the base image left: `/` on most OS
images, `/go` on golang, `/var/www/html` on php-apache. The file lands somewhere the Dockerfile does not
say, and moves when the base image changes. `WORKDIR /app` first makes the destination explicit.

## Example
```dockerfile
FROM python:3.12-slim
COPY app.py .
```
Prefer
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY app.py .
```

## Fix safety
No fix: which folder the files belong in is the author's choice, and adding a `WORKDIR` also moves every
later `RUN`, `CMD` and relative path of the stage. Destinations starting with `$` (a variable) and
Windows drive paths are not reported.
"""


def _destination(ins: Instruction) -> str | None:
    if ins.json and ins.json_args:
        return ins.json_args[-1]
    words = ins.args.split()
    return words[-1].strip("\"'") if len(words) >= 2 else None


def _relative(dest: str) -> bool:
    if not dest or dest.startswith(("/", "$")):
        return False
    return not (len(dest) >= 3 and dest[0].isalpha() and dest[1] == ":" and dest[2] in "\\/")


@rule(
    "DOP411",
    "copy-relative-destination",
    "Set WORKDIR before a COPY to a relative destination",
    DOC,
    hadolint=("DL3045",),
    fix="none",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    has_workdir: dict[str, bool] = {}  # stage name (lower case) -> a WORKDIR was set in it or its parents
    for stage in doc.stages:
        parent = (stage.image or stage.base).lower()
        workdir = has_workdir.get(parent, False)
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                workdir = True
            elif ins.keyword == "COPY" and not workdir:
                dest = _destination(ins)
                if dest is not None and _relative(dest):
                    yield ctx.report(ins, f"COPY to the relative destination `{dest}` before any WORKDIR of the stage")
        if stage.name:
            has_workdir[stage.name.lower()] = workdir
