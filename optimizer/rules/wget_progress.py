"""DOP213 wget-progress."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.images import stage_family
from optimizer.analysis.invocations import insert_after
from optimizer.analysis.knowledge import family_wget
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.shell import Word

DOC = """
## What it does
Adds `--progress=dot:giga` to a `wget` that prints a progress bar (no `--progress`, `-q`/`--quiet`,
`-nv`/`--no-verbose`, `-o`/`--output-file` or `-a`/`--append-output`: hadolint's accepted set).

## Why
Without a terminal, GNU wget prints one progress line per few kilobytes: a large download fills the build
log with thousands of lines. `dot:giga` prints one dot per MiB and one line per 32 MiB.

## Example
```dockerfile
FROM debian:bookworm
RUN wget https://example.com/tool.tar.gz
```
becomes
```dockerfile
FROM debian:bookworm
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
```

## Fix safety
Safe: only what wget prints to the build log changes, not what it downloads. Applied only where the stage's
image family runs GNU wget (Debian, Ubuntu, RHEL: data/images.toml `wget = "gnu"`). BusyBox wget (Alpine)
rejects `--progress`, and on an image dopt does not know the wget could be either: there the finding has no
fix and says why.
"""

_WRAPPERS = frozenset({"sudo", "env", "nice", "nohup", "time", "stdbuf", "timeout"})
_QUIET_LONG = frozenset({"progress", "quiet", "output-file", "append-output", "no-verbose"})


def _silenced(words: tuple[Word, ...]) -> bool:
    for w in words:
        v = w.value
        if v == "--":
            break
        if v.startswith("--"):
            if v[2:].split("=", 1)[0] in _QUIET_LONG:
                return True
        elif v.startswith("-") and len(v) > 1 and (v == "-nv" or set(v[1:]) & {"q", "o", "a"}):
            return True
    return False


def _wget_index(words: tuple[Word, ...]) -> int:
    """Where ``wget`` is the program run: first, or after wrappers (sudo, env) and their options."""
    for i, w in enumerate(words):
        name = w.value.rsplit("/", 1)[-1]
        if name == "wget":
            return i
        if name not in _WRAPPERS and (i == 0 or not (w.value.startswith("-") or "=" in w.value)):
            return -1
    return -1


@rule("DOP213", "wget-progress", "Give wget a progress style fit for build logs", DOC, hadolint=("DL3047",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("wget"):
        ins = body.ins
        if not ctx.posix_shell(ins):
            continue
        for cmd in body.script.commands():
            k = _wget_index(cmd.words)
            if k < 0:
                continue
            if _silenced(cmd.words[k + 1 :]):
                continue
            stage = ctx.doc.stage_of(ins)
            family = stage_family(ctx.doc, stage) if stage is not None else None
            wget = family_wget(family.name) if family is not None else ""
            if wget != "gnu":
                why = (
                    f"the image family {family.name} runs BusyBox wget, which has no --progress"
                    if wget == "busybox" and family is not None
                    else "dopt does not know which wget the base image runs (BusyBox wget has no --progress)"
                )
                yield ctx.report(
                    ins,
                    f"`wget` without a progress option fills the build log; not fixed: line {ins.line_start}: "
                    f"{why} (`-q` works on both)",
                )
                continue
            yield ctx.report(
                ins,
                "`wget` without a progress option prints a progress line per few KiB into the build log",
                [insert_after(body, cmd.words[k], "--progress=dot:giga")],
                fix_message="Add --progress=dot:giga",
            )
