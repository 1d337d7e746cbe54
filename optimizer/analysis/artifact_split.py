"""The builder/runtime split of a single-stage Rust or Java image: build in the original stage, and run the
one artifact the image's CMD/ENTRYPOINT runs (a Rust binary, a `java -jar` jar) from a runtime image without
the toolchain: debian:<release>-slim for Rust, the JRE image of the same vendor and major for Java.

The artifact is traced from what the image runs, never guessed from build files: a CMD that runs something
dopt cannot trace to the build is a refusal. Reads and never edits: a ``SplitPlan`` or a ``Skip``.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex

from optimizer.analysis.invocations import invocations
from optimizer.analysis.split_plan import (
    Item,
    Skip,
    SplitPlan,
    apt_packages,
    is_neutral,
    keep_first,
    runtime_apt_packages,
    shell_bodies,
)
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage

_REPLAYED = frozenset(
    {"ARG", "ENV", "WORKDIR", "EXPOSE", "LABEL", "USER", "VOLUME", "STOPSIGNAL", "CMD", "ENTRYPOINT", "HEALTHCHECK"}
)
_CARGO_SUBS = frozenset({"build", "install", "fetch", "test", "check", "clippy", "fmt", "vendor", "generate-lockfile"})


class _Run:
    def __init__(self) -> None:
        self.kind = "system"  # "system" | "build" | "other"
        self.apt: list[str] = []
        self.others: list[str] = []
        self.cargo_install = False


def _classify(ctx: RuleContext, ins: Instruction, language: str, build_commands: frozenset[str]) -> _Run | Skip:
    line = ins.line_start
    bodies = shell_bodies(ctx, ins)
    if isinstance(bodies, Skip):
        return bodies
    run = _Run()
    builds = False
    for body in bodies:
        invs = {id(i.command): i for i in invocations(body.script)}
        for cmd in body.script.commands():
            inv = invs.get(id(cmd))
            base = cmd.basename
            words = [w.value for w in cmd.words]
            if inv is not None and inv.tool in ("apt-get", "apt"):
                installed = apt_packages(inv, line)
                if isinstance(installed, Skip):
                    return installed
                run.apt += installed
            elif inv is not None:
                return Skip(line, f"packages installed with `{inv.tool}`")
            elif language == "rust" and base == "cargo":
                sub = words[1] if len(words) > 1 else ""
                if sub not in _CARGO_SUBS:
                    return Skip(line, f"`cargo {sub}`")
                run.cargo_install = run.cargo_install or sub == "install"
                builds = True
            elif language == "java" and base in build_commands:
                builds = True
            elif base == "cd" or is_neutral(cmd):
                continue
            else:
                run.others.append(base)
    if builds:
        if run.others:
            return Skip(line, f"a RUN that mixes building with other work (`{run.others[0]}`)")
        run.kind = "build"
    elif run.others:
        run.kind = "other"
    return run


def run_words(ins: Instruction) -> list[str] | None:
    """The words an exec- or shell-form CMD/ENTRYPOINT runs (None when dopt cannot read them)."""
    if ins.json:
        return list(ins.json_args or [])
    try:
        words = shlex.split(ins.args)
    except ValueError:
        return None
    if any(w in ("&&", "||", ";", "|") or "$" in w for w in words):
        return None
    return words


def _artifact(
    stage: Stage, language: str, workdir: str, cargo_install: bool, install_dir: str
) -> tuple[str, Instruction] | Skip:
    """(the artifact's path in the image, the CMD/ENTRYPOINT that runs it), traced from what the image runs."""
    entry = [i for i in stage.instructions if i.keyword == "ENTRYPOINT"]
    cmd = [i for i in stage.instructions if i.keyword == "CMD"]
    runners = entry or cmd
    runner = runners[-1] if runners else None
    if runner is None:
        return Skip(stage.from_instruction.line_start, "no CMD or ENTRYPOINT names what the image runs")
    words = run_words(runner)
    if not words:
        return Skip(runner.line_start, f"dopt cannot read what {runner.keyword} runs")
    if entry and cmd and not words[1:]:
        words = words + (run_words(cmd[-1]) or [])
    program = words[0]
    if language == "java":
        if posixpath.basename(program) != "java" or "-jar" not in words[:-1]:
            return Skip(runner.line_start, f"{runner.keyword} does not run `java -jar` with a jar dopt can trace")
        jar = words[words.index("-jar") + 1]
        if any(c in jar for c in "*?[$"):
            return Skip(runner.line_start, f"the jar `{jar}` is named through a pattern or variable")
        return posixpath.normpath(posixpath.join(workdir, jar)), runner
    if any(c in program for c in "*?[$"):
        return Skip(runner.line_start, f"the program `{program}` is named through a pattern or variable")
    if "/" not in program:
        if not cargo_install:
            return Skip(runner.line_start, f"{runner.keyword} runs `{program}`, which dopt cannot trace to the build")
        return posixpath.join(install_dir, program), runner
    path = posixpath.normpath(posixpath.join(workdir, program))
    if "/target/" not in path and not path.startswith(install_dir + "/"):
        return Skip(runner.line_start, f"{runner.keyword} runs `{program}`, which dopt cannot trace to the build")
    return path, runner


def _jre(base: str, data: dict) -> str | None:  # type: ignore[type-arg]
    from optimizer.analysis.knowledge import parse_ref

    ref = parse_ref(base)
    for entry in data.get("jre", []):
        if ref.repository != entry["repository"]:
            continue
        m = re.match(entry["tag"], ref.tag or "")
        if m is not None:
            return str(entry["runtime"]).format(**{k: v or "" for k, v in m.groupdict().items()})
    return None


def _is_source(source: str, patterns: list[str]) -> bool:
    name = posixpath.basename(posixpath.normpath(source)) or source
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def plan_artifact_split(ctx: RuleContext, stage: Stage, language: str) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage builds nothing with cargo/Maven/Gradle/javac."""
    from optimizer.analysis.buildcontext import copy_sources, workdir_at
    from optimizer.analysis.go_split import _only_sources
    from optimizer.analysis.knowledge import build_only, debian_release, split_data

    data = split_data(language)
    ins0 = stage.from_instruction
    base = stage.base
    text = ctx.doc.text
    tools = build_only("apt")
    build_commands = frozenset(data.get("build_commands", []))
    runs: dict[int, _Run] = {}
    skip: Skip | None = None
    last_build: Instruction | None = None
    seen = False
    tools_seen = "|".join(sorted(map(re.escape, build_commands | {"cargo"}), key=len, reverse=True))
    pattern = re.compile(rf"(^|[\s;&|(/])({tools_seen})\s")
    for ins in stage.instructions[1:]:
        kw = ins.keyword
        if kw == "WORKDIR" and ("$" in ins.args or not ins.args.strip()):
            skip = keep_first(skip, Skip(ins.line_start, "a WORKDIR dopt cannot resolve"))
        elif kw in ("ONBUILD", "SHELL"):
            skip = keep_first(skip, Skip(ins.line_start, f"{kw} in the stage"))
        elif kw == "USER" and last_build is None:
            skip = keep_first(skip, Skip(ins.line_start, "USER is set before the build steps"))
        elif kw == "RUN":
            seen = seen or bool(pattern.search(ins.args + " "))
            found = _classify(ctx, ins, language, build_commands)
            if isinstance(found, Skip):
                skip = keep_first(skip, found)
                continue
            runs[ins.index] = found
            if found.kind == "build":
                last_build = ins
    if skip is not None and seen:
        return skip
    if last_build is None:
        return None
    if skip is not None:
        return skip
    for later in stage.instructions:
        if later.index > last_build.index and later.keyword == "RUN" and runs.get(later.index) is None:
            return Skip(later.line_start, "a RUN dopt cannot classify")
    cargo_install = any(r.cargo_install for r in runs.values())
    found_artifact = _artifact(
        stage, language, workdir_at(stage), cargo_install, str(data.get("install_dir", "/usr/local/cargo/bin"))
    )
    if isinstance(found_artifact, Skip):
        return found_artifact
    artifact, _runner = found_artifact
    # the runtime image
    split_apt = runtime_apt_packages(
        [r.apt for i, r in runs.items() if i <= last_build.index], set(tools), base, ins0.line_start
    )
    if isinstance(split_apt, Skip):
        return split_apt
    runtime_apt, build_packages = split_apt
    if language == "rust":
        release = debian_release(base)
        if release is None:
            return Skip(
                ins0.line_start,
                f"`{base}` does not name its Debian release, so dopt cannot match the C library the binary links",
            )
        runtime_base = str(data["runtime"]).format(release=release)
        runtime_apt += list(data.get("shell_packages", []))
        toolchain = "the Rust toolchain"
    else:
        jre = _jre(base, data)
        if jre is None:
            return Skip(ins0.line_start, f"dopt knows no JRE image of the same vendor and major for `{base}`")
        runtime_base = jre
        if runtime_apt:
            return Skip(ins0.line_start, "the stage installs apt packages the JRE image may lack")
        toolchain = "the JDK and the build tool's caches"
    patterns = list(data.get("source_patterns", []))
    items: list[Item] = []
    if runtime_apt:
        items.append(Item("apt", packages=list(dict.fromkeys(runtime_apt))))
    for ins in stage.instructions[1:]:
        if ins.index > last_build.index:
            break
        verbatim = Item("verbatim", text[ins.start : ins.end].replace("\r\n", "\n"))
        kw = ins.keyword
        if kw == "RUN":
            if runs[ins.index].kind == "other":
                items.append(verbatim)
        elif kw in ("COPY", "ADD"):
            if ins.flag("from"):
                items.append(verbatim)
                continue
            sources = copy_sources(ins) or []
            if sources and all(_is_source(s, patterns) or _only_sources(ctx, s, patterns) for s in sources):
                continue  # only building reads it
            items.append(verbatim)  # files the app may read at run time, from the context again
        elif kw in _REPLAYED:
            items.append(verbatim)
    install_dir = str(data.get("install_dir", "/usr/local/cargo/bin"))
    on_path = artifact.startswith(install_dir + "/")  # `cargo install`: the runtime image's PATH lacks cargo's bin
    items.append(
        Item(
            "copy",
            path=artifact,
            dest=posixpath.join("/usr/local/bin", posixpath.basename(artifact)) if on_path else "",
        )
    )
    plan = SplitPlan(stage, runtime_base, last_build, last_build, items, [toolchain, *build_packages], False, None)
    plan.what = f"`{artifact}`"
    plan.venv = False
    return plan
