"""Image builders behind one small interface: build, inspect, run a command, remove.

Docker and Podman share a command line; buildah builds without a daemon (as root here with
``--storage-driver vfs --isolation chroot``). Every image and container a builder makes is recorded
and removed by ``cleanup()``, also when the run is interrupted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
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

    def build(self, dockerfile: Path, context: Path, tag: str, log: Path | None = None) -> BuildResult:
        self.images.append(tag)
        start = time.monotonic()
        proc = self._run(self._build_args(dockerfile, context, tag))
        seconds = time.monotonic() - start
        text = proc.stdout + proc.stderr
        if log is not None:
            log.write_text(text)
        if proc.returncode != 0:
            return BuildResult(False, seconds, _failed_step(text), _tail(text))
        return BuildResult(True, seconds)

    def _build_args(self, dockerfile: Path, context: Path, tag: str) -> list[str]:
        return ["build", "-f", str(dockerfile), "-t", tag, str(context)]

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

    def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
        name = f"dopt-verify-{os.getpid()}-{len(self.containers)}"
        self.containers.append(name)
        args = ["run", "--rm", "--name", name, "--entrypoint", argv[0]]
        if user:
            args += ["--user", user]
        start = time.monotonic()
        try:
            proc = self._run(args + [tag, *argv[1:]], timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            return RunResult(-1, str(exc.output or ""), time.monotonic() - start, True)
        return RunResult(proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start)

    def remove_image(self, tag: str) -> None:
        self._run(["rmi", "-f", tag])

    def cleanup(self) -> None:
        for c in reversed(self.containers):
            self._run(["rm", "-f", c])
        for tag in reversed(self.images):
            self.remove_image(tag)
        self.containers.clear()
        self.images.clear()


class DockerBuilder(Builder):
    name = binary = "docker"


class PodmanBuilder(Builder):
    name = binary = "podman"

    def _build_args(self, dockerfile: Path, context: Path, tag: str) -> list[str]:
        return ["build", "--format", "docker", "-f", str(dockerfile), "-t", tag, str(context)]


class BuildahBuilder(Builder):
    """buildah without a daemon: vfs storage and chroot isolation work as root on our machines."""

    name = binary = "buildah"

    def __init__(self) -> None:
        super().__init__()
        self.storage = os.environ.get("DOPT_BUILDAH_STORAGE_DRIVER", "vfs")
        self.isolation = os.environ.get("DOPT_BUILDAH_ISOLATION", "chroot")
        self._before: set[str] | None = None
        self._containers_before: set[str] = set()

    def _cmd(self) -> list[str]:
        return [self.binary, "--storage-driver", self.storage]

    def _image_ids(self) -> set[str]:
        proc = self._run(["images", "-a", "-q", "--no-trunc"])
        return set(proc.stdout.split()) if proc.returncode == 0 else set()

    def _container_ids(self) -> set[str]:
        proc = self._run(["containers", "-a", "-q", "--notruncate"])
        return set(proc.stdout.split()) if proc.returncode == 0 else set()

    def build(self, dockerfile: Path, context: Path, tag: str, log: Path | None = None) -> BuildResult:
        if self._before is None:
            self._before = self._image_ids()
            self._containers_before = self._container_ids()
        return super().build(dockerfile, context, tag, log)

    def _build_args(self, dockerfile: Path, context: Path, tag: str) -> list[str]:
        pull = os.environ.get("DOPT_BUILDAH_PULL", "never")
        return [
            "bud",
            "--isolation",
            self.isolation,
            f"--pull={pull}",
            "--layers",
            "--format",
            "docker",
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

    def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
        start = time.monotonic()
        proc = self._run(["from", "--pull-never", tag])
        if proc.returncode != 0:
            return RunResult(-1, proc.stderr, 0.0)
        container = proc.stdout.strip().splitlines()[-1]
        self.containers.append(container)
        args = ["run", "--isolation", self.isolation]
        if user:
            args += ["--user", user]
        try:
            out = self._run(args + [container, "--", *argv], timeout=timeout)
            result = RunResult(out.returncode, out.stdout + out.stderr, time.monotonic() - start)
        except subprocess.TimeoutExpired as exc:
            result = RunResult(-1, str(exc.output or ""), time.monotonic() - start, True)
        self._run(["rm", container])
        self.containers.remove(container)
        return result

    def cleanup(self) -> None:
        super().cleanup()
        if self._before is not None:  # a build killed half-way leaves its working container
            for container in sorted(self._container_ids() - self._containers_before):
                self._run(["rm", container])
        if self._before is not None:  # intermediate layers of our builds (--layers): ours to remove
            for image in sorted(self._image_ids() - self._before):
                self._run(["rmi", "-f", image])
            self._before = None


BUILDERS: dict[str, type[Builder]] = {"docker": DockerBuilder, "podman": PodmanBuilder, "buildah": BuildahBuilder}


def pick(name: str | None) -> Builder:
    """The builder asked for, or the first one installed (docker, podman, buildah)."""
    if name is not None:
        cls = BUILDERS.get(name)
        if cls is None:
            raise BuilderError(f"unknown builder {name!r} (docker, podman or buildah)")
        if not cls.available():
            raise BuilderError(f"`{cls.binary}` is not installed")
        if cls is DockerBuilder:
            why = _docker_down()
            if why is not None:
                raise BuilderError(f"the Docker daemon is not running ({why})")
        return cls()
    for cls in BUILDERS.values():
        if cls.available() and (cls is not DockerBuilder or _docker_answers()):
            return cls()
    raise BuilderError(
        "no image builder found: install Docker, Podman or buildah (e.g. `apt-get install buildah`) or pass --builder"
    )


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
