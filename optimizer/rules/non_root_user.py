"""DOP503 non-root-user."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage

DOC = """
## What it does
Makes the final stage run as a dedicated non-root user: creates the user and
group with a fixed UID/GID (10001) using the base family's command
(`groupadd`/`useradd` on Debian, Ubuntu and RHEL, `addgroup`/`adduser` on
Alpine), gives it the application files with `COPY --chown` (no `chown -R`
layer), makes it the owner of the `WORKDIR`, and puts `USER` before
`ENTRYPOINT`/`CMD`, numeric (`USER 10001:10001`) so that Kubernetes'
`runAsNonRoot` can check it. On distroless images it uses the image's own `nonroot`
user (`USER 65532`). When the stage already creates a user and only forgot
to switch to it, the `USER` line names that user.

## Why
A process running as root inside the container is root on the host's kernel
as soon as anything lets it out (a mounted socket, a kernel bug, a
privileged flag); most services need no root at all.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ["python", "worker.py"]
```
becomes
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \\
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin app \\
 && mkdir -p /app && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "worker.py"]
```

## Fix safety
Unsafe: the program may write where only root can (a cache under `/root`,
`/var/log`, a `VOLUME`). Skipped, with the reason, when the stage already
sets `USER`, the process binds a port below 1024, the command is an init or
supervisor (s6, supervisord, systemd, runit, cron, sshd, nginx) or switches
user itself (`gosu`, `su-exec`), the entrypoint script installs packages or
changes owners at start-up (or cannot be read from the build context), the
stage declares a `VOLUME`, the base image is unknown to dopt, scratch, or
Windows.
"""

UID = 10001
USER = "app"
_ROOT_COMMANDS = frozenset(
    {
        "supervisord",
        "s6-svscan",
        "/init",
        "init",
        "systemd",
        "runsvdir",
        "runit",
        "cron",
        "crond",
        "sshd",
        "nginx",
        "httpd",
        "apache2-foreground",
        "apache2ctl",
        "php-fpm",
        "service",
        "gosu",
        "su-exec",
        "su",
        "sudo",
        "setpriv",
        "chroot",
        "dockerd",
        "postgres",
        "mysqld",
        "mongod",
        "redis-server",
        "haproxy",
        "squid",
        "named",
        "rsyslogd",
    }
)
_ROOT_WORDS = re.compile(
    r"\b(apt-get\s+install|apt\s+install|apk\s+add|yum\s+install|dnf\s+install|pip3?\s+install"
    r"|chown|gosu|su-exec|useradd|adduser|setcap|mount|sysctl|iptables|service\s+\w+\s+start"
    r"|supervisord|exec\s+/sbin/init)\b"
)
_SYSTEM_DIRS = (
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/include",
    "/usr/share",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/local/lib",
    "/usr/local/include",
    "/usr/local/share",
    "/usr/local/etc",
    "/etc",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/var/lib",
    "/var/cache",
    "/var/log",
    "/var/run",
    "/run",
    "/opt/venv",
    "/opt/conda",
    "/root",
    "/tmp",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
)


def _creates_user(ctx: RuleContext, stage: Stage) -> str | None:
    for ins in stage.instructions:
        for body in ctx.bodies(ins):
            for cmd in body.script.commands():
                if cmd.basename in ("useradd", "adduser") and cmd.words[-1].literal:
                    name = cmd.words[-1].value
                    if re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", name):
                        return name
    return None


def _why_root(ctx: RuleContext, stage: Stage, argv: list[str], ports: list[int]) -> str | None:
    low = [p for p in ports if p < 1024]
    if low:
        return f"it listens on port {low[0]}, below 1024"
    for w in argv:
        base = w.rsplit("/", 1)[-1]
        if w in _ROOT_COMMANDS or base in _ROOT_COMMANDS:
            return f"the command starts `{w}`, which expects to start as root"
    text = " ".join(argv)
    if _ROOT_WORDS.search(text):
        return f"the command runs `{_ROOT_WORDS.search(text).group(0)}` at start-up"  # type: ignore[union-attr]
    script = next((w for w in argv[:2] if w.endswith(".sh") or "entrypoint" in w.lower()), None)
    if script is not None:
        content = _context_file(ctx, stage, script)
        if content is None:
            return f"the entrypoint script `{script}` could not be read from the build context"
        found = _ROOT_WORDS.search(content)
        if found:
            return f"the entrypoint script `{script}` runs `{found.group(0)}`"
    return None


def _context_file(ctx: RuleContext, stage: Stage, in_image: str) -> str | None:
    from optimizer.analysis.buildcontext import find_in_context, read_text

    found = find_in_context(ctx, stage, in_image, search_path=True)
    return read_text(found, 200_000) if found is not None else None


def _app_copies(stage: Stage) -> list[tuple[Instruction, str]]:
    """COPY/ADD instructions that put application files outside system folders, with the workdir then."""
    out = []
    workdir = "/"
    for ins in stage.instructions:
        if ins.keyword == "WORKDIR":
            workdir = posixpath.normpath(posixpath.join(workdir, ins.args.strip()))
        if ins.keyword not in ("COPY", "ADD") or ins.flag("chown") or ins.json:
            continue
        words = ins.args.split()
        if len(words) < 2 or "$" in words[-1]:
            continue
        dest = posixpath.normpath(posixpath.join(workdir, words[-1]))
        if dest == "/" or any(dest == d or dest.startswith(d + "/") for d in _SYSTEM_DIRS):
            continue
        out.append((ins, workdir))
    return out


@rule("DOP503", "non-root-user", "Run the final stage as a dedicated non-root user", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if not doc.stages or ctx.windows:
        return
    stage = doc.stages[-1]
    if not any(i.keyword in ("CMD", "ENTRYPOINT") for i in stage.instructions):
        return  # no command of its own: a base or tool image, whose users pick the user
    from optimizer.analysis.finalstage import ancestry, base_family, insertion_point, last
    from optimizer.analysis.service import analyse, command_of
    from optimizer.analysis.templating import render

    chain = ancestry(doc.stages, stage)
    if last(chain, "USER") is not None:
        return
    ins0 = stage.from_instruction
    base, fam = base_family(doc.stages, stage)

    def skip(why: str) -> Diagnostic:
        return ctx.report(ins0, f"The final stage runs as root; not changed: {why}")

    if fam is None:
        yield skip(f"dopt does not know how to create a user on `{base}`")
        return
    if fam.name == "scratch":
        return
    if base.endswith(":nonroot") or "-nonroot" in base:
        return
    argv, _shell, first = command_of(stage)
    if first is None:
        return  # no command of its own: a base or tool image, whose users pick the user
    svc = analyse(ctx, stage, doc.stages)
    ports = list(svc.exposed) + ([svc.port] if svc.port else [])
    why = _why_root(ctx, stage, svc.argv, ports)
    if why is None and any(ins.keyword == "VOLUME" for st in chain for ins in st.instructions):
        why = "the stage declares a VOLUME, which would stay owned by root"
    if why is not None:
        yield skip(why)
        return
    later_run = first is not None and any(i.keyword == "RUN" and i.index > first.index for i in stage.instructions)
    if later_run:
        yield skip("a RUN comes after ENTRYPOINT/CMD")
        return
    kw = {k: ctx.keyword_like(ins0, k) for k in ("RUN", "USER")}
    existing = _creates_user(ctx, stage)
    edits: list[Edit] = []
    own: list[str] = []
    create: list[str] = []
    if fam.create_user is None:
        if fam.nonroot_uid is None:
            return
        user = str(fam.nonroot_uid)
        message = f"use the image's nonroot user ({fam.nonroot_uid})"
    elif existing is not None:
        user = existing
        message = f"the stage creates `{existing}` but never switches to it"
    else:
        user = f"{UID}:{UID}"  # numeric: Kubernetes' runAsNonRoot can check it (hadolint DL3066)
        create = fam.create_user.format(uid=UID, gid=UID, name=USER).split(" && ")
        workdir = last([stage], "WORKDIR")
        if workdir is not None:
            folder = posixpath.normpath(posixpath.join("/", workdir.args.strip()))
            if (
                "$" not in folder
                and folder != "/"
                and not any(folder == d or folder.startswith(d + "/") for d in _SYSTEM_DIRS)
            ):
                own.append(folder)
        chown = "10001:10001"
        for ins, _wd in _app_copies(stage):
            at = ins.src(ins.args_offset)
            edits.append(Edit.insert(at, f"--chown={chown} "))
        message = f"create `{USER}` ({UID}:{UID}), give it the application files and switch to it"
    text = render(
        "create_user.j2",
        newline=doc.newline,
        escape=doc.escape,
        kw=kw,
        create=create,
        own=own,
        uid=UID,
        gid=UID,
        user=user,
    )
    edits.append(Edit.insert(insertion_point(doc.text, first), text))
    yield ctx.report(
        ins0,
        f"The final stage runs as root: {message}",
        edits,
        Applicability.UNSAFE,
        "Run as a non-root user",
    )
