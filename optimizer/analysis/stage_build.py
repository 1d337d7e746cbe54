"""One walk over what a stage runs, shared by the rules that ask "does this stage build anything?"
(DOP501 devel-to-runtime-base, DOP502 builder-runtime-split and DOP603 slim-runtime-base). Each rule applies
its own policy to the same steps, so they read a stage the same way: same RUN bodies, same commands, same
package-manager invocations, same requirements files. The walk is computed once per stage and document
(linear in its instructions).
"""

from __future__ import annotations

import re

from optimizer.analysis.invocations import Invocation, invocations
from optimizer.core.rule_context import RuleContext
from optimizer.records import field, record
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command


@record(frozen=True)
class Step:
    """Something a stage does, in order: a variable it sets (``env``), a RUN dopt cannot read
    (``unreadable``), a command it runs (``command``) or a package-manager invocation (``install``)."""

    kind: str
    ins: Instruction
    name: str = ""  # env: the variable
    command: Command | None = None
    invocation: Invocation | None = None

    @property
    def line(self) -> int:
        return self.ins.line_start

    @property
    def words(self) -> list[str]:
        return [w.value for w in self.command.words] if self.command is not None else []


def steps(ctx: RuleContext, stage: Stage) -> list[Step]:
    """The stage's steps, in instruction order (memoised on the document)."""
    memo: dict[int, list[Step]] = ctx.doc.memo.setdefault("stage_build_steps", {})
    found = memo.get(stage.index)
    if found is None:
        found = memo[stage.index] = list(_walk(ctx, stage))
    return found


def _walk(ctx: RuleContext, stage: Stage):  # type: ignore[no-untyped-def]
    for ins in stage.instructions:
        if ins.keyword in ("ENV", "ARG"):
            for name, _value in key_values(ins):
                yield Step("env", ins, name=name)
        if ins.keyword != "RUN":
            continue
        bodies = ctx.bodies(ins)
        if not bodies:
            yield Step("unreadable", ins)
            continue
        for body in bodies:
            for cmd in body.script.commands():
                yield Step("command", ins, command=cmd)
            for inv in invocations(body.script):
                yield Step("install", ins, invocation=inv)


def runs_setup_py(step: Step) -> bool:
    return step.command is not None and step.command.basename.startswith("python") and "setup.py" in step.words


@record
class PipInstall:
    """What a `pip install` installs, as far as dopt can read it."""

    problem: str | None = None  # why dopt cannot see what it installs: -e/--no-binary, or a requirements file
    file_names: list[str] = field(default_factory=list)  # normalised projects from its -r/-c files
    # its package words in order: (word, normalised project name) or (word, None) when the word names a path,
    # URL or archive or is not literal (such a word, which may build from source, ends the list)
    words: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return self.file_names + [n for _w, n in self.words if n is not None]


_NAME_END = re.compile(r"[<>=!~\[;@ ]")


def pip_install(ctx: RuleContext, stage: Stage, step: Step, pathlike: re.Pattern[str]) -> PipInstall:
    """What a `pip install` step installs, reading its -r/-c files from the build context.

    ``pathlike`` says which package words name a path, URL or archive (which may build from source)."""
    from optimizer.analysis.requirements import normalise
    from optimizer.analysis.stage_requirements import read_stage_requirements, requirement_files

    inv = step.invocation
    assert inv is not None
    out = PipInstall()
    if inv.has_option("-e", "--editable", "--no-binary"):
        out.problem = "editable"
        return out
    for path in requirement_files(inv):
        reqs = read_stage_requirements(ctx, stage, step.ins, path)
        if reqs is None:
            out.problem = f"unreadable:{path}"
            return out
        if any(r.source for r in reqs.installs):
            out.problem = f"source:{path}"
            return out
        out.file_names += sorted(reqs.names())
    for w in inv.packages():
        if not w.literal or pathlike.search(w.value):
            out.words.append((w.value, None))
            break
        out.words.append((w.value, normalise(_NAME_END.split(w.value, maxsplit=1)[0])))
    return out


def is_pip_install(step: Step) -> bool:
    inv = step.invocation
    return inv is not None and inv.tool in ("pip", "uv-pip") and inv.sub == "install"


@record
class StagePip:
    """Every project the stage's pip installs name (from their words and readable requirements files)."""

    names: list[tuple[int, str]] = field(default_factory=list)  # (line, normalised project name)
    unknown: tuple[int, str] | None = None  # (line, why): the first install dopt cannot see into


STAGE_PATHLIKE = re.compile(r"^(\.|/|~|\.\.|[\w.-]+/)|\.(whl|tar\.gz|zip)$|^git\+|://")


def stage_pip(ctx: RuleContext, stage: Stage) -> StagePip:
    """What the stage's pip installs install, as far as dopt can read (memoised on the document)."""
    memo: dict[int, StagePip] = ctx.doc.memo.setdefault("stage_build_pip", {})
    found = memo.get(stage.index)
    if found is not None:
        return found
    out = StagePip()
    for step in steps(ctx, stage):
        if not is_pip_install(step):
            continue
        pip = pip_install(ctx, stage, step, STAGE_PATHLIKE)
        out.names += [(step.line, n) for n in pip.names]
        if out.unknown is None:
            if pip.problem == "editable":
                out.unknown = (step.line, "pip installs from source (-e/--no-binary)")
            elif pip.problem is not None:
                kind, path = pip.problem.split(":", 1)
                why = "which dopt cannot read" if kind == "unreadable" else "which installs from a path or URL"
                out.unknown = (step.line, f"pip installs from `{path}`, {why}")
            elif any(n is None for _w, n in pip.words):
                word = next(w for w, n in pip.words if n is None)
                out.unknown = (step.line, f"pip installs `{word}`")
    memo[stage.index] = out
    return out


def jit_install(ctx: RuleContext, stage: Stage, cuda: bool = False) -> tuple[int, str] | None:
    """(line, project) of the first package the stage installs that compiles at run time (knowledge: jit;
    with ``cuda``, also the packages that compile with the CUDA toolchain)."""
    from optimizer.analysis.knowledge import jit_packages

    jit = jit_packages(cuda)
    for line, name in stage_pip(ctx, stage).names:
        if name in jit or name.replace("_", "-") in jit:
            return line, name
    return None


def runs_tests(ctx: RuleContext, stage: Stage) -> str | None:
    """Why the stage is a test/CI image (its name, or a RUN/CMD/ENTRYPOINT running a test runner), or None."""
    from optimizer.analysis.knowledge import test_images
    from optimizer.syntax.parser import split_words, unquote_word

    marks = test_images()
    if stage.name and set(re.split(r"[-_.]", stage.name.lower())) & marks.stage_names:
        return f"stage `{stage.name}` is a test/CI image"

    def runner(words: list[str]) -> str | None:
        if not words:
            return None
        head = words[0].rsplit("/", 1)[-1]
        if head in marks.commands:
            return head
        if head.startswith("python") and len(words) > 2 and words[1] == "-m" and words[2] in marks.python_modules:
            return f"{head} -m {words[2]}"
        return None

    for step in steps(ctx, stage):
        found = runner(step.words) if step.command is not None else None
        if found is not None:
            return f"line {step.line} runs `{found}`"
    for ins in stage.instructions:
        if ins.keyword not in ("CMD", "ENTRYPOINT"):
            continue
        words: list[str]
        if ins.json:
            words = [str(w) for w in ins.json_args or []]
            if words[:2] in (["sh", "-c"], ["/bin/sh", "-c"], ["bash", "-c"], ["/bin/bash", "-c"]) and len(words) > 2:
                words = [unquote_word(w) for w, _s, _e in split_words(words[2])]
        else:
            words = [unquote_word(w) for w, _s, _e in split_words(ins.args)]
        found = runner(words)
        if found is not None:
            return f"line {ins.line_start}: {ins.keyword} runs `{found}`"
    return None


_PATHLIKE = re.compile(r"^(\.|/|~|\.\.|[\w.-]+/)|\.(whl|tar\.gz|zip)$|^git\+|://")


def why_it_compiles(ctx: RuleContext, stage: Stage) -> str | None:
    """Why the stage compiles something (a -devel image is needed to build it), or None: what DOP501 switches
    to the -runtime tag, and what DOP502 leaves to DOP501 rather than splitting."""
    from optimizer.analysis.knowledge import build_only, compile_signals

    signals = compile_signals()
    tools = (build_only("apt") | build_only("apk") | build_only("dnf")) - signals.fetch_only
    for step in steps(ctx, stage):
        line = step.line
        if step.kind == "env":
            if step.name in signals.env:
                return f"the stage sets {step.name}"
        elif step.kind == "unreadable":
            return f"line {line} is not shell dopt can read"
        elif step.command is not None:
            words = step.words
            if step.command.basename in signals.commands:
                return f"line {line} runs `{step.command.basename}`"
            if runs_setup_py(step):
                return f"line {line} runs setup.py"
            if step.command.basename == "go" and len(words) > 1 and words[1] in ("build", "install"):
                return f"line {line} runs `go {words[1]}`"
        elif (inv := step.invocation) is not None:
            if inv.tool in ("apt-get", "apt", "apk", "dnf", "yum", "microdnf") and inv.sub in ("install", "add"):
                from optimizer.analysis.package_vars import package_names

                installed = {n.split("=")[0] for n in package_names(ctx, step.ins, inv).names}  # `$PKGS` too
                if installed & tools:
                    return f"line {line} installs build tools ({', '.join(sorted(installed & tools))})"
            if not is_pip_install(step):
                continue
            pip = pip_install(ctx, stage, step, _PATHLIKE)
            if pip.problem == "editable":
                return f"line {line}: pip installs from a file or source dopt cannot see into"
            if pip.problem is not None:
                kind, path = pip.problem.split(":", 1)
                if kind == "unreadable":
                    return f"line {line}: pip installs from `{path}`, which dopt cannot read"
                return f"line {line}: `{path}` installs from a path or URL, which may build"
            hit = [n for n in pip.file_names if n in signals.pip_source_builds]
            if hit:
                return f"line {line}: `{hit[0]}` builds CUDA/C++ extensions from source"
            for word, name in pip.words:
                if name is None:
                    return f"line {line}: pip installs `{word}`, which may build from source"
                if name in signals.pip_source_builds or name.replace("_", "-") in signals.pip_source_builds:
                    return f"line {line}: `{name}` builds CUDA/C++ extensions from source"
    return None
