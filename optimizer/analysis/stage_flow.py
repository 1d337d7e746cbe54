"""Facts about stages, computed once per document and shared by every rule (no rule walks the file per instruction).

- ``parents(doc)``: the stage each stage is built FROM (an earlier stage of that name), or None;
- ``before(doc, ins, key, facts_of, *facts)``: is one of ``facts`` established (``facts_of`` says which facts an
  instruction establishes, e.g. the names an ENV sets) earlier in ``ins``'s stage or anywhere in a stage it is
  built FROM, directly or not;
- ``env_set_before(doc, ins, *names)``: ``before`` for the names set by ENV and ARG;
- ``next_run(doc, ins, key, matches)``: the first RUN after ``ins`` in its stage, or in a stage built FROM it
  (directly or not), for which ``matches`` is true.

Each is linear in the size of the document, once; a query costs O(facts asked), independent of the file.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Document, Instruction


def parents(doc: Document) -> list[int | None]:
    """For every stage, the index of the earlier stage it is built FROM (the first of that name), or None."""
    found: list[int | None] | None = doc.memo.get("stage_parents")
    if found is None:
        first: dict[str, int] = {}
        found = []
        for stage in doc.stages:
            found.append(first.get(stage.base.lower()))
            if stage.name:
                first.setdefault(stage.name.lower(), stage.index)
        doc.memo["stage_parents"] = found
    return found


class _Facts:
    def __init__(self, doc: Document, facts_of: Callable[[Instruction], Iterable[str]]) -> None:
        self.parents = parents(doc)
        self.first: list[dict[str, int]] = []  # per stage: fact -> index of the first instruction establishing it
        for stage in doc.stages:
            first: dict[str, int] = {}
            for ins in stage.instructions:
                for fact in facts_of(ins):
                    first.setdefault(fact, ins.index)
            self.first.append(first)
        self.inherited: dict[str, list[bool]] = {}  # fact -> per stage: established in an ancestor stage

    def inherits(self, stage: int, fact: str) -> bool:
        per = self.inherited.get(fact)
        if per is None:
            per = []
            for parent in self.parents:  # a parent is always an earlier stage
                per.append(parent is not None and (per[parent] or fact in self.first[parent]))
            self.inherited[fact] = per
        return per[stage]


def before(
    doc: Document, ins: Instruction, key: str, facts_of: Callable[[Instruction], Iterable[str]], *facts: str
) -> bool:
    """Is one of ``facts`` established before ``ins`` in its stage, or in a stage it is built FROM?"""
    if not 0 <= ins.stage < len(doc.stages):
        return False
    memo: dict[str, _Facts] = doc.memo.setdefault("stage_flow", {})
    known = memo.get(key)
    if known is None:
        known = memo[key] = _Facts(doc, facts_of)
    first = known.first[ins.stage]
    for fact in facts:
        at = first.get(fact)
        if (at is not None and at < ins.index) or known.inherits(ins.stage, fact):
            return True
    return False


def _env_names(ins: Instruction) -> Iterable[str]:
    if ins.keyword in ("ENV", "ARG"):
        return [name for name, _value in key_values(ins)]
    return ()


def env_set_before(doc: Document, ins: Instruction, *names: str) -> bool:
    """Is one of these variables set by ENV or ARG before ``ins`` in its stage, or in a stage it is built FROM?"""
    return before(doc, ins, "env", _env_names, *names)


def next_run(doc: Document, ins: Instruction, key: str, matches: Callable[[Instruction], bool]) -> Instruction | None:
    """The first RUN after ``ins`` in its stage or in a stage built FROM it (directly or not) that ``matches``.

    ``key`` names ``matches`` (the answers for every RUN are computed once per document under it).
    """
    if not 0 <= ins.stage < len(doc.stages):
        return None
    memo: dict[str, tuple[dict[int, Instruction | None], list[Instruction | None]]] = doc.memo.setdefault(
        "next_run", {}
    )
    found = memo.get(key)
    if found is None:
        found = memo[key] = _next_runs(doc, matches)
    after, in_descendants = found
    if ins.index in after:
        return after[ins.index]
    # not a RUN: scan forward in the stage (rare; callers ask about RUNs)
    stage = doc.stages[ins.stage]
    for other in stage.instructions:
        if other.index > ins.index and other.keyword == "RUN" and other.index in after:
            return other if matches(other) else after[other.index]
    return in_descendants[ins.stage]


def _next_runs(
    doc: Document, matches: Callable[[Instruction], bool]
) -> tuple[dict[int, Instruction | None], list[Instruction | None]]:
    n = len(doc.stages)
    first_in: list[Instruction | None] = [None] * n  # per stage: its first matching RUN
    after: dict[int, Instruction | None] = {}  # per RUN: the next matching RUN in its stage (then descendants)
    per_stage_next: list[list[tuple[int, Instruction | None]]] = []
    for stage in doc.stages:
        nxt: Instruction | None = None
        pending: list[tuple[int, Instruction | None]] = []
        for other in reversed(stage.instructions):
            if other.keyword != "RUN":
                continue
            pending.append((other.index, nxt))
            if matches(other):
                nxt = other
        first_in[stage.index] = nxt
        per_stage_next.append(pending)
    # in_descendants[s]: the earliest matching RUN in any stage built FROM s (directly or not)
    in_descendants: list[Instruction | None] = [None] * n
    best_by_base: dict[str, Instruction | None] = {}  # base name -> earliest match in stages (after) built FROM it

    def earliest(a: Instruction | None, b: Instruction | None) -> Instruction | None:
        if a is None:
            return b
        if b is None:
            return a
        return a if a.index < b.index else b

    for stage in reversed(doc.stages):
        if stage.name:
            in_descendants[stage.index] = best_by_base.get(stage.name.lower())
        base = stage.base.lower()
        best_by_base[base] = earliest(
            best_by_base.get(base), earliest(first_in[stage.index], in_descendants[stage.index])
        )
    for stage, pending in zip(doc.stages, per_stage_next, strict=True):
        for index, nxt in pending:
            after[index] = nxt if nxt is not None else in_descendants[stage.index]
    return after, in_descendants


def _descendants(doc: Document, stage: int) -> frozenset[int]:
    """Stages built FROM ``stage``, directly or not (by name, in document order, as later RUNs count them)."""
    memo: dict[int, frozenset[int]] = doc.memo.setdefault("descendants", {})
    found = memo.get(stage)
    if found is None:
        own = doc.stages[stage]
        names = {own.name.lower()} if own.name else set()
        out = set()
        for s in doc.stages[stage + 1 :]:
            if s.base.lower() in names:
                out.add(s.index)
                if s.name:
                    names.add(s.name.lower())
        found = memo[stage] = frozenset(out)
    return found


def later_run_mentioning(doc: Document, ins: Instruction, needle: str) -> Instruction | None:
    """The first RUN after ``ins`` in its stage or in a stage built FROM it whose text contains ``needle``.

    The RUNs that contain it are found once per needle (one pass of ``str.find`` over the text), so asking
    this for every RUN costs what the occurrences cost, not the number of later RUNs.
    """
    if not 0 <= ins.stage < len(doc.stages):
        return None
    memo: dict[str, tuple[list[Instruction], list[int]]] = doc.memo.setdefault("runs_mentioning", {})
    found = memo.get(needle)
    if found is None:
        runs = _runs_mentioning(doc, needle)
        found = memo[needle] = (runs, [r.index for r in runs])
    runs, indexes = found
    for other in runs[bisect.bisect_right(indexes, ins.index) :]:
        if other.stage == ins.stage or other.stage in _descendants(doc, ins.stage):
            return other
    return None


def _runs_mentioning(doc: Document, needle: str) -> list[Instruction]:
    text = doc.text
    starts: list[int] | None = doc.memo.get("instruction_starts")
    if starts is None:
        starts = doc.memo["instruction_starts"] = [i.start for i in doc.instructions]
    out: list[Instruction] = []
    if not needle:
        return [i for i in doc.instructions if i.keyword == "RUN"]
    at = text.find(needle)
    while at != -1:
        k = bisect.bisect_right(starts, at) - 1
        if k >= 0:
            other = doc.instructions[k]
            if other.keyword == "RUN" and at + len(needle) <= other.end and (not out or out[-1] is not other):
                out.append(other)
        at = text.find(needle, at + 1)
    return out
