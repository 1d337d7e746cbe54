"""DOP302 maintainer-to-label."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Replaces the deprecated `MAINTAINER name` with `LABEL maintainer="name"`.

## Why
`MAINTAINER` has been deprecated since Docker 1.13; labels are the standard
way to attach metadata, and tools read `maintainer` (or
`org.opencontainers.image.authors`) from them.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```
becomes
```dockerfile
LABEL maintainer="Jane Doe <jane@example.com>"
```

## Fix safety
Safe: only image metadata changes (the value moves from the deprecated
`Author` field to a label); nothing in the image or how it runs does. The
value is quoted, with `"`, `$` and the escape character escaped, so it is
kept exactly. A `MAINTAINER` spread over lines with comments between them
is reported but not rewritten.
"""


@rule(
    "DOP302",
    "maintainer-to-label",
    "Replace the deprecated MAINTAINER with LABEL maintainer=",
    DOC,
    hadolint=("DL4000",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    esc = ctx.doc.escape
    for ins in ctx.doc.instructions:
        if ins.keyword != "MAINTAINER" or not ins.args:
            continue
        message = "MAINTAINER is deprecated: use LABEL maintainer="
        if ins.comments:
            yield ctx.report(ins, message + " (not fixed: comments inside it)")
            continue
        value = ins.args
        for ch in (esc, '"', "$"):
            value = value.replace(ch, esc + ch) if ch != esc else value.replace(esc, esc + esc)
        new = f'{ctx.keyword_like(ins, "LABEL")} maintainer="{value}"'
        yield ctx.report(ins, message, [Edit(ins.start, ins.header_end, new)])
