"""What a stage's image carries at its end, resolved through ``FROM <stage>`` chains.

ENV, ARG defaults, EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK and the CMD/ENTRYPOINT in effect, with
``$VAR``/``${VAR}``/``${VAR:-default}`` expanded from the ENV and ARG values known at that point, as
BuildKit expands them. A stage built ``FROM`` an earlier stage starts from that stage's facts (ENV,
EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK, CMD and ENTRYPOINT are part of the image; ARGs are not).
Computed once per document, in one pass over the instructions (``doc.memo["stage_facts"]``).

Only stage-chain facts live here: what an external base image sets is not known (its ENV, its USER), but for
its WORKDIR where data/workdirs.toml knows it (a relative WORKDIR starts there, as BuildKit resolves it).
"""

from __future__ import annotations

import posixpath
import re
import shlex

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
