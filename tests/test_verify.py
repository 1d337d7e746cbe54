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

from optimizer.app.verify import runtime
from optimizer.app.verify.builders import (
    AppRun,
    BuildahBuilder,
    Builder,
    BuilderError,
    BuildResult,
    DockerBuilder,
    ImageInfo,
    RunResult,
    diff_snapshots,
    pick,
    snapshot,
)
from optimizer.app.verify.command import render_text
from optimizer.app.verify.core import _health_script, verify
from optimizer.core.settings import Settings
from tests import harmful_rule

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

    def __init__(
        self, fail_if: str | None = None, smoke_fails_if: str | None = None, app_breaks_if: str | None = None
    ) -> None:
        super().__init__()
        self.fail_if = fail_if
        self.smoke_fails_if = smoke_fails_if
        self.app_breaks_if = app_breaks_if
        self.texts: dict[str, str] = {}
        self.removed: list[str] = []
        self.builds = 0
        self.app_runs: list[str] = []
        self.scripts: list[str] = []
        self.contexts: dict[str, tuple[Path, str | None, str | None, list[str]]] = {}

    def _run(
        self, args: list[str], timeout: float | None = None, input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, "", "")

    def run_app(self, tag: str, seconds: float, check_script: str | None = None) -> AppRun:
        """The app writes /data/state.json; where `app_breaks_if` is in the Dockerfile it cannot and exits."""
        self.app_runs.append(tag)
        self.scripts.append(check_script or "")
        broken = bool(self.app_breaks_if and self.app_breaks_if in self.texts[tag])
        check = "home\t/root\nhome-ok\n"
        if broken and "check /data/state.json" in (check_script or ""):
            check += "unwritable\t/data/state.json\t/data/state.json\t/data\n"
        check += "checks-done\n"
        output = "PermissionError: [Errno 13] Permission denied: '/data/state.json'" if broken else "serving"
        changes = [("C", "/data"), ("A", "/data/state.json"), ("A", "/app/__pycache__")]
        return AppRun(not broken, 1 if broken else None, output, 0.5, changes, 0, check)

    def build(
        self, dockerfile: Path, context: Path, tag: str, log: Path | None = None, ignorefile: Path | None = None
    ) -> BuildResult:
        self.images.append(tag)
        self.builds += 1
        text = dockerfile.read_text()
        ctx_ignore = context / ".dockerignore"
        self.contexts[tag] = (
            context,
            ignorefile.read_text() if ignorefile else None,
            ctx_ignore.read_text() if ctx_ignore.exists() else None,
            sorted(str(f.relative_to(context)) for f in context.rglob("*")),
        )
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
  inspect) echo "false 0"; exit 0 ;;
  logs) echo "served"; exit 0 ;;
  diff) printf 'C /data\nA /data/state.json\n'; exit 0 ;;
  ps) case "$*" in *label=dopt.verify.run=*) echo "c-left-by-this-run" ;; esac; exit 0 ;;
  images) case "$*" in *label=dopt.verify.run=*) echo "i-left-by-this-run" ;; esac; exit 0 ;;
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
    assert any(c.startswith("run --rm --label dopt.verify.run=") and "--entrypoint python" in c for c in calls)
    assert any(c.startswith("run ") and "--entrypoint sh" in c for c in calls)  # the health probe
    # everything made carries the run's label; cleanup removes by that label and by its own names only
    labels = {a for c in builds for a in c.split() if a.startswith("dopt.verify.run=")}
    assert len(labels) == 1
    label = labels.pop()
    assert any(c.startswith(f"create --label {label} --name dopt-verify-") for c in calls)  # the app's run
    assert f"ps -a -q --filter label={label}" in calls and "rm -f c-left-by-this-run" in calls
    assert f"images -q --filter label={label}" in calls and "rmi -f i-left-by-this-run" in calls
    assert not any(c.startswith(("ps -a -q", "images -q")) and "--filter" not in c for c in calls)
    removed = [c for c in calls if c.startswith("rmi -f ") and "localhost/dopt-verify:" in c]
    assert len(removed) == 2  # both images
    assert report["original"]["runtime"]["write_set"] == ["/data/state.json"]
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


# -- run-time parity ---------------------------------------------------------------------------

PARITY_DOCKERFILE = """FROM python:3.11-slim
RUN mkdir -p /data
WORKDIR /srv
ADD app.py /srv/app.py
CMD ["python", "app.py"]
"""


def test_parity_failure_is_a_regression_and_bisect_names_the_fix(tmp_path: Path) -> None:
    with harmful_rule.registered() as code:
        settings = Settings(select={code, "DOP301"}, unsafe_fixes=True)
        fake = FakeBuilder(app_breaks_if="USER 65534")
        report = verify("Dockerfile", PARITY_DOCKERFILE, settings, fake, context(tmp_path))
        assert report.regression and report.rewritten.built and report.rewritten.smoke_ok
        rt = report.rewritten.runtime
        assert rt is not None and rt.status == "exited" and rt.exit_code == 1
        assert any(
            p.startswith("the original keeps running for 20 s; the rewrite exited with code 1") for p in rt.problems
        )
        assert any(
            p.startswith("the original wrote /data/state.json: the image's user cannot write /data")
            for p in rt.problems
        )
        assert any("permission error" in p for p in rt.problems)
        assert report.original.runtime is not None and report.original.runtime.write_set == ["/data/state.json"]
        assert "check /data/state.json" in fake.scripts[1]  # the original's write set, checked in the rewrite
        text = render_text(report)
        assert "FAILED: the rewrite does not behave like the original at run time" in text
        assert "PARITY: the original wrote /data/state.json" in text

        fake = FakeBuilder(app_breaks_if="USER 65534")
        report = verify("Dockerfile", PARITY_DOCKERFILE, settings, fake, context(tmp_path), bisect=True)
        assert not report.regression
        assert [d.split(":")[0] for d in report.dropped] == [code]
        assert "COPY app.py" in report.rewritten_text and "USER 65534" not in report.rewritten_text
        assert report.all_fixes is not None and not report.all_fixes.parity_ok
        data = json.loads(json.dumps(report.as_dict()))
        assert data["all_fixes"]["runtime"]["problems"] and data["rewritten"]["runtime"]["problems"] == []


def test_parity_is_off_without_cmd_or_with_zero_seconds(tmp_path: Path) -> None:
    fake = FakeBuilder()
    verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path), run_seconds=0)
    assert fake.app_runs == []
    fake = FakeBuilder()
    no_cmd = DOCKERFILE.replace('CMD ["python", "app.py"]\n', "")
    report = verify("Dockerfile", no_cmd, Settings(unsafe_fixes=True), fake, context(tmp_path))
    assert fake.app_runs == [] and report.original.runtime is None  # the base's CMD is not the app's
    fake = FakeBuilder()
    report = verify("Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path))
    assert len(fake.app_runs) == 2 and report.rewritten.runtime is not None and not report.regression


def test_write_set_collapses_new_folders_and_skips_bytecode() -> None:
    changes = [
        ("C", "/data"),
        ("A", "/data/state.json"),
        ("C", "/root"),
        ("A", "/root/.cache"),
        ("A", "/root/.cache/svc"),
        ("A", "/root/.cache/svc/index.json"),
        ("C", "/etc/app.conf"),
        ("D", "/var/run/app.pid"),
        ("A", "/srv/__pycache__"),
        ("A", "/srv/__pycache__/app.cpython-311.pyc"),
        ("C", "/srv"),
    ]
    assert runtime.write_set(changes) == [
        "/data/state.json",
        "/etc/app.conf",
        "/root/.cache",
        "/srv",
        "/var/run/app.pid",
    ]


def test_snapshot_diff_sees_what_changed_and_not_the_runtime(tmp_path: Path) -> None:
    for d in ("data", "run", "etc", "proc"):
        (tmp_path / d).mkdir()
    (tmp_path / "etc" / "app.conf").write_text("a")
    before = snapshot(str(tmp_path))
    (tmp_path / "data" / "new.txt").write_text("x")
    (tmp_path / "etc" / "app.conf").write_text("changed")
    (tmp_path / "run" / ".containerenv").write_text("")  # what a runtime writes
    (tmp_path / "proc" / "ignored").write_text("")
    changes = diff_snapshots(before, snapshot(str(tmp_path)))
    assert ("A", "/data/new.txt") in changes and ("C", "/etc/app.conf") in changes
    assert not any(p.startswith(("/run", "/proc")) for _k, p in changes)


@pytest.mark.skipif(os.geteuid() != 0, reason="runs the check as nobody via setpriv")
def test_check_script_as_an_unprivileged_user(tmp_path: Path) -> None:
    import shutil

    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="dopt-check-"))  # pytest's tmp_path is under a 0700 folder
    tmp_path.chmod(0o755)
    try:
        _check_script_as_nobody(tmp_path)
    finally:
        shutil.rmtree(tmp_path)


def _check_script_as_nobody(tmp_path: Path) -> None:
    locked = tmp_path / "locked"  # root's, not writable for nobody
    locked.mkdir(mode=0o755)
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, 65534, 65534)
    shut = tmp_path / "shut"
    shut.mkdir(mode=0o700)
    shared = tmp_path / "tmp"  # like /tmp: anyone may create, and the original's JVM left its own folder
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "hsperfdata_root").mkdir(mode=0o755)
    (locked / "doc_root").mkdir(mode=0o755)  # named like a user folder, but not one: checked as it is
    paths = [
        str(locked / "state.json"),
        "/root-home/.cache/x",
        str(home / "ok.txt"),
        f"{shared}/hsperfdata_root/7",
        f"{locked}/doc_root/uploads",
    ]
    script = runtime.check_script(paths, "/root-home", "root")
    env = {"HOME": str(home), "PATH": f"{shut}:/usr/bin:/bin"}
    proc = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    rt = runtime.from_run(AppRun(True, None, "", 1.0, [], proc.returncode, proc.stdout))
    assert rt.home == str(home) and rt.home_state == "ok" and rt.user_name == "nobody"
    assert rt.path_unsearchable == [str(shut)]
    assert rt.unwritable == [
        f"{locked}/state.json: the image's user cannot write {locked}, its nearest existing parent",
        f"{locked}/doc_root/uploads: the image's user cannot write {locked}/doc_root, its nearest existing parent",
    ], proc.stdout + proc.stderr  # the path under the original's HOME is looked up under this HOME: writable,
    # and hsperfdata_root as hsperfdata_nobody (new, in the shared folder): writable


def test_compare_running_vs_exited_codes_and_warnings() -> None:
    up = runtime.RuntimeReport(status="running", home="/root", home_state="ok", output_tail="serving on 8000")
    down = runtime.RuntimeReport(status="exited", exit_code=0, seconds=1.0, home="/home/app", home_state="missing")
    runtime.compare(up, down, 20)
    assert down.problems == ["the original keeps running for 20 s; the rewrite exited with code 0 after 1 s"]
    assert down.warnings == ["HOME (/home/app) does not exist for the rewrite's user (it is for the original's)"]
    a = runtime.RuntimeReport(status="exited", exit_code=0, output_tail="done in 12 ms")
    b = runtime.RuntimeReport(status="exited", exit_code=2, output_tail="done in 15 ms")
    runtime.compare(a, b, 20)
    assert b.problems == ["the original exits with code 0; the rewrite with code 2"]
    c = runtime.RuntimeReport(status="exited", exit_code=0, output_tail="done in 15 ms")
    runtime.compare(a, c, 20)
    assert c.problems == [] and c.warnings == []  # numbers aside, the same output
    d = runtime.RuntimeReport(status="exited", exit_code=0, output_tail="something else")
    runtime.compare(a, d, 20)
    assert d.problems == [] and d.warnings == ["the last lines of output differ (see both tails)"]


def test_buildah_works_in_a_store_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOPT_VERIFY_STORE_DIR", str(tmp_path))
    base = tmp_path / "machine-store"
    base.mkdir()
    monkeypatch.setenv("DOPT_BUILDAH_BASE_STORE", str(base))
    (tmp_path / "someone-elses").mkdir()
    one, two = BuildahBuilder(), BuildahBuilder()
    cmd1, cmd2 = one._cmd(), two._cmd()
    assert one.store is not None and two.store is not None and one.store != two.store
    assert cmd1[cmd1.index("--root") + 1] == str(one.store / "root")
    assert cmd1[cmd1.index("--runroot") + 1] == str(one.store / "run")
    assert f"vfs.imagestore={base}" in cmd1 and f"vfs.imagestore={base}" in cmd2  # base images, read-only
    assert one.label != two.label
    monkeypatch.setenv("PATH", str(tmp_path / "no-buildah-here"))
    store1 = one.store
    assert store1.exists()
    one.cleanup()
    assert one.store is None and not store1.exists()  # the path it had, not the None it has now
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["machine-store", "someone-elses", two.store.name])
    two.cleanup()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["machine-store", "someone-elses"]


def test_docker_builds_and_runs_carry_the_run_label(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    class Recorded(DockerBuilder):
        def _run(
            self, args: list[str], timeout: float | None = None, input_text: str | None = None
        ) -> subprocess.CompletedProcess[str]:
            calls.append(args)
            return subprocess.CompletedProcess(args, 0, "", "")

    b = Recorded()
    (tmp_path / "Dockerfile").write_text("FROM x\n")
    b.build(tmp_path / "Dockerfile", tmp_path, "localhost/dopt-verify:t")
    b.run("localhost/dopt-verify:t", ["true"])
    b.cleanup()
    assert ["--label", b.label] == calls[0][1:3]
    assert calls[1][:3] == ["run", "--rm", "--label"] and calls[1][3] == b.label
    assert ["ps", "-a", "-q", "--filter", f"label={b.label}"] in calls
    assert ["images", "-q", "--filter", f"label={b.label}"] in calls


def test_rewrite_verify_writes_without_the_fix_that_breaks_parity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: FakeBuilder(app_breaks_if="USER 65534"))
    df = context(tmp_path) / "Dockerfile"
    df.write_text(PARITY_DOCKERFILE)
    with harmful_rule.registered() as code:
        result = CliRunner().invoke(
            app, ["rewrite", "--verify", "--unsafe-fixes", "--select", "DOP301", "--select", code, str(df)]
        )
    assert result.exit_code == 0, result.output
    assert df.read_text() == PARITY_DOCKERFILE.replace("ADD app.py", "COPY app.py")
    assert "PARITY: the original wrote /data/state.json" in result.output
    assert f"left out by --bisect (the rewrite works without them):\n    {code}: test: run as nobody" in result.output


def test_attribute_builds_once_per_rule_left_out(tmp_path: Path) -> None:
    fake = FakeBuilder()
    report = verify(
        "Dockerfile", DOCKERFILE, Settings(unsafe_fixes=True), fake, context(tmp_path), smoke="true", attribute=True
    )
    codes = list(dict.fromkeys(f.split(":")[0] for f in report.fixes))
    assert [a.code for a in report.attribution][0] == "DOP502" and len(report.attribution) == len(codes)
    assert report.attribution[0].bytes_saved == 2000  # the fake's image is 3000 bytes without a split
    assert all(a.bytes_saved == 0 for a in report.attribution[1:])
    assert fake.builds == 2 + len(codes) and len(fake.app_runs) == 2  # attribution builds are only measured
    text = render_text(report)
    assert "bytes saved per rule" in text and "-0.0 MB  DOP502 builder-runtime-split (1 fix)" in text
    assert json.loads(json.dumps(report.as_dict()))["attribution"][0]["code"] == "DOP502"


# -- the context files fixes write; several culprits ----------------------------------------------

SITE_DOCKERFILE = """FROM python:3.11-slim
WORKDIR /srv
ADD . /srv
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"""


class ContextAware(FakeBuilder):
    """The app breaks as the user 10001 (it writes a root-owned folder) and when the build's ignore file
    leaves out `*.key` (it opens its key at import); both seen at run time only."""

    def _ignored(self, tag: str) -> str:
        _ctx, own, in_context, _files = self.contexts[tag]
        return own if own is not None else (in_context or "")

    def run_app(self, tag: str, seconds: float, check_script: str | None = None) -> AppRun:
        self.app_runs.append(tag)
        as_user = "USER 10001:10001" in self.texts[tag]
        no_key = "*.key" in self._ignored(tag)
        check = "home\t/root\nhome-ok\n"
        if as_user and "check /var/lib/site" in (check_script or ""):
            check += "unwritable\t/var/lib/site\t/var/lib/site\t/var/lib\n"
        check += "checks-done\n"
        if no_key:
            return AppRun(
                False, 1, "FileNotFoundError: [Errno 2] No such file or directory: 'keys/s.key'", 0.5, [], 0, check
            )
        if as_user:
            return AppRun(False, 1, "cannot listen on port 80: [Errno 13] Permission denied", 0.5, [], 0, check)
        return AppRun(True, None, "serving on 80", 0.5, [("A", "/var/lib/site"), ("A", "/var/lib/site/s")], 0, check)


def site(tmp_path: Path, own_ignore: str | None = None) -> Path:
    ctx = context(tmp_path)
    (ctx / "keys").mkdir()
    (ctx / "keys" / "s.key").write_text("not a secret\n")
    df = ctx / "Dockerfile"
    df.write_text(SITE_DOCKERFILE)
    if own_ignore is not None:
        (ctx / "Dockerfile.dockerignore").write_text(own_ignore)
    return df


SITE_RULES = {"DOP205", "DOP301", "DOP503", "DOP601"}


def test_the_rewrite_is_built_with_the_files_its_fixes_write(tmp_path: Path) -> None:
    df = site(tmp_path)
    fake = FakeBuilder()
    settings = Settings(select={"DOP601"}, unsafe_fixes=True)
    report = verify(str(df), SITE_DOCKERFILE, settings, fake, df.parent)
    (orig_ctx, orig_ignore, orig_in, _), (new_ctx, new_ignore, new_in, new_files) = fake.contexts.values()
    assert orig_ctx == df.parent and orig_ignore is None and orig_in is None  # the user's own context, as it is
    assert new_ctx != df.parent and new_ignore is None  # a copy, with the .dockerignore the fix writes
    assert report.files == {str(df.parent / ".dockerignore"): new_in}
    assert new_in is not None and "**/*.key" in new_in
    assert new_files == [".dockerignore", "Dockerfile", "app.py", "keys", "keys/s.key", "requirements.txt"]
    assert not (df.parent / ".dockerignore").exists()  # the user's folder is untouched
    assert not report.unchanged and report.rewritten_text == SITE_DOCKERFILE


def test_a_per_dockerfile_ignore_file_is_used_for_both_builds(tmp_path: Path) -> None:
    df = site(tmp_path, own_ignore="*.md\n")
    fake = FakeBuilder()
    verify(str(df), SITE_DOCKERFILE, Settings(select={"DOP601"}, unsafe_fixes=True), fake, df.parent)
    (orig_ctx, orig_ignore, _, _), (new_ctx, new_ignore, _, _) = fake.contexts.values()
    assert orig_ignore == "*.md\n" and orig_ctx == df.parent
    assert new_ignore is not None and new_ignore.startswith("*.md\n") and "**/*.key" in new_ignore
    assert new_ctx == df.parent  # only the ignore file changes: no copy of the context
    assert (df.parent / "Dockerfile.dockerignore").read_text() == "*.md\n"


def test_bisect_holds_back_several_culprits_each_with_what_failed(tmp_path: Path) -> None:
    df = site(tmp_path)
    fake = ContextAware()
    settings = Settings(select=SITE_RULES, unsafe_fixes=True)
    report = verify(str(df), SITE_DOCKERFILE, settings, fake, df.parent, bisect=True)
    assert not report.regression and report.rewritten.works
    held = {h.code: h for h in report.held_back}
    assert sorted(held) == ["DOP503", "DOP601"]
    assert held["DOP601"].reasons == [
        "the original keeps running for 20 s; the rewrite exited with code 1 after 0.5 s",
        "its last line of output: FileNotFoundError: [Errno 2] No such file or directory: 'keys/s.key'",
    ]
    assert held["DOP503"].reasons == [
        "the original keeps running for 20 s; the rewrite exited with code 1 after 0.5 s",
        "the original wrote /var/lib/site: the image's user cannot write /var/lib, its nearest existing parent",
        "the rewrite reports a permission error: cannot listen on port 80: [Errno 13] Permission denied",
    ]
    assert held["DOP503"].name == "non-root-user" and held["DOP503"].fixes[0].startswith("DOP503: ")
    kept = {f.split(":")[0] for f in report.fixes}
    assert kept == {"DOP205", "DOP301"}
    assert "COPY . /srv" in report.rewritten_text and "--no-cache-dir" in report.rewritten_text
    assert "USER" not in report.rewritten_text and report.files == {}
    assert sorted(d.split(":")[0] for d in report.dropped) == ["DOP503", "DOP601"]
    assert report.all_fixes is not None and not report.all_fixes.works
    assert fake.builds == 2 + 4 + 4  # before and after, one rule left out at a time, then added back one by one


def test_rewrite_verify_writes_the_context_files_of_the_fixes_it_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: FakeBuilder())
    df = site(tmp_path)
    result = CliRunner().invoke(app, ["rewrite", "--verify", "--unsafe-fixes", "--select", "DOP601,DOP301", str(df)])
    assert result.exit_code == 0, result.output
    assert "COPY . /srv" in df.read_text()
    assert "**/*.key" in (df.parent / ".dockerignore").read_text()


# -- choosing the builder; rewrite --verify's options -------------------------------------------


def _fake_tools(tmp_path: Path, have: dict[str, bool]) -> dict[str, str]:
    """docker (with a daemon), podman and buildah stand-ins; `have[tool]`: whether its store holds every image."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool, has in have.items():
        exe = bin_dir / tool
        exe.write_text(f'#!/bin/sh\ncase "$*" in *inspect*) exit {0 if has else 1} ;; esac\nexit 0\n')
        exe.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin"}


def test_dopt_builder_and_the_builder_with_the_base_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in _fake_tools(tmp_path, {"docker": False, "podman": False, "buildah": True}).items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("DOPT_BUILDER", raising=False)
    assert pick(None).name == "docker"  # no base images named: the first installed
    assert pick(None, bases=["python:3.11-slim"]).name == "buildah"  # the one that has them
    monkeypatch.setenv("DOPT_BUILDER", "podman")
    assert pick(None, bases=["python:3.11-slim"]).name == "podman"  # the variable decides
    assert pick("docker").name == "docker"  # --builder wins over the variable
    monkeypatch.setenv("DOPT_BUILDER", "kaniko")
    with pytest.raises(BuilderError, match="unknown builder 'kaniko' in DOPT_BUILDER"):
        pick(None)
    for k, v in _fake_tools(tmp_path, {"docker": False, "podman": False, "buildah": False}).items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("DOPT_BUILDER")
    assert pick(None, bases=["python:3.11-slim"]).name == "docker"  # none has them: the first


def test_an_original_that_does_not_build_names_the_builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: FakeBuilder(fail_if="FROM python"))
    df = context(tmp_path) / "Dockerfile"
    df.write_text(DOCKERFILE)
    result = CliRunner().invoke(app, ["rewrite", "--verify", str(df)])
    assert result.exit_code == 2 and df.read_text() == DOCKERFILE
    assert (
        f"error: {df}: the original does not build with fake: nothing to compare; pick another builder with "
        "--builder or DOPT_BUILDER=docker|podman|buildah" in result.output
    )


def test_rewrite_verify_takes_verify_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    made: list[FakeBuilder] = []

    def fake(*_a: object, **_k: object) -> FakeBuilder:
        made.append(ContextAware())
        return made[-1]

    from optimizer.app.verify import command

    calls: list[tuple[object, ...]] = []

    def recorded(*a: object, **k: object) -> object:
        calls.append(a)
        return verify(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(builders, "pick", fake)
    monkeypatch.setattr(command, "verify", recorded)
    df = site(tmp_path)
    (tmp_path / "same").mkdir()
    (tmp_path / "same" / "Dockerfile").write_text("FROM python:3.11-slim\nUSER nobody\n")
    body = tmp_path / "body.md"
    args = ["rewrite", "--verify", "--diff", "--unsafe-fixes", "--select", ",".join(sorted(SITE_RULES))]
    args += ["--no-health", "--attribute", "--output-format", "markdown", "-o", str(body), "--run-seconds", "5"]
    result = CliRunner().invoke(app, [*args, str(df), str(tmp_path / "same" / "Dockerfile")])
    assert result.exit_code == 1, result.output  # --diff: the verified rewrite changes the file
    assert df.read_text() == SITE_DOCKERFILE and not (df.parent / ".dockerignore").exists()  # nothing written
    assert len(made) == 1, "the file the rewrite leaves alone is not built"
    assert result.stdout.startswith(f"--- {df}\n+++ {df}\n") and "+COPY . /srv" in result.stdout
    assert "USER" not in result.stdout and ".dockerignore" not in result.stdout
    md = body.read_text()
    assert md.startswith("# dopt: verified rewrite of 1 Dockerfile\n")
    assert "### Held back (2 fixes)" in md and "saves" in md  # --attribute measured the rules kept
    (_p, _t, _s, _b, _c, smoke, bisect, _log, check_health, run_seconds, attribute) = calls[0]
    assert (smoke, bisect, check_health, run_seconds, attribute) == (None, True, False, 5, True)
    assert made[0].app_runs  # the run-time check ran
    for flag in (["--builder", "buildah"], ["--attribute"], ["--output-format", "markdown"], ["-o", "x"]):
        r = CliRunner().invoke(app, ["rewrite", *flag, str(df)])
        name = {"-o": "--output-file"}.get(flag[0], flag[0])
        assert r.exit_code == 2 and f"error: {name} needs --verify" in r.output, flag


# -- the Markdown proof ----------------------------------------------------------------------------


def test_markdown_escapes_what_comes_from_the_dockerfile_and_the_build() -> None:
    from markdown_it import MarkdownIt

    from optimizer.app.verify.core import HeldBack, ImageReport, VerifyReport
    from optimizer.app.verify.markdown import render_markdown_all

    hostile = "<script>alert(1)</script> @octocat #12 [x](http://evil) | a | **b** ``` `"
    report = VerifyReport("svc|<b>/Dockerfile", "buildah", [f"DOP101: merge `RUN a <img src=x>` and {hostile}"])
    report.original = ImageReport("original", built=True, size=2_000_000, layers=3, user="", build_seconds=3)
    report.rewritten = ImageReport("rewritten", built=True, size=1_000_000, layers=2, user="app|<i>", build_seconds=4)
    report.held_back = [HeldBack("DOP503", "non-root-user", [f"DOP503: run as `{hostile}`"], [hostile])]
    report.all_fixes = ImageReport(
        "rewritten", built=False, failed_step=hostile, log_tail="```\n</details>\n" + hostile
    )
    md = render_markdown_all([report])
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert 'href="http://evil"' not in html and "<strong>b</strong>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    import re

    text = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", html, flags=re.S)  # GitHub links nothing in code
    assert "@octocat" not in text and "#12" not in text  # no mention, no issue link
    assert "<code>RUN a &lt;img src=x&gt;</code>" in html  # the message's quotes stay code
    assert html.count("</details>") == html.count("<details>") == 1  # the log cannot close it
    rows = [line for line in md.splitlines() if line.startswith("| runs as")]
    assert rows and rows[0].count(" | ") == 2, rows  # the user's pipe does not add a cell
    assert '<td style="text-align:right"><code>app|&lt;i&gt;</code></td>' in html


def test_markdown_of_a_recorded_result_matches_its_snapshot() -> None:
    """The proof of a real run (recorded as JSON), rendered: the reviewer's page, byte for byte."""
    from optimizer.app.verify.core import report_from_dict
    from optimizer.app.verify.markdown import render_markdown_all

    data = Path(__file__).parent / "data" / "verify"
    report = report_from_dict(json.loads((data / "status-page.json").read_text()))
    md = render_markdown_all([report])
    snap = data / "status-page.md"
    if os.environ.get("DOPT_UPDATE_SNAPSHOTS"):
        snap.write_text(md)
    assert md == snap.read_text(), "run with DOPT_UPDATE_SNAPSHOTS=1 and read the diff"
    assert (
        json.loads(json.dumps(report.as_dict()))["held_back"]
        == json.loads((data / "status-page.json").read_text())["held_back"]
    )  # the report survives the round trip
