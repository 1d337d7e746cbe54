"""DOP303 copy-chown."""

from __future__ import annotations

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
Unsafe: `chown -R /app` also changes files that were in `/app` before the
`COPY` (from the base image or earlier instructions), which `--chown` does
not; and `--chmod` needs BuildKit. Only plain owners (`user`, `user:group`,
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
        kw_end = copy.start + len(copy.keyword_raw)
        line_start = doc.line_start_offset(run.line_start)
        line_end = doc.line_start_offset(run.line_end + 1) if run.line_end < len(doc.line_offsets) else len(doc.text)
        edits = [Edit.insert(kw_end, f" --{flag}={value}"), Edit(line_start, line_end, "")]
        if line_end == len(doc.text) and not doc.text.endswith("\n"):
            # the RUN is the last line: drop the newline before it instead
            prev_nl = doc.text.rfind("\n", 0, line_start)
            edits[1] = Edit(prev_nl if doc.text[prev_nl - 1] != "\r" else prev_nl - 1, line_end, "")
        yield ctx.report(
            run,
            f"`{tool} -R` after COPY duplicates the copied files in a new layer: use COPY --{flag}",
            edits,
            Applicability.UNSAFE,
        )
