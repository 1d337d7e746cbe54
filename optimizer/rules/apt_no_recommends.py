"""DOP202 apt-no-install-recommends."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Adds `--no-install-recommends` to `apt-get install` and `apt install`
(`--without-recommends` for `aptitude install`).

## Why
By default apt also installs every package the requested ones merely
*recommend*: documentation, optional helpers, often hundreds of megabytes
(`build-essential` pulls in a whole set of extras). Images should carry what
they need and nothing else.

## Example
```dockerfile
RUN apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get install -y --no-install-recommends curl
```

## Fix safety
Unsafe: a program may rely on a recommended package (the classic case is
`curl` or `git` without `ca-certificates`, which then fail on HTTPS). Build
and smoke-test the result (`dopt verify`), and add what is missing to the
install line. No finding is reported when the file already configures
`APT::Install-Recommends`.
"""


@rule(
    "DOP202",
    "apt-no-install-recommends",
    "Install apt packages with --no-install-recommends",
    DOC,
    hadolint=("DL3015",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    from optimizer.analysis.knowledge import recommends_needed

    if "APT::Install-Recommends" in ctx.doc.text:
        return
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        for inv in invocations(script, "apt-get", "apt", "aptitude"):
            word = inv.sub_word
            if word is None or inv.sub != "install":
                continue
            flag = "--without-recommends" if inv.tool == "aptitude" else "--no-install-recommends"
            if inv.has_option(flag, "-R") if inv.tool == "aptitude" else inv.has_option(flag):
                continue
            edits = [insert_after(body, word, flag)]
            message = f"`{inv.tool} install` without `{flag}` also installs recommended packages"
            pkgs = inv.packages()
            names = {w.value.split("=")[0].split(":")[0] for w in pkgs}
            kept = [r for name in sorted(names) for r in recommends_needed(name) if r not in names]
            if kept and pkgs:
                kept = list(dict.fromkeys(kept))
                edits.append(insert_after(body, pkgs[-1], " ".join(kept)))
                message += f"; {', '.join(kept)} is added to the list (recommended by the compiler, needed to build)"
            yield ctx.report(ins, message, edits, Applicability.UNSAFE)
