"""The one walk over a stage that every split planner starts from.

The walk resolves WORKDIR and `cd`, refuses what no split can move (ONBUILD, SHELL, an unresolved WORKDIR, a
RUN that is not shell or has --network/--security), reads each RUN command by command, and says which RUNs
build, which do other work and which only install system packages ("a RUN that mixes building with other work"
is a refusal). What a command *means* is the language's: each planner hands the walk a ``Classifier`` that
names its build commands (pip, go, npm, cargo…) and keeps what it learns in its own ``Run``.
"""

from __future__ import annotations

import posixpath
from typing import Generic, TypeVar

from optimizer.analysis.invocations import Invocation, invocations
from optimizer.analysis.split.model import Skip, apt_packages, is_neutral, keep_first
from optimizer.core.rule_context import Body, RuleContext
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

# what ``Classifier.command`` may answer, beside a Skip or None (not the language's: the walk decides)
BUILD = "build"  # builds (the builder keeps it)
NEUTRAL = "neutral"  # leaves nothing a split must keep
OTHER = "other"  # other work, named after the command
NOTED = "noted"  # other work the classifier already named in ``run.others``


class Run:
    """What one RUN does, as the walk sees it; a language keeps more in a subclass."""

    def __init__(self) -> None:
        self.kind = "system"  # "system" | "build" | "other" (Python adds "mixed")
        self.apt: list[str] = []  # what apt installs (as written)
        self.others: list[str] = []  # the commands that do other work


R = TypeVar("R", bound=Run)


class Walk(Generic[R]):
    """What the walk found: the classified RUNs (by instruction index, in order), the folder each instruction
    runs in, the USERs, the last building RUN and the reasons not to split."""

    def __init__(self) -> None:
        self.runs: dict[int, R] = {}
        self.workdirs: dict[int, str] = {}
        self.users: list[Instruction] = []
        self.last_build: Instruction | None = None
        self.skip: Skip | None = None

    def refuse(self, skip: Skip) -> None:
        self.skip = keep_first(self.skip, skip)


class Classifier(Generic[R]):
    """The language's part of the walk. ``command`` is the one method every language implements."""

    start_cwd = "/"  # the base image's WORKDIR
    refuse_mount = False  # a RUN --mount is a refusal too (the Python split moves installs into a venv)
    workdir_spaces = False  # a WORKDIR with a space is resolved (not refused)

    def new_run(self) -> R:
        raise NotImplementedError

    def command(self, cmd: Command, inv: Invocation | None, run: R, cwd: str, line: int) -> str | Skip | None:
        """BUILD, NEUTRAL, OTHER, NOTED, a Skip, or None when the command is not the language's: the walk then
        refuses another package tool and reads `cd`, neutral commands and other work itself."""
        raise NotImplementedError

    def on_apt(self, inv: Invocation, installed: list[str], run: R) -> None:
        """An apt-get/apt command of the RUN (its packages are in ``run.apt`` already)."""

    def other_work(self, ins: Instruction, bodies: list[Body], run: R) -> R | Skip:
        """A RUN that does other work and builds nothing (``run.kind == "other"``): the run, or a Skip."""
        return run

    def on_env(self, ins: Instruction, walk: Walk[R]) -> None:
        """An ENV instruction of the stage."""

    def on_user(self, ins: Instruction, walk: Walk[R]) -> None:
        """A USER instruction (already in ``walk.users``)."""

    def on_build(self, ins: Instruction, walk: Walk[R]) -> None:
        """A building RUN, before it becomes ``walk.last_build``."""


def walk_stage(ctx: RuleContext, stage: Stage, lang: Classifier[R]) -> Walk[R]:
    walk: Walk[R] = Walk()
    cwd = lang.start_cwd
    for ins in stage.instructions[1:]:
        kw = ins.keyword
        if kw == "WORKDIR":
            value = ins.args.strip()
            if "$" in value or (" " in value and not lang.workdir_spaces) or not value:
                walk.refuse(Skip(ins.line_start, "a WORKDIR dopt cannot resolve"))
                continue
            cwd = posixpath.normpath(posixpath.join(cwd, value))
        walk.workdirs[ins.index] = cwd
        if kw in ("ONBUILD", "SHELL"):
            walk.refuse(Skip(ins.line_start, f"{kw} in the stage"))
        elif kw == "USER":
            walk.users.append(ins)
            lang.on_user(ins, walk)
        elif kw == "ENV":
            lang.on_env(ins, walk)
        elif kw == "RUN":
            found = classify_run(ctx, ins, cwd, lang)
            if isinstance(found, Skip):
                walk.refuse(found)  # reported only if the stage has something to split at all
                continue
            walk.runs[ins.index] = found
            if found.kind == "build":
                lang.on_build(ins, walk)
                walk.last_build = ins
    return walk


def classify_run(ctx: RuleContext, ins: Instruction, cwd: str, lang: Classifier[R]) -> R | Skip:
    """What a RUN does, command by command (its `cd`s move ``cwd`` for the commands after them)."""
    line = ins.line_start
    bodies = ctx.bodies(ins)
    if not bodies:
        return Skip(line, "a RUN that is not shell dopt can read")
    if lang.refuse_mount and (ins.flag("mount") or ins.flag("network") or ins.flag("security")):
        return Skip(line, "a RUN with --mount/--network flags")
    if ins.flag("network") or ins.flag("security"):
        return Skip(line, "a RUN with --network/--security flags")
    run = lang.new_run()
    builds = False
    for body in bodies:
        invs = {id(i.command): i for i in invocations(body.script)}
        for cmd in body.script.commands():
            inv = invs.get(id(cmd))
            if inv is not None and inv.tool in ("apt-get", "apt"):
                installed = apt_packages(inv, line)
                if isinstance(installed, Skip):
                    return installed
                run.apt += installed
                lang.on_apt(inv, installed, run)
                continue
            kind = lang.command(cmd, inv, run, cwd, line)
            if isinstance(kind, Skip):
                return kind
            if kind is None:
                if inv is not None:
                    return Skip(line, f"packages installed with `{inv.tool}`")
                if cmd.basename == "cd":
                    target = cmd.words[1].value if len(cmd.words) > 1 and cmd.words[1].literal else None
                    cwd = posixpath.normpath(posixpath.join(cwd, target)) if target else "?"
                    continue
                kind = NEUTRAL if is_neutral(cmd) else OTHER
            if kind == BUILD:
                builds = True
            elif kind == OTHER:
                run.others.append(cmd.basename)
    if builds:
        if run.others:
            return Skip(line, f"a RUN that mixes building with other work (`{run.others[0]}`)")
        run.kind = "build"
    elif run.others:
        run.kind = "other"
        return lang.other_work(ins, bodies, run)
    return run
