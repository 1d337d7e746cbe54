"""The builder/runtime split of a single-stage Python image: pip installs into a virtual environment in the
builder, and the runtime stage gets the environment without the compilers and -dev packages.

``plan_python_split`` returns a ``SplitPlan`` (what the builder keeps, what the runtime stage replays) or a
``Skip`` with the reason, so that the rule can say why it left a file alone.
"""

from __future__ import annotations

import posixpath
import re

from optimizer.analysis.invocations import Invocation, invocations
from optimizer.analysis.split.model import (
    VENV,
    Item,
    Skip,
    SplitPlan,
    command_words,
    is_dev,
    name_of,
)
from optimizer.analysis.split.walk import BUILD, NEUTRAL, Classifier, Run, Walk, walk_stage
from optimizer.core.rule_context import Body, RuleContext
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

# Python package tools whose installs dopt cannot move into a virtual environment.
_OTHER_INSTALLERS = frozenset(
    {"pipenv", "poetry", "pdm", "conda", "mamba", "micromamba", "hatch", "pipx", "easy_install", "rye"}
)
_PIP_REFUSED = ("--user", "--target", "-t", "--prefix", "--root", "--system", "--python")
_PIP_SUBS = frozenset(
    {
        "install",
        "uninstall",
        "wheel",
        "download",
        "cache",
        "config",
        "list",
        "freeze",
        "show",
        "check",
        "--version",
        "-V",
    }
)
# the commands that make a virtual environment: python -m venv, virtualenv, uv venv; and their valued options
_MAKES_VENV = re.compile(r"(^|[\s;&|(/])(virtualenv|venv)(\s|$)")
_VENV_VALUED = frozenset(
    {"--prompt", "-p", "--python", "--app-data", "--creator", "--seeder", "--activators", "--discovery", "--link-mode"}
)
# what a pip install before the image's virtual environment may install (tools of the builder, not of the app)
_VENV_TOOLS = frozenset({"pip", "setuptools", "wheel", "virtualenv", "uv"})
_IN_PLACE = ("--inplace", "-i", "develop", "build_ext")


class PythonRun(Run):
    def __init__(self) -> None:
        super().__init__()
        self.purged: set[str] = set()
        self.writes_in: str | None = None  # a build that leaves outputs in this folder (setup.py develop, make…)
        self.compiles = False  # builds with something else than pip (setup.py, make, gcc…)
        self.python_install: Invocation | None = None  # the apt install that brings python3, if any
        # kind "mixed": installs build packages and does other work; the runtime stage replays it with these
        # edits (source start, end, replacement) that leave the build packages out
        self.replay: list[tuple[int, int, str]] = []
        self.venvs: list[str] = []  # virtual environments the RUN makes ("?" where dopt cannot resolve the path)
        self.activated: str | None = None  # the venv whose bin/activate the RUN sources
        # pip installs: (runs the image's venv's pip, the names of the packages it installs)
        self.pips: list[tuple[bool, list[str]]] = []


def _python_base(ref: str) -> tuple[bool, bool]:
    """(the image ships Python, its Python has packages of its own that a venv must see)."""
    from optimizer.analysis.knowledge import family_of, parse_ref

    fam = family_of(ref)
    repo = parse_ref(ref).repository
    ships_packages = repo in (
        "pytorch/pytorch",
        "nvcr.io/nvidia/pytorch",
        "continuumio/miniconda3",
        "continuumio/anaconda3",
        "condaforge/miniforge3",
        "mambaorg/micromamba",
    )
    return bool(fam and fam.language == "python") or ships_packages, ships_packages


class _Python(Classifier[PythonRun]):
    refuse_mount = True

    def __init__(self, ctx: RuleContext, os_name: str) -> None:
        from optimizer.analysis.knowledge import build_only

        self.ctx = ctx
        self.os = os_name
        self.tools = build_only("apt")
        self.env: dict[str, str] = {}  # ENV values so far (expanded; unknown variables left as written)
        self.venv: str | None = None  # the virtual environment the stage has made so far
        # an ENV VIRTUAL_ENV, checked after the walk against the venv the stage makes (when its RUNs make one)
        self.virtual_env: tuple[Instruction, str] | None = None
        self.makes_venv = any(i.keyword == "RUN" and _MAKES_VENV.search(i.args) for i in ctx.doc.instructions)

    def new_run(self) -> PythonRun:
        return PythonRun()

    def on_apt(self, inv: Invocation, installed: list[str], run: PythonRun) -> None:
        if any(name_of(p) in ("python3", "python3-pip", "python3-dev") for p in installed):
            run.python_install = inv
        if inv.sub in ("purge", "remove"):
            run.purged |= {name_of(w.value) for w in inv.packages()}

    def on_env(self, ins: Instruction, walk: Walk[PythonRun]) -> None:
        from optimizer.analysis.stage_facts import expand

        for name, value in key_values(ins):
            self.env[name] = expand(value, self.env)[0]
            if name == "VIRTUAL_ENV" and self.makes_venv and self.virtual_env is None:
                self.virtual_env = (ins, self.env[name])
            elif name in ("VIRTUAL_ENV", "PYTHONUSERBASE", "PIP_TARGET", "PIP_PREFIX", "PIP_USER"):
                walk.refuse(Skip(ins.line_start, f"the stage sets {name}"))

    def _value(self, word: str) -> str | None:
        """A word with the stage's ENV values expanded, or None when one is not known."""
        from optimizer.analysis.stage_facts import expand

        if len(word) > 1 and word[0] == word[-1] == '"':
            word = word[1:-1]
        out, missing = expand(word, self.env)
        return None if missing else out

    def _venv_made(self, cmd: Command, words: list[str], cwd: str, line: int) -> str | Skip:
        """The folder a `python -m venv`/`virtualenv`/`uv venv` makes ("?" when dopt cannot resolve it)."""
        if cmd.basename.startswith("python"):
            rest = words[words.index("venv") + 1 :]  # python -m venv …
        else:
            rest = words[2:] if cmd.basename == "uv" else words[1:]  # uv venv …, virtualenv …
        positional: list[str] = []
        valued = False
        for w in rest:
            if valued:
                valued = False
            elif w.startswith("-"):
                valued = "=" not in w and w in _VENV_VALUED
            else:
                positional.append(w)
        if len(positional) > 1:
            return Skip(line, "one command makes several virtual environments")
        if not positional:
            if cmd.basename != "uv":
                return Skip(line, f"`{cmd.name}` names no virtual environment")
            positional = [".venv"]
        folder = self._value(positional[0])
        if folder is None or cwd == "?" and not folder.startswith("/"):
            return "?"
        return posixpath.normpath(posixpath.join(cwd, folder))

    def _in_venv(self, cmd: Command, inv: Invocation, run: PythonRun, cwd: str) -> bool:
        """Does this pip install go into the virtual environment the stage made (its pip, its PATH, its
        activate script, or for `uv pip` its VIRTUAL_ENV or a `.venv` above the folder it runs in)?"""
        venv = self.venv
        if venv is None or venv == "?":
            return False
        name = self._value(cmd.name)
        if name is not None and "/" in name:
            if not name.startswith("/"):
                if cwd == "?":
                    return False
                name = posixpath.normpath(posixpath.join(cwd, name))
            return name.startswith(venv.rstrip("/") + "/bin/")
        if run.activated == venv:
            return True
        if inv.tool == "uv-pip":
            if self.env.get("VIRTUAL_ENV") == venv:
                return True
            here = cwd
            while here != "?" and posixpath.join(here, ".venv") != venv and here != "/":
                here = posixpath.dirname(here)
            return here != "?" and posixpath.join(here, ".venv") == venv
        entries = self.env.get("PATH", "").split(":")
        bin_dir = posixpath.join(venv, "bin")
        for entry in entries:
            if entry == bin_dir or entry.rstrip("/") == bin_dir:
                return True
            if entry in ("$PATH", "${PATH}", "/usr/local/bin", "/usr/bin", "/bin"):
                return False
        return False

    def on_build(self, ins: Instruction, walk: Walk[PythonRun]) -> None:
        if walk.users:
            walk.refuse(Skip(walk.users[0].line_start, "USER is set before the build steps"))

    def other_work(self, ins: Instruction, bodies: list[Body], run: PythonRun) -> PythonRun | Skip:
        if any(name_of(p) in self.tools or is_dev(name_of(p)) for p in run.apt):
            replay = self._replay(ins, bodies, run.others)
            if isinstance(replay, Skip):
                return replay
            run.kind, run.replay, run.others = "mixed", replay, list(dict.fromkeys(run.others))
        return run

    def _replay(self, ins: Instruction, bodies: list, others: list[str]) -> list[tuple[int, int, str]] | Skip:  # type: ignore[type-arg]
        """Edits that turn a RUN installing build packages amid other work into its runtime replay: build
        tools left out, `-dev` packages replaced by their runtime libraries, everything else as written."""
        from optimizer.analysis.invocations import word_end, word_start
        from optimizer.analysis.knowledge import compile_signals, runtime_libraries

        line = ins.line_start
        edits: list[tuple[int, int, str]] = []
        dropped: set[str] = set()
        for body in bodies:
            for inv in invocations(body.script, "apt-get", "apt"):
                if inv.sub != "install":
                    continue
                for w in inv.packages():
                    name = name_of(w.value)
                    if name in self.tools:
                        dropped.add(name)
                        edits.append((word_start(body, w), word_end(body, w), ""))
                    elif is_dev(name):
                        libs = runtime_libraries(name, self.os)
                        if libs is None:
                            return Skip(line, f"dopt does not know which runtime libraries `{name}` needs on {self.os}")
                        edits.append((word_start(body, w), word_end(body, w), " ".join(libs)))
        needs_tool = [o for o in others if o in dropped or o in compile_signals().commands]
        if needs_tool:
            return Skip(
                line, f"`{needs_tool[0]}` runs in the RUN that installs it, and the runtime stage leaves it out"
            )
        return edits

    def command(self, cmd: Command, inv: Invocation | None, run: PythonRun, cwd: str, line: int) -> str | Skip | None:
        from optimizer.analysis.knowledge import compile_signals

        base = cmd.basename
        words = [w.value for w in cmd.words]
        if inv is not None and inv.tool in ("pip", "uv-pip"):
            if inv.has_option(*_PIP_REFUSED):
                return Skip(line, "pip installs outside the environment (--user, --target, --prefix, --system)")
            in_venv = self._in_venv(cmd, inv, run, cwd)
            if cmd.name.startswith("/") and not cmd.name.startswith(VENV) and not in_venv:
                return Skip(line, f"pip is called by its absolute path `{cmd.name}`")
            if inv.sub not in _PIP_SUBS:
                return Skip(line, f"`pip {inv.sub}`")
            if inv.sub == "install" and inv.has_option("-e", "--editable"):
                run.writes_in = cwd
            if inv.sub == "install":
                names = [re.split(r"[=<>~!\[;@ ]", w.value, maxsplit=1)[0].lower() for w in inv.packages()]
                run.pips.append((in_venv, names))
            return BUILD
        if inv is not None:
            return None
        if base in _OTHER_INSTALLERS or (base == "uv" and len(words) > 1 and words[1] in ("sync", "add", "run")):
            return Skip(
                line,
                f"Python packages installed with `{base}`; dopt moves only pip installs into a virtual environment",
            )
        if (
            base in ("virtualenv", "venv")
            or (base.startswith("python") and "venv" in words[1:3])
            or (base == "uv" and words[1:2] == ["venv"])
        ):
            made = self._venv_made(cmd, words, cwd, line)
            if isinstance(made, Skip):
                return made
            run.venvs.append(made)
            self.venv = self.venv or made
            return BUILD
        if base in (".", "source") and len(words) == 2:
            folder = self._value(words[1])
            if folder is not None and folder.endswith("/bin/activate"):
                run.activated = posixpath.normpath(posixpath.join(cwd, folder[: -len("/bin/activate")]))
                return NEUTRAL
        if base.startswith("python") and "setup.py" in words:
            if any(w in _IN_PLACE for w in words):
                run.writes_in = cwd
            run.compiles = True
            return BUILD
        if base in compile_signals().commands:
            run.writes_in = cwd
            run.compiles = True
            return BUILD
        return None


def _runtime_packages(run: PythonRun, os_name: str, line: int) -> list[str] | Skip:
    from optimizer.analysis.knowledge import build_only, runtime_libraries

    tools = build_only("apt")
    out: list[str] = []
    for spec in run.apt:
        name = name_of(spec)
        if name in run.purged or (name in tools and not name.startswith("python3")):
            continue
        if is_dev(name):
            libs = runtime_libraries(name, os_name)
            if libs is None:
                return Skip(line, f"dopt does not know which runtime libraries `{name}` needs on {os_name}")
            out += libs
        elif name not in tools:
            out.append(spec)
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def plan_python_split(ctx: RuleContext, stage: Stage) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage has nothing a runtime stage would drop."""
    from optimizer.analysis.knowledge import family_of, runtime_variant, slim_variant

    ins0 = stage.from_instruction
    base = stage.base  # as written: the runtime stage is written FROM the same reference
    fam = family_of(stage.image)
    runtime_base = base
    devel = False
    if "-devel" in base and "$" not in base:
        new, _why = runtime_variant(base)
        if new is not None:
            runtime_base, devel = new, True
    if fam is None:
        return None
    if devel:
        from optimizer.analysis.stage_build import jit_install, why_it_compiles

        if "@" in base:
            return Skip(
                ins0.line_start,
                "the base is pinned by digest, and dopt does not know the digest of its -runtime variant",
            )
        if why_it_compiles(ctx, stage) is None and jit_install(ctx, stage) is None:
            return None  # nothing compiles: DOP501 switches to the -runtime tag; a split would drop nothing more
    if fam.package_manager != "apt":
        return _other_family(ctx, stage, fam.package_manager)
    reader = _Python(ctx, fam.os)
    walk = walk_stage(ctx, stage, reader)
    runs, workdirs, last_build, skip = walk.runs, walk.workdirs, walk.last_build, walk.skip
    first_pip = next((ins for ins in _build_runs(ctx, runs) if _runs_pip(ctx, ins)), None)
    python_install = next(
        ((ctx.doc.instructions[i], run.python_install) for i, run in runs.items() if run.python_install is not None),
        None,
    )
    has_venv_pkg = any(
        name_of(p).startswith("python3") and name_of(p).endswith("-venv") for run in runs.values() for p in run.apt
    )
    has_build_pkgs = any(
        name_of(w.value) in reader.tools or is_dev(name_of(w.value))
        for ins in stage.instructions
        for body in ctx.bodies(ins)
        for inv in invocations(body.script, "apt-get", "apt")
        if inv.sub == "install"
        for w in inv.packages()
    )
    full_builds = None
    unread: tuple[int, str] | None = None  # a requirements file the full image's pip install reads, not in the context
    if not has_build_pkgs and not devel:
        full_builds = _builds_on_full_image(ctx, stage, fam.language)
        if full_builds is None:
            unread = _unread_requirements(ctx, stage, fam.language)
            if unread is None or any(run.compiles for run in runs.values()):
                return None
            full_builds = f"`pip install` of `{unread[1]}`"
    if skip is not None:
        return skip
    own = _own_venv(ctx, reader, runs)  # the virtual environment the image makes itself
    if isinstance(own, Skip):
        return own
    from optimizer.analysis.stage_build import jit_install

    jit = jit_install(ctx, stage)
    if jit is not None:
        return Skip(
            jit[0],
            f"`{jit[1]}` compiles at run time (JIT): the final image needs the compiler"
            + (" and the -devel toolchain" if devel else ""),
        )
    if first_pip is None or last_build is None:
        return Skip(
            ins0.line_start,
            "no pip install: dopt splits Python stages, and Go, Node, Rust and Java stages on their language images",
        )
    shipped, site_packages = _python_base(stage.image)
    if not shipped and python_install is None:
        return Skip(ins0.line_start, "dopt cannot tell where Python comes from in this image")
    if last_build.index < first_pip.index:
        return Skip(last_build.line_start, "something is compiled before the first pip install")
    for later in stage.instructions:
        if later.index > last_build.index and later.keyword == "RUN" and runs.get(later.index) is None:
            return Skip(later.line_start, "a RUN dopt cannot classify")

    # what the runtime stage replays, in order, up to the cut
    in_place = [runs[i].writes_in for i in runs if runs[i].writes_in and i <= last_build.index]
    if "?" in in_place:
        return Skip(last_build.line_start, "a build in a folder dopt cannot resolve")
    items: list[Item] = []
    venv_done = False
    copied_back: set[str] = set()
    build_packages: list[str] = []
    notes: list[str] = []
    text = ctx.doc.text
    for ins in stage.instructions[1:]:
        if ins.index > last_build.index:
            break
        verbatim = Item("verbatim", text[ins.start : ins.end].replace("\r\n", "\n"))
        if ins.keyword == "RUN":
            run = runs[ins.index]
            if run.kind in ("system", "build") and run.apt:
                pkgs = _runtime_packages(run, fam.os, ins.line_start)
                if isinstance(pkgs, Skip):
                    return pkgs
                build_packages += [p for p in run.apt if p not in pkgs]
                if pkgs:
                    items.append(Item("apt", packages=pkgs))
            if run.kind == "mixed":
                build_packages += [p for p in run.apt if name_of(p) in reader.tools or is_dev(name_of(p))]
                items.append(Item("verbatim", _replayed(text, ins, run.replay, ctx.doc.escape)))
                notes.append(
                    f"line {ins.line_start} is replayed in the runtime stage without the build packages "
                    f"({', '.join(f'`{o}`' for o in run.others)})"
                )
                continue
            if run.kind == "build":
                if not venv_done:
                    items.append(Item("venv", path=own or VENV, env=own is None))
                    venv_done = True
            elif run.kind == "other":
                items.append(verbatim)
        elif ins.keyword in ("COPY", "ADD") and not ins.flag("from"):
            dest = _dest(ins, workdirs.get(ins.index, "/"))
            folder = next((f for f in in_place if f and dest and _inside(dest, f)), None)
            if dest is None and in_place:
                return Skip(ins.line_start, "a COPY whose destination dopt cannot resolve")
            if folder is None and _only_build_inputs(ctx, stage, ins, last_build):
                continue  # requirements files the builder's pip read: the runtime stage gets the venv, not them
            if folder is None:
                items.append(verbatim)
            elif folder not in copied_back:
                chown = ins.flag("chown")
                items.append(Item("copy", path=folder, chown=(chown[0].value or "") if chown else ""))
                copied_back.add(folder)
        else:
            items.append(verbatim)
    add_venv = None
    if own is None and not shipped and python_install is not None and python_install[0].index >= first_pip.index:
        # the virtual environment is created before the first pip install: Python must be there already
        return Skip(python_install[0].line_start, "Python is installed in the RUN that first runs pip")
    if own is None and not shipped and not has_venv_pkg and python_install is not None:
        add_venv = python_install
    note = ""
    slim = slim_variant(base) if not devel and fam.language == "python" else None
    if slim is not None:
        needs = _slim_needs(ctx, stage, runs, last_build, items, unread is not None)
        if isinstance(needs, Skip) and full_builds is not None:
            # only the full image's toolchain to drop: a runtime stage on the full image saves nothing
            return Skip(needs.line, f"{needs.reason} (a runtime stage would stay on `{base}`)")
        if isinstance(needs, Skip):
            note = f"it stays on `{base}`, not `{slim}`: line {needs.line}: {needs.reason}"
        else:
            runtime_base = slim
            _add_libraries(items, needs)
    if unread is not None:
        from optimizer.analysis.knowledge import split_data

        compilers = ", ".join(split_data("python").get("full_image_compilers", []))
        build_packages = [f"the full image's compilers ({compilers}) and -dev packages, for {full_builds}"]
        notes.append(
            f"dopt did not read `{unread[1]}` (line {unread[0]}; it is not in the build context): a package it "
            f"lists that loads a library only `{base}` has needs that library installed in the runtime stage"
        )
    elif full_builds is not None and not build_packages:
        build_packages = [f"the full image's compilers and -dev packages, for `{full_builds}`"]
    plan = SplitPlan(stage, runtime_base, first_pip, last_build, items, build_packages, site_packages, add_venv)
    plan.full_base_note = note
    plan.notes = notes
    if own is not None:  # the builder keeps the image's own venv steps; the runtime stage copies the venv
        plan.venv = False
        plan.what = f"the virtual environment the image makes (`{own}`)"
    return plan


def _own_venv(ctx: RuleContext, reader: _Python, runs: dict[int, PythonRun]) -> str | Skip | None:
    """The virtual environment the stage makes itself (`python -m venv`, `virtualenv`, `uv venv`), when every
    pip install goes into it (but for builder tools such as `pip install virtualenv` before it); None when it
    makes none; a Skip when dopt cannot tell that the environment holds everything pip installs."""
    made = [(ctx.doc.instructions[i], v) for i, run in runs.items() for v in run.venvs]
    env = reader.virtual_env
    if not made:
        return Skip(env[0].line_start, "the stage sets VIRTUAL_ENV") if env is not None else None
    ins, venv = made[0]
    if venv == "?":
        return Skip(ins.line_start, "a virtual environment in a folder dopt cannot resolve")
    other = next(((i, v) for i, v in made[1:] if v != venv), None)
    if other is not None:
        return Skip(other[0].line_start, f"a second virtual environment (`{other[1]}`, beside `{venv}`)")
    if env is not None and env[1] != venv:
        return Skip(
            env[0].line_start,
            f"the stage sets VIRTUAL_ENV to `{env[1]}`, not the virtual environment it makes (`{venv}`)",
        )
    for i, run in runs.items():
        for in_venv, names in run.pips:
            if not in_venv and not (names and set(names) <= _VENV_TOOLS):
                return Skip(
                    ctx.doc.instructions[i].line_start,
                    f"pip installs outside the virtual environment the image makes (`{venv}`)",
                )
    return venv


def _build_runs(ctx: RuleContext, runs: dict[int, PythonRun]) -> list[Instruction]:
    return [ctx.doc.instructions[i] for i, run in runs.items() if run.kind == "build"]


def _runs_pip(ctx: RuleContext, ins: Instruction) -> bool:
    return any(inv.tool in ("pip", "uv-pip") for b in ctx.bodies(ins) for inv in invocations(b.script))


def _only_build_inputs(ctx: RuleContext, stage: Stage, ins: Instruction, last_build: Instruction) -> bool:
    """Does this COPY bring only requirements files that the builder's `pip install -r/-c` read, and that
    nothing after the build names (a runtime stage that copies the venv does not need them)?"""
    from optimizer.analysis.buildcontext import copy_sources
    from optimizer.analysis.stage_build import is_pip_install, steps
    from optimizer.analysis.stage_requirements import requirement_files

    sources = copy_sources(ins)
    if not sources or any(ch in s for s in sources for ch in "*?[$"):
        return False
    read: set[str] = set()
    for step in steps(ctx, stage):
        if step.ins.index <= last_build.index and step.invocation is not None and is_pip_install(step):
            read |= {posixpath.basename(f) for f in requirement_files(step.invocation)}
    names = {posixpath.basename(s.rstrip("/")) for s in sources}
    if not names or not names <= read:
        return False
    text = ctx.doc.text
    later = [i for i in stage.instructions if i.index > last_build.index]
    return not any(name in text[i.start : i.end] for i in later for name in names)


def _replayed(text: str, ins: Instruction, edits: list[tuple[int, int, str]], escape: str) -> str:
    """The instruction's text with ``edits`` applied; a removed word takes the blanks before it along, and a
    continuation line left empty goes entirely."""
    out = text[ins.start : ins.end]
    for start, end, new in sorted(edits, reverse=True):
        start, end = start - ins.start, end - ins.start
        if new:
            out = out[:start] + new + out[end:]
            continue
        while start > 0 and out[start - 1] in " \t":
            start -= 1
        out = out[:start] + out[end:]
    lines = out.split("\n")
    kept = [ln for i, ln in enumerate(lines) if i == 0 or ln.strip() != escape]
    return "\n".join(kept).replace("\r\n", "\n")


def _builds_on_full_image(ctx: RuleContext, stage: Stage, language: str | None) -> str | None:
    """On a full language image (python:3.x) that installs no build packages of its own: what it compiles
    with the full image's toolchain (a pip package that builds from source, known from the slim blockers),
    or None."""
    from optimizer.analysis.knowledge import slim_blocker_needs, slim_variant
    from optimizer.analysis.stage_build import stage_pip

    if language != "python" or slim_variant(stage.base) is None:
        return None
    for _line, name in stage_pip(ctx, stage).names:
        needs = slim_blocker_needs(name)
        if needs is not None and needs.builds:
            return name
    return None


def _unread_requirements(ctx: RuleContext, stage: Stage, language: str | None) -> tuple[int, str] | None:
    """On a full language image (python:3.x), the first requirements file a `pip install -r` reads that is not
    in the build context, when that is all dopt cannot see of what pip installs: (line, path), else None."""
    from optimizer.analysis.knowledge import slim_variant
    from optimizer.analysis.stage_build import STAGE_PATHLIKE, is_pip_install, pip_install, steps

    if language != "python" or slim_variant(stage.base) is None:
        return None
    found: tuple[int, str] | None = None
    for step in steps(ctx, stage):
        if not is_pip_install(step):
            continue
        pip = pip_install(ctx, stage, step, STAGE_PATHLIKE)
        if pip.problem is not None and pip.problem.startswith("unreadable:"):
            found = found or (step.line, pip.problem.split(":", 1)[1])
        elif pip.problem is not None or any(n is None for _w, n in pip.words):
            return None  # from source, a path or a URL: not only a list of names dopt did not read
    return found


def _slim_needs(
    ctx: RuleContext,
    stage: Stage,
    runs: dict[int, PythonRun],
    cut: Instruction,
    items: list[Item],
    unread_ok: bool = False,
) -> list[str] | Skip:
    """The runtime libraries the virtual environment needs on the -slim image (beyond what the runtime
    stage installs already), or why the runtime stage must stay on the full image. ``unread_ok``: a
    requirements file dopt cannot read is said in the message, not a reason to stay."""
    from optimizer.analysis.knowledge import slim_blocker_needs, slim_blockers, slim_command_packages
    from optimizer.analysis.stage_build import stage_pip, steps

    pip = stage_pip(ctx, stage)
    if pip.unknown is not None and not unread_ok:
        line, why = pip.unknown
        return Skip(line, f"{why}, so dopt cannot tell which libraries of the full image it needs")
    blockers = {b.lower() for b in slim_blockers().get("pip", [])}
    installed = {p for item in items if item.kind == "apt" for p in map(name_of, item.packages)}
    libs: list[str] = []
    for line, name in pip.names:
        if name not in blockers:
            continue
        needs = slim_blocker_needs(name)
        if needs is None:
            return Skip(line, f"`{name}` needs libraries of the full image that dopt cannot name")
        if not needs.brought_by & installed:  # unless the runtime stage installs them already
            libs += needs.runtime
    # commands of the full image that the runtime stage still runs
    commands = set(slim_blockers().get("commands", []))
    replayed = {i.index for i in stage.instructions if i.index > cut.index} | {
        i for i, run in runs.items() if run.kind == "other"
    }
    for step in steps(ctx, stage):
        if step.command is None or step.ins.index not in replayed:
            continue
        name = step.command.basename
        if name in commands and not (slim_command_packages(name) & installed):
            return Skip(step.line, f"the runtime stage runs `{name}`, which only the full image has")
    for ins in stage.instructions:
        if ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
            for name in command_words(ins):
                if name in commands and not (slim_command_packages(name) & installed):
                    return Skip(ins.line_start, f"{ins.keyword} runs `{name}`, which only the full image has")
    return list(dict.fromkeys(libs))


def _add_libraries(items: list[Item], libs: list[str]) -> None:
    """Install ``libs`` in the runtime stage: in the last apt install before the virtual environment is
    copied, or in a new one right before that copy."""
    if not libs:
        return
    venv_at = next((i for i, item in enumerate(items) if item.kind == "venv"), len(items))
    apt = [item for item in items[:venv_at] if item.kind == "apt"]
    if apt:
        apt[-1].packages = list(dict.fromkeys(apt[-1].packages + libs))
    else:
        items.insert(venv_at, Item("apt", packages=list(dict.fromkeys(libs))))


def _dest(ins: Instruction, cwd: str) -> str | None:
    words = list(ins.json_args or []) if ins.json else ins.args.split()
    if len(words) < 2:
        return None
    dest = words[-1]
    if "$" in dest:
        return None
    return posixpath.normpath(posixpath.join(cwd, dest))


def _other_family(ctx: RuleContext, stage: Stage, manager: str) -> Skip | None:
    """Build tools installed on a non-apt image: reported, not split (yet)."""
    from optimizer.analysis.knowledge import build_only

    tools = build_only(manager)
    if not tools:
        return None
    for ins in stage.instructions:
        for body in ctx.bodies(ins):
            for inv in invocations(body.script):
                if inv.sub in ("add", "install") and {w.value.split("=")[0] for w in inv.packages()} & tools:
                    return Skip(ins.line_start, f"dopt splits Debian and Ubuntu based images only ({manager}: not yet)")
    return None
