"""DOP406 risky-packages-installed."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import invocations
from optimizer.analysis.package_vars import package_names
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

RISKY = {
    "openssh-server": "an SSH server",
    "openssh": "an SSH server",
    "dropbear": "an SSH server",
    "sudo": "sudo",
    "doas": "doas",
}
INSTALLERS = {
    "apt-get": "install",
    "apt": "install",
    "aptitude": "install",
    "apk": "add",
    "dnf": "install",
    "yum": "install",
    "microdnf": "install",
    "zypper": "install",
}

DOC = """
## What it does
Reports an SSH server (`openssh-server`, `dropbear`) or `sudo`/`doas`
installed into the image. It offers no fix.

## Why
A container is reached with `docker exec`, not SSH: an SSH server is one more
daemon to patch, one more way in, and usually comes with a key or password
baked into a layer. `sudo` only makes sense for a user who should become
root — run the steps that need root as root in the build, and the program as
an unprivileged user.

## Example
```dockerfile
RUN apt-get install -y --no-install-recommends openssh-server sudo
```

## Fix safety
No fix: whether the image needs them is a design decision.
"""


@rule("DOP406", "risky-packages-installed", "Do not install an SSH server or sudo in an image", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        for inv in invocations(body.script, *INSTALLERS):
            if inv.sub != INSTALLERS[inv.tool]:
                continue
            listed = package_names(ctx, body.ins, inv)  # `$PKGS` read from its ARG/ENV
            found = sorted({RISKY[n] for n in listed.names if n in RISKY})
            if found:
                yield ctx.report(body.ins, f"Installs {' and '.join(found)}: containers need neither")
                break
