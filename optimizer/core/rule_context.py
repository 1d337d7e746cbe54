"""What a rule sees: the document, its style, and helpers to report findings."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from optimizer.core.fix import Applicability, Diagnostic, Edit, Fix
from optimizer.records import record
from optimizer.syntax.model import Document, Heredoc, Instruction, Stage

if TYPE_CHECKING:
    from pathlib import Path

    from optimizer.core.pragmas import Pragmas
    from optimizer.core.registry import Rule
    from optimizer.syntax.shell import Script

POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})


# Which stages run Windows is knowledge about images (analysis/images.py, from data/images.toml); the
# analysis layer registers its answer here when it is loaded (core.registry.all_rules loads it).
_windows_stages: Callable[[Document], frozenset[int]] | None = None


def use_windows_stages(fn: Callable[[Document], frozenset[int]]) -> None:
    global _windows_stages
    _windows_stages = fn


def windows_stages(doc: Document) -> frozenset[int]:
    if _windows_stages is None:
        raise RuntimeError("optimizer.analysis.images is not loaded: load the rules first (registry.all_rules)")
    return _windows_stages(doc)


@record(frozen=True)
class Body:
    """A shell script inside a RUN, with the way back to the Dockerfile text."""

    ins: Instruction
    script: Script
    heredoc: Heredoc | None  # None: the shell-form body (continuations joined)

    def src(self, offset: int) -> int:
        """Source offset of a character offset in the script."""
        if self.heredoc is not None:
            return self.heredoc.body_start + offset
        return self.ins.src(self.ins.args_offset + offset)


@record(frozen=True)
class Style:
    """How the file writes continuations, so generated lines look like the file's own."""

    indent: str  # leading whitespace of continuation lines that carry a chained command
    leading_and: bool  # "    && cmd" (True) or "cmd && \\" (False)
    escape: str
    newline: str


class RuleContext:
    def __init__(
        self, doc: Document, rule: Rule, options: dict[str, Any] | None = None, pragmas: Pragmas | None = None
    ) -> None:
        self.doc = doc
        self.rule = rule
        self.options = options or {}
        self.pragmas = pragmas

    # -- reporting -------------------------------------------------------
    def diagnostic(
        self,
        start: int,
        end: int,
        message: str,
        edits: list[Edit] | None = None,
        applicability: Applicability = Applicability.SAFE,
        fix_message: str = "",
        isolated: bool = False,
        files: dict[str, str] | None = None,
        any_stage: bool = False,
    ) -> Diagnostic:
        """A finding; ``any_stage``: its unsafe fix pays in a stage that does not ship too (build time, not bytes)."""
        has_fix = bool(edits) or bool(files)
        if has_fix and edits and applicability is Applicability.UNSAFE and not any_stage:
            idle = idle_stage(self.doc, [e.start for e in edits])
            if idle is not None:
                # an unsafe fix that only edits a stage the image does not ship: risk without gain
                message += f"; not fixed: {idle} never ships (the final image is not built FROM it): no gain, only risk"
                has_fix = False
        fix = (
            Fix(
                tuple(edits or ()),
                applicability,
                fix_message or self.rule.summary,  # a title for every fix: the rule's own summary by default
                isolated,
                tuple(sorted((files or {}).items())),
            )
            if has_fix
            else None
        )
        return Diagnostic(self.rule.code, self.rule.name, message, start, end, fix, self.rule.hadolint)

    def report(
        self,
        ins: Instruction,
        message: str,
        edits: list[Edit] | None = None,
        applicability: Applicability = Applicability.SAFE,
        fix_message: str = "",
        isolated: bool = False,
        files: dict[str, str] | None = None,
        any_stage: bool = False,
    ) -> Diagnostic:
        """A finding about ``ins`` (located on its first line), with a fix when ``edits`` or ``files`` are given."""
        return self.diagnostic(
            ins.start, ins.header_end, message, edits, applicability, fix_message, isolated, files, any_stage
        )

    # -- shell -----------------------------------------------------------
    def script(self, ins: Instruction) -> Script | None:
        """The shell body of a shell-form RUN (without heredocs), parsed."""
        if ins.heredocs:
            return None
        bodies = self.bodies(ins)
        return bodies[0].script if bodies else None

    def bodies(self, ins: Instruction) -> list[Body]:
        """The shell scripts of a RUN: its shell-form body, or a heredoc that is the script."""
        memo: dict[int, list[Body]] = self.doc.memo.setdefault("bodies", {})
        found = memo.get(ins.index)
        if found is None:
            budget = self.doc.memo.get("budget")
            if budget is not None:
                budget.check()
            found = memo[ins.index] = self._bodies(ins)
        return found

    def _bodies(self, ins: Instruction) -> list[Body]:
        if ins.keyword != "RUN" or ins.json or not self.posix_shell(ins):
            return []
        from optimizer.syntax.shell import parse_script

        # Only shell we fully understand: a script tree-sitter cannot parse is left alone.
        if not ins.heredocs:
            if not ins.args:
                return []
            script = parse_script(ins.args)
            return [] if script.has_error else [Body(ins, script, None)]
        doc = ins.heredocs[0]
        # CRLF line endings (a Windows checkout) read as LF: tree-sitter takes the CR before a newline as a
        # blank, and the edits land on the same spans. A CR anywhere else is not something dopt reads.
        if len(ins.heredocs) != 1 or doc.chomp or "\r" in doc.content.replace("\r\n", "\n"):
            return []
        rest = [w for w in ins.args.split() if not w.lstrip("0123456789").startswith("<<")]
        if rest and rest[0].rsplit("/", 1)[-1] not in POSIX_SHELLS:
            return []
        if any(not w.startswith("-") for w in rest[1:]):
            return []
        script = parse_script(doc.content)
        return [] if script.has_error else [Body(ins, script, doc)]

    def shell_bodies(self, *mentioning: str) -> Iterator[Body]:
        """Every shell body of the document, in order (listed once per document, shared by the rules).

        With words: only the RUNs whose text mentions one of them, quotes and backslashes aside (a literal
        command name always appears so), so that a rule about one tool does not parse every other RUN.
        """
        key = "shell_bodies" + ("/" + ",".join(sorted(mentioning)) if mentioning else "")
        every: list[Body] | None = self.doc.memo.get(key)
        if every is None:
            every = [
                b
                for ins in self.doc.instructions
                if not mentioning or self._mentions(ins, mentioning)
                for b in self.bodies(ins)
            ]
            self.doc.memo[key] = every
        budget = self.doc.memo.get("budget")
        if budget is None:
            yield from every
            return
        for k, body in enumerate(every):
            if k % 32 == 0:
                budget.check()
            yield body

    def unread_runs(self, *mentioning: str) -> Iterator[tuple[Instruction, str]]:
        """The RUNs under a POSIX shell that mention one of the words but whose shell dopt does not read (no
        ``bodies``), each with why: a rule about a tool reports them instead of going silent."""
        for ins in self.doc.instructions:
            if self._mentions(ins, mentioning) and self.posix_shell(ins) and not self.bodies(ins):
                yield ins, _why_unread(ins)

    def _mentions(self, ins: Instruction, words: tuple[str, ...]) -> bool:
        if ins.keyword != "RUN":
            return False
        plain: dict[int, str] = self.doc.memo.setdefault("plain_text", {})
        text = plain.get(ins.index)
        if text is None:
            raw = ins.args + "".join(h.content for h in ins.heredocs)
            text = plain[ins.index] = raw.replace('"', "").replace("'", "").replace("\\", "")
        return any(w in text for w in words)

    def posix_shell(self, ins: Instruction) -> bool:
        """Is the shell in effect for this instruction a POSIX shell we understand?"""
        if self.windows:
            return False
        shells: dict[int, bool] | None = self.doc.memo.get("posix_shell")
        if shells is None:
            shells = self.doc.memo["posix_shell"] = _posix_shells(self.doc)
        return shells.get(ins.index, True)

    @cached_property
    def context_dir(self) -> Path | None:
        """The build context: the Dockerfile's folder, when the file is on disk."""
        from pathlib import Path  # only for rules that look at the build context

        override = self.options.get("context")
        if override:
            return Path(str(override))
        p = Path(self.doc.path)
        if self.doc.path in ("", "-", "<input>") or not p.is_file():
            return None
        return p.resolve().parent

    def context_file(self, path: Path) -> str | None:
        """A file of the build context as the fixes so far left it (None: absent or unreadable)."""
        overlay: dict[str, str] = self.doc.memo.get("overlay", {})
        key = str(path)
        if key in overlay:
            return overlay[key]
        from optimizer.core.fileio import read_text

        context = self.context_dir
        return read_text(str(path), 4_000_000, within=str(context) if context is not None else None)

    def keyword_like(self, ins: Instruction, keyword: str) -> str:
        """``keyword`` in the letter case the file uses for ``ins``."""
        raw = ins.keyword_raw
        if raw.islower():
            return keyword.lower()
        if raw.isupper():
            return keyword.upper()
        return keyword.capitalize()

    @cached_property
    def windows(self) -> bool:
        """Does any stage run Windows (see analysis/images.py)? Shell rules leave such files alone."""
        return bool(windows_stages(self.doc))

    @property
    def style(self) -> Style:
        style: Style | None = self.doc.memo.get("style")
        if style is None:
            style = self.doc.memo["style"] = detect_style(self.doc)
        return style


def target_index(doc: Document, target: str) -> int | None:
    """The stage ``--target`` names (stage names are case-insensitive, as in BuildKit), None when none has it."""
    wanted = target.lower()
    return next((s.index for s in doc.stages if s.name and s.name.lower() == wanted), None)


def set_target(doc: Document, target: str | None) -> None:
    """Make the stage ``target`` names the final one for every rule (None: the last stage, as `docker build`
    without ``--target``). An unknown name leaves the last stage (the pipeline refuses it before linting)."""
    doc.memo["final_stage"] = None if target is None else target_index(doc, target)


def final_index(doc: Document) -> int:
    """The index of the stage that is built: ``--target``'s, else the last one (-1 when there is no stage)."""
    found: int | None = doc.memo.get("final_stage")
    return found if found is not None and 0 <= found < len(doc.stages) else len(doc.stages) - 1


def final_stage(doc: Document) -> Stage:
    """The stage that is built (``--target``'s, else the last one). The document must have a stage."""
    return doc.stages[final_index(doc)]


def shipping_stages(doc: Document) -> frozenset[int]:
    """The stages whose layers are in the final image: the final stage (``--target``'s, else the last) and,
    transitively, the stage it is built FROM. A stage only read by ``COPY --from`` or ``RUN --mount=from=`` does
    not ship, nor one after the target. A FROM whose image dopt cannot resolve (an unset ``$VAR``) could name any
    stage: then every stage counts as shipping (memoised per final stage)."""
    key = f"shipping_stages:{final_index(doc)}"
    found: frozenset[int] | None = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = _shipping(doc)
    return found


def _shipping(doc: Document) -> frozenset[int]:
    names = {s.name.lower(): s.index for s in doc.stages if s.name}
    ships: set[int] = set()
    k = final_index(doc)
    while k >= 0 and k not in ships:
        ships.add(k)
        base = (doc.stages[k].image or doc.stages[k].base).lower()
        if "$" in base:
            return frozenset(s.index for s in doc.stages)
        earlier = names.get(base)
        if earlier is None or earlier >= k:
            break
        k = earlier
    return frozenset(ships)


def idle_stage(doc: Document, offsets: list[int]) -> str | None:
    """How to name the stage (``stage `builder` (line 3)``) when every offset lies in a stage that never ships;
    None when one of them is in a shipping stage (or outside every stage)."""
    if len(doc.stages) < 2:
        return None
    ships = shipping_stages(doc)
    starts: list[int] | None = doc.memo.get("instruction_starts")
    if starts is None:
        starts = doc.memo["instruction_starts"] = [i.start for i in doc.instructions]
    first: int | None = None
    for off in offsets:
        k = bisect.bisect_right(starts, off) - 1
        if k < 0:
            return None
        stage = doc.instructions[k].stage
        if stage < 0 or stage in ships:
            return None
        first = stage if first is None else first
    if first is None:
        return None
    s = doc.stages[first]
    label = f"`{s.name}`" if s.name else str(s.index)
    return f"stage {label} (line {doc.line_of(s.from_instruction.start)})"


def _why_unread(ins: Instruction) -> str:
    """Why ``RuleContext.bodies`` found no shell script dopt reads in this RUN."""
    if ins.json:
        return "it is in exec (JSON) form"
    if not ins.heredocs:
        return "dopt cannot parse its shell"
    if len(ins.heredocs) != 1:
        return "it has several heredocs"
    doc = ins.heredocs[0]
    if doc.chomp:
        return f"its heredoc is `<<-{doc.name}` (tabs stripped), which dopt does not edit"
    if "\r" in doc.content:
        return "its heredoc has CRLF line ends"
    rest = [w for w in ins.args.split() if not w.lstrip("0123456789").startswith("<<")]
    if rest and rest[0].rsplit("/", 1)[-1] not in POSIX_SHELLS:
        return f"its heredoc is read by `{rest[0]}`, not a shell"
    if any(not w.startswith("-") for w in rest[1:]):
        return "its heredoc's shell gets arguments dopt does not read"
    return "dopt cannot parse its heredoc as shell"


def _posix_shells(doc: Document) -> dict[int, bool]:
    """For every instruction index: does it run under a POSIX shell (SHELL and base image)?"""
    out: dict[int, bool] = {}
    windows = windows_stages(doc)
    for stage in doc.stages:
        ok = stage.index not in windows
        for ins in stage.instructions:
            out[ins.index] = ok
            if ins.keyword == "SHELL" and ins.json_args:
                ok = ins.json_args[0].rsplit("/", 1)[-1] in POSIX_SHELLS
    return out


def detect_style(doc: Document) -> Style:
    """The continuation style of the file's RUNs: where `&&` goes, and the indent of chained commands."""
    chained: Counter[str] = Counter()  # indents of lines that continue a && chain
    other: Counter[str] = Counter()
    leading = trailing = 0
    for ins in doc.instructions:
        if ins.keyword != "RUN" or len(ins.segments) < 2:
            continue
        prev_ends_with_and = False
        for k, (_lstart, sstart, length) in enumerate(ins.segments):
            seg = doc.text[sstart : sstart + length]
            body = seg.lstrip(" \t")
            if k > 0:
                ws = seg[: len(seg) - len(body)]
                if body.startswith(("&&", "||")):
                    leading += 1
                    chained[ws] += 1
                elif prev_ends_with_and:
                    chained[ws] += 1
                elif ws:
                    other[ws] += 1
            prev_ends_with_and = seg.rstrip().endswith(("&&", "||"))
            if prev_ends_with_and and k < len(ins.segments) - 1:
                trailing += 1
    if chained:
        indent = chained.most_common(1)[0][0]
    elif other:
        # only argument lists are continued: chain commands one level in, in the file's own unit
        indent = "\t" if other.most_common(1)[0][0].startswith("\t") else "    "
    else:
        indent = "    "
    return Style(indent or "    ", leading > trailing, doc.escape, doc.newline)
