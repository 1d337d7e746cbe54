"""Real builds: `dopt verify --unsafe-fixes` on the apps in examples/ with buildah (marked `build`).

Each run verifies the day's share of the examples (tests/example_rotation.py: every example once a week;
DOPT_BUILD_EXAMPLES=all for every one), plus the parity and hold-back tests, which run every time.

Run-time parity failures are driven by a test-only harmful rule (tests/harmful_rule.py) on the
cache-service example, so these tests do not depend on what the real rules (DOP503) do to it.

Needs root, buildah and debootstrap; the base images (debian:bookworm-slim, python:3.x-slim) are built
once per machine by scripts/base_images.sh, since no registry is reachable. Without the tools these
tests skip, unless DOPT_REQUIRE_BUILD=1 (set by .ci/run), which makes a missing tool a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import example_rotation

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def build_minutes(example: Path) -> float:
    """`build_minutes` in dopt-example.toml: what verifying it costs here, base images included (rotation weight)."""
    with (example / "dopt-example.toml").open("rb") as fh:
        return float(tomllib.load(fh)["build_minutes"])


def _holds_back(example: Path) -> list[str]:
    """`holds_back` in dopt-example.toml: the fixes that break the example at run time."""
    with (example / "dopt-example.toml").open("rb") as fh:
        return list(tomllib.load(fh).get("holds_back", []))


EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/dopt-example.toml"))
BREAKING = [e for e in EXAMPLES if _holds_back(e)]  # their rewrite with every fix must fail: tested apart
PARITY_EXAMPLE = ROOT / "examples" / "cache-service"
# test_example_verifies builds today's share of the others (tests/example_rotation.py: each one weekly)
ROTATING = [e for e in EXAMPLES if e != PARITY_EXAMPLE and e not in BREAKING]
ROTATION = {**{e.name: build_minutes(e) for e in ROTATING}, **example_rotation.FEATURE_TESTS}
TODAY, TODAY_WHY = example_rotation.chosen(ROTATION)
RUN_SECONDS = "6"  # the examples start in about a second; keeps CI lean
REQUIRED = os.environ.get("DOPT_REQUIRE_BUILD") == "1"

pytestmark = pytest.mark.build


def _missing() -> str | None:
    for tool in ("buildah", "debootstrap"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if os.geteuid() != 0:
        return "buildah with vfs storage and chroot isolation needs root here"
    return None


@pytest.fixture(scope="session")
def base_images() -> None:
    why = _missing()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"DOPT_REQUIRE_BUILD=1 but {why}")
        pytest.skip(why)
    # the stand-ins the collected examples need (`families` in dopt-example.toml), and no others
    built = [e for e in EXAMPLES if e not in ROTATING or e.name in TODAY]
    families = sorted({example_config(e).get("families", "") for e in built} - {""})
    env = {**os.environ, "DOPT_FAMILIES": ",".join(families)}
    subprocess.run(["bash", str(ROOT / "scripts" / "base_images.sh")], check=True, timeout=1800, env=env)


def example_config(example: Path) -> dict[str, Any]:
    with (example / "dopt-example.toml").open("rb") as fh:
        return dict(tomllib.load(fh))


def dopt(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, cwd=cwd, timeout=3600, check=False
    )


def _buildah(*args: str) -> set[str]:
    """What the machine's default store holds (verify must leave it as it was)."""
    out = subprocess.run(
        ["buildah", "--storage-driver", "vfs", *args], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def _default_store() -> tuple[set[str], set[str]]:
    return _buildah("images", "-a", "-q", "--no-trunc"), _buildah("containers", "-a", "-q", "--notruncate")


WORKING = [e for e in ROTATING if e.name in TODAY]


@pytest.mark.parametrize("example", WORKING, ids=[p.name for p in WORKING])
def test_example_verifies(example: Path, base_images: None) -> None:
    cfg = example_config(example)
    store = _default_store()
    proc = dopt(
        "verify",
        "--unsafe-fixes",
        "--builder",
        "buildah",
        "--format",
        "json",
        "--run-seconds",
        RUN_SECONDS,
        "--smoke",
        cfg["smoke"],
        str(example / "Dockerfile"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    before, after = report["original"], report["rewritten"]
    for img in (before, after):
        assert img["built"], img["log_tail"]
        assert img["smoke_code"] == 0, img["smoke_output"]
        assert cfg["expect_output"] in img["smoke_output"]
        # every example's final stage has a CMD: its run-time parity was checked
        assert img["runtime"]["status"] in ("running", "exited"), img["runtime"]
    assert after["runtime"]["problems"] == [], after["runtime"]
    assert after["runtime"]["status"] == before["runtime"]["status"]
    assert report["change_percent"] <= -cfg["min_saving_percent"], report["change_percent"]
    assert after["user"] not in ("", "root", "0"), "the rewritten image must run as a non-root user"
    assert before["user"] in ("", "root")
    if cfg["service"]:
        # "none": the runtime image has no tool to probe with (distroless), so DOP504 adds no HEALTHCHECK
        assert after["health"] == cfg.get("expect_health", "passed"), after["health_output"]
        assert before["runtime"]["status"] == "running"
    assert _default_store() == store  # nothing of ours in the machine's store, nothing of others removed


def _verify_in_process(*args: str) -> tuple[int, str]:
    """The CLI in this process, where the test-only rule is registered."""
    from typer.testing import CliRunner

    from optimizer.app.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.rotation("parity")
def test_parity_failure_is_found_and_the_culprit_named(base_images: None) -> None:
    # (`dopt rewrite --verify` takes the same --bisect path; tests/test_verify.py checks its wiring)
    from tests import harmful_rule

    cfg = example_config(PARITY_EXAMPLE)
    with harmful_rule.registered() as code:
        # DOP301 (ADD -> COPY) is harmless; the test rule makes the app run as nobody, which cannot
        # write its cache under HOME nor its state into the root-owned /data
        select = ["--select", "DOP301", "--select", code, "--unsafe-fixes", "--builder", "buildah"]
        exit_code, out = _verify_in_process(
            "verify", *select, "--format", "json", "-q", "--run-seconds", RUN_SECONDS, "--bisect",
            "--smoke", cfg["smoke"], str(PARITY_EXAMPLE / "Dockerfile"),
        )  # fmt: skip
        assert exit_code == 0, out  # --bisect found a rewrite that works
        report = json.loads(out[out.index("{") :])
        original, broken, kept = report["original"]["runtime"], report["all_fixes"], report["rewritten"]
        assert original["status"] == "running" and original["home"] == "/root"
        assert "/data/state.json" in original["write_set"] and "/root/.cache" in original["write_set"]
        assert broken["smoke_code"] == 0  # the import-level smoke test sees nothing wrong
        problems = broken["runtime"]["problems"]
        assert any(
            p.startswith("the original keeps running") and "the rewrite exited with code 1" in p for p in problems
        )
        assert any(
            p.startswith("the original wrote /data/state.json: the image's user cannot write /data") for p in problems
        ), problems
        assert any(p.startswith("the original wrote /root/.cache (here /nonexistent/.cache)") for p in problems), (
            problems
        )
        assert [d.split(":")[0] for d in report["dropped"]] == [code]
        assert kept["runtime"]["problems"] == [] and kept["runtime"]["status"] == "running"
        assert report["fixes"] == [f for f in report["fixes"] if f.startswith("DOP301")] != []


@pytest.mark.rotation("two-verifies")
def test_two_verifies_at_once_keep_to_their_own(tmp_path: Path, base_images: None) -> None:
    # something of someone else's in the machine's store, made while verify runs
    foreign = f"someone-elses-build-{os.getpid()}"
    subprocess.run(
        ["buildah", "--storage-driver", "vfs", "from", "--name", foreign, "--pull-never", "debian:bookworm-slim"],
        capture_output=True, check=True,
    )  # fmt: skip
    try:
        store = _default_store()
        env = {**os.environ, "DOPT_VERIFY_STORE_DIR": str(tmp_path)}
        cmd = [
            sys.executable, "-m", "optimizer", "verify", "--select", "DOP301", "--builder", "buildah",
            "--run-seconds", "4", "--format", "json", str(PARITY_EXAMPLE / "Dockerfile"),
        ]  # fmt: skip
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
        ]
        outs = [p.communicate(timeout=900) for p in procs]
        for proc, (out, err) in zip(procs, outs, strict=True):
            assert proc.returncode == 0, out + err
            report = json.loads(out)
            # both services listened on port 8000 at about the same time: each in its own network
            assert report["rewritten"]["runtime"]["status"] == "running", report["rewritten"]["runtime"]
            assert report["original"]["runtime"]["write_set"]
        assert list(tmp_path.iterdir()) == []  # both temporary stores gone
        assert _default_store() == store
        assert foreign in _buildah("containers", "-a", "--format", "{{.ContainerName}}")
    finally:
        subprocess.run(["buildah", "--storage-driver", "vfs", "rm", foreign], capture_output=True, check=False)


@pytest.mark.rotation("sigterm")
def test_sigterm_mid_build_leaves_nothing_behind(tmp_path: Path, base_images: None) -> None:
    import signal
    import time

    images, containers = _default_store()
    env = {**os.environ, "DOPT_VERIFY_STORE_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optimizer",
            "verify",
            "--unsafe-fixes",
            "--builder",
            "buildah",
            str(ROOT / "examples" / "worker-pandas" / "Dockerfile"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(tmp_path.glob("dopt-verify-store-*/root/vfs/dir/*")):
        time.sleep(1)  # wait until a build is under way in verify's own store
    assert list(tmp_path.glob("dopt-verify-store-*/root/vfs/dir/*")), "no build started"
    time.sleep(5)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "interrupted: images and containers removed" in err
    assert list(tmp_path.iterdir()) == []  # its store is gone
    assert _default_store() == (images, containers)


@pytest.mark.rotation("hold-back")
@pytest.mark.parametrize("example", BREAKING, ids=[p.name for p in BREAKING])
def test_rewrite_verify_holds_back_exactly_the_culprits(example: Path, tmp_path: Path, base_images: None) -> None:
    """The fixes that break the app only at run time are held back, each with what failed; the rest is
    written. status-page: DOP503 (port 80, a folder under /var/lib) and DOP601 (its key file)."""
    cfg = example_config(example)
    culprits = _holds_back(example)
    work = tmp_path / example.name
    shutil.copytree(example, work)
    before = (work / "Dockerfile").read_text()
    store = _default_store()
    body = tmp_path / "body.md"
    # DOP301 (ADD -> COPY) is the harmless fix that must be kept; the others would only cost CI builds
    select = ",".join(["DOP301", *culprits])
    proc = dopt(
        "rewrite", "--verify", "--unsafe-fixes", "--select", select, "--builder", "buildah",
        "--run-seconds", RUN_SECONDS, "--smoke", cfg["smoke"], "--output-format", "markdown", "-o", str(body),
        str(work / "Dockerfile"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = (work / "Dockerfile").read_text()
    assert after == before.replace("ADD . /srv/status", "COPY . /srv/status"), after  # DOP301 only
    assert not (work / ".dockerignore").exists()  # DOP601's file is not written
    md = body.read_text()
    assert "✅ **The rewrite builds and behaves like the original**" in md, md
    assert "### Applied (1 fix)" in md and "- **DOP301** add\\-to\\-copy" in md
    assert "### Held back (2 fixes)" in md
    held = md[md.index("### Held back") :]
    sections = {code: held[held.index(f"- **{code}**") :] for code in culprits}
    dop503 = sections["DOP503"][: sections["DOP503"].index("- **DOP601**")]
    # (b) port 80 as non-root, (a) a folder under root-owned /var/lib, each named
    assert "cannot listen on port 80: \\[Errno 13\\] Permission denied" in dop503, dop503
    assert "the original wrote /var/lib/status\\-page: the image's user cannot write /var/lib" in dop503, dop503
    # (c) the key file .dockerignore left out, opened at import
    dop601 = sections["DOP601"]
    assert "FileNotFoundError: no signing key" in dop601, dop601
    assert "| runs as | `root` | `root` |" in md
    assert _default_store() == store


@pytest.mark.rotation("target")
def test_verify_builds_the_target_stage(tmp_path: Path, base_images: None) -> None:
    """`--target STAGE`: the rules treat that stage as the final one, and verify builds it (`--target` to the
    builder): a later stage that cannot build is not built at all (issue #24). Kept tiny: no RUN in the target."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:bookworm-slim AS app\nENV READY=1\n\nFROM app AS broken\nRUN exit 3\n")
    args = ["--isolated", "--builder", "buildah", "--run-seconds", "0", "--no-health", "--format", "json"]
    whole = dopt("verify", *args, str(dockerfile), cwd=tmp_path)
    assert whole.returncode == 2, whole.stdout + whole.stderr  # the last stage does not build
    r = dopt("verify", *args, "--target", "app", str(dockerfile), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["original"]["built"], report


LAYERS_DOCKERFILE = "# apt lists left in their layer: DOP201's case\nFROM debian:bookworm-slim\nRUN apt-get update\n"


@pytest.mark.rotation("layers")
def test_layers_match_buildah_inspect_and_name_the_rule(
    tmp_path: Path, base_images: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dopt verify --layers --output-format json` on a real build: each layer's size is the one `buildah
    inspect` gives for the image, the `apt-get update` layer holds the lists and names DOP201, and the
    rewrite (DOP201 applied) no longer has them."""
    import time

    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    inspected: list[list[int]] = []  # each saved image's layer sizes, as `buildah inspect` gives them

    class Inspecting(builders.BuildahBuilder):
        def save(self, tag: str, dest: Path) -> str:
            proc = self._run(["inspect", "--type", "image", tag])
            manifest = json.loads(json.loads(proc.stdout)["Manifest"])
            inspected.append([int(layer["size"]) for layer in manifest["layers"]])
            return super().save(tag, dest)

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: Inspecting())
    (tmp_path / "Dockerfile").write_text(LAYERS_DOCKERFILE)
    store = _default_store()
    start = time.monotonic()
    args = ["verify", "--layers", "--output-format", "json", "--no-health", "--run-seconds", "0"]
    result = CliRunner().invoke(app, [*args, str(tmp_path / "Dockerfile")])
    seconds = time.monotonic() - start
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["fixes"] and all(f.startswith("DOP201") for f in report["fixes"])
    before, after = report["layers"]["original"], report["layers"]["rewritten"]
    assert [[layer["size"] for layer in img["layers"]] for img in (before, after)] == inspected
    assert sum(layer["size"] for layer in before["layers"]) == report["original"]["size"]
    assert len(before["layers"]) == report["original"]["layers"]  # the old count, unchanged
    top, after_top = before["layers"][-1], after["layers"][-1]
    assert top["instruction"] == "RUN apt-get update" and top["base"] is False
    assert all(layer["base"] for layer in before["layers"][:-1])  # debian's own layers
    lists = [c for c in top["cuts"] if c["path"] == "/var/lib/apt/lists"]
    assert lists and lists[0]["rule"] == "DOP201" and lists[0]["bytes"] > 5_000_000, top
    assert top["paths"][0]["path"] == "/var/lib/apt/lists" and top["paths"][0]["rule"] == "DOP201"
    assert after_top["instruction"] == "RUN apt-get update && rm -rf /var/lib/apt/lists/*"
    assert after_top["cuts"] == [] and after_top["size"] < 100_000
    assert _default_store() == store
    print(f"verify --layers, two builds: {seconds:.0f} s")
