"""The composite GitHub Action: its script steps run locally against a sample repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_verify_build import base_images  # noqa: F401 - the fixture: stand-in base images, or skip

ROOT = Path(__file__).resolve().parent.parent
MERGEABLE = b"FROM debian:bookworm\nRUN mkdir -p /app\nRUN touch /app/x\n"
MERGED = b"FROM debian:bookworm\nRUN mkdir -p /app && \\\n    touch /app/x\n"


def steps(inputs: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    yaml = pytest.importorskip("yaml")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs

    def expand(s: str) -> str:
        s = s.replace("${{ github.action_path }}", str(ROOT))
        return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], s)

    assert action["runs"]["using"] == "composite"
    return [
        (expand(st["run"]), {k: expand(str(v)) for k, v in st.get("env", {}).items()}) for st in action["runs"]["steps"]
    ]


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A runner's environment: its own temporary folder, and a PATH without this test's venv (the action
    installs dopt with the runner's python3 alone, as without setup-python)."""
    temp = tmp_path_factory.mktemp("runner-temp")
    venv_bin = str(Path(sys.executable).parent)
    path = ":".join(p for p in os.environ["PATH"].split(":") if p != venv_bin)
    return {"RUNNER_TEMP": str(temp), "PATH": path}


def run_action(runner: dict[str, str], repo: Path, inputs: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    output = repo.parent / f"output-{inputs.get('mode', 'annotate')}"
    gh_path = repo.parent / "github-path"
    output.write_text("")
    gh_path.write_text("")
    env = dict(os.environ, **runner, GITHUB_OUTPUT=str(output), GITHUB_PATH=str(gh_path))
    env.pop("VIRTUAL_ENV", None)
    code, text = 0, ""
    for script, step_env in steps(inputs):
        added = [line for line in gh_path.read_text().splitlines() if line]
        step_path = ":".join([*reversed(added), env["PATH"]])  # as the runner applies GITHUB_PATH
        r = subprocess.run(
            ["bash", "-c", script],
            cwd=repo,
            env={**env, **step_env, "PATH": step_path},
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        code, text = r.returncode, r.stdout + r.stderr
        if code:
            break
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return code, text, outputs


def sample(tmp_path: Path, name: str) -> Path:
    repo = tmp_path / name
    (repo / "svc").mkdir(parents=True)
    (repo / "svc" / "Dockerfile").write_bytes(MERGEABLE)
    (repo / "my app").mkdir()
    (repo / "my app" / "Dockerfile").write_bytes(MERGEABLE)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


def test_annotate(runner: dict[str, str], tmp_path: Path) -> None:
    repo = sample(tmp_path, "annotate")
    code, text, outputs = run_action(runner, repo, {"mode": "annotate", "args": "svc"})
    assert code == 1, text  # findings fail the step by default
    assert "::warning file=svc/Dockerfile,line=3,col=1," in text
    sarif_file = Path(outputs["sarif-file"])
    assert sarif_file.parent == Path(runner["RUNNER_TEMP"]), "not in the repository"
    sarif = json.loads(sarif_file.read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "DOP101"
    assert not list(repo.glob("dopt.*"))
    code, _, _ = run_action(runner, repo, {"mode": "annotate", "args": "svc", "fail-on-findings": "false"})
    assert code == 0


def test_suggest(runner: dict[str, str], tmp_path: Path) -> None:
    repo = sample(tmp_path, "suggest")
    code, text, outputs = run_action(runner, repo, {"mode": "suggest", "args": "svc"})
    assert code == 0, text
    assert outputs["changed"] == "true"
    assert Path(outputs["diff-file"]).parent == Path(runner["RUNNER_TEMP"])
    diff = Path(outputs["diff-file"]).read_bytes()
    assert diff.startswith(b"--- svc/Dockerfile\n+++ svc/Dockerfile\n")
    assert (repo / "svc" / "Dockerfile").read_bytes() == MERGEABLE
    if shutil.which("git"):
        assert subprocess.run(["git", "apply", "-p0", outputs["diff-file"]], cwd=repo).returncode == 0
        assert (repo / "svc" / "Dockerfile").read_bytes() == MERGED


def test_commit(runner: dict[str, str], tmp_path: Path) -> None:
    repo = sample(tmp_path, "commit")
    (repo / "notes.txt").write_text("an unrelated change in the work tree\n")
    # a path with a space, quoted, among other arguments
    code, text, outputs = run_action(runner, repo, {"mode": "commit", "args": "'my app' --select DOP101"})
    assert code == 0, text
    assert (repo / "my app" / "Dockerfile").read_bytes() == MERGED
    assert (repo / "svc" / "Dockerfile").read_bytes() == MERGEABLE, "not in the args"
    assert outputs["changed"] == "true"
    # nothing left for dopt: changed is false although the work tree has other changes
    code, text, outputs = run_action(runner, repo, {"mode": "commit", "args": "'my app'"})
    assert code == 0, text
    assert outputs["changed"] == "false"


# -- verify: the bot's proof path, with real builds (buildah) ------------------------------------

LISTENER = b"""import http.server, os
# the port comes from a file: static reading cannot see that it is below 1024
port = int(open(os.path.join(os.path.dirname(__file__), "port.txt")).read())
server = http.server.HTTPServer(("0.0.0.0", port), http.server.SimpleHTTPRequestHandler)
print("serving on", port, flush=True)
server.serve_forever()
"""
LISTENER_DOCKERFILE = b"""FROM python:3.11-slim
WORKDIR /srv
ADD app.py port.txt /srv/
CMD ["python", "app.py"]
"""


@pytest.mark.build
@pytest.mark.usefixtures("base_images")
def test_verify_commits_only_the_fixes_that_pass(runner: dict[str, str], tmp_path: Path) -> None:
    """A repository with one Dockerfile whose app listens on port 80: DOP503's non-root user cannot bind
    it, so the bot holds that fix back (and says why in the body) and suggests the rest (DOP301)."""
    repo = tmp_path / "bot"
    (repo / "svc").mkdir(parents=True)
    (repo / "svc" / "Dockerfile").write_bytes(LISTENER_DOCKERFILE)
    (repo / "svc" / "app.py").write_bytes(LISTENER)
    (repo / "svc" / "port.txt").write_bytes(b"80\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    args = "svc --unsafe-fixes --select DOP301,DOP503 --run-seconds 6"
    inputs = {"mode": "commit", "args": args, "verify": "true", "builder": "buildah"}
    code, text, outputs = run_action(runner, repo, inputs)
    assert code == 0, text
    assert outputs["changed"] == "true"
    body = Path(outputs["body-file"]).read_text()
    assert Path(outputs["body-file"]).parent == Path(runner["RUNNER_TEMP"])
    assert body.startswith("# dopt: verified rewrite of 1 Dockerfile\n"), body
    assert "### Held back (1 fix)" in body and "- **DOP503** non\\-root\\-user" in body, body
    assert "permission error: PermissionError: \\[Errno 13\\] Permission denied" in body, body
    assert "### Applied (1 fix)" in body and "- **DOP301** add\\-to\\-copy" in body
    # commit mode wrote the verified rewrite: COPY, and no USER
    assert (repo / "svc" / "Dockerfile").read_bytes() == LISTENER_DOCKERFILE.replace(b"ADD app.py", b"COPY app.py")
    diff = Path(outputs["diff-file"]).read_text()
    assert diff.startswith("--- svc/Dockerfile\n+++ svc/Dockerfile\n") and "USER" not in diff
