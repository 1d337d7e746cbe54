"""What a stage's image carries at its end, resolved through ``FROM <stage>`` chains.

ENV, ARG defaults, EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK and the CMD/ENTRYPOINT in effect, with
``$VAR``/``${VAR}``/``${VAR:-default}`` expanded from the ENV and ARG values known at that point, as
BuildKit expands them. A stage built ``FROM`` an earlier stage starts from that stage's facts (ENV,
EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK, CMD and ENTRYPOINT are part of the image; ARGs are not).
Computed once per document, in one pass over the instructions (``doc.memo["stage_facts"]``).

Only stage-chain facts live here: what an external base image sets is not known (its ENV, its USER), but for
its WORKDIR where data/workdirs.toml knows it (a relative WORKDIR starts there, as BuildKit resolves it).

Queries over instructions, answered from facts computed once per document (no rule walks the file per
instruction):
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
import posixpath
import re
import shlex
from collections.abc import Callable, Iterable

from optimizer.analysis.knowledge import image_workdir
from optimizer.records import field, record
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Document, Instruction, Stage

_VAR = re.compile(r"\\\$|\$(?:\{(\w+)(?:(:?[-+])([^}]*))?\}|(\w+))")


def expand(text: str, values: dict[str, str]) -> tuple[str, set[str]]:
    """``text`` with the variables BuildKit would expand replaced, and the names it could not resolve.

    An unresolved variable is left as written (``$PORT``), so that messages can quote it.
    """
    missing: set[str] = set()

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "\\$":
            return "\\$"
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        value = values.get(name)
        if op in (":-", "-"):
            if value is None or (op == ":-" and value == ""):
                inner, miss = expand(word or "", values)
                missing.update(miss)
                return inner
            return value
        if op in (":+", "+"):
            if value is None or (op == ":+" and value == ""):
                return ""
            inner, miss = expand(word or "", values)
            missing.update(miss)
            return inner
        if value is None:
            missing.add(name)
            return m.group(0)
        return value

    return _VAR.sub(sub, text), missing


@record
class StageFacts:
    stage: Stage
    chain: list[Stage]  # the stage and the stages it is built FROM, nearest first
    env: dict[str, str] = field(default_factory=dict)  # expanded (unresolved variables left as written)
    env_at: dict[str, Instruction] = field(default_factory=dict)  # the ENV that set each name
    unresolved: set[str] = field(default_factory=set)  # ENV names whose value uses an unknown variable
    args: dict[str, str] = field(default_factory=dict)  # ARG defaults in this stage (not inherited)
    exposed: list[tuple[int, Instruction]] = field(default_factory=list)  # tcp ports
    exposed_udp: list[tuple[int, Instruction]] = field(default_factory=list)
    workdir: str = "/"  # relative WORKDIRs start from the base image's (see workdir_known)
    workdir_at: Instruction | None = None
    user: Instruction | None = None
    volumes: list[tuple[str, Instruction]] = field(default_factory=list)
    healthcheck: Instruction | None = None
    entrypoint: Instruction | None = None
    cmd: Instruction | None = None
    # False when the folder depends on what dopt does not know: the base image's WORKDIR (an image not in
    # data/workdirs.toml) under a relative WORKDIR or none, or a variable; ``workdir`` then reads it from /
    workdir_known: bool = True

    @property
    def values(self) -> dict[str, str]:
        """What ``$NAME`` means at the end of the stage: ARGs, then ENV over them."""
        return {**self.args, **self.env}

    def resolve(self, text: str) -> str | None:
        """``text`` with its variables expanded, or None when one of them is not known."""
        out, missing = expand(text, self.values)
        return None if missing else out

    def instructions(self) -> list[Instruction]:
        """Every instruction of the chain, oldest stage first (the FROM lines included)."""
        return [ins for st in reversed(self.chain) for ins in st.instructions]

    @property
    def command(self) -> tuple[Instruction | None, Instruction | None]:
        return self.entrypoint, self.cmd

    def argv(self) -> tuple[list[str], bool]:
        """ENTRYPOINT + CMD as the container runs them (shell form split into words), and whether any is shell form."""
        argv: list[str] = []
        shell = False
        for part in (self.entrypoint, self.cmd):
            if part is not None:
                words, is_shell = words_of(part)
                argv += words
                shell = shell or is_shell
        return argv, shell

    def first_command_in_stage(self) -> Instruction | None:
        """The earliest CMD/ENTRYPOINT of the stage itself (where generated lines go before)."""
        return next((i for i in self.stage.instructions if i.keyword in ("CMD", "ENTRYPOINT")), None)


def words_of(ins: Instruction) -> tuple[list[str], bool]:
    if ins.json and ins.json_args is not None:
        return list(ins.json_args), False
    try:
        return shlex.split(ins.args, comments=False), True
    except ValueError:
        return ins.args.split(), True


def unwrap_shell(argv: list[str]) -> list[str]:
    """``["/bin/sh", "-c", "exec gunicorn …"]`` → ``["gunicorn", …]``: the words the shell runs."""
    from optimizer.core.rule_context import POSIX_SHELLS

    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in POSIX_SHELLS and argv[1] in ("-c", "-ec", "-ex", "-xc"):
        try:
            inner = shlex.split(argv[2], comments=False)
        except ValueError:
            inner = argv[2].split()
        while inner and inner[0] == "exec":
            inner = inner[1:]
        return inner + argv[3:]
    return argv


def stage_facts(doc: Document) -> list[StageFacts]:
    """The facts at the end of every stage (memoized per document)."""
    found: list[StageFacts] | None = doc.memo.get("stage_facts")
    if found is None:
        before: dict[int, str | None] = {}
        found = doc.memo["stage_facts"] = _compute(doc, before)
        doc.memo["workdir_before"] = before
    return found


def workdir_before(doc: Document, ins: Instruction) -> str | None:
    """The working folder ``ins`` runs in (the WORKDIR in effect, from the base image's), None when unknown."""
    stage_facts(doc)
    found: dict[int, str | None] = doc.memo["workdir_before"]
    return found.get(ins.index)


def facts_of(doc: Document, stage: Stage) -> StageFacts:
    return stage_facts(doc)[stage.index]


def _compute(doc: Document, before: dict[int, str | None]) -> list[StageFacts]:
    global_args: dict[str, str] = {}
    for ins in doc.instructions:
        if ins.stage != -1:
            break
        if ins.keyword == "ARG":
            for name, value in _arg_defaults(ins):
                global_args[name] = expand(value, global_args)[0] if value is not None else ""
    by_name: dict[str, StageFacts] = {}
    out: list[StageFacts] = []
    for stage in doc.stages:
        parent = by_name.get(stage.base.lower())
        if parent is not None:
            f = StageFacts(
                stage,
                [stage, *parent.chain],
                dict(parent.env),
                dict(parent.env_at),
                set(parent.unresolved),
                {},
                list(parent.exposed),
                list(parent.exposed_udp),
                parent.workdir,
                parent.workdir_at,
                parent.user,
                list(parent.volumes),
                parent.healthcheck,
                parent.entrypoint,
                parent.cmd,
                parent.workdir_known,
            )
        else:
            f = StageFacts(stage, [stage])
            start = image_workdir(stage.image)
            f.workdir, f.workdir_known = start or "/", start is not None
        for ins in stage.instructions:
            before[ins.index] = f.workdir if f.workdir_known else None
            _apply(f, ins, global_args)
        out.append(f)
        if stage.name:
            by_name[stage.name.lower()] = f
    return out


def _arg_defaults(ins: Instruction) -> list[tuple[str, str | None]]:
    """(name, default) of an ARG; None when it has no default."""
    from optimizer.syntax.parser import split_words, unquote_word

    out: list[tuple[str, str | None]] = []
    for word, _s, _e in split_words(ins.args):
        name, eq, value = unquote_word(word).partition("=")
        out.append((name, value if eq else None))
    return out


def _apply(f: StageFacts, ins: Instruction, global_args: dict[str, str]) -> None:
    kw = ins.keyword
    if kw == "ARG":
        for name, value in _arg_defaults(ins):
            if value is not None:
                f.args[name] = expand(value, f.values)[0]
            elif name in global_args:
                f.args[name] = global_args[name]
    elif kw == "ENV":
        values = f.values
        for name, raw in key_values(ins):
            value, missing = expand(raw, values)
            f.env[name], f.env_at[name] = value, ins
            values[name] = value
            if missing:
                f.unresolved.add(name)
            else:
                f.unresolved.discard(name)
    elif kw == "EXPOSE":
        for word in ins.args.split():
            value = f.resolve(word)
            m = re.fullmatch(r"(\d{1,5})(?:-\d{1,5})?(?:/(tcp|udp|sctp))?", (value or "").lower())
            if m and 0 < int(m.group(1)) < 65536:
                (f.exposed_udp if m.group(2) == "udp" else f.exposed).append((int(m.group(1)), ins))
    elif kw == "WORKDIR":
        value = f.resolve(ins.args.strip().strip("\"'"))
        if not value:
            value, f.workdir_known = ins.args.strip(), False
        elif value.startswith("/"):
            f.workdir_known = True
        f.workdir = posixpath.normpath(posixpath.join(f.workdir, value))
        f.workdir_at = ins
    elif kw == "USER":
        f.user = ins
    elif kw == "VOLUME":
        words = list(ins.json_args) if ins.json and ins.json_args is not None else ins.args.split()
        for w in words:
            f.volumes.append((f.resolve(w) or w, ins))
    elif kw == "HEALTHCHECK":
        f.healthcheck = ins
    elif kw == "ENTRYPOINT":
        f.entrypoint = ins
        if f.cmd is not None and f.cmd.stage != ins.stage:
            f.cmd = None  # BuildKit: ENTRYPOINT resets the CMD a stage inherits, not one the stage set before it
    elif kw == "CMD":
        f.cmd = ins


# Queries: is a fact established before an instruction, which RUN comes next (flow through FROM <stage>)


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
