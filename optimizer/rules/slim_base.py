"""DOP603 slim-runtime-base."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.package_vars import package_names
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext, final_stage
from optimizer.syntax.model import Stage

if TYPE_CHECKING:
    from optimizer.analysis.stage_build import PipInstall, Step

DOC = """
## What it does
Replaces the full language image of the final stage (`python:3.11`,
`node:20-bookworm`) with its `-slim` counterpart of the same version and OS
release (`python:3.11-slim`, `node:20-bookworm-slim`), from dopt's knowledge
data, when the stage builds nothing: no compiler or build tool, no `-dev`
package, no `pip install` of a path, URL or package that needs the system
libraries of the full image (`psycopg2`, `mysqlclient`, `pycairo`, …,
also read from requirements files in the build context), no `npm`/`yarn`/
`pnpm` install that may compile a native addon, and no use of a tool that
only the full image has (`git`, `curl`, `wget`, `make`, ImageMagick's
`convert`, …; on node images also `python3`).
A blocker the stage satisfies itself is lifted: a command it installs with
`apt-get install` before using it (`curl`, `imagemagick`'s `convert`), or a
Python package that loads a library (`wand` → ImageMagick's MagickWand,
`python-magic` → libmagic) when the stage installs a package that brings that
library (the `slim_blocker_needs` and `slim_command_packages` tables in
dopt's knowledge data). Packages pip compiles on install stay blockers. A
stage that copies from a builder on the full image is checked the same way
through that builder. After a builder/runtime split (DOP502) this is the
step that moves the runtime stage to `-slim`.

For Node, the install is read from the build context as the stage copied
it: the `package.json` it installs from (also through `COPY package*.json
./`) and, for npm, `package-lock.json`/`npm-shrinkwrap.json`, which lists
every package of the tree and marks those that run an install script. The
install blocks the switch when a package is one known to build with
node-gyp (`bcrypt`, `sqlite3`, `canvas`, … — the `npm` list in dopt's
knowledge data; node-gyp needs python3, make and g++, which -slim lacks),
or when the lockfile marks a package with an install script that is not
known to compile nothing (`esbuild`, `core-js`, `prisma`, …), or when the
project itself compiles on install (a `binding.gyp`, or a `preinstall`/
`install`/`postinstall`/`prepare` script running `node-gyp`, `cmake-js`, a
compiler or `make`). Packages
for other systems (`fsevents`) and, with `--omit=dev`, devDependencies are
not counted. Without a lockfile only the direct dependencies can be
checked, and the finding says so; when the `package.json` cannot be read
(no build context) the full image stays and the finding says why.
`npm rebuild` always keeps it; `--ignore-scripts` compiles nothing.

## Why
The full images are built on `buildpack-deps`: compilers, headers, version
control and hundreds of `-dev` packages — about 1 GB for `python:3.11`
against about 130 MB for `python:3.11-slim`.

## Alpine is not chosen
`python:*-alpine` is smaller still, but it uses musl instead of glibc: most
wheels on PyPI are built for glibc (manylinux), so on Alpine pip compiles
from source (slow builds, more build tools, sometimes different behaviour),
and DNS, locale and threading differ. dopt never switches to Alpine by
itself; the finding says when it would be an option.

## Example
```dockerfile
FROM python:3.11
COPY . /app
RUN pip install --no-cache-dir flask gunicorn
CMD ["gunicorn", "-b", ":8000", "app:app"]
```
becomes `FROM python:3.11-slim`. And for Node, with a `package-lock.json`
in the build context in which no package runs an install script:
```dockerfile
FROM node:20-bookworm
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY src ./src
CMD ["node", "src/index.js"]
```
becomes `FROM node:20-bookworm-slim` (same major, same Debian release).

## Fix safety
Unsafe: the program may use a library or tool at run time that only the full
image had (a shared library loaded by a wheel or a native addon, `git`
called from Python or Node). Without a lockfile, a dependency of a
dependency may compile a native addon; the build on -slim then fails
loudly at `npm install` rather than later. Check the result with
`dopt verify`.
"""


def _slim_data() -> dict[str, list[str]]:
    from optimizer.analysis.knowledge import slim_blockers

    return slim_blockers()


_PATHLIKE = re.compile(r"^(\.|/)|://|\.whl$|\.tar\.gz$")


def _apt_installs(ctx: RuleContext, stage: Stage) -> list[tuple[int, int, int, frozenset[str]]]:
    """(instruction index, offset in the script, line, package names) of every apt install of the stage."""
    from optimizer.analysis.stage_build import steps

    out = []
    for step in steps(ctx, stage):
        inv = step.invocation
        if inv is not None and inv.tool in ("apt-get", "apt") and inv.sub == "install":
            listed = package_names(ctx, step.ins, inv).names  # `$PKGS` read from its ARG/ENV
            names = frozenset(n.split("=")[0].lower() for n in listed)
            out.append((step.ins.index, inv.command.start, step.line, names))
    return out


def _why_not(
    ctx: RuleContext,
    stage: Stage,
    data: dict[str, list[str]],
    lifted: list[tuple[str, str, int]] | None = None,
    read: list[str] | None = None,
) -> str | None:
    """Why the stage needs the full image, or None. Blockers the stage's own apt installs satisfy are
    lifted (and, when ``lifted`` is given, described there); what dopt read of Node installs goes to ``read``."""
    from optimizer.analysis.knowledge import (
        build_only,
        compile_signals,
        family_of,
        slim_blocker_needs,
        slim_command_packages,
    )
    from optimizer.analysis.stage_build import is_pip_install, pip_install, runs_setup_py, steps

    signals = compile_signals()
    tools = set(data.get("commands", [])) | signals.commands
    fam = family_of(stage.image or stage.base)
    if fam is not None and fam.language == "node":
        tools |= set(data.get("node_commands", []))
    blockers = {b.lower() for b in data.get("pip", [])}
    installs = _apt_installs(ctx, stage)
    everything = frozenset().union(*(names for _i, _o, _l, names in installs))
    for name in sorted(blockers):
        needs = slim_blocker_needs(name)
        if needs is not None and not needs.builds and needs.brought_by & everything:
            blockers.discard(name)
            if lifted is not None:
                line = next(ln for _i, _o, ln, names in installs if names & needs.brought_by)
                lifted.append((name, ", ".join(needs.runtime), line))
    for step in steps(ctx, stage):
        line = step.line
        if step.kind == "unreadable":
            return f"line {line} is not shell dopt can read"
        if step.command is not None:
            base = step.command.basename
            if base in tools:
                brings = slim_command_packages(base)
                at = (step.ins.index, step.command.start)
                if brings and any(names & brings for i, o, _l, names in installs if (i, o) < at):
                    continue  # the stage installs it itself before using it
                return f"line {line} runs `{base}`, which the -slim image lacks"
            if runs_setup_py(step):
                return f"line {line} runs setup.py"
        elif (inv := step.invocation) is not None:
            if inv.tool in ("apt-get", "apt") and inv.sub == "install":
                listed = package_names(ctx, step.ins, inv)
                names = {n.split("=")[0] for n in listed.names}
                built = {n for n in names if n.endswith("-dev") or n in build_only("apt")}
                if built:
                    via = "".join(f" (`${v.name}`, {v.keyword} line {v.line})" for v in listed.via[:1])
                    return f"line {line} installs {', '.join(sorted(built))}{via}: the stage builds"
                if listed.unresolved:
                    return f"line {line} installs `{listed.unresolved[0]}`, whose value dopt does not know"
            if (
                inv.tool in ("npm", "yarn", "pnpm")
                and inv.sub in ("install", "ci", "i", "add", "", "rebuild")
                and not inv.has_option("--ignore-scripts")
            ):
                why = _node_blocker(ctx, stage, step, data, read)
                if why is not None:
                    return f"line {line}: {why}"
            if not is_pip_install(step):
                continue
            why = _pip_blocker(pip_install(ctx, stage, step, _PATHLIKE), blockers)
            if why is not None:
                return f"line {line}: {why}"
    return None


def _node_blocker(
    ctx: RuleContext, stage: Stage, step: Step, data: dict[str, list[str]], read: list[str] | None
) -> str | None:
    """Why a Node install needs the full image (a dependency that may compile a native addon with node-gyp,
    or an install dopt cannot see into), or None; what was read is described in ``read``."""
    from optimizer.analysis.knowledge import compile_signals
    from optimizer.analysis.node_packages import read_install

    inv = step.invocation
    assert inv is not None
    run = f"`{inv.tool} {inv.sub}`" if inv.sub else f"`{inv.tool}`"
    if inv.sub == "rebuild":
        return f"{run} may compile native modules"
    found = read_install(ctx, stage, step.ins, inv)
    if not found.manifest and not found.named:
        return f"{run} may compile native modules (dopt cannot read the package.json it installs from)"
    compiles = {n.lower() for n in data.get("npm", [])}
    builders = set(data.get("npm_build_commands", [])) | compile_signals().commands
    for lifecycle, command in found.scripts.items():
        hit = sorted(builders & set(re.split(r"[\s;&|()]+", command)))
        if hit and lifecycle == "binding.gyp":
            return f"{run} may compile native modules: beside the project's binding.gyp it runs `node-gyp rebuild`"
        if hit:
            return f"{run} may compile native modules: package.json's `{lifecycle}` script runs `{hit[0]}`"
    harmless = {n.lower() for n in data.get("npm_scripts_no_compile", [])}
    for name, script in [(_npm_name(n), False) for n in found.named] + found.packages:
        key = name.lower()
        if key in compiles:
            return f"{run} may compile native modules: `{key}` builds with node-gyp (python3, make, g++)"
        if script and key not in harmless:
            return f"{run} may compile native modules: `{key}` runs an install script ({found.lock})"
    if read is not None:
        if found.lock is not None and found.lock_scripts:
            what = f"package.json and {found.lock}: no dependency builds a native addon"
        elif found.lock is not None:
            what = f"{found.lock} (lockfile v1, no install scripts recorded): no known native addon"
        elif found.manifest:
            what = "package.json: no direct dependency builds a native addon (no lockfile read: the dependencies"
            what += " of dependencies were not checked)"
        else:
            what = "the packages named on the command line: none builds a native addon (their dependencies"
            what += " were not checked)"
        read.append(f"line {step.line}: read {what}")
    return None


def _npm_name(spec: str) -> str:
    """The package name of a command-line spec (`bcrypt@5.1.1`, `@scope/pkg@^2`)."""
    at = spec.find("@", 1)
    return spec if at < 0 else spec[:at]


# reasons that are about building (the stage compiles), which a builder/runtime split answers
_BUILD_REASONS = ("may compile native modules", "the stage builds", "runs setup.py", "builds from source")


def _pip_blocker(pip: PipInstall, blockers: set[str]) -> str | None:
    if pip.problem == "editable":
        return "pip builds from source (-e/--no-binary)"
    if pip.problem is not None:
        kind, path = pip.problem.split(":", 1)
        if kind == "unreadable":
            return f"pip installs from `{path}`, which dopt cannot read"
        return f"`{path}` installs from a path or URL"
    for word, name in pip.words:
        if name is None:
            return f"pip installs `{word}`"
    hit = [n for n in pip.names if n in blockers]
    return f"`{hit[0]}` needs libraries of the full image" if hit else None


@rule("DOP603", "slim-runtime-base", "Run the final stage on the -slim image when it builds nothing", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    from optimizer.analysis.knowledge import family_of, slim_variant

    doc = ctx.doc
    if not doc.stages or ctx.windows:
        return
    stage = final_stage(doc)
    base = stage.image or stage.base  # global ARG defaults resolved
    if "$" in base or "@" in base:
        return
    slim = slim_variant(base)
    if slim is None:
        return
    ins = stage.from_instruction
    data = _slim_data()
    lifted: list[tuple[str, str, int]] = []
    read: list[str] = []
    why = _why_not(ctx, stage, data, lifted, read)
    by_name = {s.name.lower(): s for s in doc.stages if s.name}
    if why is None:
        for other in stage.instructions:
            src = other.flag("from")
            builder = by_name.get((src[0].value or "").lower()) if src else None
            if builder is not None and slim_variant(builder.image or builder.base) is not None:
                inner = _why_not(ctx, builder, data)
                if inner is not None:
                    why = f"it copies from `{builder.name}`, built on the full image ({inner})"
                    break
    fam = family_of(base)
    alpine = (
        " (Alpine is not offered: musl needs source builds of most wheels)" if fam and fam.language == "python" else ""
    )
    if why is not None:
        if len(doc.stages) == 1 and any(m in why for m in _BUILD_REASONS):
            why += "; building needs the full image, which a builder stage can keep (DOP502 builder-runtime-split)"
        yield ctx.report(ins, f"The final stage runs on the full `{base}`; not switched to `{slim}`: {why}")
        return
    at = ins.src(ins.args_offset)
    if doc.text[at : at + len(base)] != base:
        if base != stage.base:
            yield ctx.report(
                ins,
                f"The final stage builds nothing: `{base}` can be `{slim}` "
                "(not fixed: the image comes from a build argument)",
            )
        return
    tag_at = at + base.rindex(":") + 1
    new_tag = slim.rsplit(":", 1)[1]
    written = base[: base.rindex(":") + 1] + new_tag  # the same registry or mirror, the -slim tag
    yield ctx.report(
        ins,
        f"The final stage builds nothing: `{base}` can be `{written}`, without compilers and -dev packages{alpine}"
        + "".join(f"; `{n}` loads {libs}, which line {ln} installs" for n, libs, ln in lifted)
        + "".join(f"; {r}" for r in read),
        [Edit(tag_at, at + len(base), new_tag)],
        Applicability.UNSAFE,
    )
