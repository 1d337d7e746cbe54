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
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment for the action's own install step."""
    path = tmp_path_factory.mktemp("action") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path


def run_action(venv: Path, repo: Path, inputs: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    output = repo.parent / f"output-{inputs.get('mode', 'annotate')}"
    output.write_text("")
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}", GITHUB_OUTPUT=str(output))
    env.pop("VIRTUAL_ENV", None)
    code, text = 0, ""
    for script, step_env in steps(inputs):
        r = subprocess.run(
            ["bash", "-c", script],
            cwd=repo,
            env={**env, **step_env},
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
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


def test_annotate(venv: Path, tmp_path: Path) -> None:
    repo = sample(tmp_path, "annotate")
    code, text, outputs = run_action(venv, repo, {"mode": "annotate", "args": "svc"})
    assert code == 1, text  # findings fail the step by default
    assert "::warning file=svc/Dockerfile,line=3,col=1," in text
    sarif = json.loads((repo / outputs["sarif-file"]).read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "DOP101"
    code, _, _ = run_action(venv, repo, {"mode": "annotate", "args": "svc", "fail-on-findings": "false"})
    assert code == 0


def test_suggest(venv: Path, tmp_path: Path) -> None:
    repo = sample(tmp_path, "suggest")
    code, text, outputs = run_action(venv, repo, {"mode": "suggest", "args": "svc"})
    assert code == 0, text
    assert outputs["changed"] == "true"
    diff = (repo / outputs["diff-file"]).read_bytes()
    assert diff.startswith(b"--- svc/Dockerfile\n+++ svc/Dockerfile\n")
    assert (repo / "svc" / "Dockerfile").read_bytes() == MERGEABLE
    if shutil.which("git"):
        assert subprocess.run(["git", "apply", "-p0", outputs["diff-file"]], cwd=repo).returncode == 0
        assert (repo / "svc" / "Dockerfile").read_bytes() == MERGED


def test_commit(venv: Path, tmp_path: Path) -> None:
    repo = sample(tmp_path, "commit")
    code, text, outputs = run_action(venv, repo, {"mode": "commit", "args": "svc"})
    assert code == 0, text
    assert (repo / "svc" / "Dockerfile").read_bytes() == MERGED
    if shutil.which("git"):
        assert outputs["changed"] == "true"
