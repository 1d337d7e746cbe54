"""Inline pragmas.

- ``# dopt: ignore=DOP101,DOP203`` in the comment lines directly above an
  instruction: those rules leave that instruction alone.
- ``# dopt: global ignore=DOP101`` anywhere: for the whole file.
- ``# dopt: off`` / ``# dopt: on``: nothing between them is reported or touched.
- ``# dopt: keep`` directly above an instruction: no rule touches it, and it
  is a barrier (e.g. RUNs are not merged across it).
- ``# hadolint ignore=DL3059`` (and ``global ignore``): honoured for the rules
  that answer those hadolint codes.

``ignore=`` takes what ``--ignore`` takes: codes, code prefixes, rule names, ``ALL`` and hadolint
codes. A selector that names no rule, or a ``# dopt:`` comment that is no pragma (``ignroe=``), is a
warning naming its line (``Pragmas.warnings``) and blocks nothing.
"""

from __future__ import annotations

import bisect
import re

from optimizer.core import selectors, tools
from optimizer.records import field, record
from optimizer.syntax.model import Document, Instruction

_DOPT = re.compile(r"\s*dopt\s*:\s*(.*?)\s*$", re.I)
_HADOLINT = re.compile(r"\s*hadolint\s+(global\s+)?ignore\s*=\s*(.*?)\s*$", re.I)
ALL = "ALL"


def _split(s: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,\s]+", s) if c.strip()]


_RULES: dict[str, tuple[str, frozenset[str]]] = {}


def _rule_of(code: str) -> tuple[str, frozenset[str]]:
    """A rule's name and the hadolint codes it answers."""
    if not _RULES:
        from optimizer.core.registry import all_rules

        _RULES.update({r.code: (r.name, frozenset(r.hadolint)) for r in all_rules()})
    return _RULES.get(code, ("", frozenset()))


def _hit(code: str, hadolint: tuple[str, ...], chosen: set[str]) -> bool:
    name, answers = _rule_of(code)
    # a finding names the hadolint code it answers when the rule answers several (DOP206: DL3032 for yum, ...)
    if chosen & (set(hadolint) or answers):
        return True
    return selectors.matches(code, name, chosen)


@record
class Pragmas:
    global_ignore: set[str] = field(default_factory=set)
    ignore: dict[int, set[str]] = field(default_factory=dict)  # instruction index -> codes
    keep: set[int] = field(default_factory=set)  # instruction indexes
    off_regions: list[tuple[int, int]] = field(default_factory=list)  # source offsets
    barrier_lines: set[int] = field(default_factory=set)  # lines of dopt and hadolint pragmas
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what is wrong with a pragma)
    _barriers: list[int] | None = field(default=None, repr=False, compare=False)

    def ignored(self, ins: Instruction | None, code: str, hadolint: tuple[str, ...] = ()) -> bool:
        if self.global_ignore and _hit(code, hadolint, self.global_ignore):
            return True
        if ins is None:
            return False
        if ins.index in self.keep:
            return True
        local = self.ignore.get(ins.index)
        return local is not None and bool(local) and _hit(code, hadolint, local)

    def _selectors(self, line: int, text: str, hadolint: bool = False) -> set[str]:
        """The selectors of one pragma (hadolint codes kept as such); the unknown ones become warnings."""
        good: set[str] = set()
        for s in _split(text):
            if selectors.is_hadolint(s):
                good.add(s.upper())
                if not selectors.implemented(s):
                    self.warnings.append((line, selectors.not_implemented_message(s) + "; the pragma ignores nothing"))
            elif hadolint:
                self.warnings.append((line, f"unknown hadolint code {s!r} in a hadolint pragma; it ignores nothing"))
            elif s.upper() == "SC":  # every ShellCheck finding: the ShellCheck rule
                good.add(tools.SHELLCHECK_RULE[0])
                if not selectors.implemented(s):
                    self.warnings.append((line, selectors.not_implemented_message(s) + "; the pragma ignores nothing"))
            elif selectors.known(s):
                good.add(s)
            else:
                self.warnings.append((line, selectors.unknown_message(s) + " in a dopt pragma; it ignores nothing"))
        return good

    def in_off_region(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` touch an off region? (O(log regions): they are sorted and disjoint)"""
        # the regions that start before the span ends (or at its start, for an empty span); of those, the last one
        # ends last, so the span touches one of them exactly when it starts before that one ends
        k = bisect.bisect_left(self.off_regions, (max(end, start + 1), -1))
        return k > 0 and start < self.off_regions[k - 1][1]

    def barrier_between(self, after_line: int, before_line: int) -> bool:
        """Is there a pragma line strictly between these two lines?"""
        lines = self._barriers
        if lines is None:
            lines = self._barriers = sorted(self.barrier_lines)
        k = bisect.bisect_right(lines, after_line)
        return k < len(lines) and lines[k] < before_line


_PRAGMA_HELP = "expected ignore=…, global ignore=…, keep, off or on"


def collect(doc: Document) -> Pragmas:
    """The document's pragmas (memoized on the document)."""
    found: Pragmas | None = doc.memo.get("pragmas")
    if found is None:
        found = doc.memo["pragmas"] = _collect(doc)
    return found


def _collect(doc: Document) -> Pragmas:
    p = Pragmas()
    pending: set[str] = set()
    pending_keep = False
    by_line = {c.line: c for c in doc.comments if not c.in_continuation}
    ins_by_line = {ins.line_start: ins for ins in doc.instructions}
    off_start: int | None = None
    last_line = 0
    for each in doc.instructions:
        last_line = max(last_line, each.line_end)
    max_line = max([last_line, *by_line.keys()], default=0)
    line = 1
    while line <= max_line:
        ins = ins_by_line.get(line)
        if ins is not None:
            if pending:
                p.ignore.setdefault(ins.index, set()).update(pending)
            if pending_keep:
                p.keep.add(ins.index)
            pending, pending_keep = set(), False
            line = ins.line_end + 1
            continue
        c = by_line.get(line)
        line += 1
        if c is None:
            # a blank line ends a pragma's reach
            pending, pending_keep = set(), False
            continue
        m = _DOPT.match(c.text)
        h = _HADOLINT.match(c.text)
        if m or h:
            # a pragma belongs to the instruction below it: nothing may be merged across it
            p.barrier_lines.add(c.line)
        if m:
            body = m.group(1)
            low = body.lower()
            gm = re.fullmatch(r"global\s+ignore\s*=\s*(.*)", body, re.I | re.S)
            im = re.fullmatch(r"ignore\s*=\s*(.*)", body, re.I | re.S)
            if gm:
                p.global_ignore |= p._selectors(c.line, gm.group(1))
            elif im:
                pending |= p._selectors(c.line, im.group(1))
            elif low == "keep":
                pending_keep = True
                p.barrier_lines.add(c.line)
            elif low == "off":
                p.barrier_lines.add(c.line)
                if off_start is None:
                    off_start = c.start
            elif low == "on":
                p.barrier_lines.add(c.line)
                if off_start is not None:
                    p.off_regions.append((off_start, c.end))
                    off_start = None
            else:  # still a barrier: what it was meant to attach to stays where it is
                p.warnings.append((c.line, f"unknown dopt pragma {body!r} ({_PRAGMA_HELP}); it does nothing"))
            continue
        if h:
            if h.group(1):
                p.global_ignore |= p._selectors(c.line, h.group(2), hadolint=True)
            else:
                pending |= p._selectors(c.line, h.group(2), hadolint=True)
    if off_start is not None:
        p.off_regions.append((off_start, len(doc.text)))
    noqa = _noqa_line(doc)
    if noqa is not None:
        p.warnings.append((noqa, _NOQA_HELP))
    return p


_NOQA = re.compile(r"#\s*noqa\b", re.I)
_NOQA_HELP = (
    "`# noqa` does nothing in a Dockerfile; to silence a rule put `# dopt: ignore=CODE` on the line "
    "before the instruction"
)


def _noqa_line(doc: Document) -> int | None:
    """The first line with a ``# noqa`` comment (a Dockerfile comment, or a shell comment on an instruction's
    own lines; not inside heredoc bodies, whose scripts may be Python that a Python linter reads)."""
    lines = [c.line for c in doc.comments if _NOQA.match("#" + c.text)]
    for ins in doc.instructions:
        header = doc.text[ins.start : max(ins.header_end, ins.start)]
        if "noqa" in header.lower():
            m = _NOQA.search(header)
            if m is not None:
                lines.append(doc.line_of(ins.start + m.start()))
    return min(lines, default=None)
