"""dopt verify without real builds: a fake builder checks the logic (reports, exit codes, bisect, cleanup).

Real builds with buildah are in test_verify_build.py (marked `build`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.app.verify.builders import Builder, BuilderError, BuildResult, ImageInfo, RunResult, pick
from optimizer.app.verify.core import _health_script, verify
from optimizer.core.settings import Settings

DOCKERFILE = """FROM python:3.11-slim
RUN apt-get update
RUN apt-get install -y gcc libpq-dev
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]
"""


class FakeBuilder(Builder):
    """Builds 'succeed' unless the Dockerfile contains a marker; sizes follow the text's length."""

    name = binary = "fake"

    def __init__(self, fail_if: str | None = None, smoke_fails_if: str | None = None) -> None:
        super().__init__()
        self.fail_if = fail_if
        self.smoke_fails_if = smoke_fails_if
        self.texts: dict[str, str] = {}
        self.removed: list[str] = []
        self.builds = 0

    def build(self, dockerfile: Path, context: Path, tag: str, log: Path | None = None) -> BuildResult:
        self.images.append(tag)
        self.builds += 1
        text = dockerfile.read_text()
        self.texts[tag] = text
        if self.fail_if and self.fail_if in text:
            return BuildResult(False, 1.0, f"RUN {self.fail_if}", "boom")
        return BuildResult(True, 1.0)

    def inspect(self, tag: str) -> ImageInfo:
        text = self.texts[tag]
        user = "10001:10001" if "USER 10001:10001" in text else ""
        health = ["CMD", "true"] if "HEALTHCHECK" in text else None
        size = 1000 if "AS builder" in text else 3000
        return ImageInfo(size, None, text.count("\nRUN") + 1, user, health, [], ["python", "app.py"])

    def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
        bad = self.smoke_fails_if and self.smoke_fails_if in self.texts[tag]
        return RunResult(1 if bad else 0, "out", 0.1)

    def remove_image(self, tag: str) -> None:
        self.removed.append(tag)


def context(tmp_path: Path) -> Path:
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("print('hi')\n")
    return tmp_path


def test_sizes_users_and_cleanup(tmp_path: Path) -> None:
    fake = FakeBuilder()
    report = verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path), smoke="true")
    assert report.original.built and report.rewritten.built
    assert (report.original.size, report.rewritten.size) == (3000, 1000)
    assert report.change == pytest.approx(-66.7, abs=0.1)
    assert report.rewritten.user == "10001:10001" and report.original.user == ""
    assert not report.regression
    assert any(f.startswith("DOP502") for f in report.fixes)
    assert sorted(fake.removed) == sorted(fake.texts)  # every image made was removed


def test_regression_and_bisect_find_the_culprit(tmp_path: Path) -> None:
    # the split's builder stage "fails": leaving DOP502 out must give a rewrite that builds
    fake = FakeBuilder(fail_if="python3 -m venv")
    report = verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path))
    assert report.regression and not report.rewritten.built
    fake = FakeBuilder(fail_if="python3 -m venv")
    report = verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path), bisect=True)
    assert not report.regression and report.rewritten.built
    assert [d.split(":")[0] for d in report.dropped] == ["DOP502"]
    assert "AS builder" not in report.rewritten_text and "--no-cache-dir" in report.rewritten_text


def test_bisect_drops_a_single_fix_when_that_is_enough(tmp_path: Path) -> None:
    text = DOCKERFILE.replace(
        "RUN pip install -r requirements.txt", "RUN pip install -r requirements.txt\nRUN pip install gunicorn"
    )
    # fails only when the second pip install gets --no-cache-dir
    fake = FakeBuilder(smoke_fails_if="pip install --no-cache-dir gunicorn")
    settings = Settings(select={"DOP205"})
    report = verify("Dockerfile", text, settings, fake, context(tmp_path), smoke="true", bisect=True)
    assert not report.regression
    assert len(report.dropped) == 1 and "DOP205" in report.dropped[0]
    assert "pip install --no-cache-dir -r requirements.txt" in report.rewritten_text
    assert "pip install gunicorn" in report.rewritten_text


def test_original_that_does_not_build_is_not_a_regression(tmp_path: Path) -> None:
    fake = FakeBuilder(fail_if="apt-get")
    report = verify("Dockerfile", DOCKERFILE, Settings(), fake, context(tmp_path))
    assert not report.original.built and not report.regression


def test_unchanged_file_builds_once(tmp_path: Path) -> None:
    fake = FakeBuilder()
    report = verify("Dockerfile", "FROM python:3.11-slim\nUSER nobody\n", Settings(), fake, context(tmp_path))
    assert report.unchanged and fake.builds == 1


def test_interrupt_still_cleans_up(tmp_path: Path) -> None:
    class Interrupted(FakeBuilder):
        def run(self, tag: str, argv: list[str], timeout: float = 120, user: str | None = None) -> RunResult:
            raise KeyboardInterrupt

    fake = Interrupted()
    with pytest.raises(KeyboardInterrupt):
        verify("Dockerfile", DOCKERFILE, Settings(), fake, context(tmp_path), smoke="true")
    assert fake.removed == list(fake.texts)


def test_health_script_starts_the_service_and_polls() -> None:
    info = ImageInfo(1, None, 1, "app", ["CMD", "python3", "-c", "print(1)"], ["python"], ["app.py"])
    script = _health_script(info)
    assert script is not None and script.startswith("python app.py >/tmp/dopt-service.log")
    assert "python3 -c 'print(1)'" in script
    assert _health_script(ImageInfo(1, None, 1, "", ["NONE"], [], ["x"])) is None
    shell = _health_script(ImageInfo(1, None, 1, "", ["CMD-SHELL", "curl -f localhost"], [], ["x"]))
    assert shell is not None and "sh -c 'curl -f localhost'" in shell


def test_no_builder_is_one_clear_error(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text(DOCKERFILE)
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    proc = subprocess.run(
        [sys.executable, "-m", "optimizer", "verify", str(df)], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error: no image builder found: install Docker")
    with pytest.raises(BuilderError):
        pick("nosuch")


def test_bad_input_exit_2_and_untouched(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM python:3.11\nRUN <<EOF\nnever ends\n")
    before = df.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "optimizer", "rewrite", "--verify", str(df)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and df.read_bytes() == before
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")


def test_json_report_shape(tmp_path: Path) -> None:
    fake = FakeBuilder()
    report = verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path))
    data = json.loads(json.dumps(report.as_dict()))
    assert set(data) >= {"path", "builder", "fixes", "original", "rewritten", "dropped", "change_percent", "regression"}
    assert data["original"]["size"] == 3000 and data["change_percent"] == pytest.approx(-66.7, abs=0.1)


FAKE_CLI = r"""#!/bin/sh
# a stand-in for docker/podman: logs its arguments, answers like the real tool
echo "$@" >> "$FAKE_LOG"
case "$1" in
  info) exit 0 ;;
  build) prev=""; for a in "$@"; do [ "$prev" = "-f" ] && file="$a"; prev="$a"; done
         [ -n "$FAKE_FAIL" ] && grep -q "$FAKE_FAIL" "$file" \
           && { echo 'ERROR: process "/bin/sh -c false" did not complete'; exit 1; }
         exit 0 ;;
  image) printf '[{"Size": 1234, "RootFS": {"Layers": ["a", "b"]}, "Config": {"User": "10001:10001",
           "Healthcheck": {"Test": ["CMD", "true"]}, "Cmd": ["python", "app.py"], "Entrypoint": null}}]' ; exit 0 ;;
  run) echo "ran"; exit 0 ;;
  rmi|rm) exit 0 ;;
esac
exit 0
"""


@pytest.mark.parametrize("tool", ["docker", "podman"])
def test_docker_and_podman_adapters(tool: str, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / tool
    exe.write_text(FAKE_CLI)
    exe.chmod(0o755)
    log = tmp_path / "log"
    (tmp_path / "ctx").mkdir()
    df = context(tmp_path / "ctx") / "Dockerfile"
    df.write_text(DOCKERFILE)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_LOG": str(log)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "verify",
            "--unsafe-fixes",
            "--builder",
            tool,
            "--smoke",
            "python -c 'print(1)'",
            "--format",
            "json",
            str(df),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["builder"] == tool and report["rewritten"]["size"] == 1234 and report["rewritten"]["layers"] == 2
    calls = log.read_text().splitlines()
    builds = [c for c in calls if c.startswith("build ")]
    assert len(builds) == 2 and all(c.endswith(str(df.parent)) for c in builds)
    if tool == "podman":
        assert all("--format docker" in c for c in builds)
    assert any(c.startswith("run --rm --name dopt-verify-") and "--entrypoint python" in c for c in calls)
    assert any(c.startswith("run ") and "--entrypoint sh" in c for c in calls)  # the health probe
    removed = [c for c in calls if c.startswith("rmi -f ")]
    assert len(removed) == 2  # both images
    # a failing rewrite build is exit 1 with the failing step
    env["FAKE_FAIL"] = "AS builder"
    proc = subprocess.run(
        [sys.executable, "-m", "optimizer", "verify", "--unsafe-fixes", "--builder", tool, str(df)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "rewritten  did not build: /bin/sh -c false" in proc.stdout
