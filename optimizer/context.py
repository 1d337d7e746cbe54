"""What a rule sees: the document, its style, and helpers to report findings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .fix import Applicability, Diagnostic, Edit, Fix
from .model import Document, Instruction

if TYPE_CHECKING:
    from .pragmas import Pragmas
    from .registry import Rule
    from .shell import Script

_WINDOWS_BASE = re.compile(
    r"(^|/)(windows|servercore|nanoserver|windowsservercore)([:/@-]|$)|mcr\.microsoft\.com/windows", re.I
)
POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})


@dataclass(frozen=True)
class Style:
    """How the file writes continuations, so generated lines look like the file's own."""

    indent: str  # leading whitespace of continuation lines
    leading_and: bool  # "    && cmd" (True) or "cmd && \\" (False)
    escape: str
    newline: str


class RuleContext:
    def __init__(self, doc: Document, rule: Rule, options: dict[str, Any] | None = None,
                 pragmas: Pragmas | None = None) -> None:
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
    ) -> Diagnostic:
        fix = Fix(tuple(edits), applicability, fix_message) if edits else None
        return Diagnostic(self.rule.code, self.rule.name, message, start, end, fix, self.rule.hadolint)

    def span(self, ins: Instruction) -> tuple[int, int]:
        return ins.start, ins.end

    # -- shell -----------------------------------------------------------
    def script(self, ins: Instruction) -> Script | None:
        """The shell body of a shell-form RUN (without heredocs), parsed."""
        if ins.keyword != "RUN" or ins.json or ins.heredocs or not ins.args:
            return None
        if not self.posix_shell(ins):
            return None
        from .shell import parse_script

        return parse_script(ins.args)

    def posix_shell(self, ins: Instruction) -> bool:
        """Is the shell in effect for this instruction a POSIX shell we understand?"""
        if self.windows:
            return False
        stage = self.doc.stage_of(ins)
        if stage is None:
            return True
        if _WINDOWS_BASE.search(stage.base):
            return False
        shell: tuple[str, ...] | None = None
        for other in stage.instructions:
            if other is ins:
                break
            if other.keyword == "SHELL" and other.json_args:
                shell = other.json_args
        if shell is None:
            return True
        return shell[0].rsplit("/", 1)[-1] in POSIX_SHELLS

    @cached_property
    def windows(self) -> bool:
        if self.doc.escape == "`":
            return True
        return any(_WINDOWS_BASE.search(s.base) for s in self.doc.stages)

    @cached_property
    def style(self) -> Style:
        return detect_style(self.doc)


def detect_style(doc: Document) -> Style:
    indents: Counter[str] = Counter()
    leading = trailing = 0
    for ins in doc.instructions:
        if ins.keyword != "RUN" or len(ins.segments) < 2:
            continue
        for _lstart, sstart, length in ins.segments[1:]:
            seg = doc.text[sstart : sstart + length]
            body = seg.lstrip(" \t")
            ws = seg[: len(seg) - len(body)]
            if ws:
                indents[ws] += 1
            if body.startswith(("&&", "||")):
                leading += 1
        for _lstart, sstart, length in ins.segments[:-1]:
            seg = doc.text[sstart : sstart + length].rstrip()
            if seg.endswith(("&&", "||")):
                trailing += 1
    indent = indents.most_common(1)[0][0] if indents else "    "
    return Style(indent, leading > trailing, doc.escape, doc.newline)
