"""The lossless document model.

Every offset is an index into ``Document.text`` (the decoded file, BOM
included).  Nothing here is ever re-printed: rules read these spans and
return edits on them, and the engine copies everything between edits
verbatim.
"""

from __future__ import annotations

import bisect
from functools import cached_property
from typing import Any

from optimizer.records import field, record


@record(frozen=True)
class Flag:
    """A builder flag such as ``--mount=type=cache,target=/root/.cache``."""

    raw: str  # the word as BuildKit reports it (quotes removed)
    name: str  # "mount"
    value: str | None  # "type=cache,target=/root/.cache"; None for a bare flag
    start: int
    end: int


@record(frozen=True)
class Heredoc:
    name: str
    chomp: bool  # <<-EOF
    expand: bool  # unquoted name: variables are expanded
    fd: int
    content: str  # as BuildKit reports it (every line with its newline)
    body_start: int  # offset of the first body line
    body_end: int  # offset of the terminator line
    terminator_end: int  # offset after the terminator (before its newline)


@record(frozen=True)
class Directive:
    name: str
    value: str
    line: int
    start: int
    end: int


@record(frozen=True)
class Comment:
    text: str  # without the leading '#'
    line: int
    start: int  # offset of '#'
    end: int  # end of line (before newline)
    in_continuation: bool


@record(eq=False)
class Instruction:
    keyword: str  # upper case: RUN, COPY, ...
    keyword_raw: str  # as written: run, Run, ...
    start: int  # offset of the keyword
    end: int  # end of the last line, before its newline
    line_start: int  # 1-based
    line_end: int  # 1-based, heredoc terminators included
    logical: str  # the joined line as BuildKit sees it (comments, continuations gone)
    segments: tuple[tuple[int, int, int], ...]  # (logical start, source start, length)
    flags: tuple[Flag, ...]
    args_offset: int  # logical offset where the arguments (after flags) start
    args: str  # arguments after the flags, stripped
    json: bool
    json_args: tuple[str, ...] | None
    heredocs: tuple[Heredoc, ...]
    sub: Instruction | None = None  # for ONBUILD: the wrapped instruction
    stage: int = -1
    index: int = -1  # position in Document.instructions
    comments: tuple[Comment, ...] = ()  # comment lines inside the continuation
    header_end: int = 0  # source offset where the instruction line(s) end (before heredoc bodies)
    _starts: list[int] | None = field(default=None, repr=False)

    def src(self, logical_offset: int) -> int:
        """Map an offset in ``logical`` to an offset in the source text."""
        if len(self.segments) == 1:
            lstart, sstart, length = self.segments[0]
            return sstart + logical_offset - lstart
        starts = self._starts
        if starts is None:
            starts = self._starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, logical_offset) - 1
        if i < 0:
            i = 0
        lstart, sstart, length = self.segments[i]
        rel = logical_offset - lstart
        if rel > length and i + 1 < len(self.segments):
            return self.segments[i + 1][1]
        return sstart + rel

    def flag(self, name: str) -> list[Flag]:
        return [f for f in self.flags if f.name == name]

    @property
    def is_multiline(self) -> bool:
        return self.line_end > self.line_start


@record(eq=False)
class Stage:
    index: int
    name: str | None
    base: str  # the image reference as written (may contain $VARS)
    platform: str | None
    from_instruction: Instruction
    instructions: list[Instruction] = field(default_factory=list)
    # the reference with the global ARGs' defaults substituted, as BuildKit does for FROM (`${BASE}`,
    # `python:${TAG}`, `${X:-default}`); a variable without a default stays as written
    image: str = ""


@record(eq=False)
class Document:
    text: str
    path: str
    directives: tuple[Directive, ...]
    escape: str
    instructions: list[Instruction]
    comments: list[Comment]
    stages: list[Stage]
    newline: str
    has_bom: bool
    final_newline: bool
    memo: dict[str, Any] = field(default_factory=dict)  # facts derived once per document

    @cached_property
    def line_offsets(self) -> list[int]:
        offs = [0]
        text = self.text
        i = text.find("\n")
        while i != -1:
            offs.append(i + 1)
            i = text.find("\n", i + 1)
        return offs

    def line_of(self, offset: int) -> int:
        """1-based line of a source offset."""
        return bisect.bisect_right(self.line_offsets, offset)

    def col_of(self, offset: int) -> int:
        """1-based column (in characters) of a source offset."""
        line = self.line_of(offset)
        col = offset - self.line_offsets[line - 1] + 1
        if line == 1 and self.has_bom:
            col -= 1
        return max(col, 1)

    def line_text(self, line: int) -> str:
        """Text of a 1-based line without its newline."""
        start = self.line_offsets[line - 1]
        end = self.line_offsets[line] if line < len(self.line_offsets) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_start_offset(self, line: int) -> int:
        return self.line_offsets[line - 1]

    def stage_of(self, ins: Instruction) -> Stage | None:
        return self.stages[ins.stage] if 0 <= ins.stage < len(self.stages) else None

    def indent_of(self, ins: Instruction) -> str:
        start = self.line_offsets[ins.line_start - 1]
        return self.text[start : ins.start]
