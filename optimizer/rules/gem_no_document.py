"""DOP210 gem-no-document."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import split_words, unquote_word

DOC = """
## What it does
Adds `--no-document` to `gem install` and `gem update`.

## Why
By default RubyGems generates ri and RDoc documentation for every gem:
slow to build and useless in an image.

## Example
```dockerfile
RUN gem install bundler
```
becomes
```dockerfile
RUN gem install --no-document bundler
```

## Fix safety
Safe: the gems are the same; only their generated documentation is not
written. Not reported after the stage (or the stage it is built from)
writes a gemrc that turns documentation off (`gem: --no-document`, by a
RUN, a heredoc or a COPY'd `.gemrc`), nor with the older
`--no-rdoc`/`--no-ri`/`-N` flags. A `.gemrc` COPY'd from a place dopt
cannot read is reported without a fix.
"""

OFF = ("--no-document", "--no-rdoc", "--no-ri")  # what a gemrc says to write no documentation


@rule("DOP210", "gem-no-document", "Install gems with --no-document", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    gemrc = _gemrc(ctx)
    for body in ctx.shell_bodies("gem"):
        ins, script = body.ins, body.script
        rc = gemrc.get(ins.stage)
        if rc is not None and rc[0] <= ins.index and rc[2]:
            continue  # a gemrc written before (or by this RUN) turns documentation off
        for inv in invocations(script, "gem"):
            word = inv.sub_word
            if word is None or inv.sub not in ("install", "update", "i"):
                continue
            if inv.has_option("--no-document", "--no-doc", "--no-rdoc", "--no-ri", "-N", "--document"):
                continue
            message = f"`gem {inv.sub}` without `--no-document` builds documentation into the layer"
            if rc is not None and rc[0] <= ins.index:  # a .gemrc dopt cannot read: it may turn them off
                yield ctx.report(ins, f"{message}; not changed: line {rc[1]} copies a .gemrc dopt cannot read")
                continue
            yield ctx.report(ins, message, [insert_after(body, word, "--no-document")])


def _gemrc(ctx: RuleContext) -> dict[int, tuple[int, int, bool]]:
    """Per stage, the first instruction writing a gemrc that turns documentation off: (its index, its line,
    True), or a COPY of a .gemrc dopt cannot read: (index, line, False). A stage built FROM another inherits it."""
    out: dict[int, tuple[int, int, bool]] = {}
    names = {s.name.lower(): s.index for s in ctx.doc.stages if s.name}
    for stage in ctx.doc.stages:
        parent = names.get(stage.base.lower())
        if parent is not None and parent in out:
            out[stage.index] = (stage.from_instruction.index, *out[parent][1:])
            continue
        for ins in stage.instructions:
            off = _turns_off(ctx, ins)
            if off is not None:
                out[stage.index] = (ins.index, ins.line_start, off)
                break
    return out


def _turns_off(ctx: RuleContext, ins: Instruction) -> bool | None:
    """Does ``ins`` write a gemrc turning documentation off (True), one dopt cannot read (False), or neither?"""
    text = ins.logical + "".join(h.content for h in ins.heredocs)  # comments are not in it
    if "gemrc" not in text:
        return None
    if any(flag in text for flag in OFF):
        return True
    if ins.keyword not in ("COPY", "ADD") or ins.json or ins.heredocs:
        return None
    *sources, dest = [unquote_word(w) for w, _s, _e in split_words(ins.args)] or [""]
    for src in (s for s in sources if "gemrc" in s or "gemrc" in dest):
        found = None if ins.flag("from") or ctx.context_dir is None else ctx.context_file(ctx.context_dir / src)
        if found is None:
            return False
        if any(flag in found for flag in OFF):
            return True
    return None
