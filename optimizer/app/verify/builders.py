"""Image builders behind one small interface: build, inspect, run a command, run the app, remove.

Docker and Podman share a command line; buildah builds without a daemon (as root here with
``--storage-driver vfs --isolation chroot``).

Every verify run keeps to what it made, so that it is safe beside other builds on the machine:
- buildah works in a store of its own (``--root``/``--runroot`` in a temporary folder) that sees the
  machine's images read-only (``<driver>.imagestore=``, so base images need no copy); ``cleanup()``
  removes that folder and nothing else.
- docker and podman share the machine's store: everything verify creates carries a label unique to
  the run (``dopt.verify.run=<id>``), and ``cleanup()`` removes by that label (and the tags it built) only.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class BuilderError(Exception):
    pass


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    failed_step: str = ""  # the instruction that failed, as the builder names it
    log_tail: str = ""


@dataclass
class ImageInfo:
    size: int  # uncompressed bytes: the sum of the layers
    compressed: int | None  # when the builder knows it
    layers: int
    user: str
    healthcheck: list[str] | None  # ["CMD", ...] / ["CMD-SHELL", "..."]
    entrypoint: list[str]
    cmd: list[str]
    env: list[str] = field(default_factory=list)
    workdir: str = ""


@dataclass
class RunResult:
    code: int
    output: str
    seconds: float
    timed_out: bool = False


@dataclass
class AppRun:
    """The image's own command, run for a while: what it did and what it changed on disk."""

    running: bool  # still running when the time was up (then stopped)
    code: int | None  # exit code when it exited by itself
    output: str
    seconds: float
    changes: list[tuple[str, str]] | None = None  # ("A"|"C"|"D", path); None: the builder cannot tell
    check_code: int | None = None  # the check script's exit code (None: not run)
    check_output: str = ""


def _saved(proc: subprocess.CompletedProcess[str], dest: Path) -> str:
    if proc.returncode != 0 or not dest.is_file():
        lines = [x for x in (proc.stderr or proc.stdout or "").splitlines() if x.strip()]
        return lines[-1].strip() if lines else f"the image was not saved (exit {proc.returncode})"
    return ""


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _failed_step(log: str) -> str:
    for line in reversed(log.splitlines()):
        for marker in ('building at STEP "', 'ERROR: process "', 'failed to solve: process "'):
            if marker in line:
                return line.split(marker, 1)[1].split('"', 1)[0]
        if line.startswith("Error: building at STEP"):
            return line
    return ""


class Builder:
    """What verify needs from a container tool."""

    name = "builder"
    binary = ""

    def __init__(self) -> None:
        self.images: list[str] = []
        self.containers: list[str] = []
        self.run_id = uuid.uuid4().hex[:12]
        self.label = f"dopt.verify.run={self.run_id}"
        self.target: str | None = None  # the stage to build (`--target`), None: the last one

    @classmethod
    def available(cls) -> bool:
        return shutil.which(cls.binary) is not None

    def _cmd(self) -> list[str]:
        return [self.binary]

    def _run(
        self, args: list[str], timeout: float | None = None, input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self._cmd() + args,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input_text,
            check=False,
            errors="replace",
        )

    def build(
        self, dockerfile: Path, context: Path, tag: str, log: Path | None = None, ignorefile: Path | None = None
    ) -> BuildResult:
        """``ignorefile``: a .dockerignore to use instead of the context's (a per-Dockerfile one)."""
        self.images.append(tag)
        start = time.monotonic()
        proc = self._run(self._build_args(dockerfile, context, tag, ignorefile))
        seconds = time.monotonic() - start
        text = proc.stdout + proc.stderr
        if log is not None:
            log.write_text(text)
        if proc.returncode != 0:
            return BuildResult(False, seconds, _failed_step(text), _tail(text))
        return BuildResult(True, seconds)

    def _build_args(self, dockerfile: Path, context: Path, tag: str, ignorefile: Path | None = None) -> list[str]:
        if ignorefile is not None:  # BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile
            shutil.copyfile(ignorefile, dockerfile.with_name(dockerfile.name + ".dockerignore"))
        return ["build", *self._target_args(), "--label", self.label, "-f", str(dockerfile), "-t", tag, str(context)]

    def _target_args(self) -> list[str]:
        return ["--target", self.target] if self.target else []

    def inspect(self, tag: str) -> ImageInfo:
        proc = self._run(["image", "inspect", tag])
        if proc.returncode != 0:
            raise BuilderError(proc.stderr.strip() or f"cannot inspect {tag}")
        data = json.loads(proc.stdout)[0]
        config = data.get("Config") or {}
        layers = (data.get("RootFS") or {}).get("Layers") or []
        return ImageInfo(
            int(data.get("Size") or 0),
            None,
            len(layers),
            config.get("User") or "",
            (config.get("Healthcheck") or {}).get("Test"),
            config.get("Entrypoint") or [],
            config.get("Cmd") or [],
            config.get("Env") or [],
            config.get("WorkingDir") or "",
        )

    def _name(self) -> str:
        name = f"dopt-verify-{self.run_id}-{len(self.containers)}"
        self.containers.append(name)
        return name

    def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
        args = ["run", "--rm", "--label", self.label, "--name", self._name(), "--entrypoint", argv[0]]
        if user:
            args += ["--user", user]
        start = time.monotonic()
        try:
            proc = self._run(args + [tag, *argv[1:]], timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            return RunResult(-1, str(exc.output or ""), time.monotonic() - start, True)
        return RunResult(proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start)

    def run_app(self, tag: str, seconds: float, check_script: str | None = None) -> AppRun:
        """Start the image's default command for up to ``seconds``, then stop it; the container's
        filesystem diff; then ``check_script`` (sh) in the image, as its user."""
        name = self._name()
        start = time.monotonic()
        proc = self._run(["create", "--label", self.label, "--name", name, tag])
        if proc.returncode != 0:
            return AppRun(False, -1, proc.stderr, 0.0)
        self._run(["start", name])
        running, code = True, None
        while time.monotonic() - start < seconds:
            state = self._run(["inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", name]).stdout.split()
            if state and state[0] == "false":
                running, code = False, int(state[1]) if len(state) > 1 and state[1].lstrip("-").isdigit() else -1
                break
            time.sleep(0.5)
        if running:
            self._run(["kill", name])
        elapsed = time.monotonic() - start
        logs = self._run(["logs", name])
        changes = []
        for line in self._run(["diff", name]).stdout.splitlines():
            kind, _, path = line.partition(" ")
            if kind in ("A", "C", "D") and path.startswith("/"):
                changes.append((kind, path))
        self._run(["rm", "-f", name])
        self.containers.remove(name)
        result = AppRun(running, code, logs.stdout + logs.stderr, elapsed, changes)
        if check_script is not None:
            check = self.run(tag, ["sh", "-c", check_script], timeout=120)
            result.check_code, result.check_output = check.code, check.output
        return result

    def remove_image(self, tag: str) -> None:
        self._run(["rmi", "-f", tag])

    def save(self, tag: str, dest: Path) -> str:
        """Write the image as a docker-archive (uncompressed layer tarballs and the config with its
        history) to ``dest``; returns what went wrong, or "" when it worked."""
        return _saved(self._run(self._save_args(tag, dest), timeout=1800), dest)

    def _save_args(self, tag: str, dest: Path) -> list[str]:
        return ["save", "-o", str(dest), tag]

    def has_image(self, ref: str) -> bool:
        """Whether the machine's store holds this image already (a build would not pull it)."""
        try:
            proc = subprocess.run([self.binary, "image", "inspect", ref], capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return False
        return proc.returncode == 0

    def cleanup(self) -> None:
        """Remove what this run made, and nothing else: its containers and images, by name and by label."""
        for c in reversed(self.containers):
            self._run(["rm", "-f", c])
        listed = self._run(["ps", "-a", "-q", "--filter", f"label={self.label}"])
        for c in listed.stdout.split() if listed.returncode == 0 else []:
            self._run(["rm", "-f", c])
        for tag in reversed(self.images):
            self.remove_image(tag)
        listed = self._run(["images", "-q", "--filter", f"label={self.label}"])
        for image in dict.fromkeys(listed.stdout.split() if listed.returncode == 0 else []):
            self._run(["rmi", "-f", image])
        self.containers.clear()
        self.images.clear()


class DockerBuilder(Builder):
    name = binary = "docker"


class PodmanBuilder(Builder):
    name = binary = "podman"

    def _save_args(self, tag: str, dest: Path) -> list[str]:
        return ["save", "--format", "docker-archive", "-o", str(dest), tag]

    def _build_args(self, dockerfile: Path, context: Path, tag: str, ignorefile: Path | None = None) -> list[str]:
        ignore = ["--ignorefile", str(ignorefile)] if ignorefile is not None else []
        return ["build", "--format", "docker", *ignore, *self._target_args(), "--label", self.label, "-f"] + [
            str(dockerfile),
            "-t",
            tag,
            str(context),
        ]


# Paths a container runtime itself writes or mounts over: never part of what the app changed.
_RUNTIME_PATHS = ("/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/run/.containerenv", "/run/secrets")
_SKIP_TOP = {"proc", "sys", "dev"}


def snapshot(root: str) -> dict[str, tuple[int, ...]]:
    """path (from /) -> (type and mode, uid, gid, size, mtime) for everything under ``root``."""
    out: dict[str, tuple[int, ...]] = {}
    base = len(root.rstrip("/"))
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath == root:
            dirnames[:] = [d for d in dirnames if d not in _SKIP_TOP]
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            size = 0 if stat.S_ISDIR(st.st_mode) else st.st_size
            out[full[base:]] = (st.st_mode, st.st_uid, st.st_gid, size, st.st_mtime_ns)
    return out


def diff_snapshots(before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]) -> list[tuple[str, str]]:
    changes = [("A", p) for p in after if p not in before]
    changes += [("C", p) for p, v in after.items() if p in before and before[p] != v]
    changes += [("D", p) for p in before if p not in after]
    kept = [(k, p) for k, p in changes if p not in _RUNTIME_PATHS]
    # a folder changed only because the runtime put (and took) its files there (/run, /etc) is not the app's doing
    theirs = {p.rsplit("/", 1)[0] for p in _RUNTIME_PATHS}
    mine = {p.rsplit("/", 1)[0] for _k, p in kept}
    return sorted((k, p) for k, p in kept if not (k == "C" and p in theirs and p not in mine))


def _netns_wrap() -> list[str]:
    """Run the container in a network namespace of its own (loopback only), so that services started
    by verify never collide with ports of the machine or of another verify: chroot isolation shares
    the host's network otherwise. Needs root, unshare and ip; DOPT_VERIFY_NETNS=0 turns it off."""
    if os.environ.get("DOPT_VERIFY_NETNS", "1") == "0" or os.geteuid() != 0:
        return []
    if shutil.which("unshare") is None or shutil.which("ip") is None or not _netns_works():
        return []
    return ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


@functools.lru_cache(maxsize=1)
def _netns_works() -> bool:
    """Whether a network namespace can be made here (not inside every container, say)."""
    try:
        probe = ["unshare", "--net", "ip", "link", "set", "lo", "up"]
        return subprocess.run(probe, capture_output=True, timeout=20, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _kill_inside(root: str) -> None:
    """Kill every process whose root directory is ``root`` or below it (a daemon that left the
    process group, a RUN step of an interrupted build): nothing of ours keeps running."""
    top = os.path.realpath(root)
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            where = os.path.realpath(f"/proc/{pid}/root")
            if where == top or where.startswith(top + "/"):
                os.kill(int(pid), signal.SIGKILL)


_BUILDAH_NOISE = re.compile(r"^(subprocess exited (with status \d+|on \w+)|Error: exit status \d+)$")


def _without_buildah_noise(output: str) -> str:
    """The app's output without what ``buildah run`` adds when the process ends."""
    return "\n".join(line for line in output.splitlines() if not _BUILDAH_NOISE.match(line.strip()))


class BuildahBuilder(Builder):
    """buildah without a daemon: vfs storage and chroot isolation work as root on our machines.

    Each instance builds in a temporary store of its own; the machine's store (same driver) is
    attached read-only for base images. DOPT_VERIFY_STORE_DIR: where the temporary stores go."""

    name = binary = "buildah"

    def __init__(self) -> None:
        super().__init__()
        self.storage = os.environ.get("DOPT_BUILDAH_STORAGE_DRIVER", "vfs")
        self.isolation = os.environ.get("DOPT_BUILDAH_ISOLATION", "chroot")
        self.store: Path | None = None
        self._base_store: str | None = None

    def _base_graphroot(self) -> str:
        if self._base_store is None:
            self._base_store = os.environ.get("DOPT_BUILDAH_BASE_STORE", "")
            if not self._base_store:
                proc = subprocess.run(
                    [self.binary, "--storage-driver", self.storage, "info"],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    self._base_store = str(json.loads(proc.stdout)["store"]["GraphRoot"])
        return self._base_store

    def has_image(self, ref: str) -> bool:
        try:
            proc = subprocess.run(
                [self.binary, "--storage-driver", self.storage, "inspect", "--type", "image", ref],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return proc.returncode == 0

    def _cmd(self) -> list[str]:
        if self.store is None:
            parent = os.environ.get("DOPT_VERIFY_STORE_DIR") or ("/var/tmp" if os.path.isdir("/var/tmp") else None)
            self.store = Path(tempfile.mkdtemp(prefix="dopt-verify-store-", dir=parent))
        cmd = [
            self.binary,
            "--root",
            str(self.store / "root"),
            "--runroot",
            str(self.store / "run"),
            "--storage-driver",
            self.storage,
        ]
        base = self._base_graphroot()
        if base and os.path.isdir(base) and os.path.realpath(base) != os.path.realpath(self.store / "root"):
            cmd += ["--storage-opt", f"{self.storage}.imagestore={base}"]
        return cmd

    def _build_args(self, dockerfile: Path, context: Path, tag: str, ignorefile: Path | None = None) -> list[str]:
        pull = os.environ.get("DOPT_BUILDAH_PULL", "never")
        return [
            "bud",
            *(["--ignorefile", str(ignorefile)] if ignorefile is not None else []),
            "--isolation",
            self.isolation,
            f"--pull={pull}",
            "--layers",
            *self._target_args(),
            "--format",
            "docker",
            "--label",
            self.label,
            "-f",
            str(dockerfile),
            "-t",
            tag,
            str(context),
        ]

    def inspect(self, tag: str) -> ImageInfo:
        proc = self._run(["inspect", "--type", "image", tag])
        if proc.returncode != 0:
            raise BuilderError(proc.stderr.strip() or f"cannot inspect {tag}")
        data = json.loads(proc.stdout)
        manifest = json.loads(data.get("Manifest") or "{}")
        layers = manifest.get("layers") or []
        size = sum(int(layer.get("size") or 0) for layer in layers)
        compressed = None
        if layers and all("gzip" in (layer.get("mediaType") or "") for layer in layers):
            compressed, size = size, 0
        config = (data.get("Docker") or {}).get("config") or (data.get("OCIv1") or {}).get("config") or {}
        health = config.get("Healthcheck") or {}
        return ImageInfo(
            size,
            compressed,
            len(layers),
            config.get("User") or "",
            health.get("Test"),
            config.get("Entrypoint") or [],
            config.get("Cmd") or [],
            config.get("Env") or [],
            config.get("WorkingDir") or "",
        )

    def _save_args(self, tag: str, dest: Path) -> list[str]:
        return ["push", "--quiet", tag, f"docker-archive:{dest}"]

    def _from(self, tag: str) -> tuple[str | None, str]:
        proc = self._run(["from", "--pull-never", tag])
        if proc.returncode != 0:
            return None, proc.stderr
        container = proc.stdout.strip().splitlines()[-1]
        self.containers.append(container)
        return container, ""

    def _remove(self, container: str) -> None:
        self._run(["rm", container])
        self.containers.remove(container)

    def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
        start = time.monotonic()
        container, err = self._from(tag)
        if container is None:
            return RunResult(-1, err, 0.0)
        try:
            return self._exec(container, argv, timeout, user, start)
        finally:
            self._remove(container)

    def _exec(self, container: str, argv: list[str], timeout: float, user: str | None, start: float) -> RunResult:
        args = ["run", "--isolation", self.isolation]
        if user:
            args += ["--user", user]
        try:
            out = subprocess.run(
                _netns_wrap() + self._cmd() + args + [container, "--", *argv],
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
                errors="replace",
            )
            return RunResult(out.returncode, out.stdout + out.stderr, time.monotonic() - start)
        except subprocess.TimeoutExpired as exc:
            return RunResult(-1, str(exc.output or ""), time.monotonic() - start, True)

    def run_app(self, tag: str, seconds: float, check_script: str | None = None) -> AppRun:
        info = self.inspect(tag)
        argv = list(info.entrypoint) + list(info.cmd)
        start = time.monotonic()
        container, err = self._from(tag)
        if container is None:
            return AppRun(False, -1, err, 0.0)
        try:
            mount = self._run(["mount", container])
            root = mount.stdout.strip().splitlines()[-1] if mount.returncode == 0 and mount.stdout.strip() else ""
            before = snapshot(root) if root else None
            start = time.monotonic()
            proc = subprocess.Popen(
                _netns_wrap() + self._cmd() + ["run", "--isolation", self.isolation, container, "--", *argv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,
            )
            try:
                output, _ = proc.communicate(timeout=seconds)
                running, code = False, proc.returncode
            except subprocess.TimeoutExpired:
                running, code, elapsed = True, None, time.monotonic() - start
                output = self._stop(proc, root)
            else:
                elapsed = time.monotonic() - start
            changes = diff_snapshots(before, snapshot(root)) if before is not None else None
            result = AppRun(running, code, _without_buildah_noise(output or ""), elapsed, changes)
            if check_script is not None:
                check = self._exec(container, ["sh", "-c", check_script], 120, None, time.monotonic())
                result.check_code, result.check_output = check.code, check.output
            return result
        finally:
            self._remove(container)

    @staticmethod
    def _stop(proc: subprocess.Popen[str], root: str) -> str:
        output = ""
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                output, _ = proc.communicate(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        if root:
            _kill_inside(root)
        return output or ""

    def cleanup(self) -> None:
        """Remove the temporary store, which holds everything this run made (and only that)."""
        if self.store is None:
            return
        store = self.store
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self._run(["rm", "--all"], timeout=120)
        self.store = None
        _kill_inside(str(store))  # a RUN step of a build killed half-way may still be running in it
        # vfs keeps a full copy of the file system per layer: rm is several times faster than rmtree here
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["rm", "-rf", "--one-file-system", str(store)], capture_output=True, check=False)
        shutil.rmtree(store, ignore_errors=True)
        self.containers.clear()
        self.images.clear()


BUILDERS: dict[str, type[Builder]] = {"docker": DockerBuilder, "podman": PodmanBuilder, "buildah": BuildahBuilder}


def pick(name: str | None, bases: list[str] | tuple[str, ...] = ()) -> Builder:
    """The builder asked for (``--builder``, else the ``DOPT_BUILDER`` variable), or among those
    installed (docker with a daemon that answers, podman, buildah) the first whose store already
    holds every base image in ``bases`` — else the first one."""
    source = "--builder"
    if name is None and os.environ.get("DOPT_BUILDER", "").strip():
        name, source = os.environ["DOPT_BUILDER"].strip(), "DOPT_BUILDER"
    if name is not None:
        cls = BUILDERS.get(name)
        if cls is None:
            raise BuilderError(f"unknown builder {name!r} in {source} (docker, podman or buildah)")
        if not cls.available():
            raise BuilderError(f"`{cls.binary}` is not installed ({source}={name})")
        if cls is DockerBuilder:
            why = _docker_down()
            if why is not None:
                raise BuilderError(f"the Docker daemon is not running ({why})")
        return cls()
    found = [cls for cls in BUILDERS.values() if cls.available() and (cls is not DockerBuilder or _docker_answers())]
    if not found:
        raise BuilderError(
            "no image builder found: install Docker, Podman or buildah (e.g. `apt-get install buildah`) or pass "
            "--builder"
        )
    if len(found) > 1 and bases:
        for cls in found:
            candidate = cls()
            if all(candidate.has_image(b) for b in bases):
                return candidate
    return found[0]()


def _docker_answers() -> bool:
    return _docker_down() is None


def _docker_down() -> str | None:
    """None when the Docker daemon answers, else what `docker info` said (its last line)."""
    try:
        proc = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=10, check=False)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 10 seconds"
    except OSError as e:
        return str(e.strerror or e)
    if proc.returncode == 0:
        return None
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
    return lines[-1] if lines else f"`docker info` exited {proc.returncode}"
