"""Docker's .dockerignore semantics, the context walk, and DOP601 writing the file (CLI, atomic, diff)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.analysis.ignorefile import Matcher, parse, walk


@pytest.mark.parametrize(
    "patterns,path,excluded",
    [
        ("*.go", "main.go", True),
        ("*.go", "dir/main.go", False),  # * does not cross folders
        ("**/*.go", "dir/sub/main.go", True),
        ("**/*.go", "main.go", True),
        ("docs", "docs/a/b.md", True),  # a parent folder matches
        ("docs\n!docs/openapi.yaml", "docs/openapi.yaml", False),
        ("docs\n!docs/openapi.yaml", "docs/guide.md", True),
        ("*.md\n!README.md", "README.md", False),
        ("*.md\n!README.md", "NOTES.md", True),
        ("!README.md\n*.md", "README.md", True),  # the last match wins
        ("/build", "build/x.o", True),  # a leading slash is dropped
        ("a/../build", "build", True),  # cleaned like filepath.Clean
        ("dir/**", "dir/x/y", True),
        ("?.txt", "a.txt", True),
        ("?.txt", "ab.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "c.txt", True),
        ("\\*x", "*x", True),
        ("\\*x", "ax", False),
        ("# a comment\n\n   ", "a", False),
        ("**", "anything/at/all", True),
        ("node_modules", "src/node_modules/x.js", False),  # only at the top, as in Docker
    ],
)
def test_pattern_semantics(patterns: str, path: str, excluded: bool) -> None:
    assert Matcher(parse(patterns)).excluded(path) is excluded


def test_walk_descends_into_excluded_folders_only_for_exceptions(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "keep.yaml").write_text("k")
    (tmp_path / "docs" / "drop.md").write_text("d")
    (tmp_path / "app.py").write_text("x")
    got = {e.path for e in walk(tmp_path, Matcher(parse("docs\n!docs/keep.yaml")))}
    assert got == {"app.py", "docs/keep.yaml"}
    assert {e.path for e in walk(tmp_path, Matcher(parse("docs")))} == {"app.py"}


def _context(tmp_path: Path) -> Path:
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "i.js").write_text("m" * 5000)
    (tmp_path / ".env").write_text("PASSWORD=1\n")
    (tmp_path / "server.js").write_text("x")
    (tmp_path / "Dockerfile").write_text('FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n')
    return tmp_path


def dopt(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_diff_shows_the_second_file_and_writes_nothing(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "--diff", "Dockerfile", cwd=ctx)
    assert r.returncode == 1
    assert r.stdout.startswith("--- /dev/null\n+++ .dockerignore\n")
    assert "+**/node_modules\n" in r.stdout and "+.env\n" in r.stdout
    assert not (ctx / ".dockerignore").exists()


def test_rewrite_writes_it_once(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    before = (ctx / "Dockerfile").read_bytes()
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "Dockerfile", cwd=ctx)
    assert r.returncode == 0, r.stderr
    assert (ctx / "Dockerfile").read_bytes() == before
    assert (ctx / ".dockerignore").read_text().splitlines()[1:] == ["**/node_modules", ".env"]
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "--diff", "Dockerfile", cwd=ctx)
    assert r.returncode == 0 and r.stdout == ""  # a second run changes nothing


def test_existing_file_is_kept_byte_for_byte(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    (ctx / ".dockerignore").write_bytes(b"# mine\r\n.git")
    r = dopt("check", "--fix", "--unsafe-fixes", "--select", "DOP601", "Dockerfile", cwd=ctx)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (ctx / ".dockerignore").read_bytes().startswith(b"# mine\r\n.git\r\n# added by dopt")


def test_read_only_dockerignore_is_refused(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    (ctx / ".dockerignore").write_text(".git\n")
    os.chmod(ctx / ".dockerignore", 0o444)
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "Dockerfile", cwd=ctx)
    assert r.returncode == 2
    assert "read-only" in r.stderr
    assert (ctx / ".dockerignore").read_text() == ".git\n"


def test_context_option_points_elsewhere(tmp_path: Path) -> None:
    ctx = _context(tmp_path / "ctx")
    (tmp_path / "docker").mkdir()
    df = tmp_path / "docker" / "Dockerfile"
    df.write_text((ctx / "Dockerfile").read_text())
    (ctx / "Dockerfile").unlink()
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "--diff", "--context", str(ctx), str(df), cwd=tmp_path)
    assert "+**/node_modules" in r.stdout
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "--diff", str(df), cwd=tmp_path)
    assert r.stdout == ""  # its own folder has nothing to ignore


def test_unreadable_dockerignore_is_left_alone(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    (ctx / ".dockerignore").mkdir()  # not a file dopt can read
    r = dopt("rewrite", "--unsafe-fixes", "--select", "DOP601", "--diff", "Dockerfile", cwd=ctx)
    assert r.returncode == 0 and r.stdout == ""


def test_symlinks_out_of_the_context_are_not_followed(tmp_path: Path) -> None:
    ctx = _context(tmp_path / "ctx")
    outside = tmp_path / "outside"
    (outside / "node_modules").mkdir(parents=True)
    (outside / "node_modules" / "huge.js").write_text("x" * 100_000)
    (ctx / "linked").symlink_to(outside, target_is_directory=True)
    (ctx / "loop").symlink_to(ctx, target_is_directory=True)
    entries = walk(ctx, Matcher(parse("")))
    assert not any(e.path.startswith(("linked/", "loop/")) for e in entries)


def test_references_read_code_and_config_not_dependencies(tmp_path: Path) -> None:
    from optimizer.analysis.context_refs import references

    files = {
        "svc/app.py": 'open("server.key")\nssl = "/app/keys/tls.pem"\n',
        "conf/app.yaml": "tls:\n  key: keys/other.key\n",
        "node_modules/x/index.js": 'fs.readFileSync("keys/dep.key")\n',
        "README.md": "keys/readme.key\n",  # not code or configuration
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    targets = ["svc/server.key", "server.key", "keys/tls.pem", "keys/other.key", "keys/dep.key", "keys/readme.key"]
    found = references(tmp_path, list(files), targets)
    assert {p: r.where for p, r in found.items()} == {
        "svc/server.key": "svc/app.py:1",  # a bare name: beside the source file
        "server.key": "svc/app.py:1",  # or at the top of the context (the working directory)
        "keys/tls.pem": "svc/app.py:2",  # an absolute path in the image ends with the context path
        "keys/other.key": "conf/app.yaml:2",
    }


def test_references_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from optimizer.analysis import context_refs

    for k in range(5):
        (tmp_path / f"m{k}.py").write_text('open("a.key")\n' if k == 4 else "pass\n")
    names = [f"m{k}.py" for k in range(5)]
    assert context_refs.references(tmp_path, names, ["a.key"])
    cfg = dict(context_refs._config(), max_files=3)
    monkeypatch.setattr(context_refs, "_config", lambda: cfg)
    assert context_refs.references(tmp_path, names, ["a.key"]) == {}  # the file naming it is the fifth
