"""DOP502 builder-runtime-split."""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Splits a single-stage Python, Go, Node, Rust or Java image that installs build tools (`gcc`,
`build-essential`, `-dev` packages) or builds on a `-devel` base into two
stages. The **builder** is the original stage, up to its last build step,
with a virtual environment in `/opt/venv` created before the first
`pip install`. The **runtime** stage starts from the same image (the
`-runtime` variant of a `-devel` base), installs only the runtime libraries
the `-dev` packages stand for (`libpq-dev` → `libpq5`, from dopt's table
generated from Debian's package metadata), copies the virtual environment,
and replays everything else of the original in order: `ENV`, `ARG`,
`WORKDIR`, `COPY` from the context, `RUN`s that are not building, `EXPOSE`,
`LABEL`, `USER`, `VOLUME`, `ENTRYPOINT`, `CMD`, `HEALTHCHECK`. Folders a
build writes into (`setup.py develop`, `build_ext --inplace`, `make`) are
copied from the builder.

When the image makes a virtual environment itself (`python -m venv /opt/venv`,
`virtualenv`, `uv venv`, with `ENV VIRTUAL_ENV`/`ENV PATH=/opt/venv/bin:$PATH`
or `. /opt/venv/bin/activate`), the builder keeps those steps as written and
the runtime stage copies that environment; every `pip install` must go into
it (its `bin/pip`, its `PATH`, its `activate`; for `uv pip`, its
`VIRTUAL_ENV` or a `.venv` above the folder), but for builder tools installed
before it (`pip install virtualenv`/`uv`), or the split is refused.

On a full language image (`python:3.11`, `python:3.12-bookworm`) the runtime
stage goes on its `-slim` counterpart, with the runtime libraries the build
needed: those of the `-dev` packages the stage installs, and those of Python
packages that compile against the full image's own `-dev` packages
(`psycopg2` → `libpq5`, `mysqlclient` → `libmariadb3`; the
`slim_blocker_needs` table). Such a stage is split even when it installs no
build packages itself. The runtime stage stays on the full image (and says
why) when dopt cannot see every package pip installs (a requirements file
outside the context), a package needs libraries dopt cannot name, or the
runtime stage runs a command only the full image has (`curl` in a
`HEALTHCHECK`).
A full image that installs no build packages and whose only build is a
`pip install -r` of a file dopt cannot read (not in the build context; pass
`--context`) is still split onto `-slim`: the finding names the compilers
the runtime stage leaves out and the file dopt did not read.

A `RUN` that installs build packages amid other work (`apt-get install gcc
curl && curl -o /usr/local/bin/tool … && chmod +x …`) is replayed in the
runtime stage without the build tools (and with the runtime libraries in
place of the `-dev` packages); the finding names each such line.

**Go** (`golang:*` on Debian): the builder is the original stage up to its
last `go build -o PATH`; the runtime stage copies the binary (and the app's
folder when the build context holds more than Go sources, or cannot be
read: templates and assets the binary may read) onto
`gcr.io/distroless/static-debian12:nonroot` when the binary is static
(`CGO_ENABLED=0` in `ENV`, on the command or exported), the root variant
when the service exposes a port below 1024, `distroless/base` of the
builder's Debian release with cgo, and `debian:<release>-slim` (plus
`ca-certificates` and `tzdata`, which the golang image has) when the runtime
stage needs a shell or apt: `RUN`s to replay, a shell-form `CMD`, runtime
libraries of `-dev` packages. The builder's Debian release is the one its tag
names, or the one a golang tag defaults to (`golang:1.22` is bookworm,
`golang:1.24` and later trixie: `tag_releases` in `images.toml`). A binary
`go install PKG[@VERSION]` writes in `/go/bin` is traced like a `go build`
without `-o`: the image must run it by name (`ENTRYPOINT ["migrate"]`: the
runtime stage puts it in `/usr/local/bin`) or by its path.

**Node** (`node:*` on Debian): the builder installs from the lockfile
(`npm ci`, `yarn install --frozen-lockfile`, `pnpm install
--frozen-lockfile`) and runs the build scripts, then prunes the
devDependencies with the package manager (`npm prune --omit=dev`,
`yarn install --production`, `pnpm prune --prod`); the runtime stage on
`node:<tag>-slim` (same major and Debian release, so native addons built
by node-gyp load) copies the pruned app folder, with the runtime libraries
of the `-dev` packages and of native addons that load the full image's
libraries (`canvas`; read from `package.json` in the build context). A
global install (`npm install -g pm2`) is replayed.

**Rust and Java** (`rust:*`; `maven:*`, `gradle:*`, `eclipse-temurin:*-jdk`):
the builder runs `cargo build`/`cargo install` or Maven/Gradle; the runtime
stage gets the one artifact the image runs, traced from its `CMD`/`ENTRYPOINT`
(a binary under `target/` or installed by `cargo install`, the jar of
`java -jar PATH`), never guessed from build files: a Rust binary on
`debian:<release>-slim` of the builder's Debian release (with the runtime
libraries of the `-dev` packages and the CA bundle), a jar on the Temurin
JRE of the same major (`eclipse-temurin:17-jre`). Context files that are not
sources (`config/`, or a `COPY . .` of a context dopt cannot read) are copied
again from the context.

This one rule covers the languages (rather than one rule each) because
the shape, the safety story and the refusals are the same; the planners live in
`analysis/split/` (one stage walk, a command classifier per language),
and what they know about runtime images in `[split.*]` of `images.toml`.

## Why
Compilers, headers and static libraries are only needed to build wheels; in
the final image they are hundreds of megabytes of dead weight and attack
surface. hadolint and BuildKit's checks cannot propose this; it changes the
shape of the file.

## Example
```dockerfile
FROM python:3.10-slim
RUN apt-get update && apt-get install -y gcc libpq-dev
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]
```
becomes
```dockerfile
FROM python:3.10-slim AS builder
RUN apt-get update && apt-get install -y gcc libpq-dev
COPY requirements.txt .
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt

FROM python:3.10-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends \\
      libpq5 \\
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY . .
CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]
```

## Fix safety
Unsafe: the program may need something at run time that only the build
tools brought (a compiler for a JIT, a header read at start-up), or a
runtime library the table does not list. dopt splits only what it can
classify and otherwise reports why it did not: other Python installers
(poetry, pipenv, conda), `pip --user/--target/--prefix`, a `RUN` that mixes
building (pip, a compiler) with other work, a replayed `RUN` that runs a build
tool it installs (`git clone`), `SHELL`/`ONBUILD`, a `USER` before the build,
unknown `-dev` packages (or, on Ubuntu, runtime names dopt has not
confirmed), a `WORKDIR` or `COPY` destination it cannot resolve, a package
that compiles at run time (`deepspeed`, `triton`, `pycuda`: the `jit` list
DOP501 reads too), which needs the compiler in the final image. Check the
result with `dopt verify`.
"""


_MORE = 4  # refusals on other lines named beside the first

# a cheap guard before the planner: a RUN that installs or builds something
_BUILDS = re.compile(r"install|add|build|package|\bci\b|\byarn\b|mvn|gradle|cargo|javac")


@rule("DOP502", "builder-runtime-split", "Build in a builder stage, run from a runtime stage without build tools", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if len(doc.stages) != 1 or ctx.windows:
        return
    stage = doc.stages[0]
    if (
        not any(i.keyword == "RUN" and _BUILDS.search(i.args) for i in stage.instructions)
        and "-devel" not in stage.image
    ):
        return  # installs nothing: nothing to split (and no need to load the planner)
    from optimizer.analysis.split import Skip, plan_split

    plan = plan_split(ctx, stage)
    if plan is None:
        return
    ins0 = stage.from_instruction
    if isinstance(plan, Skip):
        also = "".join(f"; line {a.line}: {a.reason}" for a in plan.also[:_MORE])
        more = f"; and {len(plan.also) - _MORE} more" if len(plan.also) > _MORE else ""
        yield ctx.report(
            ins0,
            f"The final image keeps the build tools; not split: line {plan.line}: {plan.reason}{also}{more}",
        )
        return
    edits = _edits(ctx, plan)
    if edits is None:
        return
    dropped = ", ".join(dict.fromkeys(plan.build_packages)) or "the -devel toolchain"
    yield ctx.report(
        ins0,
        f"The final image keeps what only building needs ({dropped}): build in a builder stage "
        f"and copy {plan.what} into a runtime stage on `{plan.runtime_base}`"
        + (f" ({plan.why_base})" if plan.why_base else "")
        + (f" ({plan.full_base_note})" if plan.full_base_note else "")
        + "".join(f"; {n}" for n in plan.notes),
        edits,
        Applicability.UNSAFE,
        "Split into builder and runtime stages",
        isolated=True,
    )


def _edits(ctx: RuleContext, plan: object) -> list[Edit] | None:
    from optimizer.analysis.finalstage import insertion_point
    from optimizer.analysis.split import VENV, SplitPlan
    from optimizer.analysis.templating import render

    assert isinstance(plan, SplitPlan)
    doc, text = ctx.doc, ctx.doc.text
    ins0 = plan.stage.from_instruction
    kw = {k: ctx.keyword_like(ins0, k) for k in ("FROM", "AS", "RUN", "ENV", "COPY")}
    nl, esc = doc.newline, doc.escape
    edits: list[Edit] = []
    # 1. the builder: FROM … AS builder
    words = ins0.args.split()
    image_at = ins0.src(ins0.args_offset)
    if text[image_at : image_at + len(plan.stage.base)] != plan.stage.base:
        return None
    name = plan.stage.name
    if name:
        name_at = ins0.src(ins0.args_offset + ins0.args.rindex(words[-1]))
        if text[name_at : name_at + len(words[-1])] != words[-1]:
            return None
        edits.append(Edit(name_at, name_at + len(words[-1]), "builder"))
    else:
        edits.append(Edit.insert(image_at + len(plan.stage.base), f" {kw['AS']} builder"))
    # 2. the virtual environment, before the first pip install (and the comments above it)
    if plan.venv:
        at = insertion_point(text, plan.first_pip)
        sys_site = plan.system_site_packages
        edits.append(
            Edit.deferred(
                at,
                at,
                lambda: render("venv.j2", newline=nl, escape=esc, kw=kw, venv=VENV, system_site_packages=sys_site),
            )
        )
    if plan.add_venv_package is not None:
        ins, inv = plan.add_venv_package
        for body in ctx.bodies(ins):
            if any(i.command is inv.command for i in invocations(body.script)):
                pkgs = inv.packages()
                edits.append(insert_after(body, pkgs[-1], "python3-venv"))
                break
        else:
            return None
    # 3. the runtime stage, right after the builder's last step
    platform = ins0.flag("platform")

    def block() -> str:  # rendered only when the fix is applied or shown
        return render(
            "runtime_stage.j2",
            newline=nl,
            escape=esc,
            kw=kw,
            base=plan.runtime_base,
            platform=platform[0].value if platform else "",
            name=name or "",
            items=plan.items,
            builder="builder",
        )

    tail = f"{nl}{kw['RUN']} {plan.builder_tail}" if plan.builder_tail else ""
    edits.append(Edit.deferred(plan.cut.end, plan.cut.end, lambda: tail + nl + block().rstrip("\r\n")))
    return edits
