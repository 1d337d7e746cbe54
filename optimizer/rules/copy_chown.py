"""DOP303 copy-chown."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import split_words, unquote_word

_OWNER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?")
_MODE = re.compile(r"[0-7]{3,4}")

DOC = """
## What it does
Folds a `RUN chown -R owner path` (or `RUN chmod -R mode path`) that directly
follows a `COPY` to the same path into the `COPY` as `--chown=owner`
(`--chmod=mode`), and removes the `RUN`.

## Why
`chown -R` and `chmod -R` touch every file, and a changed file is copied
whole into the new layer: the copied files ship twice. `COPY --chown`
writes them once, with the right owner.

## Example
```dockerfile
COPY . /app
RUN chown -R app:app /app
```
becomes
```dockerfile
COPY --chown=app:app . /app
```

## Fix safety
Unsafe: `--chmod` needs BuildKit, and the result is only the same when the
`COPY` creates the path. `chown -R /app` also re-owns the folder and files that
were in `/app` before the `COPY`, which `--chown` does not: so nothing is
changed (the finding says why) when an earlier `WORKDIR`, `COPY`/`ADD` or a
`RUN` naming the path (`mkdir -p /app`) in the stage or a stage it is built
`FROM` made it, or when the base image may have it (a folder under the usual
top-level ones, `/usr`, `/home`, `/var`, `/opt`, `/srv`, `/go`, `/data`,
`/workspace`…, or a base image dopt does not know). Only plain owners (`user`, `user:group`,
numeric ids) and octal modes are folded; the `RUN` must contain nothing but
that one command, and its path must be the `COPY` destination as written.
"""


def _dest(ins: Instruction) -> str | None:
    if ins.json_args is not None:
        return ins.json_args[-1] if len(ins.json_args) >= 2 else None
    words = split_words(ins.args)
    return unquote_word(words[-1][0]) if len(words) >= 2 else None


def _norm(path: str) -> str:
    return path.rstrip("/") or "/"


@rule("DOP303", "copy-chown", "Use COPY --chown/--chmod instead of a chown -R/chmod -R layer", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for copy, run in zip(doc.instructions, doc.instructions[1:], strict=False):
        if copy.keyword not in ("COPY", "ADD") or run.keyword != "RUN" or copy.stage != run.stage:
            continue
        dest = _dest(copy)
        script = ctx.script(run)
        if dest is None or script is None or run.flags or script.has_node("comment"):
            continue
        cmds = script.commands()
        if len(cmds) != 1 or len(script.top_level()) != 1 or script.top_level()[0].type != "command":
            continue
        cmd = cmds[0]
        words = [w.value for w in cmd.words]
        if not all(w.literal for w in cmd.words) or cmd.assignments or len(words) != 4 or words[1] != "-R":
            continue
        tool, value, path = words[0], words[2], words[3]
        if tool == "chown" and _OWNER.fullmatch(value):
            flag = "chown"
        elif tool == "chmod" and _MODE.fullmatch(value):
            flag = "chmod"
        else:
            continue
        if _norm(path) != _norm(dest) or copy.flag(flag):
            continue
        message = f"`{tool} -R` after COPY duplicates the copied files in a new layer: use COPY --{flag}"
        existed = _existed_before(ctx, copy, dest)
        if existed is not None:
            yield ctx.report(run, f"{message}; not changed: {existed}, and COPY --{flag} would leave it as it was")
            continue
        kw_end = copy.start + len(copy.keyword_raw)
        line_start = doc.line_start_offset(run.line_start)
        line_end = doc.line_start_offset(run.line_end + 1) if run.line_end < len(doc.line_offsets) else len(doc.text)
        edits = [Edit.insert(kw_end, f" --{flag}={value}"), Edit(line_start, line_end, "")]
        if line_end == len(doc.text) and not doc.text.endswith("\n"):
            # the RUN is the last line: drop the newline before it instead
            prev_nl = doc.text.rfind("\n", 0, line_start)
            edits[1] = Edit(prev_nl if doc.text[prev_nl - 1] != "\r" else prev_nl - 1, line_end, "")
        yield ctx.report(run, message, edits, Applicability.UNSAFE)


_ABS_PATH = re.compile(r"(?<![\w.$}-])/[\w.@+~-]+(?:/[\w.@+~-]+)*")


def _existed_before(ctx: RuleContext, copy: Instruction, dest: str) -> str | None:
    """Why the COPY's destination may exist before the COPY (then `chown -R` does more than `--chown`)."""
    from optimizer.analysis.buildcontext import workdir_at
    from optimizer.analysis.finalstage import ancestry
    from optimizer.analysis.knowledge import base_image_top_folders, family_of

    doc = ctx.doc
    if not 0 <= copy.stage < len(doc.stages):
        return "the COPY comes before any FROM"
    stage = doc.stages[copy.stage]
    target = posixpath.normpath(posixpath.join(workdir_at(stage, copy), dest))
    chain = ancestry(doc.stages, stage)
    for st in chain:
        for ins in st.instructions:
            if ins.index >= copy.index:
                break
            how = _touches(ins, target, workdir_at(st, ins))
            if how is not None:
                return f"{target} existed before the COPY ({how}, line {doc.line_of(ins.start)})"
    root = chain[-1]
    image = root.image or root.base
    if image.lower() == "scratch":
        return None
    top = target.strip("/").split("/")[0]
    if family_of(image) is None:
        return f"the base image `{image}` is not one dopt knows: {target} may already be in it"
    if target == "/" or top in base_image_top_folders():
        return f"{target} may already be in the base image `{image}` (under /{top})"
    return None


def _within(path: str, target: str) -> bool:
    return path == target or path.startswith(target.rstrip("/") + "/")


def _touches(ins: Instruction, target: str, cwd: str) -> str | None:
    """How an earlier instruction made ``target`` or something below it (None: it did not, as far as dopt sees)."""
    if ins.keyword == "WORKDIR":
        if _within(posixpath.normpath(posixpath.join(cwd, ins.args.strip())), target):
            return "WORKDIR made it"
    elif ins.keyword in ("COPY", "ADD"):
        where = _dest(ins)
        if where is not None and _within(posixpath.normpath(posixpath.join(cwd, where)), target):
            return f"{ins.keyword} wrote into it"
    elif ins.keyword == "RUN":
        text = ins.args + "".join(h.content for h in ins.heredocs)
        if any(_within(m.group(0).rstrip("/"), target) for m in _ABS_PATH.finditer(text)):
            return "a RUN names it"
    return None
