"""`dopt batch --verify`: the verify of `dopt verify` per file, on local processes or Ray; the fleet report.

The real-build tests (marked `build`) are kept to three small runs for CI's time: two examples in one
local batch, one Ray task on the cache of the same base, and one interrupted build.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from optimizer.app.batch import run_batch
from optimizer.app.batch_verify import VerifyOptions
from optimizer.core.settings import Settings
from tests.test_verify_build import _default_store, base_images  # noqa: F401 (the fixture, by name)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "fleet_report.jsonl"
CLEAN = b'FROM debian:bookworm-slim\nCMD ["bash"]\n'


def dopt(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, env=env, timeout=3600, check=False
    )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines()]


# -- no builds -------------------------------------------------------------------------------------------


def test_resume_keeps_done_lines_drops_a_half_line_and_retries_errors(tmp_path: Path) -> None:
    """A pre-filled output: one finished line (skipped), one half-written last line (dropped, its file
    verified again). No builder on this worker: the task fails with a one-line reason, retried next run."""
    a, b = tmp_path / "a" / "Dockerfile", tmp_path / "b" / "Dockerfile"
    for p in (a, b):
        p.parent.mkdir()
        p.write_bytes(CLEAN)
    listing = tmp_path / "list.txt"
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    listing.write_text(f"{a}\n# a comment\n{b}\t{ctx}\tpython -V\n")
    out = tmp_path / "out.jsonl"
    done_line = json.dumps({"path": str(a), "status": "proven", "error": None, "bytes_saved": 7}) + "\n"
    out.write_text(done_line + json.dumps({"path": str(b), "status": "proven", "error": None})[:25])
    bare = tmp_path / "bin"  # python and nothing else: no docker, podman or buildah
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bare)}
    env.pop("DOPT_BUILDER", None)
    r = dopt("batch", str(listing), "--verify", "--jsonl", str(out), "-j", "1", env=env)
    assert r.returncode == 2, r.stderr
    assert "1 file processed, 1 already in" in r.stderr and "1 with errors" in r.stderr, r.stderr
    first, second = out.read_text().splitlines(keepends=True)
    assert first == done_line  # the finished line, byte for byte
    rec = json.loads(second)
    assert rec["path"] == str(b) and rec["status"] == "error"
    assert rec["error"] == f"no image builder on worker {socket.gethostname()}: " + (
        "no image builder found: install Docker, Podman or buildah (e.g. `apt-get install buildah`) or pass --builder"
    )
    assert rec["context"] == str(ctx)  # the list's context column
    # the errored file is tried again (its old line dropped first); the finished one is still skipped
    r = dopt("batch", str(listing), "--verify", "--jsonl", str(out), "-j", "1", env=env)
    assert "1 file processed, 1 already in" in r.stderr, r.stderr
    assert out.read_text().splitlines(keepends=True)[0] == done_line and len(lines(out)) == 2


def test_context_above_the_limit_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    df = tmp_path / "repo" / "Dockerfile"
    df.parent.mkdir()
    df.write_bytes(CLEAN)
    (df.parent / "blob").write_bytes(b"x" * 4096)
    out = tmp_path / "out.jsonl"
    done, skipped, errors = run_batch([str(df)], str(out), Settings(), verify=VerifyOptions(max_context=2048))
    assert (done, skipped, errors) == (1, 0, 1)
    (rec,) = lines(out)
    assert rec["error"].startswith(f"{df}: the build context {df.parent} holds more than 0 MB, the most a task ships")
    # a file BuildKit cannot parse fails on the worker, named as on the driver (not by the worker's copy)
    bad = tmp_path / "bad" / "Dockerfile"
    bad.parent.mkdir()
    bad.write_bytes(b"FROM a\nRUN <<EOF\n")
    run_batch([str(bad)], str(out), Settings(), jobs=1, verify=VerifyOptions())
    assert lines(out)[-1]["error"].startswith(f"{bad}:2: unterminated heredoc"), lines(out)[-1]
    monkeypatch.setenv("DOPT_BATCH_MAX_CONTEXT_MB", "lots")
    r = dopt("batch", str(out), "--verify", "--jsonl", str(tmp_path / "x.jsonl"))
    assert r.returncode == 2 and "DOPT_BATCH_MAX_CONTEXT_MB='lots' is not a number" in r.stderr


def test_verify_options_need_verify(tmp_path: Path) -> None:
    listing = tmp_path / "l.txt"
    listing.write_text("")
    for flag in ("--keep-proven", "--attribute", "--no-health"):
        r = dopt("batch", str(listing), "--jsonl", str(tmp_path / "o.jsonl"), flag)
        assert r.returncode == 2 and f"error: {flag} needs --verify" in r.stderr
    r = dopt("batch", str(listing))
    assert r.returncode == 2 and "needs a FILE_LIST and --jsonl OUT" in r.stderr
    r = dopt("batch", str(listing), "--report", str(FIXTURE))
    assert r.returncode == 2 and "--report summarizes an output file; it takes no FILE_LIST" in r.stderr


def test_report_markdown_over_a_fixture() -> None:
    r = dopt("batch", "--report", str(FIXTURE))
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert md.startswith("# dopt: verified rewrite of 6 Dockerfiles\n")  # the rerun's line replaces repos/a's error
    for row in (
        "| proven (every fix kept) | 1 |",
        "| proven with fixes held back | 2 |",
        "| unchanged (nothing to fix) | 1 |",
        "| failed (the rewrite breaks) | 1 |",
        "| errors (run again to retry) | 1 |",
    ):
        assert row in md, md
    assert "**Bytes saved** by the proven rewrites: 80.0 MB" in md
    held = md[md.index("## Rules held back most often") : md.index("## Slowest builds")]
    assert held.index("**DOP503** non\\-root\\-user: 2 files, 2 fixes") < held.index("**DOP601** dockerignore: 1 file")
    assert "  - cannot listen on port 80: \\[Errno 13\\] Permission denied (2)\n" in held
    slowest = md[md.index("## Slowest builds") :].splitlines()[4:6]
    assert slowest == ["| `repos/d/Dockerfile` | original | 120 |", "| `repos/b/Dockerfile` | rewritten | 96 |"]
    assert "- `repos/d/Dockerfile` (failed): the rewrite did not build: RUN apt\\-get install \\-y gcc" in md
    assert "- `repos/f/Dockerfile` (error): no image builder on worker n3" in md


def test_report_json_over_a_fixture() -> None:
    r = dopt("batch", "--report", str(FIXTURE), "--output-format", "json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["files"] == 6 and s["bytes_saved"] == 80_000_000
    assert s["counts"] == {"proven": 1, "held-back": 2, "unchanged": 1, "failed": 1, "original-broken": 0, "error": 1}
    assert [(e["code"], e["files"], e["fixes"]) for e in s["held_back_rules"]] == [("DOP503", 2, 2), ("DOP601", 1, 2)]
    assert s["held_back_rules"][0]["reasons"][0] == {
        "reason": "cannot listen on port 80: [Errno 13] Permission denied",
        "files": 2,
    }
    assert [b["seconds"] for b in s["slowest_builds"]] == [120.0, 95.5, 50.0, 30.0, 25.0]
    assert [x["path"] for x in s["not_proven"]] == ["repos/d/Dockerfile", "repos/f/Dockerfile"]


def test_report_of_a_missing_file(tmp_path: Path) -> None:
    r = dopt("batch", "--report", str(tmp_path / "nope.jsonl"))
    assert r.returncode == 2 and "nope.jsonl: cannot read" in r.stderr


@pytest.mark.ray
def test_ray_needs_builder_nodes_and_a_builder_on_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster without the `builder` resource is refused before any task is sent; a node that offers it
    but whose builder is missing answers with a one-line reason (no build: cheap)."""
    ray = pytest.importorskip("ray")
    from optimizer.errors import DoptError

    df = tmp_path / "repo" / "Dockerfile"
    df.parent.mkdir()
    df.write_bytes(CLEAN)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    monkeypatch.setenv("DOPT_BUILDER", "no-such-builder")  # the workers Ray starts inherit it
    temp = Path("/tmp") / f"ray-fleet-{os.getpid()}"  # Ray's sockets need a short path
    out = tmp_path / "out.jsonl"
    for resources in ({}, {"builder": 1}):
        ray.init(
            num_cpus=1, resources=resources, include_dashboard=False, log_to_driver=False,
            _temp_dir=str(temp), _node_ip_address="127.0.0.1",
        )  # fmt: skip
        try:
            if not resources:
                with pytest.raises(DoptError, match="no node of the Ray cluster offers the `builder` resource"):
                    run_batch([str(df)], str(out), Settings(), executor="ray", verify=VerifyOptions())
                continue
            done, skipped, errors = run_batch([str(df)], str(out), Settings(), executor="ray", verify=VerifyOptions())
        finally:
            ray.shutdown()
    subprocess.run(["rm", "-rf", str(temp)], check=False)
    assert (done, skipped, errors) == (1, 0, 1)
    (rec,) = lines(out)
    assert rec["error"] == (
        f"no image builder on worker {socket.gethostname()}: unknown builder 'no-such-builder' in DOPT_BUILDER "
        "(docker, podman or buildah)"
    )


# -- real builds -----------------------------------------------------------------------------------------

build = pytest.mark.build
builds = pytest.mark.usefixtures("base_images")  # the base images, or a skip without buildah
SMALL = ("cache-service", "status-page")  # the two fastest examples to build (python:3.11-slim, no apt-get)
RUN_SECONDS = "6"


def _config(name: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    with (ROOT / "examples" / name / "dopt-example.toml").open("rb") as fh:
        return dict(tomllib.load(fh))


def _listing(tmp_path: Path, names: tuple[str, ...]) -> Path:
    listing = tmp_path / "list.txt"
    rows = [f"{ROOT / 'examples' / n / 'Dockerfile'}\t\t{_config(n)['smoke']}" for n in names]
    listing.write_text("\n".join(rows) + "\n")
    return listing


def _ours_left(stores: Path) -> list[str]:
    """What a run that kept its stores under ``stores`` left behind: folders, mounts, processes."""
    left = [str(p) for p in stores.iterdir()] if stores.exists() else []
    with open("/proc/mounts") as fh:
        left += [ln for ln in fh if str(stores) in ln]
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                root = os.readlink(f"/proc/{pid}/root")
            except OSError:
                continue
            if str(stores) in cmdline or root.startswith(str(stores)):
                left.append(f"process {pid}: {cmdline[:200]}")
    return left


@pytest.mark.rotation("batch-local")
@build
@builds
def test_local_batch_proves_two_examples(tmp_path: Path) -> None:
    """cache-service: every fix proven. status-page with --keep-proven: DOP503 held back with what failed
    (port 80 as non-root); DOP301 proven (--select keeps CI to a few builds)."""
    store = _default_store()
    stores = tmp_path / "stores"
    stores.mkdir()
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "DOPT_VERIFY_STORE_DIR": str(stores)}
    r = dopt(
        "batch", str(_listing(tmp_path, SMALL)), "--verify", "--keep-proven", "--unsafe-fixes",
        "--select", "DOP301,DOP503", "--builder", "buildah", "--run-seconds", RUN_SECONDS,
        "--jsonl", str(out), "-j", "2", env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 files processed, 0 already in" in r.stderr
    recs = {Path(x["path"]).parent.name: x for x in lines(out)}
    cache, status = recs["cache-service"], recs["status-page"]
    for rec in (cache, status):
        assert rec["error"] is None and rec["builder"] == "buildah" and rec["worker"] == socket.gethostname()
        assert rec["original"]["built"] and rec["original"]["smoke_code"] == 0
        assert rec["rewritten"]["built"] and rec["rewritten"]["parity"] == "same", rec["rewritten"]
        assert rec["original"]["layers"] and rec["original"]["size"] and rec["original"]["build_seconds"] > 0
    assert cache["status"] == "proven", cache
    assert sorted({f["code"] for f in cache["fixes"]}) == ["DOP301", "DOP503"]
    assert cache["rewritten"]["user"] not in ("", "root") and cache["held_back"] == []
    assert "-ADD app.py /srv/app.py\n+COPY app.py /srv/app.py\n" in cache["diff"]
    assert status["status"] == "held-back", status
    assert [f["code"] for f in status["fixes"]] == ["DOP301"] and status["rewritten"]["user"] == ""
    (held,) = status["held_back"]
    assert held["code"] == "DOP503" and any("cannot listen on port 80" in x for x in held["reasons"]), held
    assert "-ADD . /srv/status\n+COPY . /srv/status\n" in status["diff"], status["diff"]
    assert _ours_left(stores) == [] and _default_store() == store
    # the fleet report over this run
    r = dopt("batch", "--report", str(out))
    assert "| proven (every fix kept) | 1 |" in r.stdout and "| proven with fixes held back | 1 |" in r.stdout
    assert "- **DOP503** non\\-root\\-user: 1 file, 1 fix" in r.stdout


@pytest.mark.rotation("batch-ray")
@build
@builds
@pytest.mark.ray
def test_ray_runs_one_verify_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One node with a `builder`; the context travels as bytes (the task unpacks it in a folder of its own)."""
    ray = pytest.importorskip("ray")
    stores = tmp_path / "stores"
    stores.mkdir()
    monkeypatch.setenv("DOPT_VERIFY_STORE_DIR", str(stores))  # the workers Ray starts inherit it
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    out = tmp_path / "ray.jsonl"
    listing = _listing(tmp_path, ("cache-service",))
    opts = VerifyOptions(builder="buildah", run_seconds=float(RUN_SECONDS))
    settings = Settings(select={"DOP301"})
    temp = Path("/tmp") / f"ray-fleet-{os.getpid()}"  # Ray's sockets need a short path
    ray.init(
        num_cpus=2, resources={"builder": 1}, include_dashboard=False, log_to_driver=False,
        _temp_dir=str(temp), _node_ip_address="127.0.0.1",
    )  # fmt: skip
    try:
        done, skipped, errors = run_batch(
            listing.read_text().splitlines(), str(out), settings, executor="ray", verify=opts
        )
    finally:
        ray.shutdown()
        subprocess.run(["rm", "-rf", str(temp)], check=False)
    assert (done, skipped, errors) == (1, 0, 0)
    (rec,) = lines(out)
    assert rec["status"] == "proven" and rec["original"]["smoke_code"] == 0, rec
    assert [f["code"] for f in rec["fixes"]] == ["DOP301"] and rec["rewritten"]["parity"] == "same"
    assert "+COPY app.py /srv/app.py\n" in rec["diff"]
    assert _ours_left(stores) == []


@pytest.mark.rotation("batch-ctrl-c")
@build
@builds
def test_ctrl_c_mid_build_leaves_nothing_of_its_own(tmp_path: Path) -> None:
    store = _default_store()
    stores = tmp_path / "stores"
    stores.mkdir()
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "DOPT_VERIFY_STORE_DIR": str(stores)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "batch", str(_listing(tmp_path, ("status-page",))), "--verify",
         "--unsafe-fixes", "--builder", "buildah", "--jsonl", str(out), "-j", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # a runner started in the background (`.ci/run &`) ignores SIGINT, and its children inherit that:
        # give the batch the terminal's default, which Python turns into KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not list(stores.glob("dopt-verify-store-*/root/vfs/dir/*")):
        time.sleep(0.5)  # until a build is under way in the task's own store
    assert list(stores.glob("dopt-verify-store-*/root/vfs/dir/*")), "no build started"
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 130, err
    assert "interrupted: the running tasks removed their containers and stores" in err
    assert _ours_left(stores) == []
    assert _default_store() == store
    assert not out.exists() or out.read_text() == ""  # nothing half-proven was written
