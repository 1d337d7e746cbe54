"""DOP206 rpm-clean-all."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import cleanup_diagnostic, invocations, mounted
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

CHANGES = frozenset(
    {
        "install",
        "update",
        "upgrade",
        "groupinstall",
        "reinstall",
        "downgrade",
        "distro-sync",
        "in",
        "up",
        "dup",
        "dist-upgrade",
        "patch",
        "module",
        "builddep",
        "localinstall",
    }
)
CLEAN = {
    "dnf": "dnf clean all",
    "yum": "yum clean all",
    "microdnf": "microdnf clean all",
    "zypper": "zypper clean --all",
}
CACHES = {"dnf": "/var/cache/dnf", "yum": "/var/cache/yum", "microdnf": "/var/cache/dnf", "zypper": "/var/cache/zypp"}

DOC = """
## What it does
Adds `dnf clean all` (`yum clean all`, `microdnf clean all`,
`zypper clean --all`) at the end of a `RUN` that installs or updates
packages with that manager and does not clean up itself.

## Why
dnf, yum and zypper keep repository metadata and downloaded packages in
`/var/cache`; without a cleanup in the same `RUN` they ship in the layer.

## Example
```dockerfile
RUN dnf install -y httpd
```
becomes
```dockerfile
RUN dnf install -y httpd && dnf clean all
```

## Fix safety
Safe: the managers fetch metadata again when they next need it. Not offered
when the cache directory is a `--mount=type=cache`, when the `RUN` already
removes `/var/cache/<manager>`, or when it ends in a shell comment or a
background job.
"""


@rule(
    "DOP206",
    "rpm-clean-all",
    "Clean dnf/yum/microdnf/zypper caches in the same RUN",
    DOC,
    hadolint=("DL3032", "DL3040", "DL3036"),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies(*CLEAN):
        ins, script = body.ins, body.script
        invs = invocations(script, *CLEAN)
        removals = [(c.start, w.value) for c in script.commands() if c.basename == "rm" for w in c.args]
        wanted: list[str] = []
        for tool in CLEAN:
            changes = [i.command.start for i in invs if i.tool == tool and i.sub in CHANGES]
            if not changes or mounted(ins, CACHES[tool]):
                continue
            # a cleanup counts only when it comes after the last install
            cleans = [i.command.start for i in invs if i.tool == tool and i.sub == "clean"]
            cleans += [pos for pos, path in removals if path.startswith(CACHES[tool])]
            if max(cleans, default=-1) < max(changes):
                wanted.append(tool)
        if not wanted:
            continue
        first = wanted[0]
        yield cleanup_diagnostic(
            ctx,
            body,
            " && ".join(CLEAN[t] for t in wanted),
            f"`{first}` leaves its cache in the layer: run `{CLEAN[first]}` in the same RUN",
        )
