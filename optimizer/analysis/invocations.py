"""Package-manager invocations in RUN bodies, and edits that extend a RUN.

Shared by the cleanup rules: it finds ``apt-get install``, ``pip install``,
``apk add``… as parsed by tree-sitter-bash, with the offsets of their words
in the Dockerfile text, and knows how to add a flag after a subcommand or a
command at the end of a RUN in the file's own continuation style.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.rule_context import Body, RuleContext, Style
from optimizer.records import record
from optimizer.syntax.model import Instruction
from optimizer.syntax.shell import Command, Script, Word

_PIP = re.compile(r"pip(\d+(\.\d+)?)?")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
_WRAPPERS = frozenset({"sudo", "env", "nice", "nohup", "time", "stdbuf", "eatmydata"})

# options that take a separate value, per tool (so that the value is not taken for the subcommand)
_VALUED = {
    "apt-get": {"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"},
    "apt": {"-o", "-c", "-t", "--option", "--config-file", "--target-release"},
    "aptitude": {"-o", "-t", "-F", "-w", "--target-release"},
    "apk": {"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir"},
    "dnf": {
        "-c",
        "-x",
        "--exclude",
        "--installroot",
        "--releasever",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--repo",
        "--config",
    },
    "yum": {
        "-c",
        "-x",
        "--exclude",
        "--installroot",
        "--releasever",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--config",
    },
    "microdnf": {"--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "--config"},
    "zypper": {"-R", "--root", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir", "-c", "--config"},
    "pip": {
        "--proxy",
        "--cert",
        "--client-cert",
        "--timeout",
        "--retries",
        "--log",
        "--cache-dir",
        "--python",
        "--exists-action",
        "--trusted-host",
        "--root-user-action",
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--src",
        "--upgrade-strategy",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--only-binary",
        "--no-binary",
    },
}
TOOLS = frozenset(
    {
        "apt-get",
        "apt",
        "aptitude",
        "apk",
        "dnf",
        "yum",
        "microdnf",
        "zypper",
        "pip",
        "uv-pip",
        "npm",
        "yarn",
        "pnpm",
        "conda",
        "mamba",
        "micromamba",
        "gem",
        "composer",
    }
)


@record(frozen=True)
class Invocation:
    tool: str  # normalised: "apt-get", "pip" (pip, pip3, python -m pip), "uv-pip", ...
    command: Command
    first: int  # index in command.words of the tool's first own argument
    sub_index: int  # index of the subcommand word, -1 if none

    @property
    def sub(self) -> str:
        return self.command.words[self.sub_index].value if self.sub_index >= 0 else ""

    @property
    def sub_word(self) -> Word | None:
        return self.command.words[self.sub_index] if self.sub_index >= 0 else None

    @property
    def words(self) -> tuple[Word, ...]:
        return self.command.words[self.first :]

    def has_option(self, *names: str) -> bool:
        """Is one of these options given (``-y`` also matches inside ``-qy``; ``--opt`` also as ``--opt=x``)?"""
        for w in self.words:
            v = w.value
            for n in names:
                if v == n or (n.startswith("--") and v.startswith(n + "=")):
                    return True
                if len(n) == 2 and n[0] == "-" and v.startswith("-") and not v.startswith("--") and n[1] in v[1:]:
                    return True
        return False

    def packages(self, valued: Collection[str] | None = None) -> list[Word]:
        """The non-option words after the subcommand, skipping the values of the ``valued`` options (the tool's
        known ones by default)."""
        if self.sub_index < 0:
            return []
        out = []
        skip = False
        if valued is None:
            valued = _VALUED.get(self.tool, set())
        for w in self.command.words[self.sub_index + 1 :]:
            if skip:
                skip = False
                continue
            if w.value.startswith("-"):
                skip = w.value in valued
                continue
            out.append(w)
        return out


def _tool_of(cmd: Command) -> tuple[str, int] | None:
    words = cmd.words
    i = 0
    while i < len(words) and words[i].basename in _WRAPPERS:
        i += 1
        while i < len(words) and (words[i].value.startswith("-") or "=" in words[i].value):
            i += 1
    if i >= len(words):
        return None
    name = words[i].basename
    if _PIP.fullmatch(name):
        return "pip", i + 1
    if _PYTHON.fullmatch(name):
        j = i + 1
        while j < len(words) and words[j].value.startswith("-") and words[j].value != "-m":
            j += 1
        if j + 1 < len(words) and words[j].value == "-m" and _PIP.fullmatch(words[j + 1].value):
            return "pip", j + 2
        return None
    if name == "uv" and i + 1 < len(words) and words[i + 1].value == "pip":
        return "uv-pip", i + 2
    if name in TOOLS:
        return name, i + 1
    return None


def invocations(script: Script, *tools: str) -> list[Invocation]:
    """Package-manager invocations in the script, optionally only of these tools."""
    every: list[Invocation] | None = script.memo.get("invocations")
    if every is None:
        every = script.memo["invocations"] = _invocations(script)
    return [i for i in every if not tools or i.tool in tools]


def _invocations(script: Script) -> list[Invocation]:
    out = []
    for cmd in script.commands():
        found = _tool_of(cmd)
        if found is None:
            continue
        tool, first = found
        valued = _VALUED.get(tool if tool != "uv-pip" else "pip", set())
        sub = -1
        skip = False
        for k in range(first, len(cmd.words)):
            v = cmd.words[k].value
            if skip:
                skip = False
                continue
            if v.startswith("-"):
                skip = v in valued
                continue
            sub = k
            break
        out.append(Invocation(tool, cmd, first, sub))
    return out


# -- where a RUN gets its edits ------------------------------------------------


def word_end(body: Body, word: Word) -> int:
    """Source offset just after a word of a RUN's script."""
    return body.src(word.end - 1) + 1


def word_start(body: Body, word: Word) -> int:
    return body.src(word.start)


def insert_after(body: Body, word: Word, text: str) -> Edit:
    """Insert `` text`` right after a word (e.g. a flag after ``install``)."""
    return Edit.insert(word_end(body, word), " " + text)


def append_command(ctx: RuleContext, body: Body, command: str) -> list[Edit] | None:
    """Edits that run ``command`` at the end of the RUN, only if the RUN succeeded so far.

    Single-line RUNs get `` && command`` on the same line; multi-line RUNs get a
    new continuation line in the file's style; a heredoc script gets
    `` && command`` after its last statement. None when the script cannot be
    extended safely (it ends in a shell comment or a background job).
    """
    script, ins = body.script, body.ins
    top = script.top_level()
    if not top:
        return None
    last_stmt = top[-1]
    if script.has_node("comment") and any(
        n.type == "comment" and n.start_byte >= last_stmt.end_byte for n in script.walk()
    ):
        return None
    kids = [k for k in script.root.children if k.type != "comment"]
    last = kids[-1]
    if not last.is_named and last.type == "&":
        return None
    ends_with_semicolon = not last.is_named and last.type == ";"
    joiner = " " if ends_with_semicolon else " && "
    if body.heredoc is not None:
        if ends_with_semicolon:
            return None
        at = body.src(script.c(last_stmt.end_byte))
        return [Edit.insert(at, joiner + command)]
    text = ctx.doc.text
    p = ins.header_end
    while p > ins.start and text[p - 1] in " \t":
        p -= 1
    if not ins.is_multiline:
        return [Edit(p, ins.header_end, joiner + command)]
    style = run_style(ctx, ins)
    nl = ctx.doc.newline
    esc = pad_to_column(ctx, ins, text[_line_start(text, p) : p], style.escape)
    if ends_with_semicolon:
        return [Edit(p, ins.header_end, f" {esc}{nl}{style.indent}{command}")]
    if style.leading_and:
        return [Edit(p, ins.header_end, f" {esc}{nl}{style.indent}&& {command}")]
    before = text[_line_start(text, p) : p]
    pad = " " * escape_padding(ctx, ins, len(before) + 4, before)
    return [Edit(p, ins.header_end, f"{pad} && {style.escape}{nl}{style.indent}{command}")]


def chain_lines(text: str, ins: Instruction) -> tuple[int, int, str | None]:
    """How a RUN chains its continuation lines: (lines starting with ``&&``/``||``, lines ending with one,
    the indent of the first chained line, None when there is none)."""
    leading = trailing = 0
    indent: str | None = None
    prev_and = False
    segs = ins.segments
    for k, (_l, s, length) in enumerate(segs):
        seg = text[s : s + length]
        body = seg.lstrip(" \t")
        if k > 0 and body:
            if body.startswith(("&&", "||")):
                leading += 1
                indent = seg[: len(seg) - len(body)] if indent is None else indent
            elif prev_and:
                indent = seg[: len(seg) - len(body)] if indent is None else indent
        prev_and = seg.rstrip().endswith(("&&", "||"))
        if prev_and and k < len(segs) - 1:
            trailing += 1
    return leading, trailing, indent


def own_style(ctx: RuleContext, ins: Instruction) -> tuple[bool | None, str | None]:
    """How this RUN chains its own continuation lines: (leading ``&&``?, their indent).

    None for the first when the RUN has no chained continuation line, or mixes both styles; None for
    the second when no continuation line carries a command of its own (a zero indent is "").
    """
    leading, trailing, indent = chain_lines(ctx.doc.text, ins)
    if leading and not trailing:
        return True, indent
    if trailing and not leading:
        return False, indent
    return None, indent if indent is not None else (_continuation_indent(ctx, ins) or None)


def run_style(ctx: RuleContext, ins: Instruction) -> Style:
    """The style in which to extend this RUN: its own, else the file's."""
    style = ctx.style
    leading, indent = own_style(ctx, ins)
    return Style(
        style.indent if indent is None else indent,
        style.leading_and if leading is None else leading,
        style.escape,
        style.newline,
    )


def merge_edits(ctx: RuleContext, prev: Instruction, cur: Instruction) -> list[Edit] | None:
    """Edits that turn ``cur`` into a continuation of ``prev`` (``prev && cur``), in the RUNs' own style.

    Comment lines between the two stay (BuildKit skips them inside a continuation); blank lines
    between them go (BuildKit warns about empty continuation lines). None when the two RUNs chain
    their lines in different styles, so that the result would mix them.
    """
    doc = ctx.doc
    text = doc.text
    file_style = ctx.style
    lead_a, indent_a = own_style(ctx, prev)
    lead_b, indent_b = own_style(ctx, cur)
    if lead_a is not None and lead_b is not None and lead_a != lead_b:
        return None
    leading = lead_a if lead_a is not None else lead_b if lead_b is not None else file_style.leading_and
    indent = indent_a if indent_a is not None else indent_b if indent_b is not None else file_style.indent
    esc = file_style.escape
    p = _content_end(text, prev)
    line_before = text[_line_start(text, p) : p]
    if leading:
        joiner = " " + pad_to_column(ctx, prev, line_before, esc)
    else:
        joiner = " " * escape_padding(ctx, prev, len(line_before) + 4, line_before) + " && " + esc
    edits = [Edit(p, prev.end, joiner)]
    for ln in range(prev.line_end + 1, cur.line_start):  # blank lines between the two go
        if not doc.line_text(ln).strip():
            start = doc.line_start_offset(ln)
            end = doc.line_start_offset(ln + 1) if ln < len(doc.line_offsets) else len(text)
            edits.append(Edit(start, end, ""))
    cur_line = doc.line_start_offset(cur.line_start)
    edits.append(Edit(cur_line, cur.src(cur.args_offset), indent + ("&& " if leading else "")))
    # Reserve the end of ``cur``: a merge of the next RUN into it, or a command appended to it, waits
    # for the next round, when the merged RUN's style is known (otherwise two independent choices
    # could chain one RUN in both styles).
    edits.append(Edit.insert(_content_end(text, cur), ""))
    return edits


def _content_end(text: str, ins: Instruction) -> int:
    p = ins.end
    while p > ins.start and text[p - 1] in " \t":
        p -= 1
    return p


def cleanup_diagnostic(ctx: RuleContext, body: Body, command: str, message: str) -> Diagnostic:
    """A finding whose fix runs ``command`` at the end of the RUN (or says why it cannot)."""
    edits = append_command(ctx, body, command)
    if edits is None:
        message += " (not fixed: the RUN ends in a comment or background job)"
    return ctx.report(body.ins, message, edits)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def backslash_column(ctx: RuleContext, ins: Instruction) -> int | None:
    """The column at which this instruction aligns its continuation escapes, if it does."""
    text = ctx.doc.text
    cols = []
    for _l, s, length in ins.segments[:-1]:
        end = s + length
        if end < len(text) and text[end] == ctx.doc.escape:
            cols.append(end - _line_start(text, end))
    if len(cols) >= 2 and len(set(cols)) == 1:
        return cols[0]
    return None


def pad_to_column(ctx: RuleContext, ins: Instruction, line_before: str, escape: str) -> str:
    """Spaces plus the escape, so that it lines up with the instruction's aligned escapes.

    ``line_before`` is everything on the line before the inserted text.
    """
    return " " * escape_padding(ctx, ins, len(line_before) + 1, line_before) + escape


def escape_padding(ctx: RuleContext, ins: Instruction, width: int, line_before: str = "") -> int:
    """How many spaces put an escape that would sit at column ``width`` on the aligned column."""
    col = backslash_column(ctx, ins)
    if col is None or width >= col or "\t" in line_before:
        return 0
    return col - width


def _continuation_indent(ctx: RuleContext, ins: Instruction) -> str:
    """The indent of this RUN's own chained commands, if it has any."""
    text = ctx.doc.text
    prev_and = False
    for k, (_l, s, length) in enumerate(ins.segments):
        seg = text[s : s + length]
        body = seg.lstrip(" \t")
        if k > 0 and body and (prev_and or body.startswith(("&&", "||"))):
            return seg[: len(seg) - len(body)]
        prev_and = seg.rstrip().endswith(("&&", "||", ";"))
    return ""


# -- stage facts ----------------------------------------------------------------


def cache_mount_targets(ins: Instruction) -> list[str]:
    """Targets of ``--mount=type=cache`` flags."""
    out = []
    for f in ins.flag("mount"):
        fields = dict((kv.split("=", 1) + [""])[:2] for kv in (f.value or "").split(",") if kv)
        if fields.get("type") == "cache":
            out.append(fields.get("target") or fields.get("dst") or fields.get("destination") or "")
    return out


def mounted(ins: Instruction, *paths: str) -> bool:
    """Is one of these paths (or a parent of it) a cache mount of this RUN?"""
    for t in cache_mount_targets(ins):
        t = t.rstrip("/")
        for p in paths:
            if p == t or p.startswith(t + "/") or t.startswith(p.rstrip("/") + "/"):
                return True
    return False


def later_runs(ctx: RuleContext, ins: Instruction) -> list[Instruction]:
    """RUNs after ``ins`` in its stage and in every stage built FROM it (O(n): for a rule that needs the first
    match for every RUN, analysis/stage_facts.next_run answers in O(1) each)."""
    stage = ctx.doc.stage_of(ins)
    if stage is None:
        return []
    out = [i for i in stage.instructions if i.index > ins.index and i.keyword == "RUN"]
    names = {stage.name.lower()} if stage.name else set()
    for s in ctx.doc.stages[stage.index + 1 :]:
        if s.base.lower() in names:
            out.extend(i for i in s.instructions if i.keyword == "RUN")
            if s.name:
                names.add(s.name.lower())
    return out
