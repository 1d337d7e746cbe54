"""DOP214 apt-get-not-apt."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import invocations, word_end, word_start
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Reports `apt` in a `RUN` and replaces it with `apt-get` for the subcommands both have (`install`,
`remove`, `purge`, `update`, `autoremove`, `clean`, `autoclean`, `build-dep`, `source`, `download`;
`full-upgrade` becomes `apt-get dist-upgrade`).

## Why
`apt` is the interactive front end: it warns "apt does not have a stable CLI interface. Use with caution
in scripts", its output and defaults may change between releases. `apt-get` is the scripting interface.

## Example
```dockerfile
RUN apt update && apt install -y curl
```
becomes
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
Unsafe: the two front ends are not byte-for-byte the same. `apt` deletes the downloaded `.deb` files
after installing (`Binary::apt::APT::Keep-Downloaded-Packages "false"`) where `apt-get` keeps them unless
the image cleans them (the Debian and Ubuntu images do), and newer APT releases may resolve dependencies
differently in `apt` than in `apt-get` (the new solver came to `apt` first): the installed set can differ. `apt upgrade`
(which may install new packages, unlike `apt-get upgrade`), `apt list`, `apt search`, `apt show` and a
path such as `/usr/bin/apt` are reported without a fix.
"""

_SAME = frozenset(
    {"install", "remove", "purge", "update", "autoremove", "clean", "autoclean", "build-dep", "source", "download"}
)


@rule("DOP214", "apt-get-not-apt", "Use apt-get instead of apt in scripts", DOC, hadolint=("DL3027",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("apt"):
        if not ctx.posix_shell(body.ins):
            continue
        found = invocations(body.script, "apt")
        if not found:
            continue
        edits: list[Edit] = []
        left: list[str] = []
        for inv in found:
            word = inv.command.words[inv.first - 1]
            sub = inv.sub_word
            if word.text != "apt" or sub is None or (inv.sub not in _SAME and inv.sub != "full-upgrade"):
                left.append(f"`{word.text} {inv.sub}`".rstrip() if inv.sub else f"`{word.text}`")
                continue
            edits.append(Edit(word_start(body, word), word_end(body, word), "apt-get"))
            if inv.sub == "full-upgrade":
                edits.append(Edit(word_start(body, sub), word_end(body, sub), "dist-upgrade"))
        message = "`apt` is the interactive front end: scripts use `apt-get`"
        if left:
            why = "no plain apt-get equivalent, or apt named by a path"
            message += f"; not fixed: line {body.ins.line_start}: {', '.join(left)} left as written ({why})"
            edits = []  # one fix for the RUN, or none: a half-converted RUN would still be reported
        yield ctx.report(body.ins, message, edits or None, Applicability.UNSAFE, fix_message="Replace apt with apt-get")
