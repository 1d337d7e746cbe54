"""DOP401 package-upgrade."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

UPGRADES = {
    "apt-get": {"upgrade", "dist-upgrade", "full-upgrade"},
    "apt": {"upgrade", "dist-upgrade", "full-upgrade"},
    "aptitude": {"upgrade", "safe-upgrade", "full-upgrade"},
    "apk": {"upgrade"},
    "dnf": {"upgrade", "distro-sync"},
    "yum": {"upgrade"},
    "microdnf": {"upgrade"},
    "zypper": {"up", "update", "dup", "dist-upgrade"},
}

DOC = """
## What it does
Reports a package-manager upgrade of the whole system (`apt-get upgrade`,
`apt-get dist-upgrade`, `apk upgrade`, `dnf upgrade`, `yum update` without
package names…). It offers no fix.

## Why
Upgrading everything makes the build unreproducible (the result depends on
the day it ran), adds a full layer of changed files on top of the base
image, and can pull in changes the base image's maintainers chose not to
ship. Rebuild on a newer base image tag instead, or upgrade only the
packages you need to.

## Example
```dockerfile
RUN apt-get update && apt-get upgrade -y
```
Prefer `FROM debian:bookworm-20240513-slim` (a newer base) or
`apt-get install --only-upgrade openssl`.

## Fix safety
No fix: removing the upgrade changes which package versions the image
ships, which only you can decide.
"""


@rule("DOP401", "package-upgrade", "Avoid upgrading every package of the base image", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        for inv in invocations(script, *UPGRADES):
            if inv.sub in UPGRADES[inv.tool] or (inv.tool == "yum" and inv.sub == "update" and not inv.packages()):
                yield ctx.report(
                    ins,
                    f"`{inv.tool} {inv.sub}` upgrades the whole base image: pin a newer base image instead",
                )
                break
