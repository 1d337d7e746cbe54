"""DOP503 non-root-user."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext, final_stage
from optimizer.records import record
from optimizer.syntax.model import Instruction, Stage

if TYPE_CHECKING:
    from optimizer.analysis.knowledge import Family, ImageUser
    from optimizer.analysis.stage_facts import StageFacts

DOC = """
## What it does
Makes the final stage run as a dedicated non-root user that fits the
application. It creates the user and group with a fixed UID/GID (10001) and
a home directory it owns (`useradd --create-home` on Debian, Ubuntu and
RHEL, `adduser -D` on Alpine), so that `HOME` (`/home/app`) exists and is
writable: caches under `~/.cache`, `~/.config` and friends keep working.
The application files stay root-owned and world-readable — the process
cannot rewrite its own code — and only the paths it writes to become the
user's, created and given to it in the same `RUN` that creates the user:

- the `WORKDIR` itself and every folder a `RUN mkdir` of the final stage
  (or a stage it is built `FROM`) creates — the folder, not the files
  copied into it; a folder that application files were copied into stays
  root's, and the user's group may create files in it (`chgrp` + `chmod
  g+w,+t`: the sticky bit keeps the process from deleting or replacing the
  files it does not own);
- every folder named by an `ENV` variable that means "writes here"
  (`HF_HOME`, `TRANSFORMERS_CACHE`, `XDG_*`, `*_HOME`, `*_CACHE*`, `*_DIR`,
  an `ENV HOME` …, but not `JAVA_HOME` and other install locations), and
  every `VOLUME`, with its contents (`chown -R`), unless application files
  were copied there.

`USER` goes before `ENTRYPOINT`/`CMD`, numeric (`USER 10001:10001`) so that
Kubernetes' `runAsNonRoot` can check it. On distroless images it uses the
image's own `nonroot` user (`USER 65532`, home `/home/nonroot`); on images
that ship a user it uses that one (`node` on `node` images, `USER 1000:1000`;
`app`, 1654, on .NET 8+), and gives it the same write paths. When the
stage already creates a user (with a home) and only forgot to switch to it,
the `USER` line names that user. The signals (write-path variables,
commands that need root, toolbox shells, dev users) are data, in
`optimizer/analysis/data/runtime.toml`.

## Why
A process running as root inside the container is root on the host's kernel
as soon as anything lets it out (a mounted socket, a kernel bug, a
privileged flag); most services need no root at all. A non-root user that
cannot write where the program writes breaks the image at run time, so the
rule only adds one when it can tell where that is.

## Example
```dockerfile
FROM python:3.12-slim
ENV HF_HOME=/models
WORKDIR /app
COPY . .
CMD ["python", "worker.py"]
```
becomes
```dockerfile
FROM python:3.12-slim
ENV HF_HOME=/models
WORKDIR /app
COPY . .
RUN groupadd --system --gid 10001 app \\
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \\
 && mkdir -p /app /models \\
 && chown -R 10001:10001 /models \\
 && chgrp 10001 /app \\
 && chmod g+w,+t /app
USER 10001:10001
CMD ["python", "worker.py"]
```

A final stage with no `CMD` or `ENTRYPOINT` in its chain is a base, CI or
toolbox image whose users pick the user: nothing is reported for it.

## Fix safety
Unsafe: the program may still write somewhere dopt cannot see (a path in
its configuration or code); `dopt verify` compares what the original and
the rewrite write at run time. Nothing is changed — the finding says why,
naming the line — when:

- the image is not a service: an interactive shell or REPL (`bash`, `sh -l`,
  `bash --rcfile … -l`, `python`), a keep-alive (`sleep infinity`), a test
  image (`pytest`, `tox`, `make test`, `npm test`, `go test` …), a
  dev-environment stage (named `dev`, `devcontainer` …, or creating a
  `vscode`-like user);
- the program it starts is one dopt cannot account for: not an interpreter
  or runtime it knows, not built in or copied from a stage of this
  Dockerfile, not a file it finds in the build context (a binary copied from
  another image, a package's program), or a launcher that sets up an
  environment under root's folders at start (Apache Beam's `boot`, unless
  `ENV RUN_PYTHON_SDK_IN_DEFAULT_ENVIRONMENT` is set);
- the entry module writes to a system folder (`open('/etc/x', 'w')`), or to
  relative paths while the working directory is `/`; the specific folders it
  writes to by literal paths (`os.makedirs('/mnt/out')`) are given to the user;
- keys or certificates are copied from the build context (`*.pem`, `*.key`,
  `certs/`, `ssl/` …): a 0600 key would stay root's;
- what the final stage installs or runs refers to root's home (`/root`,
  `~`, `$HOME`): `ENV PATH=/root/.local/bin`, `pip install --user`, `pipx`,
  `~/.profile`, a `COPY` into `/root`, an installer that writes to `~`;
- the process needs root: a port below 1024 (`EXPOSE 80`, `ENV PORT=80`,
  `--port 80`, `-b :80`), a program that starts as root (supervisord,
  nginx, sshd, cron, gosu …), an image that installs openssh-server, an MPI
  launcher (`mpirun`, `horovodrun`), or `apt`/`pip install`/`ldconfig`/`chown`/
  `useradd`/`sysctl` … in the command or the entrypoint script (which must
  be readable in the build context);
- the write paths cannot be known (a variable dopt cannot resolve), a
  `VOLUME` is declared in a parent stage (a chown after it is discarded),
  or a `RUN` follows `CMD`/`ENTRYPOINT`;
- the stage already sets `USER`, creates a user without a home, the base
  image is unknown to dopt, scratch, Windows, or a distroless image whose
  write paths would need a shell.
"""

UID = 10001
USER = "app"
HOME = "/home/app"
_ROOT_REF = re.compile(r"(?<![\w.$-])/root(?=/|$|[\s:;\"'])|(?:^|(?<=[\s:=\"']))~(?=/|$|[\s:])|\$\{?HOME\b")
_REDIRECT_HOME = re.compile(r">{1,2}\s*((?:~|\$\{?HOME\}?|/root)(?:/[^\s;&|]*)?)(?=\s|;|&|\||$)")
_RECURSIVE = re.compile(r"-[a-zA-Z]*[rR][a-zA-Z]*|--recursive")
_PACKAGE_MANAGERS = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "tdnf"})
_NOT_A_PATH = frozenset({"", "0", "1", "true", "false", "yes", "no", "on", "off", "none", "True", "False"})


@record
class WritePath:
    path: str
    recursive: bool  # chown -R (its contents too), else the folder only
    ins: Instruction
    shared: bool = False  # application files were copied into it: root keeps it, the user's group may add files


class Refusal(Exception):
    """Why the rule leaves the stage as it is."""

    def __init__(self, why: str, ins: Instruction | None = None) -> None:
        super().__init__(why)
        self.why = f"line {ins.line_start}: {why}" if ins is not None else why


def _base_workdir(facts: StageFacts) -> str:
    """The WORKDIR the chain's base image sets (data/workdirs.toml), where a relative WORKDIR starts; / if unknown."""
    from optimizer.analysis.knowledge import image_workdir

    return image_workdir(facts.chain[-1].image) or "/"


def _abs(workdir: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(workdir, path))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _braces(word: str) -> list[str]:
    """``/app/{static,media}`` → both paths (one level of braces)."""
    m = re.search(r"\{([^{}]*,[^{}]*)\}", word)
    if m is None:
        return [word]
    return [word[: m.start()] + part + word[m.end() :] for part in m.group(1).split(",")]


def _not_a_service(ctx: RuleContext, facts: StageFacts, run: list[str]) -> None:
    from optimizer.analysis import runtime_signals as sig

    stage = facts.stage
    command = facts.entrypoint or facts.cmd
    why = sig.toolbox_command(run)
    if why is not None:
        raise Refusal(f"{why}: a CI, dev or toolbox image, whose jobs install packages and write anywhere", command)
    runner = sig.test_runner(sig.simple_commands(run))
    if runner is not None:
        raise Refusal(
            f"its command runs `{' '.join(runner.words)}`: a test image, whose suite writes where its tests write",
            command,
        )
    if sig.dev_stage(stage.name):
        raise Refusal(f"the final stage `{stage.name}` is a dev-environment stage", stage.from_instruction)
    for ins in facts.instructions():
        for body in ctx.bodies(ins):
            for cmd in body.script.commands():
                if (
                    cmd.basename in ("useradd", "adduser")
                    and cmd.words[-1].literal
                    and sig.dev_user(cmd.words[-1].value)
                ):
                    raise Refusal(f"it creates `{cmd.words[-1].value}`, a dev-environment user", ins)


def _root_home(ctx: RuleContext, facts: StageFacts, run: list[str]) -> None:
    """Refuse when what the final stage installs or runs needs root's home."""
    from optimizer.analysis import runtime_signals as sig
    from optimizer.syntax.keyvalues import key_values

    workdir = _base_workdir(facts)
    for ins in facts.instructions():
        kw = ins.keyword
        if kw == "ENV":
            for name, value in key_values(ins):
                if _ROOT_REF.search(value) and not sig.build_only_variable(name):
                    raise Refusal(f"ENV {name}={value} refers to root's home, which only root can read", ins)
        elif kw == "WORKDIR":
            workdir = _abs(workdir, facts.resolve(ins.args.strip()) or ins.args.strip())
            if _under(workdir, "/root") or _ROOT_REF.search(ins.args):
                raise Refusal(f"WORKDIR {ins.args.strip()} is in root's home, which only root can read", ins)
        elif kw in ("COPY", "ADD") and not ins.json:
            words = ins.args.split()
            if len(words) >= 2:
                dest = facts.resolve(words[-1]) or words[-1]
                if _ROOT_REF.search(dest) or _under(_abs(workdir, dest), "/root"):
                    raise Refusal(f"{kw} puts files in root's home ({words[-1]}), which only root can read", ins)
        elif kw == "RUN":
            bodies = ctx.bodies(ins)
            text = "\n".join(b.script.source for b in bodies) if bodies else ins.args
            url = sig.installer_url(text)
            if url is not None:
                raise Refusal(f"the installer from {url} installs into root's home", ins)
            written = _REDIRECT_HOME.search(text)
            if written is not None:
                raise Refusal(f"it writes {written.group(1)} in root's home, which only root can read", ins)
            commands = [[w.value for w in c.words] for b in bodies for c in b.script.commands()]
            found = sig.home_installer(commands)
            if found is not None:
                raise Refusal(f"`{found.entry}` run as root installs into root's home", ins)
            for cmd in commands:
                if sig.harmless(cmd):
                    continue
                ref = next((w for w in cmd if _ROOT_REF.search(w)), None)
                if ref is not None:
                    raise Refusal(f"`{cmd[0]} … {ref}` uses root's home, which only root can read", ins)
            if not bodies and _ROOT_REF.search(ins.args):
                raise Refusal("the RUN refers to root's home, which only root can read", ins)
    ref = next((w for w in run if _ROOT_REF.search(w)), None)
    if ref is not None:
        raise Refusal(
            f"the command uses `{ref}` in root's home, which only root can read", facts.cmd or facts.entrypoint
        )


def _needs_root(ctx: RuleContext, facts: StageFacts, commands: list[list[str]], run: list[str]) -> None:
    from optimizer.analysis import runtime_signals as sig
    from optimizer.analysis.service import analyse

    command = facts.cmd or facts.entrypoint
    for port, ins in sorted(facts.exposed + facts.exposed_udp, key=lambda pi: pi[1].index):
        if port < 1024:
            why = f"EXPOSE {ins.args.strip()}: it listens on port {port}, below 1024, which only root may bind"
            raise Refusal(why, ins)
    for name, value in facts.env.items():
        low = sig.port_of(value) if sig.listen_port_variable(name) else None
        if low is not None and low < 1024:
            raise Refusal(f"ENV {name}={value}: it listens on port {low}, below 1024", facts.env_at[name])
    for port, shown in sig.listen_ports(commands):
        if port < 1024:
            raise Refusal(f"`{shown}`: it listens on port {port}, below 1024", command)
    svc = analyse(ctx, facts.stage, ctx.doc.stages)
    if svc.port is not None and svc.port < 1024:
        raise Refusal(f"it listens on port {svc.port} ({svc.port_source}), below 1024", command)
    starter = sig.starts_as_root(commands)
    if starter is not None:
        raise Refusal(f"the command starts `{starter}`, which expects to start as root", command)
    found = sig.root_command(commands)
    if found is not None:
        raise Refusal(f"the command runs `{found.entry}` at start-up, which needs root", command)
    mpi = sig.mpi_launcher(commands)
    if mpi is not None:
        raise Refusal(f"the command starts `{mpi}`, an MPI launcher that reaches its ranks over ssh as root", command)
    _daemon_packages(ctx, facts)
    script = next((w for w in run[:2] if w.endswith(".sh") or "entrypoint" in w.lower()), None)
    if script is not None:
        content = _context_file(ctx, facts.stage, script)
        if content is None:
            raise Refusal(f"the entrypoint script `{script}` could not be read from the build context", command)
        inner = sig.script_commands(content)
        starter = sig.starts_as_root(inner)
        if starter is not None:
            raise Refusal(
                f"the entrypoint script `{script}` starts `{starter}`, which expects to start as root", command
            )
        found = sig.root_command(inner) or sig.home_installer(inner)
        if found is not None:
            raise Refusal(f"the entrypoint script `{script}` runs `{found.entry}`, which needs root", command)
        mpi = sig.mpi_launcher(inner)
        if mpi is not None:
            why = f"the entrypoint script `{script}` starts `{mpi}`, an MPI launcher that reaches its ranks over ssh"
            raise Refusal(why, command)
        bound = [(port, shown) for port, shown in sig.listen_ports(inner) if port < 1024]
        if bound:
            why = f"the entrypoint script `{script}` runs `{bound[0][1]}`: it listens on port {bound[0][0]}, below 1024"
            raise Refusal(why, command)
        if _ROOT_REF.search(content):
            raise Refusal(f"the entrypoint script `{script}` uses root's home", command)


def _daemon_packages(ctx: RuleContext, facts: StageFacts) -> None:
    """Refuse when the chain installs a daemon that needs root (openssh-server: sshd)."""
    from optimizer.analysis import runtime_signals as sig

    for ins in facts.instructions():
        for body in ctx.bodies(ins):
            for cmd in body.script.commands():
                if cmd.basename not in _PACKAGE_MANAGERS:
                    continue
                pkg = sig.daemon_package([w.value for w in cmd.words])
                if pkg is not None:
                    raise Refusal(
                        f"it installs {pkg}: its daemon needs root (sshd binds port 22 and reads host keys only root "
                        "may read; a chown of /var/run/sshd is not enough)",
                        ins,
                    )


def _entry_programs(ctx: RuleContext, facts: StageFacts, commands: list[list[str]]) -> None:
    """Refuse unless every program the command starts is one dopt can account for: an interpreter or runtime,
    a file built in or copied from a stage of this Dockerfile, a file it finds in the build context, or a
    launcher it knows with its start-up set-up turned off."""
    from optimizer.analysis import runtime_signals as sig

    command = facts.entrypoint or facts.cmd
    workdir = facts.workdir
    for cmd in commands:
        word = cmd[0]
        prog = facts.resolve(word)
        if prog is None or any(c in prog for c in "$`*?"):
            raise Refusal(f"dopt cannot tell which program `{word}` is", command)
        if sig.utility(prog) or sig.runtime_program(prog):
            continue
        path = _abs(workdir, prog) if "/" in prog else None
        found = sig.launcher(path) if path is not None else None
        if found is not None:
            off = found.off_env
            if off is not None and facts.env.get(off, "").strip() not in ("", '""', "''"):
                continue
            hint = f" (ENV {off}=1 turns that off)" if off is not None else ""
            raise Refusal(f"`{word}` is {found.name}: {found.does}{hint}", command)
        if _context_file(ctx, facts.stage, prog) is not None or _built_here(ctx, facts, prog):
            continue
        raise Refusal(
            f"`{word}` is a program dopt cannot account for (not built in or copied from a stage of this "
            "Dockerfile, not a file it can read in the build context): nothing says it runs as a non-root user",
            command,
        )


def _built_here(ctx: RuleContext, facts: StageFacts, prog: str) -> bool:
    """Is ``prog`` built by a RUN of the chain (``-o prog``) or copied from a stage of this Dockerfile?"""
    from optimizer.analysis import runtime_signals as sig
    from optimizer.analysis.buildcontext import copy_sources

    if "/" in prog:
        targets = {_abs(facts.workdir, prog)}
    else:
        dirs = [d for d in facts.env.get("PATH", "").split(":") if d.startswith("/")] + sig.path_dirs()
        targets = {posixpath.join(d, prog) for d in dirs}
    names = {t.rsplit("/", 1)[-1] for t in targets}
    stages = {(s.name or "").lower() for s in ctx.doc.stages if s.name} | {str(s.index) for s in ctx.doc.stages}
    workdir = _base_workdir(facts)
    for ins in facts.instructions():
        kw = ins.keyword
        if kw == "WORKDIR":
            workdir = _abs(workdir, facts.resolve(ins.args.strip()) or ins.args.strip())
        elif kw in ("COPY", "ADD"):
            flag = ins.flag("from")
            src_stage = (flag[0].value or "").lower() if flag else ""
            srcs = copy_sources(ins)
            if not flag or src_stage not in stages or not srcs:
                continue
            words = list(ins.json_args) if ins.json and ins.json_args else ins.args.split()
            dest_word = facts.resolve(words[-1]) or words[-1]
            dest = _abs(workdir, dest_word)
            for src in srcs:
                candidates = {dest, posixpath.join(dest, posixpath.basename(src.rstrip("/")))}
                if targets & candidates or any(_under(t, dest) and t != dest for t in targets):
                    return True
        elif kw == "RUN":
            for body in ctx.bodies(ins):
                for cmd in body.script.commands():
                    values = [w.value for w in cmd.words]
                    for i, w in enumerate(values):
                        out = None
                        if w in ("-o", "--output") and i + 1 < len(values):
                            out = values[i + 1]
                        elif w.startswith(("-o=", "--output=")):
                            out = w.split("=", 1)[1]
                        if out and (
                            _abs(workdir, out) in targets or ("/" not in prog and out.rsplit("/", 1)[-1] in names)
                        ):
                            return True
    return False


def _context_file(ctx: RuleContext, stage: Stage, in_image: str) -> str | None:
    from optimizer.analysis.buildcontext import find_in_context, read_text

    found = find_in_context(ctx, stage, in_image, search_path=True)
    return read_text(found, 200_000) if found is not None else None


def _entry_module(run: list[str]) -> str | None:
    """The .py file a Python command runs (`python app.py`, `python -m pkg.mod`, `gunicorn mod:app`)."""
    from optimizer.analysis import runtime_signals as sig

    for i, w in enumerate(run[1:], 1):
        if not sig.runtime_program(run[0]):
            break
        if w.endswith(".py") and not w.startswith("-"):
            return w
        if w == "-m" and i + 1 < len(run):
            return run[i + 1].replace(".", "/") + ".py"
        if ":" in w and not w.startswith("-") and re.fullmatch(r"[\w.]+:[\w.()]+", w):
            return w.split(":")[0].replace(".", "/") + ".py"
    return None


def _module_writes(ctx: RuleContext, facts: StageFacts, run: list[str]) -> list[WritePath]:
    """The folders the entry module (read from the build context) writes to by literal absolute paths;
    refuses for system folders and for relative writes while the working directory is `/`."""
    from optimizer.analysis import runtime_signals as sig

    module = _entry_module(run)
    if module is None:
        return []
    source = _context_file(ctx, facts.stage, module)
    if source is None and module.endswith(".py") and "/" in module and "/" not in run[-1]:
        source = _context_file(ctx, facts.stage, module[: -len(".py")] + "/__main__.py")
    writes = sig.python_writes(source) if source is not None else None
    command = facts.cmd or facts.entrypoint
    out: list[WritePath] = []
    for w in writes or []:
        if not w.path.startswith("/"):
            if facts.workdir == "/" and w.path not in ("", ".") and command is not None:
                why = (
                    f"{module} line {w.line} writes `{w.path}` relative to the working directory, which is / "
                    "(no WORKDIR): the user could not write there"
                )
                raise Refusal(why, command)
            continue
        folder = posixpath.normpath(w.path if w.folder else posixpath.dirname(w.path))
        if folder == "/tmp" or _under(folder, "/tmp") or _under(folder, "/dev") or _under(folder, "/proc"):
            continue
        if sig.top_level(folder) or sig.not_written(folder):
            why = f"{module} line {w.line} writes {w.path}, in {folder}, a system folder dopt does not give to a user"
            raise Refusal(why, command)
        if command is not None:
            out.append(WritePath(folder, True, command))
    return out


def _write_paths(
    ctx: RuleContext, facts: StageFacts, with_workdir: bool, extra: list[WritePath] | None = None
) -> list[WritePath]:
    """The folders the program writes to: WORKDIR, `RUN mkdir`, write-path ENV variables, VOLUMEs, and the
    literal paths the entry module writes to (``extra``)."""
    from optimizer.analysis import runtime_signals as sig

    found: list[WritePath] = list(extra or [])
    copied: list[str] = []  # destinations of application files
    workdir = _base_workdir(facts)
    for ins in facts.instructions():
        kw = ins.keyword
        if kw == "WORKDIR":
            workdir = _abs(workdir, facts.resolve(ins.args.strip()) or ins.args.strip())
        elif kw in ("COPY", "ADD"):
            words = list(ins.json_args) if ins.json and ins.json_args else ins.args.split()
            if len(words) >= 2:
                copied.append(_abs(workdir, facts.resolve(words[-1]) or words[-1]))
        elif kw == "RUN":
            for body in ctx.bodies(ins):
                for cmd in body.script.commands():
                    if cmd.basename == "rm" and any(_RECURSIVE.fullmatch(w.value) for w in cmd.args):
                        gone = [_abs(workdir, w.value) for w in cmd.args if w.literal and not w.value.startswith("-")]
                        found = [wp for wp in found if not any(_under(wp.path, g) for g in gone)]
                    if cmd.basename != "mkdir":
                        continue
                    skip_next = False
                    for w in cmd.args:
                        if skip_next:
                            skip_next = False
                            continue
                        if w.value in ("-m", "--mode"):
                            skip_next = True
                            continue
                        if w.value.startswith("-"):
                            continue
                        text = w.value if w.literal else w.text.strip("\"'")
                        value = facts.resolve(text)
                        if value is None or any(c in value for c in "*?[]$`"):
                            raise Refusal(f"`mkdir {w.text}`: dopt cannot tell which folder it creates", ins)
                        for one in _braces(value):
                            path = _abs(workdir, one)
                            if not sig.not_written(path) and not sig.top_level(path):
                                found.append(WritePath(path, False, ins))
    if with_workdir and facts.workdir_at is not None:
        path = facts.workdir
        if "$" not in path and not sig.not_written(path) and not sig.top_level(path):
            found.append(WritePath(path, False, facts.workdir_at))
    for name, value in facts.env.items():
        if not sig.write_variable(name):
            continue
        ins = facts.env_at[name]
        if name in facts.unresolved:
            raise Refusal(f"ENV {name}={value} names a folder the program writes to, which dopt cannot resolve", ins)
        part = value.strip()
        if part in _NOT_A_PATH or re.fullmatch(r"[\d.]+", part) or not re.fullmatch(r"[\w./@+-]+", part):
            continue
        path = _abs(facts.workdir, part)
        if not sig.named_write_variable(name) and (sig.not_written(path) or sig.top_level(path)):
            continue  # only the name's shape (`*_DIR`) says "writes here": a system folder is an install location
        found.append(WritePath(path, True, ins))
    for path, ins in facts.volumes:
        if "$" in path or not path.startswith("/"):
            raise Refusal(f"VOLUME {path}: dopt cannot resolve the folder", ins)
        if ins.stage != facts.stage.index:
            raise Refusal(
                f"VOLUME {path} is declared in an earlier stage; the owner set in this stage would be discarded", ins
            )
        found.append(WritePath(posixpath.normpath(path), True, ins))
    out: dict[str, WritePath] = {}
    for wp in found:
        if wp.path == "/tmp" or not wp.path.startswith("/"):
            continue
        if sig.top_level(wp.path):
            raise Refusal(f"the program writes to {wp.path}, which cannot be given to a user as a whole", wp.ins)
        if sig.not_written(wp.path):
            raise Refusal(f"the program writes to {wp.path}, a system folder dopt does not give to a user", wp.ins)
        if any(_under(c, wp.path) for c in copied):
            # application files there stay root's, and so does the folder: the user's group may create files in
            # it, and the sticky bit keeps it from deleting or replacing the files it does not own
            wp = WritePath(wp.path, False, wp.ins, shared=True)
        old = out.get(wp.path)
        if old is None or (wp.recursive and not old.recursive and not old.shared):
            out[wp.path] = wp
        elif wp.shared and not old.shared:
            out[wp.path] = WritePath(wp.path, False, old.ins, shared=True)
    kept = [
        wp
        for wp in out.values()
        if not any(o.recursive and o.path != wp.path and _under(wp.path, o.path) for o in out.values())
    ]
    return sorted(kept, key=lambda wp: wp.path)


def _existing_user(ctx: RuleContext, facts: StageFacts) -> tuple[str, Instruction, bool] | None:
    """A user the chain creates: (name, the RUN, whether it gets a home directory)."""
    for ins in facts.instructions():
        for body in ctx.bodies(ins):
            for cmd in body.script.commands():
                if cmd.basename in ("useradd", "adduser") and cmd.words[-1].literal:
                    name = cmd.words[-1].value
                    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", name):
                        continue
                    flags = {w.value for w in cmd.args}
                    if cmd.basename == "useradd":
                        home = bool(flags & {"-m", "--create-home"}) or any(
                            re.fullmatch(r"-[a-zA-Z]*m[a-zA-Z]*", f) for f in flags if not f.startswith("--")
                        )
                        home = home and not flags & {"-M", "--no-create-home"}
                    else:
                        home = not flags & {"-H", "--no-create-home", "--home=/nonexistent"}
                    return name, ins, home
    return None


@rule("DOP503", "non-root-user", "Run the final stage as a dedicated non-root user", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if not doc.stages or ctx.windows:
        return
    stage = final_stage(doc)
    from optimizer.analysis import runtime_signals as sig
    from optimizer.analysis.finalstage import base_family
    from optimizer.analysis.knowledge import image_user
    from optimizer.analysis.stage_facts import facts_of, unwrap_shell

    facts = facts_of(doc, stage)
    if facts.user is not None:
        return
    ins0 = stage.from_instruction
    base, fam = base_family(doc.stages, stage)

    def skip(why: str) -> Diagnostic:
        return ctx.report(ins0, f"The final stage runs as root; not changed: {why}")

    if facts.entrypoint is None and facts.cmd is None:
        return  # no command in the chain: a base, CI or toolbox image whose users pick the user (nothing to offer)
    own = image_user(base)
    if own is not None and own.default:
        return  # the image already runs as its own non-root user
    if fam is None and own is None:
        yield skip(f"dopt does not know how to create a user on `{base}`")
        return
    if fam is not None and (fam.name == "scratch" or (fam.create_user is None and fam.nonroot_uid is None)):
        return
    shell = own.shell if own is not None else fam is not None and fam.shell
    if base.endswith(":nonroot") or "-nonroot" in base:
        return
    argv, _shell = facts.argv()
    run = unwrap_shell(argv)
    commands = sig.simple_commands(run)
    existing = None
    try:
        _not_a_service(ctx, facts, run)
        _root_home(ctx, facts, run)
        _needs_root(ctx, facts, commands, run)
        first = facts.first_command_in_stage()
        if first is not None and any(i.keyword == "RUN" and i.index > first.index for i in stage.instructions):
            raise Refusal("a RUN comes after ENTRYPOINT/CMD", first)
        existing = _existing_user(ctx, facts)
        if existing is not None and not existing[2]:
            raise Refusal(f"it creates `{existing[0]}` without a home directory (add `--create-home`)", existing[1])
        _secrets(facts)
        paths = _write_paths(ctx, facts, with_workdir=shell, extra=_module_writes(ctx, facts, run))
        if not shell and paths:
            raise Refusal(
                f"the program writes to {paths[0].path}, and the image has no shell to give it to the user",
                paths[0].ins,
            )
        _entry_programs(ctx, facts, commands)
    except Refusal as r:
        yield skip(r.why)
        return
    yield _fix(ctx, facts, fam, own, existing, paths, first)


def _secrets(facts: StageFacts) -> None:
    """Refuse when keys or certificates are copied in from the build context: they keep their mode, and a
    0600 key stays root's, unreadable to the user."""
    from optimizer.analysis import runtime_signals as sig
    from optimizer.analysis.buildcontext import copy_sources

    for ins in facts.instructions():
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from"):
            continue
        for src in copy_sources(ins) or []:
            if sig.secret_file(src) or sig.secret_folder(src):
                kind = "a folder of keys or certificates" if sig.secret_folder(src) else "a key or certificate"
                raise Refusal(
                    f"{ins.keyword} {src} copies {kind} from the build context with its mode: a 0600 key stays "
                    "root's and the user could not read it (give it to the user with --chown, then add the user)",
                    ins,
                )


def _fix(
    ctx: RuleContext,
    facts: StageFacts,
    fam: Family | None,
    own: ImageUser | None,
    existing: tuple[str, Instruction, bool] | None,
    paths: list[WritePath],
    first: Instruction | None,
) -> Diagnostic:
    from optimizer.analysis.finalstage import insertion_point
    from optimizer.analysis.templating import render

    doc = ctx.doc
    stage = facts.stage
    ins0 = stage.from_instruction
    kw = {k: ctx.keyword_like(ins0, k) for k in ("RUN", "USER")}
    create: list[str] = []
    owner = f"{UID}:{UID}"
    group = str(UID)
    if fam is not None and fam.create_user is None:
        user = str(fam.nonroot_uid)
        message = f"use the image's nonroot user ({fam.nonroot_uid}, home /home/nonroot)"
    elif existing is not None:
        user = owner = existing[0]
        message = f"the stage creates `{existing[0]}` but never switches to it"
    elif own is not None:
        user = owner = f"{own.uid}:{own.gid}"
        group = str(own.gid)
        home = facts.env.get("HOME", own.home)
        message = f"use the image's `{own.user}` user ({own.uid}:{own.gid}, home {home})"
    else:
        assert fam is not None and fam.create_user is not None
        user = owner
        create = fam.create_user.format(uid=UID, gid=UID, name=USER, home=HOME).split(" && ")
        home = facts.env.get("HOME", HOME)  # an ENV HOME of the chain wins over the passwd entry
        message = f"create `{USER}` ({UID}:{UID}, home {home})"
    # a group of our own (or the image user's) to share folders with
    share = existing is None and (own is not None or (fam is not None and fam.create_user is not None))
    owned = [wp for wp in paths if not (wp.shared and share)]
    shared = [wp.path for wp in paths if wp.shared and share]
    given = ", ".join(wp.path + ("" if wp.recursive else " (the folder)") for wp in owned)
    given = f"give it {given}" if given else ""
    if shared:
        given += (", " if given else "") + (
            f"let it add files to {', '.join(shared)} (the files copied there stay root's, sticky)"
        )
    if existing is not None:
        message += f"; {given} and switch to it" if given else ""
    elif share:
        message += (f", {given}" if given else "") + " and switch to it"
    volume = next((i for i in stage.instructions if i.keyword == "VOLUME"), None)

    def run_text() -> str:  # rendered only when the fix is applied or shown
        return render(
            "create_user.j2",
            newline=doc.newline,
            escape=doc.escape,
            kw=kw,
            part="run",
            create=create,
            mkdir=[wp.path for wp in paths],
            own=[wp.path for wp in paths if not wp.recursive and not (wp.shared and share)],
            own_all=[wp.path for wp in paths if wp.recursive],
            share=[wp.path for wp in paths if wp.shared and share],
            group=group,
            owner=owner,
        )

    def user_text() -> str:
        return render("create_user.j2", newline=doc.newline, escape=doc.escape, kw=kw, part="user", user=user)

    end_of_stage = first is None
    user_at = insertion_point(doc.text, first) if first is not None else stage.instructions[-1].end
    edits: list[Edit] = []
    before_volume = volume is not None and paths and (first is None or volume.index < first.index)
    if before_volume:
        assert volume is not None
        at = insertion_point(doc.text, volume)
        edits.append(Edit.deferred(at, at, run_text))

    def body() -> str:
        return ("" if before_volume else run_text()) + user_text()

    if end_of_stage:
        edits.append(Edit.deferred(user_at, user_at, lambda: doc.newline + body().rstrip("\r\n")))
    else:
        edits.append(Edit.deferred(user_at, user_at, body))
    return ctx.report(
        ins0,
        f"The final stage runs as root: {message}",
        edits,
        Applicability.UNSAFE,
        "Run as a non-root user",
    )
