"""The builder/runtime split of a single-stage Rust or Java image: build in the original stage, and run the
one artifact the image's CMD/ENTRYPOINT runs (a Rust binary, a `java -jar` jar) from a runtime image without
the toolchain: debian:<release>-slim for Rust, the JRE image of the same vendor and major for Java.

The artifact is traced from what the image runs, never guessed from build files: a CMD that runs something
dopt cannot trace to the build is a refusal. Reads and never edits: a ``SplitPlan`` or a ``Skip``.
"""

from __future__ import annotations

import posixpath
import re

from optimizer.analysis.invocations import Invocation
from optimizer.analysis.split.model import (
    Item,
    Skip,
    SplitPlan,
    is_source,
    only_sources,
    replay_items,
    run_words,
    runtime_apt_packages,
)
from optimizer.analysis.split.walk import BUILD, Classifier, Run, Walk, walk_stage
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

_CARGO_SUBS = frozenset({"build", "install", "fetch", "test", "check", "clippy", "fmt", "vendor", "generate-lockfile"})


class ArtifactRun(Run):
    def __init__(self) -> None:
        super().__init__()
        self.cargo_install = False


class _Artifact(Classifier[ArtifactRun]):
    workdir_spaces = True  # the artifact is traced from the last WORKDIR (buildcontext.workdir_at), not here

    def __init__(self, language: str, build_commands: frozenset[str]) -> None:
        self.language = language
        self.build_commands = build_commands

    def new_run(self) -> ArtifactRun:
        return ArtifactRun()

    def on_user(self, ins: Instruction, walk: Walk[ArtifactRun]) -> None:
        if walk.last_build is None:
            walk.refuse(Skip(ins.line_start, "USER is set before the build steps"))

    def command(self, cmd: Command, inv: Invocation | None, run: ArtifactRun, cwd: str, line: int) -> str | Skip | None:
        if inv is not None:
            return None
        words = [w.value for w in cmd.words]
        if self.language == "rust" and cmd.basename == "cargo":
            sub = words[1] if len(words) > 1 else ""
            if sub not in _CARGO_SUBS:
                return Skip(line, f"`cargo {sub}`")
            run.cargo_install = run.cargo_install or sub == "install"
            return BUILD
        if self.language == "java" and cmd.basename in self.build_commands:
            return BUILD
        return None


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


def plan_artifact_split(ctx: RuleContext, stage: Stage, language: str) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage builds nothing with cargo/Maven/Gradle/javac."""
    from optimizer.analysis.buildcontext import copy_sources, workdir_at
    from optimizer.analysis.knowledge import build_only, debian_release, split_data

    data = split_data(language)
    ins0 = stage.from_instruction
    base = stage.base
    tools = build_only("apt")
    build_commands = frozenset(data.get("build_commands", []))
    tools_seen = "|".join(sorted(map(re.escape, build_commands | {"cargo"}), key=len, reverse=True))
    pattern = re.compile(rf"(^|[\s;&|(/])({tools_seen})\s")
    walk = walk_stage(ctx, stage, _Artifact(language, build_commands))
    runs, skip, last_build = walk.runs, walk.skip, walk.last_build
    seen = any(i.keyword == "RUN" and pattern.search(i.args + " ") for i in stage.instructions[1:])
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

    def copy(ins: Instruction, verbatim: Item) -> list[Item]:
        sources = copy_sources(ins) or []
        if ins.flag("from"):
            return [verbatim]
        if sources and all(is_source(s, patterns) or only_sources(ctx, s, patterns) for s in sources):
            return []  # only building reads it
        return [verbatim]  # files the app may read at run time, from the context again

    replayed = [i for i, r in runs.items() if r.kind == "other"]
    found = replay_items(ctx, stage, last_build, replayed, copy)
    if isinstance(found, Skip):
        return found
    items += found
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
