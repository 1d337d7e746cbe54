"""Edits, fixes and diagnostics, after ruff's model."""

from __future__ import annotations

import enum

from optimizer.records import field, record

TYPE_CHECKING = False  # typing is not imported at run time (cold start)
if TYPE_CHECKING:
    from collections.abc import Callable


class Applicability(enum.Enum):
    SAFE = "safe"  # cannot change what the built image does
    UNSAFE = "unsafe"  # may change it: applied only with --unsafe-fixes


class Edit:
    """Replace ``text[start:end]`` of the original source with ``content``.

    The content may be deferred (``Edit.deferred``): generated blocks (a runtime stage, a user, a health check)
    are rendered from jinja2 templates, and most runs neither apply nor show the unsafe fixes that carry them,
    so the template engine is loaded only when a content is read. Where an edit sits is always known.
    Equality, hashing and order are on ``(start, end, content)``, as for a frozen record.
    """

    __slots__ = ("_content", "_render", "end", "start")

    def __init__(self, start: int, end: int, content: str = "") -> None:
        self.start = start
        self.end = end
        self._content = content
        self._render: Callable[[], str] | None = None

    @classmethod
    def deferred(cls, start: int, end: int, render: Callable[[], str]) -> Edit:
        e = cls(start, end)
        e._render = render
        return e

    @classmethod
    def insert(cls, at: int, content: str) -> Edit:
        return cls(at, at, content)

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        return cls(start, end, "")

    @property
    def content(self) -> str:
        if self._render is not None:
            self._content, self._render = self._render(), None
        return self._content

    @property
    def rendered(self) -> bool:
        return self._render is None

    def _key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.content)

    def __repr__(self) -> str:
        shown = repr(self._content) if self._render is None else "<deferred>"
        return f"Edit(start={self.start!r}, end={self.end!r}, content={shown})"

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Edit) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Edit) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Edit) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Edit) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Edit) -> bool:
        return self._key() >= other._key()


@record(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str = ""  # what the fix does, when it says more than the diagnostic
    isolated: bool = False  # changes the file's shape: applied alone in its round, others re-checked after
    files: tuple[tuple[str, str], ...] = ()  # other files of the build context: (absolute path, new content)

    @property
    def start(self) -> int:
        return min((e.start for e in self.edits), default=0)

    @property
    def end(self) -> int:
        return max((e.end for e in self.edits), default=0)


@record(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    start: int
    end: int
    fix: Fix | None = None
    hadolint: tuple[str, ...] = field(default=())
    severity: str | None = None  # error|warning|info|style of this finding (ShellCheck's), else the rule's

    @property
    def fixable(self) -> bool:
        return self.fix is not None


def overlaps(a: Fix, b: Fix) -> bool:
    for x in a.edits:
        for y in b.edits:
            if x.start < y.end and y.start < x.end:
                return True
            # two insertions (or an insertion at a deletion's edge) at the same point conflict
            if x.start == y.start and (x.start == x.end or y.start == y.end):
                return True
    return False


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; everything between them is copied verbatim."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edit at {e.start}")
        out.append(text[pos : e.start])
        out.append(e.content)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
