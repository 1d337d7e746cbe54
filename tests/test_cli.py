"""The dopt command line: every flag and exit code, run as a real process."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

MERGEABLE = b"FROM debian:bookworm\nRUN mkdir -p /app\nRUN touch /app/x\n"
MERGED = b"FROM debian:bookworm\nRUN mkdir -p /app && \\\n    touch /app/x\n"
CLEAN = b'FROM debian:bookworm\nUSER nobody\nCMD ["bash"]\n'


def dopt(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    e = dict(os.environ)
    e.pop("FORCE_COLOR", None)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], input=stdin, capture_output=True, cwd=cwd, env=e, check=False
    )


def write(p: Path, data: bytes) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_rewrite_in_place(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    os.chmod(f, 0o640)
    r = dopt("rewrite", str(f))
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == MERGED
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert b"rewrote" in r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dopt-")]


def test_rewrite_clean_file_exit_0(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", CLEAN)
    r = dopt("rewrite", "--check", str(f))
    assert r.returncode == 0
    assert f.read_bytes() == CLEAN


def test_rewrite_check_lists_and_writes_nothing(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "--check", str(f))
    assert r.returncode == 1
    assert f"would rewrite {f}".encode() in r.stderr
    assert f.read_bytes() == MERGEABLE


def test_rewrite_diff_applies_with_patch_and_git(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "--diff", "Dockerfile", cwd=tmp_path)
    assert r.returncode == 1
    assert f.read_bytes() == MERGEABLE
    assert r.stdout.startswith(b"--- Dockerfile\n+++ Dockerfile\n")
    (tmp_path / "fix.diff").write_bytes(r.stdout)
    if shutil.which("patch"):
        p = subprocess.run(["patch", "-p0", "-i", "fix.diff"], cwd=tmp_path, capture_output=True)
        assert p.returncode == 0, p.stderr
        assert f.read_bytes() == MERGED
        f.write_bytes(MERGEABLE)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
        g = subprocess.run(["git", "apply", "-p0", "fix.diff"], cwd=tmp_path, capture_output=True)
        assert g.returncode == 0, g.stderr
        assert f.read_bytes() == MERGED


def test_diff_marks_missing_final_newline(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE.rstrip(b"\n"))
    r = dopt("rewrite", "--diff", str(f))
    assert r.returncode == 1
    assert r.stdout.count(b"\\ No newline at end of file\n") == 2


def test_stdin_to_stdout_keeps_crlf_and_bom() -> None:
    src = b"\xef\xbb\xbf" + MERGEABLE.replace(b"\n", b"\r\n")
    r = dopt("rewrite", "-", stdin=src)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"\xef\xbb\xbf" + MERGED.replace(b"\n", b"\r\n")


def test_stdin_filename_names_messages() -> None:
    r = dopt("check", "--stdin-filename", "sub/Dockerfile", "-", stdin=MERGEABLE)
    assert r.returncode == 1
    assert r.stdout.startswith(b"sub/Dockerfile:3:1: DOP101 ")
    assert r.stdout.rstrip().endswith(b"[*]")


def test_check_findings_and_exit_codes(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("check", str(f))
    assert r.returncode == 1
    assert r.stdout.decode().splitlines() == [
        f"{f}:3:1: DOP101 Merge this RUN into the previous one: both RUNs are quick setup steps [*]"
    ]
    assert f.read_bytes() == MERGEABLE
    clean = write(tmp_path / "clean" / "Dockerfile", CLEAN)
    r = dopt("check", str(clean))
    assert r.returncode == 0
    assert b"All checks passed!" in r.stderr


def test_check_fix(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("check", "--fix", str(f))
    assert r.returncode == 0, r.stdout
    assert f.read_bytes() == MERGED


def test_select_and_ignore(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    assert dopt("check", "--ignore", "DOP101", str(f)).returncode == 0
    assert dopt("check", "--select", "merge-consecutive-runs", str(f)).returncode == 1
    assert dopt("check", "--select", "DOP1", str(f)).returncode == 1
    r = dopt("check", "--select", "DOP999", str(f))
    assert r.returncode == 2
    assert b"unknown rule selector" in r.stderr


def test_quiet(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "-q", str(f))
    assert r.returncode == 0
    assert r.stderr == b""


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"FROM a\nRUN <<EOF\necho\n", b":2: unterminated heredoc"),
        (b"FROM a\nENV PATH\n", b":2: ENV must have two arguments"),
        (b"FROM a\nRUN echo \xff\n", b":2: not valid UTF-8"),
        (b"# only a comment\n", b": file with no instructions"),
        (b"", b": file with no instructions"),
        (b'FROM a\nCMD ["a", ["b"]]\n', b":2: when using JSON array syntax"),
    ],
    ids=["heredoc", "env", "utf8", "comments-only", "empty", "nested-json"],
)
def test_bad_input_exit_2_untouched(tmp_path: Path, data: bytes, needle: bytes) -> None:
    bad = write(tmp_path / "a" / "Dockerfile", data)
    good = write(tmp_path / "b" / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", str(bad), str(good))
    assert r.returncode == 2
    assert bad.read_bytes() == data
    assert good.read_bytes() == MERGED, "other files are still processed"
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith(b"error:")]
    assert len(errors) == 1
    assert str(bad).encode() in errors[0] and needle in errors[0]


def test_missing_file(tmp_path: Path) -> None:
    r = dopt("check", str(tmp_path / "nope" / "Dockerfile"))
    assert r.returncode == 2
    assert b"no such file" in r.stderr


def test_read_only_file_is_not_written(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    os.chmod(f, 0o444)
    r = dopt("rewrite", str(f))
    assert r.returncode == 2
    assert b"read-only" in r.stderr
    assert f.read_bytes() == MERGEABLE and stat.S_IMODE(f.stat().st_mode) == 0o444
    assert dopt("rewrite", "--diff", str(f)).returncode == 1  # reading is fine


def test_symlink_stays_a_link(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "Dockerfile", MERGEABLE)
    link = tmp_path / "Dockerfile"
    link.symlink_to(target)
    r = dopt("rewrite", str(link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink()
    assert target.read_bytes() == MERGED


def test_directory_discovery(tmp_path: Path) -> None:
    names = [
        "Dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "x.dockerfile",
        "Containerfile",
        "sub/Containerfile.prod",
    ]
    for n in names:
        write(tmp_path / n, MERGEABLE)
    write(tmp_path / "README.md", b"# not a Dockerfile\n")
    write(tmp_path / ".git" / "Dockerfile", MERGEABLE)
    write(tmp_path / "node_modules" / "x" / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "--check", str(tmp_path))
    assert r.returncode == 1
    listed = sorted(
        ln.split(b"would rewrite ", 1)[1].decode() for ln in r.stderr.splitlines() if ln.startswith(b"would rewrite")
    )
    assert listed == sorted(str(tmp_path / n) for n in names)


def test_color_only_when_asked(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    assert b"\x1b[" not in dopt("check", str(f)).stdout
    assert b"\x1b[" in dopt("check", "--color", str(f)).stdout
    assert b"\x1b[" in dopt("check", str(f), env={"FORCE_COLOR": "1"}).stdout
    assert b"\x1b[" not in dopt("check", str(f), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_json_output(tmp_path: Path) -> None:
    import json

    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("check", "--output-format", "json", str(f))
    assert r.returncode == 1
    (rec,) = json.loads(r.stdout)
    assert rec["code"] == "DOP101"
    assert rec["location"] == {"row": 3, "column": 1}
    assert rec["fix"]["applicability"] == "safe"
    assert rec["fixable"] is True


def test_rules_and_explain() -> None:
    r = dopt("rules")
    assert r.returncode == 0
    assert b"DOP101  merge-consecutive-runs" in r.stdout and b"DOP401  package-upgrade  " in r.stdout
    r = dopt("explain", "DOP101")
    assert r.returncode == 0
    for section in (b"## What it does", b"## Why", b"## Example", b"## Fix safety"):
        assert section in r.stdout
    assert dopt("explain", "merge-consecutive-runs").returncode == 0
    assert dopt("explain", "DOP999").returncode == 2


def test_usage_error_exit_2() -> None:
    assert dopt("rewrite", "--no-such-flag", "x").returncode == 2
    assert dopt("rewrite").returncode == 2


def test_version() -> None:
    r = dopt("--version")
    assert r.returncode == 0 and r.stdout.startswith(b"dopt ")


@pytest.mark.parametrize(
    "args",
    [
        ["rewrite", "--diff", "{f}"],
        ["rewrite", "--check", "-q", "{f}"],
        ["rewrite", "--diff", "--select=DOP101", "--unsafe-fixes", "{f}"],
        ["rewrite", "-", "--stdin-filename", "x/Dockerfile"],
        ["check", "{f}", "--select", "DOP1", "--select", "DOP2"],
        ["check", "--ignore", "DOP101", "--no-color", "{f}"],
        ["check", "--output-format", "json", "{f}"],
        ["check", "--select", "NOPE", "{f}"],
        ["check", "{f}", "{missing}"],
        ["rewrite"],
    ],
)
def test_fast_path_matches_full_cli(tmp_path: Path, args: list[str]) -> None:
    """The fast entry point and the typer CLI answer the same arguments the same way."""
    f = write(tmp_path / "Dockerfile", MERGEABLE + b"RUN pip install flask\n")
    argv = [a.format(f=f, missing=tmp_path / "missing") for a in args]
    stdin = MERGEABLE if "-" in argv else None
    fast = dopt(*argv, stdin=stdin)
    full = dopt(*argv, stdin=stdin, env={"DOPT_NO_FASTPATH": "1"})
    assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout)
    if args != ["rewrite"]:  # typer words its own usage errors
        assert fast.stderr == full.stderr


def test_unknown_options_go_to_the_full_cli() -> None:
    r = dopt("rewrite", "--frobnicate", "x")
    assert r.returncode == 2
    assert b"No such option" in r.stderr or b"no such option" in r.stderr.lower()
    assert dopt("rewrite", "--help").returncode == 0


def test_jobs_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    for i in range(20):
        body = MERGEABLE if i % 3 else CLEAN
        if i == 7:
            body = b"FROM a\nRUN <<EOF\n"  # one bad file among them
        write(tmp_path / f"d{i:02d}" / "Dockerfile", body + f"RUN echo {i}\n".encode())
    runs = [dopt("rewrite", "--diff", "-j", str(j), str(tmp_path)) for j in (1, 2, 4)]
    runs.append(dopt("check", "--jobs=3", str(tmp_path)))
    runs.append(dopt("check", "-j", "1", str(tmp_path)))
    for r in runs:
        assert r.returncode == 2  # the bad file
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert runs[0].stderr == runs[1].stderr == runs[2].stderr
    assert runs[3].stdout == runs[4].stdout and runs[3].stderr == runs[4].stderr
    assert runs[0].stdout.count(b"+++ ") == 12  # 13 mergeable files, one of them broken


def _tree(tmp_path: Path, n: int) -> Path:
    for i in range(n):
        write(tmp_path / f"s{i:02d}" / "Dockerfile", MERGEABLE)
    return tmp_path


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    root = _tree(tmp_path, 25)
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "check", "-j", "1", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    seen = b"".join(chunks)
    assert proc.returncode == 1
    assert b"dopt check" in seen and b"/25" in seen, seen[-500:]
    assert b"25 files checked." in seen
    piped = dopt("check", "-j", "1", str(root))
    assert b"\x1b[" not in piped.stderr and b"/25" not in piped.stderr
    assert piped.stderr.startswith(b"25 files checked. Found 25 findings")
    quiet = dopt("check", "-q", str(root))
    assert quiet.stderr == b""
