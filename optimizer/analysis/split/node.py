"""The builder/runtime split of a single-stage Node image (node:*): install every dependency and build in
the original stage, prune the devDependencies there, and run from the -slim image of the same tag with the
pruned app folder.

Reads and never edits: a ``SplitPlan`` (the same items and template as the other languages) or a ``Skip``.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from pathlib import Path

from optimizer.analysis.invocations import Invocation
from optimizer.analysis.split.model import (
    Item,
    Skip,
    SplitPlan,
    chown_of,
    command_words,
    copy_dest,
    name_of,
    replay_items,
    runtime_apt_packages,
)
from optimizer.analysis.split.walk import BUILD, NEUTRAL, NOTED, Classifier, Run, Walk, walk_stage
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

_INSTALLS = re.compile(r"(^|[\s;&|(])(npm\s+(ci|install|i)|yarn(\s+install)?|pnpm\s+(install|i))(\s|$)")
_PYTHON = frozenset({"python3", "python-is-python3"})  # node-gyp's, build-only


class NodeRun(Run):
    def __init__(self) -> None:
        super().__init__()
        self.install: tuple[str, str] | None = None  # (manager, folder) of a lockfile install
        self.script = False  # runs a build script or tool (not only the install)


def _node_inv(inv: Invocation, run: NodeRun, cwd: str, line: int) -> str | Skip:
    """ "install" (from the lockfile), "build" (a script), "other" (a global install) or a Skip."""
    tool, sub = inv.tool, inv.sub
    if tool == "npm":
        if sub in ("ci", "install", "i") and not inv.packages():
            if inv.has_option("-g", "--global"):
                return "other"
            run.install = ("npm", cwd)
            return "install"
        if sub in ("install", "i") and inv.has_option("-g", "--global"):
            return "other"
        if sub in ("run", "run-script", "test", "build", "exec", "rebuild"):
            return "build"
        if sub in ("cache", "config", "set", "--version", "-v"):
            return "neutral"
        return Skip(line, f"`npm {sub}`" + (" of named packages" if sub in ("install", "i") else ""))
    if tool == "yarn":
        if sub in ("", "install"):
            if inv.has_option("--immutable"):
                return Skip(line, "yarn 2+ (`--immutable`): dopt prunes only yarn 1 installs")
            run.install = ("yarn", cwd)
            return "install"
        if sub == "global":
            return "other"
        if sub in ("add", "remove", "upgrade", "dlx"):
            return Skip(line, f"`yarn {sub}`")
        if sub in ("cache", "config"):
            return "neutral"
        return "build"  # yarn build, yarn run build, yarn <script>
    if tool == "pnpm":
        if sub in ("install", "i") and not inv.packages():
            run.install = ("pnpm", cwd)
            return "install"
        if sub in ("add", "remove", "update", "dlx"):
            return Skip(line, f"`pnpm {sub}`")
        if sub in ("store", "config"):
            return "neutral"
        return "build"
    return Skip(line, f"packages installed with `{tool}`")


class _Node(Classifier[NodeRun]):
    def __init__(self, build_commands: frozenset[str]) -> None:
        self.build_commands = build_commands
        self.install: tuple[str, str, Instruction] | None = None  # the first lockfile install: manager, folder, RUN
        self.scripts = False  # a building RUN runs a build script or tool

    def on_build(self, ins: Instruction, walk: Walk[NodeRun]) -> None:
        run = walk.runs[ins.index]
        if run.install is not None:
            if self.install is not None and self.install[:2] != run.install:
                walk.refuse(Skip(ins.line_start, "a second install in another folder or manager"))
            self.install = self.install or (*run.install, ins)
        self.scripts = self.scripts or run.script

    def new_run(self) -> NodeRun:
        return NodeRun()

    def command(self, cmd: Command, inv: Invocation | None, run: NodeRun, cwd: str, line: int) -> str | Skip | None:
        if inv is not None:
            kind = _node_inv(inv, run, cwd, line)
            if isinstance(kind, Skip):
                return kind
            if kind == "other":
                run.others.append(f"{inv.tool} {inv.sub}")
                return NOTED
            if kind == "neutral":
                return NEUTRAL
            run.script = run.script or kind == "build"
            return BUILD
        if cmd.basename in self.build_commands or cmd.basename == "npx":
            run.script = True
            return BUILD
        return None


def _dependencies(ctx: RuleContext, stage: Stage, folder: str, before: Instruction) -> set[str] | None:
    """The dependency names of the package.json the install read, from the build context, or None."""
    from optimizer.analysis.buildcontext import find_in_context, read_text

    found = find_in_context(ctx, stage, posixpath.join(folder, "package.json"), before=before)
    if found is None:
        found = _globbed_package_json(ctx, stage, folder, before)
    if found is None:
        return None
    text = read_text(found)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    names: set[str] = set()
    for key in ("dependencies", "optionalDependencies"):
        names |= set((data.get(key) or {}).keys())
    return names


def _globbed_package_json(ctx: RuleContext, stage: Stage, folder: str, before: Instruction) -> Path | None:
    """The context's package.json when the last COPY into ``folder`` before the install names it through a
    glob (`COPY package*.json ./`), which the general context lookup does not follow."""
    from optimizer.analysis.buildcontext import copy_sources, workdir_at

    root = ctx.context_dir
    if root is None:
        return None
    for ins in reversed([i for i in stage.instructions if i.index < before.index]):
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from"):
            continue
        words = list(ins.json_args or []) if ins.json else ins.args.split()
        if not words or "$" in words[-1]:
            return None
        dest = posixpath.normpath(posixpath.join(workdir_at(stage, ins), words[-1]))
        if dest != folder:
            continue
        for source in copy_sources(ins) or []:
            head, pattern = posixpath.split(source)
            if "$" in source or any(c in head for c in "*?[") or not fnmatch.fnmatchcase("package.json", pattern):
                continue
            candidate = (root / head / "package.json").resolve()
            try:
                candidate.relative_to(root.resolve())
            except ValueError:
                return None
            return candidate if candidate.is_file() else None
    return None


def plan_node_split(ctx: RuleContext, stage: Stage) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage installs no Node dependencies to prune."""
    from optimizer.analysis.knowledge import (
        build_only,
        parse_ref,
        slim_blockers,
        slim_command_packages,
        slim_variant,
        split_data,
    )

    data = split_data("node")
    ins0 = stage.from_instruction
    base = stage.base
    tools = build_only("apt")
    build_commands = frozenset(data["build_commands"])
    node = _Node(build_commands)
    walk = walk_stage(ctx, stage, node)
    runs, workdirs, skip, last_build = walk.runs, walk.workdirs, walk.skip, walk.last_build
    install, scripts = node.install, node.scripts
    user = walk.users[0] if walk.users else None
    node_seen = any(i.keyword == "RUN" and _INSTALLS.search(i.args) for i in stage.instructions[1:])
    if skip is not None and node_seen:
        return skip
    if install is None or last_build is None:
        return None
    if skip is not None:
        return skip
    manager, folder, install_ins = install
    if folder in ("/", "?"):
        return Skip(install_ins.line_start, "dependencies installed in `/` or a folder dopt cannot resolve")
    if user is not None and user.index < last_build.index:
        return Skip(user.line_start, "USER is set before the build steps")
    for later in stage.instructions:
        if later.index > last_build.index and later.keyword == "RUN" and later.index not in runs:
            return Skip(later.line_start, "a RUN dopt cannot classify")
    split_apt = runtime_apt_packages(
        [r.apt for i, r in runs.items() if i <= last_build.index],
        set(tools) | {"python3", "python-is-python3"},
        base,
        ins0.line_start,
    )
    if isinstance(split_apt, Skip):
        return split_apt
    runtime_apt, build_packages = split_apt
    slim = slim_variant(base)
    full = slim is not None
    if not (scripts or build_packages or full):
        return None  # nothing but the dependencies: nothing for a runtime stage to leave out
    # the runtime image: -slim of the same tag, unless the app needs what only the full image has
    note = ""
    runtime_base = base
    if slim is not None:
        why: tuple[int, str] | None = None
        deps = _dependencies(ctx, stage, folder, install_ins)
        native: dict[str, list[str]] = dict(data.get("native", {}))
        if deps is None:
            why = (install_ins.line_start, "dopt cannot read the package.json it installs from")
        else:
            for dep in sorted(deps & set(native)):
                runtime_apt += native[dep]
        commands = set(slim_blockers().get("commands", []))
        installed = {name_of(p) for p in runtime_apt}
        for ins in stage.instructions:
            names: list[str] = []
            if ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
                names = command_words(ins)
            elif ins.keyword == "RUN" and (ins.index > last_build.index or runs[ins.index].kind == "other"):
                names = list(runs[ins.index].others)
            lacking = [n for n in names if n in commands and not slim_command_packages(n) & installed]
            if lacking and why is None:
                why = (ins.line_start, f"it runs `{lacking[0]}`, which only the full image has")
        if why is None:
            runtime_base = slim
        elif not (scripts or build_packages):
            return Skip(why[0], f"{why[1]} (a runtime stage would stay on `{base}`)")
        else:
            note = f"it stays on `{base}`, not `{slim}`: line {why[0]}: {why[1]}"
    prune = data["prune"][manager]
    major = re.match(r"(\d+)", parse_ref(base).tag or "")
    if manager == "npm" and major is not None and int(major.group(1)) < 16:
        prune = data["prune_old_npm"]
    items: list[Item] = []
    if runtime_apt:
        items.append(Item("apt", packages=list(dict.fromkeys(runtime_apt))))
    copied: list[str] = []

    def copy(ins: Instruction, verbatim: Item) -> list[Item] | Skip:
        if ins.flag("from"):
            return []
        dest = copy_dest(ins)
        if "$" in dest or not dest:
            return Skip(ins.line_start, "a COPY whose destination dopt cannot resolve")
        path = posixpath.normpath(posixpath.join(workdirs.get(ins.index, "/"), dest))
        if path == folder or path.startswith(folder.rstrip("/") + "/"):
            if copied:
                return []
            copied.append(folder)
            return [Item("copy", path=folder, chown=chown_of(ins))]
        return [verbatim]

    found = replay_items(ctx, stage, last_build, [i for i, r in runs.items() if r.kind == "other"], copy)
    if isinstance(found, Skip):
        return found
    items += found
    if not copied:
        items.append(Item("copy", path=folder))
    first = install_ins
    plan = SplitPlan(stage, runtime_base, first, last_build, items, ["devDependencies", *build_packages], False, None)
    plan.what = f"the app folder `{folder}` with production dependencies only"
    plan.why_base = ""
    plan.full_base_note = note
    plan.venv = False
    plan.builder_tail = prune
    return plan
