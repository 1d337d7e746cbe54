"""DOP101 merge-consecutive-runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.invocations import escape_padding, pad_to_column
from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.shell import STATEFUL_BUILTINS, Script

if TYPE_CHECKING:
    from tree_sitter import Node

DOC = """
## What it does
Merges a `RUN` instruction into the `RUN` directly before it in the same stage,
joining the two commands with `&&` in the file's own continuation style
(leading `&&` or trailing `&& \\`, its indentation and escape character).
Comment lines between the two move into the chain, where BuildKit ignores
them; blank lines between them are dropped (BuildKit warns about empty
continuation lines).

## Why
Every `RUN` makes a layer. Files removed by a later `RUN` still ship in the
earlier layer, so `apt-get install` in one `RUN` and its cleanup in the next
saves nothing. One `RUN` per logical step keeps the image small and makes the
cache-cleanup rules effective.

Merging is not free: a change to any command of a merged chain re-runs the
whole chain, so keep slow, rarely changing steps (toolchains, system packages)
apart from fast-changing ones (your own build) by putting a `# dopt: keep`
comment directly above the `RUN` that must stay separate, or list the commands
whose `RUN`s always stay separate in the configuration:
`[tool.dopt.merge-consecutive-runs]` `keep-separate = ["make", "cargo"]`.

## Example
```dockerfile
RUN apt-get update
# tools we need
RUN apt-get install -y curl
```
becomes
```dockerfile
RUN apt-get update \\
# tools we need
    && apt-get install -y curl
```

## Fix safety
Safe. The fix is offered only when the merged chain runs exactly the same
commands with the same outcome: both `RUN`s use shell form in a POSIX shell,
have the same flags (`--mount`, `--network`, `--security`), have no heredocs,
the first leaves no state behind that the second would see (`cd`, `export`,
`set`, `source`, `umask`, `exec`, `exit`, variable assignments, functions)
and has no shell comment or background job, and the second is a single
`&&` chain (so that it runs only if the first succeeded). Otherwise the
finding is reported without a fix, saying why. Windows images and
PowerShell/`cmd` shells are never merged.
"""


def _prev_blocker(script: Script) -> str | None:
    if script.has_error:
        return "the first RUN is not shell we can parse"
    if script.has_node("comment"):
        return "the first RUN ends in a shell comment, which would swallow the next command"
    if script.has_node("function_definition"):
        return "the first RUN defines a shell function"
    kids = script.root.children
    if kids and not kids[-1].is_named:
        return "the first RUN ends with a separator or background job"
    if "&" in script.separators():
        return "the first RUN starts a background job"
    for n in script.walk():
        if n.type not in (
            "command",
            "declaration_command",
            "unset_command",
            "variable_assignment",
            "variable_assignments",
        ):
            continue
        if _confined(n):
            continue
        if n.type in ("declaration_command", "unset_command"):
            word = n.children[0].type if n.children else "declare"
            return f"the first RUN runs `{word}`, whose effect would carry into the next command"
        if n.type != "command":
            if n.parent is not None and n.parent.type in ("command", "declaration_command"):
                continue  # FOO=1 cmd: the assignment is for that command only
            return "the first RUN sets a shell variable that would leak into the next command"
        cmd = script._command(n)
        if cmd is not None and cmd.name in STATEFUL_BUILTINS:
            return f"the first RUN runs `{cmd.name}`, whose effect would carry into the next command"
    return None


def _confined(node: Node) -> bool:
    """Inside a subshell, pipeline or substitution: no state can leak out."""
    p = node.parent
    while p is not None:
        if p.type in ("subshell", "pipeline", "command_substitution", "process_substitution"):
            return True
        p = p.parent
    return False


def _next_blocker(script: Script) -> str | None:
    if script.has_error:
        return "the second RUN is not shell we can parse"
    if script.has_node("function_definition"):
        return "the second RUN defines a shell function"
    top = script.top_level()
    if len(top) != 1:
        return "the second RUN is a list of several commands (`;`), which would run even if the first failed"
    node = top[0]
    first = node
    while first.type == "list" and first.named_children:
        first = first.named_children[0]
    if first.type in ("variable_assignment", "variable_assignments"):
        return "the second RUN starts by setting shell variables: it is a script of its own"
    # A list joined only by && keeps "run only if everything before succeeded".
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "list":
            for ch in n.children:
                if not ch.is_named and ch.type == "||":
                    return "the second RUN has a top-level `||`, which would also catch a failure of the first"
                if ch.type == "list":
                    stack.append(ch)
    return None


def _flags_key(ins: Instruction) -> tuple[str, ...]:
    return tuple(sorted(f.raw for f in ins.flags))


def _pairs(ctx: RuleContext) -> Iterator[tuple[Instruction, Instruction]]:
    for stage_ins in _groups(ctx):
        for a, b in zip(stage_ins, stage_ins[1:], strict=False):
            if a.keyword == "RUN" and b.keyword == "RUN":
                yield a, b


def _groups(ctx: RuleContext) -> list[list[Instruction]]:
    if ctx.doc.stages:
        return [s.instructions for s in ctx.doc.stages]
    return [ctx.doc.instructions]


@rule(
    "DOP101",
    "merge-consecutive-runs",
    "Merge consecutive RUN instructions into one layer",
    DOC,
    hadolint=("DL3059",),
    options={"keep-separate": "a list of strings"},
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    text = doc.text
    pragmas = ctx.pragmas
    for prev, cur in _pairs(ctx):
        if pragmas is not None:
            if prev.index in pragmas.keep or cur.index in pragmas.keep:
                continue
            if any(prev.line_end < ln < cur.line_start for ln in pragmas.barrier_lines):
                continue
        if _kept_separate(ctx, prev, cur):
            continue  # the configuration asks for these RUNs to stay apart: nothing to report
        why = _why_not(ctx, prev, cur)
        message = "Consecutive RUN instructions: merge into the previous RUN to save a layer"
        if why is not None:
            yield ctx.report(cur, f"{message} (not fixed: {why})")
            continue
        style = ctx.style
        esc = style.escape
        p = prev.end
        while p > prev.start and text[p - 1] in " \t":
            p -= 1
        line_before = text[text.rfind("\n", 0, p) + 1 : p]
        if style.leading_and:
            joiner = " " + pad_to_column(ctx, prev, line_before, esc)
        else:
            joiner = " " * escape_padding(ctx, prev, len(line_before) + 4, line_before) + " && " + esc
        edits = [Edit(p, prev.end, joiner)]
        for ln in range(prev.line_end + 1, cur.line_start):
            if not doc.line_text(ln).strip():
                start = doc.line_start_offset(ln)
                end = doc.line_start_offset(ln + 1) if ln < len(doc.line_offsets) else len(text)
                edits.append(Edit(start, end, ""))
        cur_line = doc.line_start_offset(cur.line_start)
        body = cur.src(cur.args_offset)
        lead = style.indent + ("&& " if style.leading_and else "")
        edits.append(Edit(cur_line, body, lead))
        yield ctx.report(cur, message, edits)


def _kept_separate(ctx: RuleContext, prev: Instruction, cur: Instruction) -> bool:
    keep = set(ctx.options.get("keep-separate", []))
    if not keep:
        return False
    for ins in (prev, cur):
        script = ctx.script(ins)
        if script is not None and any(c.basename in keep for c in script.commands()):
            return True
    return False


def _why_not(ctx: RuleContext, prev: Instruction, cur: Instruction) -> str | None:
    for ins in (prev, cur):
        if ins.json:
            return "a JSON-form RUN cannot be chained"
        if ins.heredocs:
            return "a heredoc RUN cannot be chained"
        if not ins.args:
            return "an empty RUN"
    if _flags_key(prev) != _flags_key(cur):
        return "the RUNs have different flags (--mount/--network/--security)"
    if not ctx.posix_shell(cur):
        return "the shell is not a POSIX shell"
    a, b = ctx.script(prev), ctx.script(cur)
    if a is None or b is None:
        return "the shell is not a POSIX shell"
    return _prev_blocker(a) or _next_blocker(b)
