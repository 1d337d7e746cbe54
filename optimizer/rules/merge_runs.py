"""DOP101 merge-consecutive-runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.invocations import merge_edits
from optimizer.analysis.layers import MergeReason, merge_reason
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.shell import STATEFUL_BUILTINS, Script

if TYPE_CHECKING:
    from tree_sitter import Node

DOC = """
## What it does
Merges a `RUN` instruction into the `RUN` directly before it in the same stage
when one layer is worth more than two: joins the two commands with `&&` in
the RUNs' own continuation style (leading `&&` or trailing `&& \\`, their
indentation and escape character). Comment lines between the two move into
the chain, where BuildKit ignores them; blank lines between them are dropped
(BuildKit warns about empty continuation lines).

## Why
Layers are cheap; bytes frozen in a layer and cache misses are not. By
default a merge is proposed only when it saves bytes or costs no cache:

1. **The later RUN removes, moves, chmods or chowns what the earlier one
   wrote.** A file deleted in a later layer still ships in the earlier one, and
   a chmod/chown copies the whole file into the new layer:
   ```dockerfile
   RUN curl -fsSL https://example.com/tool.tar.gz -o /tmp/tool.tar.gz && tar -xzf /tmp/tool.tar.gz -C /opt
   RUN rm /tmp/tool.tar.gz
   ```
   ships the archive; merged, it does not. Relative paths are read in the folder
   the shell is in (`cd /tmp && curl -o x.tgz …` writes `/tmp/x.tgz`, which a
   later `RUN rm -f /tmp/x.tgz` removes).
2. **The later RUN cleans a cache the earlier one filled and left**
   (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`, `pip cache purge`…, from
   data/layers.toml):
   ```dockerfile
   RUN apt-get update && apt-get install -y p7zip-full
   RUN apt-get clean && rm -rf /var/lib/apt/lists/*
   ```
3. **The earlier RUN only downloads a package index the later one installs
   from** (`apt-get update`, `apk update`, `dnf makecache`…). Alone in its
   layer the index ships in the image (a cleanup in the later RUN cannot take
   it out of the earlier layer), and the build cache keeps serving the stale
   index to later changes of the install line:
   ```dockerfile
   RUN apt-get update
   RUN apt-get install -y curl
   ```
4. **Both RUNs are quick setup steps** (`mkdir`, `ln`, `echo … > file`,
   `chmod`, `useradd`, `git config`…): their separate cache is worth nothing,
   and one layer reads as one step:
   ```dockerfile
   RUN groupadd --system app && useradd --system --gid app app
   RUN mkdir -p /data && chown app:app /data
   ```

Anything else stays apart and is not reported: expensive steps that are
cached independently — package installs from different sources, downloads,
builds, `git clone` — are cheaper as separate layers, because a change to one
of them then re-runs only that step:
```dockerfile
RUN pip install --no-cache-dir torch==2.3.1
RUN pip install --no-cache-dir "git+https://github.com/example/lib.git@main"
```
Merged, every new commit on `main` would download torch again. Two RUNs that
each clean up after themselves gain nothing from a merge either.

## Options
`[tool.dopt.merge-consecutive-runs]`:
- `merge = "always"` restores hadolint's DL3059 behaviour: every pair of
  consecutive RUNs is reported and merged (default `"when-it-pays"`);
- `keep-separate = ["make", "cargo"]`: RUNs running these commands always
  stay apart.

A `# dopt: keep` comment directly above a `RUN` keeps it separate.

## Example
```dockerfile
RUN wget -O /usr/local/bin/gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64
RUN chmod +x /usr/local/bin/gosu
```
becomes
```dockerfile
RUN wget -O /usr/local/bin/gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 && \\
    chmod +x /usr/local/bin/gosu
```

## Fix safety
Safe. The fix is offered only when the merged chain runs exactly the same
commands with the same outcome: both `RUN`s use shell form in a POSIX shell,
have the same flags (`--mount`, `--network`, `--security`), have no heredocs,
the first leaves no state behind that the second would see (`cd`, `export`,
`set`, `source`, `umask`, `exec`, `exit`, variable assignments, functions)
and has no shell comment or background job, and the second is a single
`&&` chain (so that it runs only if the first succeeded). It is not offered
either when the two RUNs chain their lines in different styles (the result
would mix them). Otherwise the finding is reported without a fix, saying why.
Windows images and PowerShell/`cmd` shells are never merged.
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
    "Merge consecutive RUN instructions when it saves bytes or costs no cache",
    DOC,
    hadolint=("DL3059",),
    options={"keep-separate": "a list of strings", "merge": 'one of "when-it-pays", "always"'},
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    pragmas = ctx.pragmas
    always = ctx.options.get("merge", "when-it-pays") == "always"
    for prev, cur in _pairs(ctx):
        if pragmas is not None:
            if prev.index in pragmas.keep or cur.index in pragmas.keep:
                continue
            if pragmas.barrier_between(prev.line_end, cur.line_start):
                continue
        if _kept_separate(ctx, prev, cur):
            continue  # the configuration asks for these RUNs to stay apart: nothing to report
        reason = _reason(ctx, prev, cur)
        if reason is None and not always:
            continue  # separate layers cost nothing here, and each keeps its own cache
        if reason is not None:
            message = f"Merge this RUN into the previous one: {reason.detail}"
            title = reason.title
        else:
            message = "Consecutive RUN instructions: merge into the previous RUN to save a layer"
            title = "Merge into the previous RUN"
        why = _why_not(ctx, prev, cur)
        if why is not None:
            yield ctx.report(cur, f"{message} (not fixed: {why})")
            continue
        edits = merge_edits(ctx, prev, cur)
        if edits is None:
            why = "the two RUNs chain their lines in different styles (`&&` at line ends and at line starts)"
            yield ctx.report(cur, f"{message} (not fixed: {why})")
            continue
        yield ctx.report(cur, message, edits, fix_message=title)


def _reason(ctx: RuleContext, prev: Instruction, cur: Instruction) -> MergeReason | None:
    if ctx.windows or prev.json or cur.json or prev.heredocs or cur.heredocs:
        return None
    a, b = ctx.script(prev), ctx.script(cur)
    if a is None or b is None:
        return None
    from optimizer.analysis.stage_facts import workdir_before

    return merge_reason(a, b, workdir_before(ctx.doc, prev))  # consecutive RUNs start in the same folder


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
        if not ctx.windows:
            return "the shell is not a POSIX shell"
        if ctx.doc.escape == "`":
            return "a backtick-escape file on a Windows image, or on one dopt cannot place (cmd/PowerShell)"
        return "the image runs Windows (cmd/PowerShell)"
    a, b = ctx.script(prev), ctx.script(cur)
    if a is None or b is None:
        return _unread(prev if a is None else cur)
    return _prev_blocker(a) or _next_blocker(b)


def _unread(ins: Instruction) -> str:
    """Why dopt has no script for a shell-form RUN (its line named)."""
    from optimizer.syntax.shell import parse_script

    script = parse_script(ins.args)
    if script.refused is not None:
        return f"line {ins.line_start} is {script.refused}"
    if script.has_error:
        return f"line {ins.line_start} is not shell dopt can parse"
    return "the shell is not a POSIX shell"
