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


def test_usage_error_exit_2(tmp_path: Path) -> None:
    assert dopt("rewrite", "--no-such-flag", "x").returncode == 2
    r = dopt("rewrite", cwd=tmp_path)  # no path: the current folder, as ruff does (here without Dockerfiles)
    assert (r.returncode, r.stderr) == (0, b"warning: no Dockerfiles found\n")


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
        ["rewrite", "--diff"],
        ["check", "--output-format", "xml"],
    ],
)
def test_fast_path_matches_full_cli(tmp_path: Path, args: list[str]) -> None:
    """The fast entry point and the typer CLI answer the same arguments the same way (in tmp_path: a run
    without a path processes the current folder)."""
    f = write(tmp_path / "Dockerfile", MERGEABLE + b"RUN pip install flask\n")
    argv = [a.format(f=f, missing=tmp_path / "missing") for a in args]
    stdin = MERGEABLE if "-" in argv else None
    fast = dopt(*argv, stdin=stdin, cwd=tmp_path)
    full = dopt(*argv, stdin=stdin, cwd=tmp_path, env={"DOPT_NO_FASTPATH": "1"})
    assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout)
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
    proc = subprocess.Popen(  # stdout on the terminal too: with stdout piped there is no bar (test_cli_habits)
        [sys.executable, "-m", "optimizer", "check", "-j", "1", str(root)],
        stdout=slave,
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


# -- pipes and terminals ---------------------------------------------------------------------


def _many(tmp_path: Path, n: int, body: bytes = MERGEABLE + b"RUN pip install flask==3.0.3\n") -> Path:
    for i in range(n):
        write(tmp_path / f"d{i:03d}" / "Dockerfile", body)
    return tmp_path


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "typer"])
@pytest.mark.parametrize("args", [["check"], ["rewrite", "--diff"]], ids=["check", "diff"])
def test_closed_pipe_ends_quietly(tmp_path: Path, args: list[str], fast: bool) -> None:
    """`dopt check … | head -1`: no traceback, no `internal error`, just an early exit."""
    root = _many(tmp_path, 300)  # far more output than a pipe buffers
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    if not fast:
        env["DOPT_NO_FASTPATH"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", *args, "-j", "1", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `head -1` does
    err = proc.stderr.read()
    code = proc.wait(timeout=120)
    assert first.strip()
    assert b"Error" not in err and b"error" not in err and b"Traceback" not in err, err
    assert code == 1


def _screen(data: bytes) -> tuple[list[str], str]:
    """What a terminal shows: lines scrolled past, and the line the cursor is on (\\r, erase-line, \\n)."""
    done: list[str] = []
    line: list[str] = []
    col = 0
    text = data.decode("utf-8", "replace")
    i = 0
    while i < len(text):
        if text.startswith("\x1b[2K", i):
            line = []
            i += 4
            continue
        ch = text[i]
        i += 1
        if ch == "\r":
            col = 0
        elif ch == "\n":
            done.append("".join(line))
            line, col = [], 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.extend(" " * (col - len(line)))
                line.append(ch)
            col += 1
    return done, "".join(line)


def test_progress_bar_and_findings_share_the_terminal(tmp_path: Path) -> None:
    """stdout and stderr on one pseudo-terminal: no finding is glued to the bar, no stale bar stays."""
    import pty

    root = _many(tmp_path, 30)
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="120")
    env.pop("FORCE_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "check", "--no-color", "-j", "1", str(root)],
        stdout=slave,
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
    raw = b"".join(chunks)
    assert b"dopt check [" in raw and b"/30" in raw, "the bar was drawn"
    lines, current = _screen(raw)
    findings = [ln for ln in lines if " DOP" in ln]
    assert len(findings) == 60  # DOP101 and DOP205 in each of 30 files
    assert all(ln.startswith(str(root)) for ln in findings), [ln for ln in findings if not ln.startswith(str(root))]
    assert not [ln for ln in lines if "dopt check [" in ln], "a stale bar stayed in the scrollback"
    assert lines[-1].startswith("30 files checked. Found 60 findings")
    assert current == ""


def test_color_diff(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    plain = dopt("rewrite", "--diff", str(f))
    assert b"\x1b[" not in plain.stdout
    colored = dopt("rewrite", "--diff", "--color", str(f))
    assert b"\x1b[31m-RUN mkdir -p /app\x1b[0m\n" in colored.stdout
    assert b"\x1b[32m+RUN mkdir -p /app && \\\x1b[0m\n" in colored.stdout
    assert b"\x1b[36m@@ " in colored.stdout
    # stripped of its colours it is the plain diff
    import re

    assert re.sub(rb"\x1b\[[0-9;]*m", b"", colored.stdout) == plain.stdout


def test_summary_line_on_every_run(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    assert dopt("rewrite", "--diff", str(f)).stderr == b"1 file would be rewritten, 0 unchanged, 0 failed\n"
    assert dopt("rewrite", "--check", str(f)).stderr.endswith(b"1 file would be rewritten, 0 unchanged, 0 failed\n")
    r = dopt("check", "--output-format", "json", str(f))
    assert r.stderr.startswith(b"1 file checked. Found 1 finding")
    r = dopt("rewrite", str(f))
    assert r.stderr == f"rewrote {f} (1 fix)\n1 file rewritten, 0 unchanged, 0 failed\n".encode()
    # stdin to stdout (what editors run) stays silent on stderr
    assert dopt("rewrite", "-", stdin=MERGEABLE).stderr == b""
    assert dopt("rewrite", "-q", "--diff", str(f)).stderr == b""


def test_help_and_metavars() -> None:
    for args in (["-h"], ["--help"], ["check", "-h"], ["rewrite", "-h"], ["verify", "-h"], ["batch", "-h"]):
        r = dopt(*args)
        assert r.returncode == 0 and r.stdout.startswith(b"Usage: dopt"), args
    text = dopt("check", "--help").stdout.decode()
    for readable in ("--select CODES", "-j, --jobs N", "--config FILE", "--stdin-filename NAME", "[PATH]..."):
        assert readable in text, readable
    for name in ("check", "rewrite", "verify", "batch", "server"):
        text = dopt(name, "--help").stdout.decode()
        assert "<list[str]>" not in text and "<str>" not in text and "<int" not in text, name


def test_usage_errors_read_well(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("check", "--select", "DOP999", str(f))
    assert (r.returncode, r.stderr) == (2, b"error: unknown rule selector 'DOP999' (see `dopt rules`)\n")
    r = dopt("check", "--ignore", "merge-consecutive-run", str(f))
    assert (
        r.stderr == b"error: unknown rule selector 'merge-consecutive-run' (did you mean 'merge-consecutive-runs'?)\n"
    )
    r = dopt("rewrite", "--select", "DOP1011", str(f))
    assert r.stderr == b"error: unknown rule selector 'DOP1011' (did you mean 'DOP101'?)\n"
    r = dopt("rewrite", "--verify")
    assert r.returncode == 2 and b"needs the path of a Dockerfile" in r.stderr
    assert dopt("rewrite", "--verify", "-").returncode == 2


def test_jobs_zero_is_the_cpu_count(tmp_path: Path) -> None:
    root = _many(tmp_path, 20)
    runs = [dopt("check", *j, str(root)) for j in (["-j0"], ["-j", "0"], ["--jobs=0"], ["-j", "1"])]
    assert {r.returncode for r in runs} == {1}
    assert len({r.stdout for r in runs}) == 1 and len({r.stderr for r in runs}) == 1
    assert dopt("check", "-j", "-1", str(root)).returncode == 2


def test_exit_zero_statistics_show_fixes_output_file(tmp_path: Path) -> None:
    f = write(tmp_path / "a" / "Dockerfile", MERGEABLE + b"RUN pip install flask\nRUN mkdir -p /b\nRUN touch /b/x\n")
    assert dopt("check", str(f)).returncode == 1
    assert dopt("check", "--exit-zero", str(f)).returncode == 0
    bad = write(tmp_path / "b" / "Dockerfile", b"FROM a\nRUN <<EOF\n")
    assert dopt("check", "-e", str(f), str(bad)).returncode == 2, "errors still exit 2"
    r = dopt("check", "--statistics", str(f))
    assert r.returncode == 1
    assert r.stdout.decode().splitlines() == [
        "2\tDOP101\t[*] merge-consecutive-runs",
        "1\tDOP205\t[*] pip-no-cache-dir",
        "1\tDOP410\t    unpinned-packages",
    ]
    import json

    stats = json.loads(dopt("check", "--statistics", "--output-format", "json", str(f)).stdout)
    assert stats[0] == {"code": "DOP101", "name": "merge-consecutive-runs", "count": 2, "fixable": True}
    out = tmp_path / "findings.txt"
    r = dopt("check", "--output-file", str(out), str(f))
    assert r.returncode == 1 and r.stdout == b""
    assert out.read_text().count(": DOP101 ") == 2
    r = dopt("check", "--fix", "--show-fixes", str(f))
    assert (
        f"Fixed 3 findings in {f}:\n    2 × DOP101 (merge-consecutive-runs)\n    1 × DOP205 (pip-no-cache-dir)\n"
        in (r.stderr.decode())
    )
    g = write(tmp_path / "c" / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "--show-fixes", str(g))
    assert f"Fixed 1 finding in {g}:\n    1 × DOP101 (merge-consecutive-runs)\n" in r.stderr.decode()


def test_verify_without_a_docker_daemon(tmp_path: Path) -> None:
    """A docker client whose daemon is down: one line, exit 2 (no build is attempted)."""
    fake = tmp_path / "bin" / "docker"
    write(fake, b'#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2\nexit 1\n')
    fake.chmod(0o755)
    f = write(tmp_path / "app" / "Dockerfile", MERGEABLE)
    r = dopt("verify", "--builder", "docker", str(f), env={"PATH": f"{fake.parent}:{os.environ['PATH']}"})
    assert r.returncode == 2
    assert r.stdout == b""
    assert r.stderr == (
        b"error: the Docker daemon is not running (Cannot connect to the Docker daemon at unix:///var/run/docker.sock.)\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-j0", "{f}"],
        ["check", "--exit-zero", "--statistics", "{f}"],
        ["check", "--output-format", "gitlab", "{f}"],
        ["check", "--output-format", "junit", "--select", "DL3059", "{f}"],
        ["check", "--ignore", "merge-consecutive-run", "{f}"],
        ["rewrite", "--diff", "--color", "--no-unsafe-fixes", "{f}"],
        ["rewrite", "--check", "--force-exclude", "--extend-exclude", "x", "{f}"],
        ["check", "--fix", "--show-fixes", "--unfixable", "DOP205", "-", "--stdin-filename", "a/Dockerfile"],
        ["rewrite", "--verify"],
    ],
)
def test_fast_path_matches_full_cli_on_new_options(tmp_path: Path, args: list[str]) -> None:
    test_fast_path_matches_full_cli(tmp_path, args)


def test_fast_path_is_derived_from_the_option_table() -> None:
    """Every flag of rewrite and check is known to the fast parser, with the same meaning as for typer."""
    from optimizer.app import options

    for command in ("rewrite", "check"):
        for o in options.for_command(command):
            for flag in o.flags:
                argv = [command, flag] + (
                    ["1" if o.kind == "int" else (o.choices or ("x",))[0]] if o.takes_value else []
                )
                parsed = options.parse_fast([*argv, "Dockerfile"])
                assert parsed is not None, argv
                _cmd, opts = parsed
                assert opts[o.dest] not in (None, False, []), argv
    assert options.parse_fast(["check", "--help"]) is None
    unreadable = [o.dest for o in options.OPTIONS if o.takes_value and o.commands and not (o.metavar or o.choices)]
    assert not unreadable, "give these a metavar"
    parsed = options.parse_fast(["check", "--output-format", "nope", "x"])  # `run` says what the choices are
    assert parsed is not None and options.bad_choice(*parsed) is not None


# -- rules, explain, the README table ------------------------------------------------------------


def test_rules_sorted_with_safety_and_json() -> None:
    import json

    r = dopt("rules")
    lines = r.stdout.decode().splitlines()
    codes = [ln.split()[0] for ln in lines]
    assert codes == sorted(codes)
    by = {ln.split()[0]: ln for ln in lines}
    assert " safe " in by["DOP101"] and " unsafe " in by["DOP202"] and " report only " in by["DOP401"]
    data = json.loads(dopt("rules", "--output-format", "json").stdout)
    assert [x["code"] for x in data] == codes
    assert {x["safety"] for x in data} <= {"safe", "unsafe", "safe or unsafe", "report only"}
    assert next(x for x in data if x["code"] == "DOP206")["hadolint"] == ["DL3032", "DL3040", "DL3036"]


def test_explain_all_and_hadolint_codes() -> None:
    r = dopt("explain", "--all")
    assert r.returncode == 0
    text = r.stdout.decode()
    headings = [ln.split()[1] for ln in text.splitlines() if ln.startswith("## DOP")]
    assert headings == sorted(headings) and len(headings) == len(dopt("rules").stdout.splitlines())
    assert "### Fix safety" in text and "| DOP101 | merge-consecutive-runs |" in text
    r = dopt("explain", "DL3059")
    assert r.returncode == 0 and r.stdout.startswith(b"hadolint DL3059 is answered by DOP101.")
    r = dopt("explain", "dl3032")
    assert b"# DOP206 rpm-clean-all" in r.stdout
    r = dopt("explain", "DL9999")
    assert r.returncode == 2 and r.stderr.startswith(b"error: DL9999 is not implemented by dopt")


def test_readme_rule_table_is_current() -> None:
    """Regenerate with `python scripts/gen_rule_table.py` after adding or changing a rule."""
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run(
        [sys.executable, str(root / "scripts" / "gen_rule_table.py"), "--check"], capture_output=True, check=False
    )
    assert r.returncode == 0, r.stderr.decode()


def test_fast_path_imports_no_cli_library(tmp_path: Path) -> None:
    """Editors run `dopt rewrite -` and `dopt check FILE` on every save: typer (and rich) stay unloaded."""
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    for args, stdin in ((["rewrite", "-"], MERGEABLE), (["check", "--select", "DL3059", "-j0", str(f)], None)):
        r = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "optimizer", *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
        modules = {ln.split(b"|")[-1].strip().split(b".")[0] for ln in r.stderr.splitlines() if b"import time:" in ln}
        assert b"optimizer" in modules
        assert not modules & {b"typer", b"rich", b"click"}, args


def _imported(args: list[str], stdin: bytes | None) -> set[bytes]:
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optimizer", *args], input=stdin, capture_output=True, check=False
    )
    assert r.returncode in (0, 1), r.stderr[-2000:]
    return {ln.split(b"|")[-1].strip() for ln in r.stderr.splitlines() if b"import time:" in ln}


def test_unsafe_fix_text_is_rendered_only_when_applied_or_shown() -> None:
    """The split, user and health-check blocks come from jinja2 templates: a run that neither applies nor
    shows those unsafe fixes loads no template engine (and no hashlib), on every example."""
    root = Path(__file__).resolve().parent.parent
    for f in sorted((root / "examples").glob("*/Dockerfile")):
        src = f.read_bytes()
        for args, stdin in ((["rewrite", "-"], src), (["check", "-j0", str(f)], None)):
            mods = _imported(args, stdin)
            assert not {m for m in mods if m.split(b".")[0] in (b"jinja2", b"hashlib")}, (f, args)
    flask = (root / "examples" / "flask-psycopg" / "Dockerfile").read_bytes()
    assert b"jinja2" in _imported(["rewrite", "--unsafe-fixes", "-"], flask)  # applied: rendered
    assert b"jinja2" in _imported(["check", "--unsafe-fixes", "--output-format", "json", "-"], flask)  # shown
