"""Run rules, filter findings, and apply fixes to a fixed point."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from optimizer.core.budget import Budget, OutOfTime, is_skipped, skipped_message, watched
from optimizer.core.fix import Diagnostic, Edit, Fix, apply_edits, overlaps
from optimizer.core.pragmas import Pragmas, collect
from optimizer.core.settings import Settings
from optimizer.errors import DockerfileSyntaxError
from optimizer.records import field, record
from optimizer.syntax.model import Document, Instruction
from optimizer.syntax.parser import parse

MAX_ITERATIONS = 10


def _instruction_at(doc: Document, offset: int) -> Instruction | None:
    starts: list[int] | None = doc.memo.get("instruction_starts")
    if starts is None:
        starts = doc.memo["instruction_starts"] = [i.start for i in doc.instructions]
    k = bisect.bisect_right(starts, offset) - 1
    if k < 0:
        return None
    ins = doc.instructions[k]
    return ins if offset <= max(ins.end, ins.start) else None


def lint(doc: Document, settings: Settings, budget: Budget | None = None) -> list[Diagnostic]:
    """Every finding of the selected rules, pragmas applied, in source order (memoized per document).

    A document over ``settings.large_file`` instructions is linted against a wall-clock budget
    (``budget``, else a new one of ``settings.budget_seconds``): see optimizer/core/budget.py.
    """
    from optimizer.core.rule_context import set_target

    set_target(doc, settings.target)
    key = settings.key()
    memo: dict[object, list[Diagnostic]] = doc.memo.setdefault("lint", {})
    if key not in memo:
        if len(doc.instructions) > settings.large_file:
            memo[key] = _lint(doc, settings, budget or Budget(settings.budget_seconds))
        else:
            memo[key] = _lint(doc, settings, None)
    return list(memo[key])


def _lint(doc: Document, settings: Settings, budget: Budget | None) -> list[Diagnostic]:
    from optimizer.core.rule_context import RuleContext

    pragmas = collect(doc)
    out: list[Diagnostic] = []
    rules = settings.rules()
    for k, r in enumerate(rules):
        options = settings.rule_options.get(r.code, {})
        if settings.context is not None:
            options = {"context": settings.context, **options}
        if settings.cache_mounts:
            options = {"cache_mounts": True, **options}
        ctx = RuleContext(doc, r, options, pragmas)
        if budget is None:
            out.extend(_filtered(doc, pragmas, r.func(ctx), settings))
            continue
        found: list[Diagnostic] = []
        try:
            if not budget.start_rule(len(rules) - k):
                raise OutOfTime
            with watched(doc, budget):
                for d in _filtered(doc, pragmas, r.func(ctx), settings):
                    found.append(d)
                    budget.check()
        except OutOfTime:
            # a rule that ran out says so (its partial findings are dropped: all or nothing per rule)
            if not pragmas.ignored(None, r.code, r.hadolint):
                found = [Diagnostic(r.code, r.name, skipped_message(len(doc.instructions)), 0, 0, None, r.hadolint)]
            else:
                found = []
        out.extend(found)
    out.sort(key=lambda d: (d.start, d.code))
    return out


def _filtered(doc: Document, pragmas: Pragmas, found: Iterable[Diagnostic], settings: Settings) -> Iterator[Diagnostic]:
    """The findings that pragmas and sub-selectors (``--ignore SC2086``) let through (a fix touching an off region
    is dropped, the finding kept)."""
    for d in found:
        if not settings.keeps(d):
            continue
        if pragmas.in_off_region(d.start, max(d.end, d.start + 1)):
            continue
        if pragmas.ignored(_instruction_at(doc, d.start), d.code, d.hadolint):
            continue
        if d.fix is not None and any(pragmas.in_off_region(e.start, max(e.end, e.start + 1)) for e in d.fix.edits):
            d = Diagnostic(d.code, d.name, d.message, d.start, d.end, None, d.hadolint)
        yield d


def comment_lines(text: str) -> int:
    """Lines (split on \\n only, as BuildKit splits them) that are comments."""
    return sum(1 for line in text.split("\n") if line.lstrip().startswith("#"))


class _Intervals:
    """The edits of the fixes chosen so far, to find a conflicting fix in O(log n)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # sorted, from edits of chosen fixes

    def conflicts(self, fix: Fix) -> bool:
        for e in fix.edits:
            k = bisect.bisect_left(self.spans, (e.start, e.start))
            for s, t in self.spans[max(0, k - 1) : k + 1]:
                probe = Fix((Edit(s, t),), fix.applicability)
                if overlaps(Fix((e,), fix.applicability), probe):
                    return True
        return False

    def add(self, fix: Fix) -> None:
        for e in fix.edits:
            bisect.insort(self.spans, (e.start, e.end))


@record
class FixResult:
    source: str
    output: str
    applied: list[Diagnostic] = field(default_factory=list)
    failed: list[tuple[Diagnostic, str]] = field(default_factory=list)
    # fixable findings of the first round that went away without their fix being applied (offsets in source), why
    vanished: list[tuple[Diagnostic, str]] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    converged: bool = True
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, text it fixed) per applied
    files: dict[str, str] = field(default_factory=dict)  # other context files the fixes write: path -> content
    file_sources: dict[str, str | None] = field(default_factory=dict)  # their text before (None: new file)
    skipped: list[str] = field(default_factory=list)  # rules that ran out of the budget in some round (codes)

    @property
    def changed(self) -> bool:
        return self.output != self.source or bool(self.files)


def _valid(before: str, after: str, path: str) -> tuple[str | None, Document | None]:
    """Why ``after`` is not acceptable (or None), and its parsed document when it parses."""
    try:
        doc = parse(after, path)
    except DockerfileSyntaxError as e:
        return f"the result would not parse ({e.message})", None
    if comment_lines(after) < comment_lines(before):
        return "the result would lose a comment line", doc
    return None, doc


def _take_files(files: dict[str, str], chosen: list[Diagnostic]) -> bool:
    """Record the context files the chosen fixes write; True when any changed."""
    changed = False
    for d in chosen:
        assert d.fix is not None
        for f, content in d.fix.files:
            changed = changed or files.get(f) != content
            files[f] = content
    return changed


Pending = list[tuple[Diagnostic, Diagnostic]]  # (a finding as first reported, as reported in the current round)


def _follow(
    pending: Pending, diags: list[Diagnostic], after: list[str], result: FixResult, settings: Settings
) -> Pending:
    """Find each pending finding again among this round's ``diags`` (same code and message, else same code;
    fixable ones first).

    One that is not found went away because of the fixes of the previous round (``after``), and one found
    without a fix lost it because of them: both are recorded in ``result.vanished``, so that `rewrite` can say
    why a fix `check` offered was not applied.
    """
    free: dict[tuple[str, str], list[Diagnostic]] = {}
    by_code: dict[str, list[Diagnostic]] = {}
    for d in sorted(diags, key=lambda d: not settings.may_fix(d)):
        free.setdefault((d.code, d.message), []).append(d)
        by_code.setdefault(d.code, []).append(d)
    used: set[int] = set()
    cursor: dict[int, int] = {}  # per candidate list: everything before it is used (O(1) amortized per take)

    def take(candidates: list[Diagnostic]) -> Diagnostic | None:
        k = cursor.get(id(candidates), 0)
        while k < len(candidates) and id(candidates[k]) in used:
            k += 1
        if k == len(candidates):
            cursor[id(candidates)] = k
            return None
        found = candidates[k]
        used.add(id(found))
        cursor[id(candidates)] = k + 1
        return found

    exact = [take(free.get((cur.code, cur.message), [])) for _orig, cur in pending]
    out = []
    by = f" ({', '.join(after)})" if after else ""
    for (orig, cur), match in zip(pending, exact, strict=True):
        if match is None:
            match = take(by_code.get(cur.code, []))
        if match is None:
            result.vanished.append((orig, f"the finding went away after other fixes{by}"))
        elif not settings.may_fix(match):
            result.vanished.append((orig, f"its fix was withdrawn after other fixes{by}"))
        else:
            out.append((orig, match))
    return out


def fix_text(text: str, path: str, settings: Settings, doc: Document | None = None) -> FixResult:
    """Apply every allowed fix, repeatedly, until nothing changes.

    Every fixable finding of the first round ends up applied, in ``failed`` (its fix broke the file),
    still in ``remaining``, or in ``vanished`` (another fix made it go away): none is dropped silently.
    """
    result = FixResult(source=text, output=text)
    pending: list[tuple[Diagnostic, Diagnostic]] | None = None  # first-round fixable findings not yet applied
    after: list[str] = []  # codes of the fixes applied in the previous round
    blocked: set[tuple[str, str, str]] = set()  # fixes that broke the file: never tried again
    current = text
    files: dict[str, str] = {}
    files_changed = False
    budget: Budget | None = None  # for a large document: one budget for every round
    for _ in range(MAX_ITERATIONS):
        doc = doc if doc is not None and doc.text == current and not files_changed else parse(current, path)
        doc.memo.setdefault("overlay", dict(files))
        files_changed = False
        if budget is None and len(doc.instructions) > settings.large_file:
            budget = Budget(settings.budget_seconds)
        diags = lint(doc, settings) if budget is None else lint(doc, settings, budget)
        if budget is not None:
            _note_skipped(result, diags)
        if pending is None:
            pending = [(d, d) for d in diags if settings.may_fix(d)]
        else:
            pending = _follow(pending, diags, after, result, settings)
        after = []
        chosen: list[Diagnostic] = []
        taken = _Intervals()
        taken_files: set[str] = set()
        allowed = [
            d
            for d in diags
            if settings.may_fix(d)
            and (d.code, d.message, current[d.start : d.end]) not in blocked
            and (d.code, d.message, current[d.start : d.end]) not in settings.drop
        ]
        alone = [d for d in allowed if d.fix is not None and d.fix.isolated]
        for d in alone[:1] or allowed:
            assert d.fix is not None
            if taken.conflicts(d.fix) or any(f in taken_files for f, _c in d.fix.files):
                continue
            taken.add(d.fix)
            taken_files.update(f for f, _c in d.fix.files)
            chosen.append(d)
        if not chosen:
            result.remaining = diags
            break
        new = apply_edits(current, [e for d in chosen if d.fix is not None for e in d.fix.edits])
        why, new_doc = _valid(current, new, path)
        if why is None:
            files_changed = _take_files(files, chosen)
            if new_doc is not None and files_changed:
                new_doc.memo["overlay"] = dict(files)
                files_changed = False
            result.keys.extend((d.code, d.message, current[d.start : d.end]) for d in chosen)
            current, doc = new, new_doc
            result.applied.extend(chosen)
            pending = _settle(pending, chosen)
            after = sorted({d.code for d in chosen})
            continue
        # Find the fixes that break the file, one at a time; keep the first good one.
        good = None
        for d in chosen:
            assert d.fix is not None
            candidate = apply_edits(current, list(d.fix.edits))
            why, cand_doc = _valid(current, candidate, path)
            if why is None:
                if good is None:
                    good = (d, candidate, cand_doc)
            else:
                blocked.add((d.code, d.message, current[d.start : d.end]))
                result.failed.append((d, why))
        pending = _settle(pending, [d for d, _why in result.failed])
        if good is None:
            continue
        result.keys.append((good[0].code, good[0].message, current[good[0].start : good[0].end]))
        files_changed = _take_files(files, [good[0]])
        current, doc = good[1], good[2]
        result.applied.append(good[0])
        pending = _settle(pending, [good[0]])
        after = [good[0].code]
    else:
        # No fixed point: fail closed and keep the file as it was.
        result.converged = False
        result.failed.extend((d, "the fixes did not settle; nothing was changed") for d in result.applied)
        result.applied = []
        result.vanished = []
        result.keys = []
        files = {}
        current = text
        final = parse(current, path)
        result.remaining = lint(final, settings) if budget is None else lint(final, settings, budget)
        _note_skipped(result, result.remaining)
    result.output = current
    result.files = files
    result.file_sources = {f: _disk_text(f) for f in files}
    return result


def _note_skipped(result: FixResult, diags: list[Diagnostic]) -> None:
    for d in diags:
        if d.fix is None and d.code not in result.skipped and is_skipped(d.message):
            result.skipped.append(d.code)


def _settle(pending: Pending, done: list[Diagnostic]) -> Pending:
    """The pending findings without those just applied or failed."""
    ids = {id(d) for d in done}
    return [(orig, cur) for orig, cur in pending if id(cur) not in ids]


def _disk_text(path: str) -> str | None:
    """A second file as it is on disk now (None: absent; a symlink or anything but a regular file: unreadable)."""
    from optimizer.core.fileio import read_regular

    try:
        return read_regular(path, 4_000_000, follow_symlinks=False).decode("utf-8", errors="surrogateescape")
    except OSError:
        return None
