"""DOP701 cache-friendly-order."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path

from optimizer.analysis.buildcache import Install
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command, Word

Found = list[tuple[Install, Command, str]]  # an install, its command, why it needs the sources ("": it does not)

DOC = """
## What it does
Finds a copy of the whole source tree (`COPY . .`, `ADD . /app`, `COPY src/ /app/`) that comes before the
dependency install (`pip install -r requirements.txt`, `npm ci`, `yarn`, `pnpm install`, `go mod download`,
`cargo fetch`, `mvn dependency:go-offline`, `poetry install --no-root`, `uv sync --no-install-project`,
`bundle install`), and copies the manifest files first: the install runs on them alone and the sources are
copied after it.

## Why
A layer is rebuilt when anything it was built from changes. After `COPY . .` every source edit changes the
copied tree, so the install below it runs again on every build, downloading and compiling the same
dependencies. Copied first, the manifests change only when the dependencies do, and a source edit rebuilds
only the layers from the sources on.

## Example
```dockerfile
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
```
becomes
```dockerfile
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
```

## Fix safety
Unsafe: the install no longer sees the sources. The fix names only manifests that exist in the build
context and that `.dockerignore` does not exclude, so it needs a readable context (`--context` or the
Dockerfile's folder); which manifests each install reads is data (`analysis/data/buildcache.toml`). It is
declined, with the reason, when the install needs the sources: `pip install .`, `pip install -e .`, a local
path in the requirements (`-e ./pkg`, `./wheels/x.whl`), `file:`/`link:` dependencies, npm lifecycle scripts
(`prepare`, `postinstall`…) without `--ignore-scripts`, `poetry install` without `--no-root`, a Go `replace`
to a local folder, a Cargo workspace or path dependency, a Maven multi-module build, a `cd` in the RUN, or
another command in the same RUN that may read them (`go build`, `npm run build`, `python manage.py`…). It is
declined too when the context holds a folder the install writes (`node_modules`, `.venv`): copied after the
install it would replace what was installed. Offered in builder stages too: there the build time is the gain.
"""

_BETWEEN = frozenset({"ENV", "ARG", "LABEL", "EXPOSE", "USER", "STOPSIGNAL"})
_FLAGS = frozenset({"chown", "chmod", "link"})


@rule("DOP701", "cache-friendly-order", "Copy the dependency manifests and install before copying the sources", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for stage in ctx.doc.stages:
        for ins in stage.instructions:
            if ins.keyword in ("COPY", "ADD"):
                found = _tree_copy(ctx, stage, ins)
                if found is not None:
                    yield found


def _tree_copy(ctx: RuleContext, stage: Stage, copy: Instruction) -> Diagnostic | None:
    """A finding for a copy of the source tree followed by a dependency install, or None."""
    if copy.json or copy.heredocs or copy.flag("from") or any(f.name not in _FLAGS for f in copy.flags):
        return None
    words = copy.args.split()
    if len(words) != 2 or any(c in copy.args for c in "$*?[") or "://" in copy.args:
        return None
    src, dest_word = words
    context = ctx.context_dir
    src_dir = posixpath.normpath(src)
    if src_dir.startswith(("..", "/")):
        return None
    if not (src_dir == "." or src.endswith("/") or (context is not None and (context / src_dir).is_dir())):
        return None
    dest = posixpath.normpath(posixpath.join(_workdir(stage, copy), dest_word))
    run, inv_notes = _first_install(ctx, stage, copy, dest, dest_word)
    if run is None:
        return None
    install_ins, installs = run
    head = (
        f"line {copy.line_start} copies the source tree before line {install_ins.line_start} installs the "
        f"dependencies: every source change runs the install again"
    )
    if inv_notes:
        return ctx.report(copy, f"{head}; not changed: {inv_notes}")
    if context is None:
        return ctx.report(
            copy, f"{head}; not changed: the build context is not readable, so dopt cannot tell which manifests exist"
        )
    cwd = _workdir(stage, install_ins)
    plan = _manifests(ctx, installs, context, src_dir, dest, cwd)
    if isinstance(plan, str):
        return ctx.report(copy, f"{head}; not changed: {plan}")
    text = ctx.doc.text
    flags = " ".join(text[f.start : f.end] for f in copy.flags)
    keyword = ctx.keyword_like(copy, "COPY")
    lines = []
    names = []
    for target, files in plan:
        if target == dest:
            where = dest_word if dest_word.endswith("/") else dest_word + "/"
        else:  # a folder below the destination, written the way the destination is
            where = posixpath.normpath(posixpath.join(dest_word, posixpath.relpath(target, dest))) + "/"
        lines.append(" ".join(p for p in (keyword, flags, *files, where) if p))
        names.extend(files)
    nl = ctx.doc.newline
    moved = text[copy.start : copy.end]
    edits = [
        Edit(copy.start, copy.end, nl.join(lines)),
        Edit.insert(install_ins.end, nl + moved),
    ]
    return ctx.report(
        copy,
        f"{head}; copy {', '.join(names)} first",
        edits,
        Applicability.UNSAFE,
        "Copy the dependency manifests first, install, then copy the sources",
        any_stage=True,
    )


def _workdir(stage: Stage, ins: Instruction) -> str:
    from optimizer.analysis.buildcontext import workdir_at

    return workdir_at(stage, ins)


def _first_install(
    ctx: RuleContext, stage: Stage, copy: Instruction, dest: str, dest_word: str
) -> tuple[tuple[Instruction, Found] | None, str]:
    """The first RUN after ``copy`` that installs dependencies, with its installs, and why it cannot move ("" =
    it can). None when another instruction comes first that may use the sources."""
    for ins in stage.instructions:
        if ins.index <= copy.index:
            continue
        if ins.keyword in _BETWEEN:
            continue
        if ins.keyword == "WORKDIR" and dest_word.startswith("/"):
            continue  # the moved copy still lands in the same place
        if ins.keyword != "RUN":
            return None, ""
        bodies = ctx.bodies(ins)
        if len(bodies) != 1:
            return None, ""
        installs, other = _classify(bodies[0].script.commands(), dest)
        if not installs:
            if other:
                return None, ""  # a RUN that may read the sources: it keeps them before it
            continue  # neither installs nor reads the sources (apt-get, useradd…)
        if other:
            return (ins, installs), f"line {ins.line_start} also runs {other}" + (
                "" if "(" in other else ", which may read the sources"
            )
        for _spec, _cmd, why in installs:
            if why:
                return (ins, installs), f"line {ins.line_start}: {why}"
        return (ins, installs), ""
    return None, ""


def _classify(commands: list[Command], dest: str) -> tuple[Found, str]:
    """The installs of a RUN (each with why it needs the sources, "" when it does not), and the first other
    command that may read the sources (as `name`), or ""."""
    from optimizer.analysis.buildcache import installs, neutral

    programs, subs = neutral()
    found: Found = []
    other = ""
    for cmd in commands:
        if not cmd.words:
            continue
        name, rest = _program(cmd)
        if name == "":
            continue
        positional = [w.value for w in rest if not w.value.startswith("-")]
        spec = next(
            (
                s
                for s in installs()
                if name in s.programs and any(tuple(positional[: len(sub)]) == sub for sub in s.subs if sub)
            ),
            None,
        )
        if spec is None:
            spec = next((s for s in installs() if name in s.programs and () in s.subs and not positional), None)
        if spec is not None:
            if spec.name == "pip":
                why, is_install = _pip_needs_sources(rest)
                if is_install:
                    found.append((spec, cmd, why))
                    continue
                if not why:
                    continue  # pip install of named packages
                other = other or f"`{cmd.words[0].value} install` of a local path"
                continue
            sub_len = max(len(s) for s in spec.subs if tuple(positional[: len(s)]) == s)
            if spec.bare and len(positional) > sub_len:
                if "-g" in [w.value for w in rest] or "--global" in [w.value for w in rest]:
                    continue  # a global tool
                other = other or f"`{name} {positional[0]}` with package names"
                continue
            why = ""
            if spec.needs and spec.needs not in [w.value for w in rest]:
                why = f"`{name} {' '.join(positional[:1])}` without `{spec.needs}` installs the project itself"
                why += ", which needs the sources"
            found.append((spec, cmd, why))
            continue
        if name in programs:
            if name == "rm" and not _rm_outside(rest, dest):
                other = other or "`rm` in the copied folder"
            continue
        if positional and positional[0] in subs.get(name, frozenset()):
            continue
        if name in ("cd", "pushd"):
            other = other or f"`{name}` (dopt does not follow a change of folder)"
            continue
        other = other or f"`{' '.join([name, *positional[:1]])}`"
    return found, other


def _program(cmd: Command) -> tuple[str, list[Word]]:
    """The program (pip for `python -m pip`) and its arguments."""
    words = list(cmd.words)
    name = words[0].basename
    if name.startswith("python") and len(words) > 2 and words[1].value == "-m":
        return ("pip" if words[2].value.startswith("pip") else f"python -m {words[2].value}"), words[3:]
    if name.startswith("pip") and name[3:].replace(".", "").isdigit() or name == "pip":
        return "pip", words[1:]
    return name, words[1:]


_PIP_VALUED = frozenset(
    {"-i", "--index-url", "--extra-index-url", "--trusted-host", "--timeout", "--retries", "--proxy", "--cert"}
)


def _pip_needs_sources(args: list[Word]) -> tuple[str, bool]:
    """For `pip ARGS`: why it needs the sources ("" = it does not), and whether it installs from -r files."""
    values = [w.value for w in args]
    if not values or values[0] != "install":
        return "", False
    reqs = False
    i = 1
    while i < len(values):
        v = values[i]
        if v in ("-r", "--requirement", "-c", "--constraint"):
            reqs = True
            i += 2
            continue
        if v.startswith(("--requirement=", "--constraint=")) or (v.startswith("-r") and len(v) > 2 and v[1] == "r"):
            reqs = True
        elif v in ("-e", "--editable"):
            return f"`pip install {v} {values[i + 1] if i + 1 < len(values) else ''}` installs from the sources", True
        elif v in ("-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src"):
            target = values[i + 1] if i + 1 < len(values) else ""
            if not target.startswith("/") or v in ("-f", "--find-links"):
                return f"`pip install {v} {target}` reads or writes a folder dopt does not follow", True
            i += 2
            continue
        elif v in _PIP_VALUED:
            i += 2
            continue
        elif not v.startswith("-") and (v.startswith((".", "/", "~", "file:")) or v.endswith((".whl", ".tar.gz"))):
            return f"`pip install {v}` installs from the sources", True
        i += 1
    return "", reqs


def _rm_outside(args: list[Word], dest: str) -> bool:
    for w in args:
        v = w.value
        if v.startswith("-"):
            continue
        if not v.startswith(("/", "~")) or "$" in v:
            return False
        if v.startswith("/") and (v.rstrip("/*") + "/").startswith(dest.rstrip("/") + "/"):
            return False
        if dest == "/":
            return False
    return True


def _manifests(
    ctx: RuleContext,
    installs: Found,
    context: Path,
    src_dir: str,
    dest: str,
    cwd: str,
) -> list[tuple[str, list[str]]] | str:
    """Per folder in the image, the context files to copy there first; or why not."""
    ignored = _ignored(ctx, context)
    wanted: list[tuple[str, str]] = []  # (image path, context-relative path)

    def in_context(image_path: str) -> str | None:
        if image_path != dest and not image_path.startswith(dest.rstrip("/") + "/"):
            return None
        rel = posixpath.relpath(image_path, dest)
        return posixpath.normpath(posixpath.join(src_dir, rel))

    for spec, cmd, _why in installs:
        if spec.name == "pip":
            why = _pip_files(ctx, cmd, cwd, context, in_context, wanted, ignored)
            if why:
                return why
            continue
        for folder in spec.writes:
            rel = in_context(posixpath.join(cwd, folder))
            if rel is not None and (context / rel).exists() and not ignored(rel):
                return (
                    f"the build context holds {rel}, which the copy after `{spec.name}` would put over what it "
                    "installed (add it to .dockerignore)"
                )
        for name in spec.manifests:
            image_path = posixpath.join(cwd, name)
            rel = in_context(image_path)
            if rel is None:
                if name in spec.required:
                    return f"`{spec.name}` reads {image_path}, which the copy does not provide"
                continue
            present = (context / rel).is_file()
            if name in spec.required and not present:
                return f"{rel} is not in the build context"
            if name in spec.required and ignored(rel):
                return f"{rel} is excluded by .dockerignore"
            if not present or ignored(rel):
                continue
            text = ctx.context_file(context / rel)
            if text is None:
                return f"{rel} is not readable"
            why = _reads_sources(spec, name, text, cmd)
            if why:
                return f"{rel} {why}"
            wanted.append((image_path, rel))
    if not wanted:
        return "no manifest found"
    out: dict[str, list[str]] = {}
    for image_path, rel in wanted:
        files = out.setdefault(posixpath.dirname(image_path), [])
        if rel not in files:
            files.append(rel)
    return list(out.items())


def _pip_files(
    ctx: RuleContext,
    cmd: Command,
    cwd: str,
    context: Path,
    in_context: Callable[[str], str | None],
    wanted: list[tuple[str, str]],
    ignored: Callable[[str], bool],
) -> str:
    from optimizer.analysis.requirements import read

    _name, rest = _program(cmd)
    values = [w.value for w in rest]
    named: list[str] = []
    for i, v in enumerate(values):
        if v in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(values):
            named.append(values[i + 1])
        elif "=" in v and v.split("=", 1)[0] in ("--requirement", "--constraint"):
            named.append(v.split("=", 1)[1])
        elif v.startswith("-r") and len(v) > 2:
            named.append(v[2:])
    for path in named:
        if "$" in path:
            return f"dopt cannot read the requirements file `{path}`"
        image_path = posixpath.normpath(posixpath.join(cwd, path))
        rel = in_context(image_path)
        if rel is None:
            continue  # copied before, by another instruction
        if not (context / rel).is_file():
            return f"{rel} is not in the build context"
        if ignored(rel):
            return f"{rel} is excluded by .dockerignore"
        reqs = read(context / rel, context, opener=ctx.context_file)
        if reqs.problems:
            return f"{reqs.problems[0].replace(str(context) + '/', '')}"
        for r in [*reqs.installs, *reqs.constraints]:
            if r.source and not r.text.startswith(("git+", "http://", "https://")) and "://" not in r.text:
                where = posixpath.relpath(str(r.file), str(context.resolve()))
                return f"{where} line {r.line} installs `{r.text}` from the sources"
        for f in reqs.files:
            frel = posixpath.relpath(str(f), str(context.resolve()))
            fimage = posixpath.normpath(
                posixpath.join(posixpath.dirname(image_path), posixpath.relpath(frel, posixpath.dirname(rel)))
            )
            if ignored(frel):
                return f"{frel} is excluded by .dockerignore"
            wanted.append((fimage, frel))
    return ""


def _reads_sources(spec: Install, name: str, text: str, cmd: Command) -> str:
    """Why this manifest makes the install read the sources ("" = it does not)."""
    if spec.scripts == name:
        try:
            data = json.loads(text)
        except ValueError:
            return "is not JSON dopt can read"
        if not isinstance(data, dict):
            return "is not a JSON object"
        if "workspaces" in data:
            return "declares workspaces, whose packages are in the sources"
        scripts = data.get("scripts") or {}
        ignore = any(w.value == "--ignore-scripts" for w in cmd.words)
        for hook in ("preinstall", "install", "postinstall", "prepare", "prepublish"):
            if hook in scripts and not ignore:
                return f"runs a `{hook}` script at install (`{scripts[hook]}`), which may read the sources"
        for section in ("dependencies", "devDependencies", "optionalDependencies"):
            for dep, version in (data.get(section) or {}).items():
                if isinstance(version, str) and version.startswith(spec.local):
                    return f"depends on `{dep}` from `{version}`, inside the sources"
        return ""
    for marker in spec.local:
        if marker in text:
            return f"has `{marker}` (a dependency or module inside the sources)"
    return ""


def _ignored(ctx: RuleContext, context: Path) -> Callable[[str], bool]:
    from optimizer.analysis.ignorefile import Matcher, parse

    own = Path(ctx.doc.path).resolve().with_name(Path(ctx.doc.path).name + ".dockerignore")
    text = ctx.context_file(own) if ctx.doc.path not in ("", "-", "<input>") else None
    if text is None:
        text = ctx.context_file(context / ".dockerignore")
    matcher = Matcher(parse(text or ""))
    return lambda rel: matcher.excluded(posixpath.normpath(rel))
