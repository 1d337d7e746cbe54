"""DOP207 rpm-assume-yes."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

ASKS = frozenset(
    {
        "install",
        "update",
        "upgrade",
        "groupinstall",
        "reinstall",
        "downgrade",
        "remove",
        "erase",
        "autoremove",
        "distro-sync",
        "localinstall",
        "in",
        "up",
        "dup",
        "dist-upgrade",
        "rm",
        "patch",
        "builddep",
    }
)

DOC = """
## What it does
Adds `-y` to `dnf`, `yum` and `zypper` commands that ask for confirmation.

## Why
Without a terminal the prompt cannot be answered: dnf and yum abort
("Operation aborted"), and the build fails or only works while nothing new
has to be installed.

## Example
```dockerfile
RUN yum install httpd
```
becomes
```dockerfile
RUN yum install -y httpd
```

## Fix safety
Safe: `-y` does what the manager would do when answered "yes". zypper
commands already run with `-n`/`--non-interactive` are left alone; microdnf
never asks.
"""


@rule(
    "DOP207",
    "rpm-assume-yes",
    "Pass -y to dnf/yum/zypper commands that would ask for confirmation",
    DOC,
    hadolint=("DL3030", "DL3038", "DL3034"),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("dnf", "yum", "zypper"):
        ins, script = body.ins, body.script
        for inv in invocations(script, "dnf", "yum", "zypper"):
            word = inv.sub_word
            if word is None or inv.sub not in ASKS:
                continue
            if inv.has_option("-y", "--assumeyes", "--yes", "--no-confirm", "-n", "--non-interactive"):
                continue
            yield ctx.report(
                ins,
                f"`{inv.tool} {inv.sub}` without `-y` stops at the confirmation prompt",
                [insert_after(body, word, "-y")],
            )
