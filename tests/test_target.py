"""`--target STAGE`, `target = "..."` in the configuration, and the `build.target` of a Compose file: the stage that
is built is the final one for every rule (issue #24)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.test_cli import dopt, write

# `app` ships the service; `test` is built FROM it to run the suite (the last stage, so without a target it is the
# final one: DOP503 then speaks of the test image, line 5).
TWO_STAGES = (
    b"FROM python:3.12-slim AS app\n"
    b"COPY app.py /app/app.py\n"
    b'CMD ["python", "/app/app.py"]\n'
    b"\n"
    b"FROM app AS test\n"
    b"RUN pip install pytest\n"
    b'CMD ["pytest"]\n'
)
COMPOSE = b"services:\n  api:\n    build:\n      context: ./svc\n      target: app\n"


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir(parents=True)  # the project root: a Compose file above it is not this project's
    write(tmp_path / "svc" / "app.py", b"print(1)\n")
    return write(tmp_path / "svc" / "Dockerfile", TWO_STAGES)


def _lines(r: subprocess.CompletedProcess[bytes], code: str) -> list[int]:
    return [int(line.split(b":")[1]) for line in r.stdout.splitlines() if f" {code} ".encode() in line]


def test_without_target_the_last_stage_is_final(tmp_path: Path) -> None:
    f = _project(tmp_path)
    r = dopt("check", "--select", "DOP503", str(f), cwd=tmp_path)
    assert _lines(r, "DOP503") == [5], r.stdout
    assert b"note:" not in r.stderr


def test_target_option_makes_that_stage_final(tmp_path: Path) -> None:
    f = _project(tmp_path)
    r = dopt("check", "--select", "DOP503", "--target", "app", str(f), cwd=tmp_path)
    assert r.returncode == 1
    assert _lines(r, "DOP503") == [1], r.stdout
    assert b"create `app`" in r.stdout  # the service stage gets the non-root user, not the test image
    # the stage after the target is not built: an unsafe fix there has no gain, only risk
    fixed = dopt("rewrite", "--diff", "--unsafe-fixes", "--select", "DOP503", "--target", "APP", str(f))
    assert b"+USER 10001:10001" in fixed.stdout
    assert fixed.stdout.index(b"+USER") < fixed.stdout.index(b"FROM app AS test")


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    f = _project(tmp_path)
    r = dopt("check", "--target", "nope", str(f), cwd=tmp_path)
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if line.startswith(b"error:")]
    assert errors == [f"error: {f}: unknown target stage 'nope'; the stages are: app, test".encode()]
    assert r.stdout == b""


def test_target_in_configuration(tmp_path: Path) -> None:
    f = _project(tmp_path)
    write(tmp_path / "dopt.toml", b'target = "app"\n')
    r = dopt("check", "--select", "DOP503", str(f), cwd=tmp_path)
    assert _lines(r, "DOP503") == [1], r.stdout
    assert b"note:" not in r.stderr  # the user named it: nothing to announce


def test_compose_target_is_used_and_said(tmp_path: Path) -> None:
    f = _project(tmp_path)
    write(tmp_path / "compose.yaml", COMPOSE)
    r = dopt("check", "--select", "DOP503", str(f), cwd=tmp_path)
    assert _lines(r, "DOP503") == [1], r.stdout
    assert b"note: built with --target app by compose.yaml (service api): that stage is the final one" in r.stderr
    j = dopt("check", "--select", "DOP503", "--output-format", "json", str(f), cwd=tmp_path)
    records = json.loads(j.stdout)
    assert [x["target"] for x in records] == [{"stage": "app", "source": "compose.yaml (service api)"}]
    # the option wins over the Compose file, and says nothing about it
    o = dopt("check", "--select", "DOP503", "--target", "test", str(f), cwd=tmp_path)
    assert _lines(o, "DOP503") == [5] and b"note:" not in o.stderr
    assert json.loads(dopt("check", "--output-format", "json", "--target", "test", str(f)).stdout)[0]["target"] == {
        "stage": "test",
        "source": "option",
    }


def test_compose_names_and_disagreement(tmp_path: Path) -> None:
    f = _project(tmp_path)
    write(tmp_path / "docker-compose.yml", b"services:\n  api:\n    build:\n      context: svc\n      target: app\n")
    assert _lines(dopt("check", "--select", "DOP503", str(f), cwd=tmp_path), "DOP503") == [1]
    # two services build it, one without a target: the last stage stays final, and dopt says why
    write(
        tmp_path / "docker-compose.yml",
        b"services:\n  api:\n    build: {context: svc, target: app}\n  tests:\n    build: ./svc\n",
    )
    r = dopt("check", "--select", "DOP503", str(f), cwd=tmp_path)
    assert _lines(r, "DOP503") == [5], r.stdout
    assert b"different targets (tests: no target, api: target app)" in r.stderr


def test_compose_of_another_dockerfile_or_project_is_ignored(tmp_path: Path) -> None:
    f = _project(tmp_path / "proj")
    # above the project root (the folder with .git): another project's Compose file
    write(tmp_path / "compose.yaml", b"services:\n  api:\n    build: {context: proj/svc, target: app}\n")
    # beside it, but building another Dockerfile of the context
    write(
        tmp_path / "proj" / "compose.yaml",
        b"services:\n  api:\n    build: {context: svc, dockerfile: Dockerfile.dev, target: app}\n",
    )
    r = dopt("check", "--select", "DOP503", str(f), cwd=tmp_path)
    assert _lines(r, "DOP503") == [5], r.stdout
    assert b"note:" not in r.stderr
    # --isolated reads no file beside the Dockerfile, Compose files included
    write(tmp_path / "proj" / "compose.yaml", COMPOSE)
    assert _lines(dopt("check", "--select", "DOP503", str(f), cwd=tmp_path), "DOP503") == [1]
    assert _lines(dopt("check", "--isolated", "--select", "DOP503", str(f), cwd=tmp_path), "DOP503") == [5]


def test_compose_target_that_names_no_stage_is_a_usage_error(tmp_path: Path) -> None:
    f = _project(tmp_path)
    write(tmp_path / "compose.yaml", COMPOSE.replace(b"target: app", b"target: prod"))
    r = dopt("check", str(f), cwd=tmp_path)
    assert r.returncode == 2
    assert (
        f"error: {f}: unknown target stage 'prod' (from compose.yaml (service api)); the stages are: app, test".encode()
        in r.stderr
    )
