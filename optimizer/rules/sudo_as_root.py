"""DOP306 sudo-as-root."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.images import root_stage
from optimizer.analysis.invocations import word_start
from optimizer.analysis.knowledge import family_of, image_user
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Document, Instruction, Stage

DOC = """
## What it does
Reports `sudo` in a `RUN`, and removes it where the stage runs as root at that point: no `USER` before it
in the stage (or the stages it is built `FROM`) on an image dopt knows runs as root, or a `USER root`/
`USER 0` in effect.

## Why
A `RUN` already runs as the stage's user: as root `sudo` adds nothing but a package to install and a
layer of environment rewriting; as another user it hides which steps need root. Switch with `USER root`
and back instead.

## Example
```dockerfile
FROM debian:bookworm
RUN sudo apt-get update
```
becomes
```dockerfile
FROM debian:bookworm
RUN apt-get update
```

## Fix safety
Unsafe: even as root, `sudo` resets the environment (`env_reset`, `secure_path`): without it the command
sees the stage's `ENV` values and `PATH`, which can pick another binary or another proxy. Only a plain
`sudo cmd` is changed; `sudo -u …` and other options, a `sudo` whose command is on the next line, a
stage whose user is not root or unknown (a `USER $VAR`, an image dopt does not know or one that runs
as a non-root user) are reported without a fix.
"""

_ROOT = frozenset({"root", "0"})


def _user_before(doc: Document, stage: Stage, ins: Instruction) -> str | None:
    """The user a RUN runs as ("root", a name, or None when dopt cannot tell)."""
    by_name = {s.name.lower(): s for s in doc.stages if s.name}
    current, upto, seen = stage, ins.index, set()
    while current.index not in seen:
        seen.add(current.index)
        users = [i for i in current.instructions if i.keyword == "USER" and i.index < upto]
        if users:
            value = users[-1].args.strip().split(":", 1)[0]
            return None if "$" in value else ("root" if value in _ROOT else value)
        parent = by_name.get((current.image or current.base).lower())
        if parent is None or parent.index >= current.index:
            ref = root_stage(doc, current).image or current.base
            if family_of(ref) is None:
                return None
            known = image_user(ref)
            return known.user if known is not None and known.default else "root"
        current, upto = parent, len(doc.instructions)
    return None


@rule("DOP306", "sudo-as-root", "Do not use sudo in a RUN", DOC, hadolint=("DL3004",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for body in ctx.shell_bodies("sudo"):
        ins = body.ins
        if not ctx.posix_shell(ins):
            continue
        sudos = [c for c in body.script.commands() if c.basename == "sudo"]
        if not sudos:
            continue
        stage = doc.stage_of(ins)
        user = _user_before(doc, stage, ins) if stage is not None else None
        why = None
        edits: list[Edit] = []
        if user != "root":
            why = "the stage's user here is unknown" if user is None else f"the RUN runs as `{user}`, not root"
        else:
            for cmd in sudos:
                if len(cmd.words) < 2 or cmd.words[1].value.startswith("-"):
                    why = "`sudo` with options"
                    break
                start, end = word_start(body, cmd.words[0]), word_start(body, cmd.words[1])
                if doc.text[start + len(cmd.words[0].text) : end].strip(" \t"):
                    why = "`sudo`'s command is on the next line"
                    break
                edits.append(Edit(start, end, ""))
        message = "`sudo` in a RUN"
        if why is not None:
            yield ctx.report(ins, f"{message}; not fixed: line {ins.line_start}: {why}")
            continue
        yield ctx.report(
            ins,
            f"{message}: the stage runs as root here, sudo adds nothing",
            edits,
            Applicability.UNSAFE,
            fix_message="Remove sudo (the RUN runs as root)",
        )
