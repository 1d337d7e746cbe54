"""DOP001 invalid-instruction."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction

KEYWORDS = (
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
)
# instructions BuildKit refuses without arguments
_NEEDS_ARGS = frozenset(
    {"ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL"}
    | {"USER", "VOLUME", "WORKDIR"}
)
_PORT = re.compile(r"\d+(-\d+)?(/(tcp|udp|sctp))?", re.I)

DOC = """
## What it does
Reports instructions that BuildKit parses but refuses to build: an unknown
keyword (`RUNN`, with the closest real one), an instruction without the
arguments it needs (`COPY` with no source, `WORKDIR` alone), `COPY`/`ADD`
with a single argument, `EXPOSE` of something that is not a port
(`EXPOSE abc`), `SHELL` not in JSON form, an instruction other than `ARG`
before the first `FROM`, and a file with no `FROM` at all (no build stage).
These findings have the level
*error* in SARIF, GitHub and rdjson output.

## Why
`docker build` stops at such a line ("unknown instruction", "requires at
least two arguments", "invalid containerPort"), often only in CI and after
the earlier steps ran. A linter that says "All checks passed!" about a file
that cannot build is wrong.

## Example
```dockerfile
FROM debian:bookworm-slim
RUNN apt-get update
EXPOSE http
```
is reported twice: `RUNN` is not an instruction (did you mean `RUN`?), and
`http` is not a port.

## Fix safety
Report only: what was meant is for the author to say. Words with variables
(`EXPOSE $PORT`) are left alone, as they are expanded at build time.
"""


def _problem(ins: Instruction) -> str | None:
    kw = ins.keyword
    if kw not in KEYWORDS:
        close = difflib.get_close_matches(kw, KEYWORDS, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        return f"`{ins.keyword_raw}` is not a Dockerfile instruction{hint}: BuildKit refuses the file"
    if kw in _NEEDS_ARGS and not ins.args and not ins.heredocs:
        return f"`{ins.keyword_raw}` without arguments: BuildKit refuses it"
    if kw in ("COPY", "ADD"):
        count = len(ins.json_args) if ins.json and ins.json_args is not None else len(ins.args.split())
        if count < 2:
            return f"`{ins.keyword_raw}` needs a source and a destination: BuildKit refuses it"
    if kw == "EXPOSE":
        bad = [w for w in ins.args.split() if "$" not in w and ":" not in w and not _PORT.fullmatch(w)]
        if bad:
            return f"`EXPOSE {bad[0]}`: `{bad[0]}` is not a port (`8000`, `8000/udp`, `8000-8010`)"
    if kw == "SHELL" and not ins.json:
        return '`SHELL` must be written in JSON form (`SHELL ["/bin/bash", "-c"]`): BuildKit refuses it'
    if kw == "ONBUILD" and ins.sub is not None:
        return _problem(ins.sub)
    return None


@rule(
    "DOP001",
    "invalid-instruction",
    "Instructions BuildKit would refuse: unknown, missing arguments, bad ports",
    DOC,
    fix="none",
    severity="error",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    staged = False  # a FROM seen
    for ins in ctx.doc.instructions:
        problem = _problem(ins)
        if problem is None and not staged and ins.keyword not in ("FROM", "ARG"):
            problem = f"`{ins.keyword_raw}` before the first `FROM`: BuildKit refuses it (only `ARG` may come first)"
        staged = staged or ins.keyword == "FROM"
        if problem is not None:
            yield ctx.report(ins, problem)
    if not staged and ctx.doc.instructions:
        yield ctx.report(ctx.doc.instructions[0], "no `FROM` in the file: BuildKit refuses it (no build stage)")
