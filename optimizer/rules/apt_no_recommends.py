"""DOP202 apt-no-install-recommends."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.analysis.package_vars import package_names
from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction

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
Unsafe: a program may rely on a recommended package. The classic case is
`curl`, `wget` or `git` without `ca-certificates`, which then fail on HTTPS:
on a base image that lacks it (Debian, Ubuntu, node's -slim tags, or an image
dopt does not know) and when no install of the stage names it, the fix adds
`ca-certificates` to the same install (its title says so); a compiler keeps
`libc6-dev`. Packages named through a variable (`ARG PKGS="curl git"`, then
`apt-get install -y $PKGS`) are read from its default; a `--build-arg` may
name others, which the finding says. A package installed *for* what it recommends (`python3-pip`:
build-essential and python3-dev; `imagemagick`: its extra coders) is reported
without a fix, saying why. Build and smoke-test the result (`dopt verify`),
and add what is missing to the install line. No finding is reported when the
file already configures `APT::Install-Recommends`.
"""


@rule(
    "DOP202",
    "apt-no-install-recommends",
    "Install apt packages with --no-install-recommends",
    DOC,
    hadolint=("DL3015",),
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    from optimizer.analysis.knowledge import apt_tls_clients, installed_for_recommends, recommends_needed

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
            listed = package_names(ctx, ins, inv, pkgs)  # `$PKGS` read from its ARG/ENV
            names = {n.split("=")[0].split(":")[0] for n in listed.names}
            wanted = next((why for name in sorted(names) if (why := installed_for_recommends(name))), None)
            if wanted is not None:
                yield ctx.report(ins, f"{message}; not changed: {wanted}{listed.note()}")
                continue
            kept = [r for name in sorted(names) for r in recommends_needed(name) if r not in names]
            if kept and pkgs:
                kept = list(dict.fromkeys(kept))
                message += f"; {', '.join(kept)} is added to the list (recommended by the compiler, needed to build)"
            title = ""
            tls = sorted(names & apt_tls_clients())
            base = _base_without_ca(ctx, ins) if tls and pkgs and "ca-certificates" not in names else None
            if base is not None:
                kept.append("ca-certificates")
                verb = "recommends" if len(tls) == 1 else "recommend"
                message += (
                    f"; ca-certificates is added to the list ({', '.join(tls)} only {verb} it and the base image"
                    f" `{base}` lacks it: without it every HTTPS download fails)"
                )
                title = f"{ctx.rule.summary}, adding ca-certificates"
            if kept and pkgs:
                edits.append(insert_after(body, pkgs[-1], " ".join(kept)))
                message += listed.note()  # what is added depends on a default a --build-arg may change
            yield ctx.report(ins, message, edits, Applicability.UNSAFE, title)


def _base_without_ca(ctx: RuleContext, ins: Instruction) -> str | None:
    """The base image of the stage of ``ins`` when it lacks ca-certificates and no install in the stage's chain
    adds it (None otherwise). Memoised per stage."""
    memo: dict[int, str | None] = ctx.doc.memo.setdefault("DOP202.lacks_ca", {})
    if not 0 <= ins.stage < len(ctx.doc.stages):
        return None  # an instruction before any FROM (BuildKit rejects the file): no base image to ask about
    if ins.stage not in memo:
        from optimizer.analysis.finalstage import ancestry, apt_installed
        from optimizer.analysis.knowledge import lacks_ca_certificates

        chain = ancestry(ctx.doc.stages, ctx.doc.stages[ins.stage])
        root = chain[-1]
        image = root.image or root.base
        lacks = lacks_ca_certificates(image) and "ca-certificates" not in apt_installed(ctx, chain)
        memo[ins.stage] = image if lacks else None
    return memo[ins.stage]
