"""The builder/runtime split of a single-stage Go image (golang:*): build in the original stage, run the
binary from distroless (static, or base for cgo) or debian:*-slim when the runtime stage needs a shell.

Reads and never edits: it returns a ``SplitPlan`` (the same items and template as the other languages) or a
``Skip`` with the reason.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from optimizer.analysis.invocations import Invocation
from optimizer.analysis.split.model import (
    Item,
    Skip,
    SplitPlan,
    chown_of,
    command_words,
    copy_dest,
    is_source,
    only_sources,
    replay_items,
    run_words,
    runtime_apt_packages,
)
from optimizer.analysis.split.walk import BUILD, NEUTRAL, Classifier, Run, Walk, walk_stage
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

_GO_BUILD_SUBS = frozenset({"build", "install", "mod", "get", "generate", "vet", "test", "env", "version", "list"})
_GO_BUILDS = re.compile(r"(^|[\s;&|(])go\s+(build|install)\b")
# `go build` flags that take a value as the next word
_GO_VALUE_FLAGS = frozenset(
    {
        "p",
        "ldflags",
        "gcflags",
        "asmflags",
        "tags",
        "mod",
        "modfile",
        "pkgdir",
        "buildmode",
        "compiler",
        "gccgoflags",
        "installsuffix",
        "overlay",
        "pgo",
        "toolexec",
        "covermode",
        "coverpkg",
        "o",
    }
)


class GoRun(Run):
    def __init__(self, cgo_off: bool) -> None:
        super().__init__()
        self.outputs: list[str] = []  # binaries `go build -o` writes
        # `go build` without `-o`: (the folder it writes in, the name Go gives the binary, or "" when it is the
        # module's name, read from go.mod)
        self.unnamed: list[tuple[str, str]] = []
        self.installed: list[tuple[str, int]] = []  # `go install`: the binary's name (in $GOPATH/bin), the line
        self.cgo_off = False
        self.exported_cgo_off = cgo_off  # CGO_ENABLED=0 from ENV, or exported earlier in the RUN


def _go_command(cmd: Command, cwd: str, run: GoRun, line: int) -> Skip | None:
    words = [w.value for w in cmd.words]
    sub = words[1] if len(words) > 1 else ""
    if sub not in _GO_BUILD_SUBS:
        return Skip(line, f"`go {sub}`")
    if sub not in ("build", "install"):
        return None
    if any(not w.literal for w in cmd.words):
        return Skip(line, f"`go {sub}` with words dopt cannot read (variables)")
    if sub == "install":
        why = _go_install(cmd, words, run, line)
        if why is not None:
            return why
        _cgo(cmd, run)
        return None
    out = None
    for i, w in enumerate(words):
        if w == "-o" and i + 1 < len(words):
            out = words[i + 1]
        elif w.startswith("-o="):
            out = w[3:]
    if cwd == "?":
        return Skip(line, "`go build` in a folder dopt cannot resolve")
    if out is None:
        # the binary is named by the package (its module path or first file): traced later from CMD/ENTRYPOINT
        positional: list[str] = []
        skip_value = False
        for w in words[2:]:
            if skip_value:
                skip_value = False
            elif w.lstrip("-") == "C" or w.startswith(("-C=", "--C=")):
                return Skip(line, "`go build -C` without `-o`: dopt does not guess the binary's name")
            elif w.startswith("-"):
                skip_value = "=" not in w and w.lstrip("-") in _GO_VALUE_FLAGS
            else:
                positional.append(w)
        if any("..." in p for p in positional) or (
            len(positional) > 1 and not all(p.endswith(".go") for p in positional)
        ):
            return Skip(line, "`go build` of several packages without `-o` writes no binary dopt can name")
        first = positional[0].rstrip("/") if positional else "."
        if first.endswith(".go"):
            name = posixpath.basename(first)[: -len(".go")]  # named after the first file
        elif first in (".", "./"):
            name = ""  # the package in this folder: named after the module (go.mod)
        else:
            name = posixpath.basename(first)  # ./cmd/server -> server
        run.unnamed.append((cwd, name))
    else:
        if out.endswith("/"):
            return Skip(line, "`go build -o` into a folder")
        run.outputs.append(posixpath.normpath(posixpath.join(cwd, out)))
    _cgo(cmd, run)
    return None


def _cgo(cmd: Command, run: GoRun) -> None:
    assignments = dict(a.split("=", 1) for a in cmd.assignments if "=" in a)
    cgo = assignments.get("CGO_ENABLED")
    run.cgo_off = cgo == "0" if cgo is not None else run.exported_cgo_off


def _go_install(cmd: Command, words: list[str], run: GoRun, line: int) -> Skip | None:
    """`go install PKG[@VERSION]`: the binary goes to $GOPATH/bin, named after the package path's last element
    (its major-version suffix `/vN` left out)."""
    if any(a.split("=", 1)[0] in ("GOBIN", "GOPATH", "GOOS", "GOARCH") for a in cmd.assignments):
        return Skip(line, "`go install` with GOBIN/GOPATH/GOOS/GOARCH set: dopt does not trace where it writes")
    positional: list[str] = []
    skip_value = False
    for w in words[2:]:
        if skip_value:
            skip_value = False
        elif w.startswith("-"):
            skip_value = "=" not in w and w.lstrip("-") in _GO_VALUE_FLAGS
        else:
            positional.append(w)
    if len(positional) != 1 or "..." in positional[0]:
        return Skip(line, "`go install` of several packages (or none named): dopt traces one binary")
    parts = [p for p in positional[0].split("@", 1)[0].rstrip("/").split("/") if p not in ("", ".")]
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts.pop()  # example.com/tool/v2 -> tool
    if not parts or parts[-1] == "..":
        return Skip(line, "`go install` of the module in this folder names the binary after go.mod: use `go build -o`")
    run.installed.append((parts[-1], line))
    return None


class _Go(Classifier[GoRun]):
    start_cwd = "/go"  # the golang images' WORKDIR

    def __init__(self) -> None:
        self.env_cgo_off = False

    def new_run(self) -> GoRun:
        return GoRun(self.env_cgo_off)

    def on_env(self, ins: Instruction, walk: Walk[GoRun]) -> None:
        for name, value in key_values(ins):
            if name == "CGO_ENABLED":
                self.env_cgo_off = value == "0"

    def command(self, cmd: Command, inv: Invocation | None, run: GoRun, cwd: str, line: int) -> str | Skip | None:
        if inv is not None:
            return None
        if cmd.basename == "go":
            return _go_command(cmd, cwd, run, line) or BUILD
        if cmd.basename == "export" and any(w.value == "CGO_ENABLED=0" for w in cmd.words[1:]):
            run.exported_cgo_off = True
            return NEUTRAL
        return None


def _traced_binary(
    ctx: RuleContext, stage: Stage, workdirs: dict[int, str], unnamed: list[tuple[str, str]]
) -> str | Skip:
    """The binary a `go build` without `-o` wrote, read from what the image runs: a path (absolute, or relative
    to the WORKDIR) straight in the folder the build ran in, with the name Go gives it (the package folder's
    last element, the first file's stem, or the module path's last element from go.mod)."""
    from optimizer.analysis.buildcontext import find_in_context, read_text

    where = ", ".join(dict.fromkeys(c for c, _n in unnamed))
    if len(unnamed) > 1:
        return Skip(stage.from_instruction.line_start, f"several `go build` without `-o` (in {where}): dopt traces one")
    folder, name = unnamed[0]
    entry = [i for i in stage.instructions if i.keyword == "ENTRYPOINT"]
    runners = entry or [i for i in stage.instructions if i.keyword == "CMD"]
    runner = runners[-1] if runners else None
    if runner is None:
        return Skip(
            stage.from_instruction.line_start, f"`go build` without `-o` in {where}, and no CMD names the binary"
        )
    words = run_words(runner)
    program = words[0] if words else ""
    if "/" not in program or "$" in program:
        return Skip(
            runner.line_start,
            f"`go build` without `-o` in {where}: {runner.keyword} does not run a file there, so dopt does not "
            "guess the binary's name",
        )
    path = posixpath.normpath(posixpath.join(workdirs.get(runner.index, "/go"), program))
    if posixpath.dirname(path) != folder:
        return Skip(
            runner.line_start,
            f"`go build` without `-o` in {where}: {runner.keyword} runs `{path}`, elsewhere, so dopt does not "
            "guess the binary's name",
        )
    if not name:
        found = find_in_context(ctx, stage, posixpath.join(folder, "go.mod"))
        text = read_text(found, 200_000) if found is not None else None
        module = re.search(r"^module\s+\"?([^\s\"]+)", text or "", re.M)
        if module is None:
            return Skip(
                runner.line_start,
                f"`go build` without `-o` in {where} names the binary after the module, and dopt cannot read go.mod",
            )
        parts = module.group(1).rstrip("/").split("/")
        if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
            parts.pop()  # example.com/tool/v2 -> tool
        name = parts[-1]
    if posixpath.basename(path) != name:
        return Skip(
            runner.line_start,
            f"{runner.keyword} runs `{path}`, but `go build` without `-o` in {where} writes `{name}`",
        )
    return path


def walk_env(stage: Stage) -> list[str]:
    """The names the stage's ENV instructions set."""
    return [name for ins in stage.instructions if ins.keyword == "ENV" for name, _v in key_values(ins)]


def _installed_binaries(
    stage: Stage, installed: list[tuple[str, int]], data: dict[str, Any], env: list[str]
) -> list[tuple[str, str]] | Skip:
    """Where the runtime stage puts each binary `go install` wrote in $GOPATH/bin: (path in the builder, path in
    the runtime stage). The image must run it, by name (ENTRYPOINT ["tool"]: on the runtime image's PATH) or
    by its path in $GOPATH/bin, as the image's ENTRYPOINT/CMD (traced like a `go build` without `-o`)."""
    if not installed:
        return []
    line = installed[0][1]
    if set(env) & {"GOBIN", "GOPATH", "GOOS", "GOARCH"}:
        return Skip(line, "`go install` with GOBIN/GOPATH/GOOS/GOARCH set: dopt does not trace where it writes")
    entry = [i for i in stage.instructions if i.keyword == "ENTRYPOINT"]
    runners = entry or [i for i in stage.instructions if i.keyword == "CMD"]
    runner = runners[-1] if runners else None
    words = run_words(runner) if runner is not None else None
    program = words[0] if words else ""
    install_dir, path_dir = str(data["install_dir"]), str(data["path_dir"])
    out: list[tuple[str, str]] = []
    for name, at in dict.fromkeys(installed):
        path = posixpath.join(install_dir, name)
        if program == name:
            out.append((path, posixpath.join(path_dir, name)))
        elif program == path:
            out.append((path, path))
        else:
            what = f"{runner.keyword} runs `{program}`" if runner is not None and program else "no CMD names it"
            return Skip(at, f"`go install` writes `{path}`, and {what}")
    return out


def plan_go_split(ctx: RuleContext, stage: Stage) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage builds no Go binary."""
    from optimizer.analysis.buildcontext import copy_sources
    from optimizer.analysis.knowledge import build_only, image_release, split_data

    data = split_data("go")
    ins0 = stage.from_instruction
    base = stage.base
    tools = build_only("apt")
    walk = walk_stage(ctx, stage, _Go())
    runs, workdirs, last_build, skip = walk.runs, walk.workdirs, walk.last_build, walk.skip
    user = walk.users[-1] if walk.users else None
    go_seen = any(i.keyword == "RUN" and _GO_BUILDS.search(i.args) for i in stage.instructions[1:])
    if last_build is None and not (skip is not None and go_seen):
        return None
    if skip is not None:
        return skip
    assert last_build is not None
    if user is not None and user.index < last_build.index:
        return Skip(user.line_start, "USER is set before the build steps")
    outputs = [o for i, r in runs.items() if i <= last_build.index for o in r.outputs]
    unnamed = [u for i, r in runs.items() if i <= last_build.index for u in r.unnamed]
    if unnamed:
        traced = _traced_binary(ctx, stage, workdirs, unnamed)
        if isinstance(traced, Skip):
            return traced
        outputs.append(traced)
    installed = [n for i, r in runs.items() if i <= last_build.index for n in r.installed]
    placed = _installed_binaries(stage, installed, data, walk_env(stage))
    if isinstance(placed, Skip):
        return placed
    outputs = list(dict.fromkeys(outputs))
    cgo_off = all(r.cgo_off for r in runs.values() if r.outputs or r.unnamed or r.installed)
    # what the runtime stage replays: RUNs that are not building, before or after the cut
    replayed = [i for i, r in runs.items() if r.kind == "other"]
    named = image_release(base)
    split_apt = runtime_apt_packages(
        [r.apt for i, r in runs.items() if i <= last_build.index], set(tools), base, ins0.line_start, named
    )
    if isinstance(split_apt, Skip):
        return split_apt
    runtime_apt, build_packages = split_apt
    tail = [i for i in stage.instructions if i.index > last_build.index]
    shell_form = [
        i
        for i in stage.instructions
        if i.keyword in ("CMD", "ENTRYPOINT") and not i.json or (i.keyword == "HEALTHCHECK" and "NONE" not in i.args)
    ]
    for ins in stage.instructions:
        if ins.keyword == "HEALTHCHECK":
            lacking = [w for w in command_words(ins) if w in ("curl", "wget")]
            if lacking:
                return Skip(ins.line_start, f"HEALTHCHECK runs `{lacking[0]}`, which the runtime image lacks")
    shell_why = (
        [f"line {runs_line} is replayed" for runs_line in (ctx.doc.instructions[i].line_start for i in replayed)]
        + [f"line {i.line_start} is a RUN" for i in tail if i.keyword == "RUN" and i.index not in replayed]
        + [f"line {i.line_start} is in shell form" for i in shell_form]
        + (["it installs " + ", ".join(dict.fromkeys(runtime_apt))] if runtime_apt else [])
    )
    needs_shell = bool(shell_why)
    release = named or (data["default_release"] if cgo_off else None)
    if release is None:
        return Skip(
            ins0.line_start,
            f"cgo is on (no CGO_ENABLED=0) and `{base}` does not name its Debian release (nor is it a golang tag "
            "whose default release dopt knows), so dopt cannot match the C library the binary links",
        )
    low_port = any(
        ins.keyword == "EXPOSE"
        and any(p.split("/")[0].isdigit() and int(p.split("/")[0]) < 1024 for p in ins.args.split())
        for ins in stage.instructions
    )
    if needs_shell:
        runtime_base = data["with_shell"].format(release=release)
        why_base = "it needs a shell or apt: " + "; ".join(shell_why)
    elif cgo_off:
        runtime_base = data["static_root"] if low_port else data["static"]
        why_base = "the binary is static: CGO_ENABLED=0"
    else:
        table = data["cgo_root"] if low_port else data["cgo"]
        if release not in table:
            return Skip(ins0.line_start, f"dopt knows no distroless image for Debian {release}")
        runtime_base = table[release]
        why_base = "cgo links the C library"
    if runtime_base.startswith("gcr.io/distroless/") and user is not None:
        value = user.args.strip()
        if value not in data["users"]:
            return Skip(user.line_start, f"distroless images have no user `{value}`")
    # the runtime stage: metadata in order, the binary and the folders the app may read
    patterns = list(data["source_patterns"])
    items: list[Item] = []
    if needs_shell:
        items.append(Item("apt", packages=list(dict.fromkeys(runtime_apt + data["shell_packages"]))))
    folders: list[str] = []

    def copy(ins: Instruction, verbatim: Item) -> list[Item] | Skip:
        if ins.flag("from"):
            return []
        sources = copy_sources(ins) or []
        if sources and all(is_source(s, patterns) or only_sources(ctx, s, patterns) for s in sources):
            return []  # only building reads it
        dest = copy_dest(ins)
        if "$" in dest or not dest:
            return Skip(ins.line_start, "a COPY whose destination dopt cannot resolve")
        folder = posixpath.normpath(posixpath.join(workdirs.get(ins.index, "/go"), dest))
        if folder in ("/", "/go") or folder.startswith("/go/pkg"):
            return Skip(ins.line_start, f"the app is copied into `{folder}`, beside Go's module cache")
        if any(f == folder or folder.startswith(f.rstrip("/") + "/") for f in folders):
            return []
        folders.append(folder)
        return [Item("copy", path=folder, chown=chown_of(ins))]

    found = replay_items(ctx, stage, last_build, replayed, copy)
    if isinstance(found, Skip):
        return found
    items += found
    for out in outputs:
        if not any(out == f or out.startswith(f.rstrip("/") + "/") for f in folders):
            items.append(Item("copy", path=out))
    for path, dest in placed:
        items.append(Item("copy", path=path, dest=dest if dest != path else ""))
    first = next(i for i in stage.instructions if i.index in runs and runs[i.index].kind == "build")
    plan = SplitPlan(stage, runtime_base, first, last_build, items, ["the Go toolchain", *build_packages], False, None)
    plan.what = "the binary" if not folders else "the binary and the app's files"
    plan.why_base = why_base
    plan.venv = False
    return plan
