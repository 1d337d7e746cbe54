"""DOP404 curl-pipe-shell."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.shell import Word

DOWNLOADERS = frozenset({"curl", "wget"})
INTERPRETERS = frozenset(
    {"sh", "bash", "ash", "dash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node", "php"}
)

DOC = """
## What it does
Reports a download piped straight into a shell or interpreter
(`curl … | sh`, `wget -qO- … | bash`). It offers no fix.

## Why
Whatever the server sends runs as root in the build, unchecked; a
compromised or changed script changes the image silently, and without
`set -o pipefail` a failed download can even go unnoticed.

## Example
```dockerfile
RUN curl -fsSL https://example.com/install.sh | sh
```
Prefer downloading to a file, checking its checksum, then running it — or
`ADD --checksum=sha256:… https://example.com/install.sh /tmp/` first.

## Fix safety
No fix: the checksum to check against must come from you.
"""


def _program(words: tuple[Word, ...]) -> str:
    """The program a command runs, past `sudo`/`env` wrappers and their options."""
    i = 0
    while i < len(words) and words[i].value.rsplit("/", 1)[-1] in ("sudo", "env"):
        i += 1
        while i < len(words) and (words[i].value.startswith("-") or "=" in words[i].value):
            i += 1
    return words[i].value.rsplit("/", 1)[-1] if i < len(words) else ""


@rule("DOP404", "curl-pipe-shell", "Do not pipe downloads into a shell", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        ins, script = body.ins, body.script
        if not script.has_node("pipeline"):
            continue  # (walk() would list every node of a 1 MB RUN for nothing)
        for n in script.walk():
            if n.type != "pipeline":
                continue
            parts = [script._command(c) for c in n.named_children if c.type == "command"]
            names = [_program(p.words) for p in parts if p is not None]
            if len(names) >= 2 and names[0] in DOWNLOADERS and names[-1].rstrip("0123456789.") in INTERPRETERS:
                yield ctx.report(
                    ins,
                    f"`{names[0]} … | {names[-1]}` runs an unchecked download: verify a checksum",
                )
                break
