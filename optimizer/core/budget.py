"""A wall-clock budget for large documents, enforced by construction.

Every rule is linear (``bench/scaling.py``), but linear in a 100,000-instruction file is still long.
A document over ``Settings.large_file`` instructions is therefore processed rule by rule against one
budget (``Settings.budget_seconds``, shared by every fix round): each rule gets a fair share of what is
left, and a rule that runs out is stopped and reported as ``DOPxxx skipped: file too large for this rule
(N instructions)``; the others still run. A rule cannot escape the clock: while it runs, every iteration
over the document's or a stage's instructions checks it (the lists are swapped for checking ones), as
does every shell body it asks for and every finding it yields.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from optimizer.syntax.model import Document, Instruction, Stage

CHECK_EVERY = 32  # instructions between two looks at the clock


class OutOfTime(Exception):  # noqa: N818 (not an error: a rule ran out of its share)
    """The running rule used up its share of the budget."""


class Budget:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.deadline = clock() + seconds
        self.rule_deadline = self.deadline

    def start_rule(self, rules_left: int) -> bool:
        """Give the next rule its share of what is left; False when nothing is left."""
        now = self.clock()
        left = self.deadline - now
        if left <= 0:
            return False
        self.rule_deadline = now + left / max(rules_left, 1)
        return True

    def check(self) -> None:
        if self.clock() > self.rule_deadline:
            raise OutOfTime


SKIPPED = "skipped: file too large for this rule"


def skipped_message(n: int) -> str:
    return f"{SKIPPED} ({n} instructions)"


def is_skipped(message: str) -> bool:
    """Is this finding's message the note of a rule that ran out of its budget (the file was not fully checked)?"""
    return message.startswith(SKIPPED)


class _Watch:
    """What the lists of one watched document share: the budget while a rule runs, None after."""

    def __init__(self, budget: Budget) -> None:
        self.budget: Budget | None = budget


class _Checked(list[Instruction]):
    """A list of instructions whose iteration looks at the budget's clock (while a rule runs under it)."""

    watch: _Watch | None = None

    def __iter__(self) -> Iterator[Instruction]:
        return self._checked(list.__iter__(self))

    def __reversed__(self) -> Iterator[Instruction]:
        return self._checked(list.__reversed__(self))

    def __getitem__(self, k):  # type: ignore[no-untyped-def]  # (list's overloads: an index, or a slice)
        got = list.__getitem__(self, k)
        if isinstance(k, slice):  # `stage.instructions[1:]` is watched too, as long as the rule runs
            part = _Checked(got)
            part.watch = self.watch
            return part
        return got

    def _checked(self, it: Iterator[Instruction]) -> Iterator[Instruction]:
        for k, ins in enumerate(it):
            if k % CHECK_EVERY == 0 and self.watch is not None and self.watch.budget is not None:
                self.watch.budget.check()
            yield ins


class watched:  # noqa: N801 (a context manager, used as `with watched(doc, budget):`)
    """While active, iterating over ``doc``'s instructions (or a stage's) checks ``budget``."""

    def __init__(self, doc: Document, budget: Budget) -> None:
        self.doc = doc
        self.budget = budget
        self.saved: list[tuple[Document | Stage, list[Instruction]]] = []
        self.watch = _Watch(budget)

    def __enter__(self) -> watched:
        owners: list[Document | Stage] = [self.doc, *self.doc.stages]
        for owner in owners:
            plain = owner.instructions
            checked = _Checked(plain)
            checked.watch = self.watch
            self.saved.append((owner, plain))
            owner.instructions = checked
        self.doc.memo["budget"] = self.budget
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, plain in self.saved:
            owner.instructions = plain
        self.watch.budget = None  # a list (or slice) a rule kept no longer looks at the clock
        self.saved = []
        self.doc.memo.pop("budget", None)
