"""The builder/runtime split of a single-stage Go image (golang:*): build in the original stage, run the
binary from distroless (static, or base for cgo) or debian:*-slim when the runtime stage needs a shell.

Like ``split_plan``, this reads and never edits: it returns a ``SplitPlan`` (reusing its items, so the same
template renders the runtime stage) or a ``Skip`` with the reason.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re

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
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

_GO_BUILD_SUBS = frozenset({"build", "install", "mod", "get", "generate", "vet", "test", "env", "version", "list"})
_GO_BUILDS = re.compile(r"(^|[\s;&|(])go\s+(build|install)\b")
_REPLAYED = frozenset(
    {"ARG", "ENV", "WORKDIR", "EXPOSE", "LABEL", "USER", "VOLUME", "STOPSIGNAL", "CMD", "ENTRYPOINT", "HEALTHCHECK"}
)


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


class _Run:
    def __init__(self) -> None:
        self.kind = "system"  # "system" | "build" | "other"
        self.apt: list[str] = []
        self.others: list[str] = []
        self.outputs: list[str] = []  # binaries `go build -o` writes
        # `go build` without `-o`: (the folder it writes in, the name Go gives the binary, or "" when it is the
        # module's name, read from go.mod)
        self.unnamed: list[tuple[str, str]] = []
        self.cgo_off = False


def _go_command(cmd: Command, cwd: str, run: _Run, env_cgo_off: bool, line: int) -> Skip | None:
    words = [w.value for w in cmd.words]
    sub = words[1] if len(words) > 1 else ""
    if sub not in _GO_BUILD_SUBS:
        return Skip(line, f"`go {sub}`")
    if sub == "install":
        return Skip(line, "`go install` writes the binary under $GOPATH/bin with a name dopt does not read")
    if sub != "build":
        return None
    if any(not w.literal for w in cmd.words):
        return Skip(line, "`go build` with words dopt cannot read (variables)")
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
    assignments = dict(a.split("=", 1) for a in cmd.assignments if "=" in a)
    cgo = assignments.get("CGO_ENABLED")
    run.cgo_off = cgo == "0" if cgo is not None else env_cgo_off
    return None


def _classify(ctx: RuleContext, ins: Instruction, cwd: str, env_cgo_off: bool) -> tuple[_Run, str] | Skip:
    line = ins.line_start
    bodies = shell_bodies(ctx, ins)
    if isinstance(bodies, Skip):
        return bodies
    run = _Run()
    kinds: set[str] = set()
    exported_cgo_off = env_cgo_off
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
                kinds.add("pkg")
            elif inv is not None:
                return Skip(line, f"packages installed with `{inv.tool}`")
            elif base == "go":
                why = _go_command(cmd, cwd, run, exported_cgo_off, line)
                if why is not None:
                    return why
                kinds.add("build")
            elif base == "export" and any(w in ("CGO_ENABLED=0",) for w in words[1:]):
                exported_cgo_off = True
            elif base == "cd":
                target = cmd.words[1].value if len(cmd.words) > 1 and cmd.words[1].literal else None
                cwd = posixpath.normpath(posixpath.join(cwd, target)) if target else "?"
            elif is_neutral(cmd):
                continue
            else:
                run.others.append(base)
    if "build" in kinds:
        if run.others:
            return Skip(line, f"a RUN that mixes building with other work (`{run.others[0]}`)")
        run.kind = "build"
    elif run.others:
        run.kind = "other"
    return run, cwd


def _is_source(source: str, patterns: list[str]) -> bool:
    name = posixpath.basename(posixpath.normpath(source)) or source
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _only_sources(ctx: RuleContext, source: str, patterns: list[str], limit: int = 5000) -> bool:
    """Whether a context folder holds only what building reads (Go sources, go.mod, vendor…), leaving out
    what .dockerignore keeps from the builder; False when the context is not there, the source leaves it,
    or it is too big to walk."""
    root = ctx.context_dir
    if root is None or any(c in source for c in "*?[$") or source.startswith("/"):
        return False
    top = (root / source).resolve()
    try:
        top.relative_to(root.resolve())
    except ValueError:
        return False
    if not top.is_dir():
        return False
    from optimizer.analysis.ignorefile import Matcher, parse

    ignore = ctx.context_file(root / ".dockerignore")
    matcher = Matcher(parse(ignore)) if ignore else None
    real_root = root.resolve()
    seen = 0
    for path in top.rglob("*"):
        seen += 1
        if seen > limit:
            return False
        if matcher is not None and matcher.excluded(path.relative_to(real_root).as_posix()):
            continue  # not sent to the builder
        rel = path.relative_to(top).parts
        if any(_is_source(part, patterns) for part in rel[:-1]) or path.is_dir():
            continue
        if not _is_source(rel[-1], patterns):
            return False
    return True


def _traced_binary(
    ctx: RuleContext, stage: Stage, workdirs: dict[int, str], unnamed: list[tuple[str, str]]
) -> str | Skip:
    """The binary a `go build` without `-o` wrote, read from what the image runs: a path (absolute, or relative
    to the WORKDIR) straight in the folder the build ran in, with the name Go gives it (the package folder's
    last element, the first file's stem, or the module path's last element from go.mod)."""
    from optimizer.analysis.artifact_split import run_words
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


def plan_go_split(ctx: RuleContext, stage: Stage) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage builds no Go binary."""
    from optimizer.analysis.knowledge import build_only, debian_release, split_data

    data = split_data("go")
    ins0 = stage.from_instruction
    base = stage.base
    text = ctx.doc.text
    tools = build_only("apt")
    cwd = "/go"  # the golang images' WORKDIR
    env_cgo_off = False
    runs: dict[int, _Run] = {}
    workdirs: dict[int, str] = {}
    skip: Skip | None = None
    last_build: Instruction | None = None
    user: Instruction | None = None
    go_seen = False
    for ins in stage.instructions[1:]:
        kw = ins.keyword
        if kw == "WORKDIR":
            value = ins.args.strip()
            if "$" in value or " " in value or not value:
                skip = keep_first(skip, Skip(ins.line_start, "a WORKDIR dopt cannot resolve"))
                continue
            cwd = posixpath.normpath(posixpath.join(cwd, value))
        workdirs[ins.index] = cwd
        if kw in ("ONBUILD", "SHELL"):
            skip = keep_first(skip, Skip(ins.line_start, f"{kw} in the stage"))
        elif kw == "USER":
            user = ins
        elif kw == "ENV":
            for name, value in key_values(ins):
                if name == "CGO_ENABLED":
                    env_cgo_off = value == "0"
        elif kw == "RUN":
            go_seen = go_seen or bool(_GO_BUILDS.search(ins.args))
            found = _classify(ctx, ins, cwd, env_cgo_off)
            if isinstance(found, Skip):
                skip = keep_first(skip, found)
                continue
            run, _cwd = found
            runs[ins.index] = run
            if run.kind == "build":
                last_build = ins
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
    outputs = list(dict.fromkeys(outputs))
    cgo_off = all(r.cgo_off for r in runs.values() if r.outputs or r.unnamed)
    # what the runtime stage replays: RUNs that are not building, before or after the cut
    replayed = [i for i, r in runs.items() if r.kind == "other"]
    split_apt = runtime_apt_packages(
        [r.apt for i, r in runs.items() if i <= last_build.index], set(tools), base, ins0.line_start
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
            from optimizer.analysis.split_plan import _command_words

            lacking = [w for w in _command_words(ins) if w in ("curl", "wget")]
            if lacking:
                return Skip(ins.line_start, f"HEALTHCHECK runs `{lacking[0]}`, which the runtime image lacks")
    shell_why = (
        [f"line {runs_line} is replayed" for runs_line in (ctx.doc.instructions[i].line_start for i in replayed)]
        + [f"line {i.line_start} is a RUN" for i in tail if i.keyword == "RUN" and i.index not in replayed]
        + [f"line {i.line_start} is in shell form" for i in shell_form]
        + (["it installs " + ", ".join(dict.fromkeys(runtime_apt))] if runtime_apt else [])
    )
    needs_shell = bool(shell_why)
    release = debian_release(base) or (data["default_release"] if cgo_off else None)
    if release is None:
        return Skip(
            ins0.line_start,
            f"cgo is on (no CGO_ENABLED=0) and `{base}` does not name its Debian release, so dopt cannot "
            "match the C library the binary links",
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
    for ins in stage.instructions[1:]:
        if ins.index > last_build.index:
            break
        verbatim = Item("verbatim", text[ins.start : ins.end].replace("\r\n", "\n"))
        kw = ins.keyword
        if kw == "RUN":
            if ins.index in replayed:
                items.append(verbatim)
        elif kw in ("COPY", "ADD") and not ins.flag("from"):
            from optimizer.analysis.buildcontext import copy_sources

            sources = copy_sources(ins) or []
            if sources and all(_is_source(s, patterns) or _only_sources(ctx, s, patterns) for s in sources):
                continue  # only building reads it
            words = list(ins.json_args or []) if ins.json else ins.args.split()
            dest = words[-1] if words else ""
            if "$" in dest or not dest:
                return Skip(ins.line_start, "a COPY whose destination dopt cannot resolve")
            cwd_here = workdirs.get(ins.index, "/go")
            folder = posixpath.normpath(posixpath.join(cwd_here, dest))
            if folder in ("/", "/go") or folder.startswith("/go/pkg"):
                return Skip(ins.line_start, f"the app is copied into `{folder}`, beside Go's module cache")
            if not any(f == folder or folder.startswith(f.rstrip("/") + "/") for f in folders):
                folders.append(folder)
                chown = ins.flag("chown")
                items.append(Item("copy", path=folder, chown=(chown[0].value or "") if chown else ""))
        elif kw in _REPLAYED:
            items.append(verbatim)
    for out in outputs:
        if not any(out == f or out.startswith(f.rstrip("/") + "/") for f in folders):
            items.append(Item("copy", path=out))
    first = next(i for i in stage.instructions if i.index in runs and runs[i.index].kind == "build")
    plan = SplitPlan(stage, runtime_base, first, last_build, items, ["the Go toolchain", *build_packages], False, None)
    plan.what = "the binary" if not folders else "the binary and the app's files"
    plan.why_base = why_base
    plan.venv = False
    return plan
