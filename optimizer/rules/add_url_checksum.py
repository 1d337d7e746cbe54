"""DOP408 add-url-without-checksum."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.buildcontext import copy_sources
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports `ADD` of a remote URL without `--checksum`. It offers no fix.

## Why
Whatever the server returns goes into the image unchecked: a changed or
compromised download changes the image silently, and the build is not
reproducible. `ADD --checksum=sha256:…` (BuildKit) makes the build fail
when the bytes differ.

## Example
```dockerfile
ADD https://example.com/tool-1.2.tar.gz /opt/
```
Prefer `ADD --checksum=sha256:<digest> https://example.com/tool-1.2.tar.gz /opt/`.

## Fix safety
No fix: the digest must come from a download you trust.
"""


@rule("DOP408", "add-url-without-checksum", "Pin remote ADD sources with --checksum", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword != "ADD" or ins.flag("checksum"):
            continue
        urls = [s for s in copy_sources(ins) or [] if s.lower().startswith(("http://", "https://"))]
        if urls:
            yield ctx.report(ins, f"ADD {urls[0]} without --checksum: the download is not verified")
