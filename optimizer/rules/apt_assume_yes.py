"""DOP203 apt-assume-yes."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

NEEDS_YES = frozenset(
    {"install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "build-dep", "reinstall"}
)

DOC = """
## What it does
Adds `-y` to `apt-get`, `apt` and `aptitude` commands that ask for
confirmation (`install`, `upgrade`, `remove`, `purge`, `autoremove`…).

## Why
A build has no terminal to answer apt's "Do you want to continue?", so apt
aborts and the build fails, or succeeds only as long as nothing new needs
to be installed.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
Safe: with `-y` apt does what it would do when answered "yes"; without it,
the build stops. Commands fed by `yes |` or configured with
`APT::Get::Assume-Yes` are left alone.
"""


@rule(
    "DOP203", "apt-assume-yes", "Pass -y to apt-get commands that would ask for confirmation", DOC, hadolint=("DL3014",)
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    if "APT::Get::Assume-Yes" in ctx.doc.text:
        return
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        for inv in invocations(script, "apt-get", "apt", "aptitude"):
            word = inv.sub_word
            if word is None or inv.sub not in NEEDS_YES:
                continue
            if inv.has_option("-y", "--yes", "--assume-yes") or any(
                w.value in ("-qq", "-q=2", "--quiet=2") for w in inv.words
            ):
                continue
            if _fed_by_yes(script, inv.command.start):
                continue
            yield ctx.report(
                ins,
                f"`{inv.tool} {inv.sub}` without `-y` stops at the confirmation prompt",
                [insert_after(body, word, "-y")],
            )


def _fed_by_yes(script: object, start: int) -> bool:
    from optimizer.syntax.shell import Script

    assert isinstance(script, Script)
    if not script.has_node("pipeline"):
        return False
    for n in script.walk():
        if n.type == "pipeline" and script.c(n.start_byte) <= start < script.c(n.end_byte):
            first = n.named_children[0] if n.named_children else None
            if first is not None and script.text(first).split()[:1] == ["yes"]:
                return True
    return False
