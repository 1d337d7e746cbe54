"""Nothing lost, nothing written (or read) outside the project: concurrent writers, symlinks, metadata,
FIFOs and devices, signals (issue #26 part A)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from optimizer.app.files import read, write_atomic, write_context_file
from optimizer.core.fileio import Unreadable, read_regular
from optimizer.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FIXABLE = b"FROM python:3.12-slim\nRUN pip install flask==3.0.3\n"
FIXED = b"FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n"


def dopt(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args], capture_output=True, cwd=cwd, env=env, timeout=timeout
    )


def popen(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "optimizer", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def tree(root: Path, n: int, data: bytes = FIXABLE) -> list[Path]:
    out = []
    for i in range(n):
        f = root / f"s{i:03d}" / "Dockerfile"
        f.parent.mkdir(parents=True)
        f.write_bytes(data)
        out.append(f)
    return out


# -- 1. lost updates ------------------------------------------------------------------------


def test_two_concurrent_rewrites_serialise(tmp_path: Path) -> None:
    """Each file is rewritten by exactly one of two concurrent runs; the other waits and finds it done."""
    paths = tree(tmp_path, 120)
    a, b = popen("rewrite", "-j", "1", str(tmp_path)), popen("rewrite", "-j", "1", str(tmp_path))
    err_a, err_b = a.communicate(timeout=300)[1], b.communicate(timeout=300)[1]
    assert a.returncode == 0 and b.returncode == 0, (err_a, err_b)
    for f in paths:
        assert f.read_bytes() == FIXED
    rewrote = [line for line in (err_a + err_b).splitlines() if line.startswith(b"rewrote ")]
    twice = len(rewrote) - len(set(rewrote))
    assert twice == 0, f"{twice} files rewritten by both runs (one result silently overwritten)"
    assert len(rewrote) == len(paths)


def test_write_between_check_and_rename_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An append that lands while the new file is being written is seen by the check right before the rename."""
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    loaded = read(str(f))
    real_fsync = os.fsync

    def fsync_and_append(fd: int) -> None:
        real_fsync(fd)
        with open(f, "ab") as fh:
            fh.write(b"# appended\n")

    monkeypatch.setattr(os, "fsync", fsync_and_append)
    with pytest.raises(InputError, match="not written: changed on disk"):
        write_atomic(loaded, FIXED.decode())
    assert f.read_bytes() == FIXABLE + b"# appended\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_write_during_the_rename_is_put_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write to the old file after the last check (a non-cooperating writer) is noticed after the rename:
    the old file, with that write, goes back in place and dopt says so."""
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    loaded = read(str(f))
    real_replace = os.replace
    calls: list[str] = []

    def append_then_replace(src: str, dst: str) -> None:
        if not calls:
            with open(f, "ab") as fh:
                fh.write(b"# appended\n")
        calls.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", append_then_replace)
    with pytest.raises(InputError, match="changed on disk"):
        write_atomic(loaded, FIXED.decode())
    assert f.read_bytes() == FIXABLE + b"# appended\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


APPENDER = """
import os, sys, time
paths = sys.argv[2:]
stop = time.monotonic() + float(sys.argv[1])
n = 0
done = []
while time.monotonic() < stop:
    p = paths[n % len(paths)]
    fd = os.open(p, os.O_WRONLY | os.O_APPEND)
    os.write(fd, b"# appended %d\\n" % n)
    os.close(fd)
    done.append(f"{p}\\t{n}")
    n += 1
print("\\n".join(done))
"""


def test_concurrent_appender_loses_nothing(tmp_path: Path) -> None:
    """A writer that takes no lock appends to the files while dopt rewrites them: every append is kept, or
    dopt said the file was not written (changed on disk)."""
    paths = tree(tmp_path, 150)
    appender = subprocess.Popen(
        [sys.executable, "-c", APPENDER, "6", *map(str, paths)], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.2)
    r = dopt("rewrite", "-j", "2", str(tmp_path))
    out, _ = appender.communicate(timeout=60)
    assert r.returncode in (0, 2), r.stderr
    appended: dict[str, list[int]] = {}
    for line in out.splitlines():
        p, n = line.split("\t")
        appended.setdefault(p, []).append(int(n))
    lost = 0
    for f in paths:
        text = f.read_text()
        lost += sum(1 for n in appended.get(str(f), []) if f"# appended {n}\n" not in text)
    assert lost == 0, f"{lost} appends lost; dopt said: {r.stderr.decode()[-2000:]}"
    assert not list(tmp_path.rglob(".dopt-*"))


def test_lock_makes_a_second_editor_wait(tmp_path: Path) -> None:
    from optimizer.app.files import editing

    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    seen: list[bytes] = []

    def second() -> None:
        with editing(str(f)) as loaded:
            seen.append(loaded.data)

    with editing(str(f)) as loaded:
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        assert not seen, "the second editor read while the first held the lock"
        write_atomic(loaded, FIXED.decode())
    t.join(10)
    assert seen == [FIXED], "the second editor reads what the first wrote"


# -- 2. symlinks out of the context ------------------------------------------------------------


def context_with_link(tmp_path: Path, absolute: bool) -> tuple[Path, Path]:
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir()
    outside.write_bytes(b"TOP-SECRET-LINE\n")
    ctx = tmp_path / "ctx"
    (ctx / "node_modules" / "x").mkdir(parents=True)
    (ctx / "node_modules" / "x" / "index.js").write_bytes(b"x" * 200_000)
    (ctx / "Dockerfile").write_bytes(b'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n')
    link = ctx / ".dockerignore"
    link.symlink_to(outside if absolute else Path("..") / "outside" / "secret.txt")
    return ctx, outside


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_dockerignore_symlink_out_of_context(tmp_path: Path, absolute: bool) -> None:
    ctx, outside = context_with_link(tmp_path, absolute)
    diff = dopt("rewrite", "--unsafe-fixes", "--diff", str(ctx / "Dockerfile"))
    assert b"TOP-SECRET" not in diff.stdout + diff.stderr, "a file outside the context was read into the diff"
    r = dopt("rewrite", "--unsafe-fixes", str(ctx / "Dockerfile"))
    assert outside.read_bytes() == b"TOP-SECRET-LINE\n", "a file outside the context was written"
    assert (ctx / ".dockerignore").is_symlink()
    assert b"TOP-SECRET" not in r.stdout + r.stderr


def test_context_file_write_refuses_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("keep\n")
    link = tmp_path / ".dockerignore"
    link.symlink_to(outside)
    with pytest.raises(InputError, match="symlink"):
        write_context_file(str(link), "keep\nnode_modules\n", "keep\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "via").symlink_to(tmp_path / "sub", target_is_directory=True)
    with pytest.raises(InputError, match="symlink"):
        write_context_file(str(tmp_path / "via" / ".dockerignore"), "x\n", None)
    assert outside.read_text() == "keep\n" and not (tmp_path / "sub" / ".dockerignore").exists()


def test_context_reads_do_not_follow_links_out(tmp_path: Path) -> None:
    from optimizer.analysis.buildcontext import find_in_context
    from optimizer.core.registry import all_rules
    from optimizer.core.rule_context import RuleContext
    from optimizer.syntax.parser import parse

    secret = tmp_path / "secret.sh"
    secret.write_text("#!/bin/sh\necho TOP-SECRET\n")
    ctx_dir = tmp_path / "ctx"
    (ctx_dir / "app").mkdir(parents=True)
    (ctx_dir / "app" / "entry.sh").symlink_to(secret)
    (ctx_dir / "app" / "own.sh").write_text("#!/bin/sh\necho mine\n")
    df = ctx_dir / "Dockerfile"
    df.write_text('FROM debian:bookworm-slim\nCOPY app/ /app/\nENTRYPOINT ["/app/entry.sh"]\n')
    doc = parse(df.read_text(), str(df))
    rc = RuleContext(doc, all_rules()[0])
    stage = doc.stages[0]
    assert find_in_context(rc, stage, "/app/entry.sh") is None
    assert find_in_context(rc, stage, "/app/own.sh") == (ctx_dir / "app" / "own.sh").resolve()
    assert rc.context_file(ctx_dir / "app" / "entry.sh") is None
    assert rc.context_file(ctx_dir / "app" / "own.sh") == "#!/bin/sh\necho mine\n"


# -- 3. metadata ---------------------------------------------------------------------------------


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")


@needs_root
def test_rewrite_keeps_owner_and_group(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    os.chown(f, 1234, 2345)
    os.chmod(f, 0o640)
    r = dopt("rewrite", str(f))
    assert r.returncode == 0, r.stderr
    st = f.stat()
    assert f.read_bytes() == FIXED
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 2345, 0o640)


def test_rewrite_keeps_extended_attributes(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    try:
        os.setxattr(f, "user.dopt-test", b"kept")
    except OSError as e:
        pytest.skip(f"the temporary file system has no user xattrs ({e.strerror})")
    r = dopt("rewrite", str(f))
    assert r.returncode == 0, r.stderr
    assert f.read_bytes() == FIXED
    assert os.getxattr(f, "user.dopt-test") == b"kept"


def test_rewrite_keeps_hard_links(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    other = tmp_path / "Dockerfile.linked"
    os.link(f, other)
    ino = f.stat().st_ino
    r = dopt("rewrite", str(f))
    assert r.returncode == 0, r.stderr
    assert f.stat().st_ino == ino and f.stat().st_nlink == 2
    assert other.read_bytes() == FIXED
    assert not list(tmp_path.glob(".dopt-*"))


# -- 4. unbounded reads ----------------------------------------------------------------------------


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_read_helper_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="FIFO"):
        read_regular(str(fifo(tmp_path / "p")), 100)
    with pytest.raises(Unreadable, match="character device"):
        read_regular("/dev/zero", 100)
    with pytest.raises(Unreadable, match="directory"):
        read_regular(str(tmp_path), 100)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(Unreadable, match="refuses files over 100 bytes"):
        read_regular(str(big), 100)
    (tmp_path / "link").symlink_to(big)
    with pytest.raises(Unreadable, match="outside the build context"):
        read_regular(str(tmp_path / "link"), 1000, within=str(tmp_path / "sub"))


@pytest.mark.parametrize("how", ["named", "found"])
def test_fifo_dockerfile_is_one_clean_error(tmp_path: Path, how: str) -> None:
    f = fifo(tmp_path / "Dockerfile")
    r = dopt("rewrite", str(f if how == "named" else tmp_path), timeout=30)
    assert r.returncode == 2
    lines = r.stderr.decode().splitlines()
    assert lines[0] == f"error: {f}: cannot read: is a FIFO (named pipe), not a regular file"
    assert stat.S_ISFIFO(f.lstat().st_mode)


def test_device_dockerfile_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to("/dev/zero")
    r = dopt("check", str(tmp_path / "Dockerfile"), timeout=30)
    assert r.returncode == 2 and b"is a character device, not a regular file" in r.stderr


@pytest.mark.parametrize("name", [".dockerignore", "requirements.txt", ".gitignore", "entry.sh"])
def test_fifo_in_the_context_does_not_hang(tmp_path: Path, name: str) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    fifo(tmp_path / name)
    (tmp_path / "Dockerfile").write_bytes(
        b"FROM python:3.12-slim\nCOPY . .\nCOPY requirements.txt entry.sh /app/\n"
        b'RUN pip install -r /app/requirements.txt\nENTRYPOINT ["/app/entry.sh"]\n'
    )
    r = dopt("rewrite", "--unsafe-fixes", "--diff", str(tmp_path), timeout=60)
    assert r.returncode in (0, 1), r.stderr


@pytest.mark.parametrize("name", ["dopt.toml", "pyproject.toml", ".hadolint.yaml"])
def test_fifo_config_is_one_clean_error(tmp_path: Path, name: str) -> None:
    fifo(tmp_path / name)
    (tmp_path / "Dockerfile").write_bytes(FIXABLE)
    r = dopt("check", str(tmp_path / "Dockerfile"), timeout=30)
    assert r.returncode == 2, r.stderr
    first = r.stderr.decode().splitlines()[0]
    assert first == f"error: {tmp_path / name}: cannot read: is a FIFO (named pipe), not a regular file"


# -- 7. interrupted runs ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("sig", "jobs"),
    [(signal.SIGTERM, 2), (signal.SIGINT, 2), (signal.SIGKILL, 2), (signal.SIGTERM, 1), (signal.SIGINT, 1)],
    ids=["TERM-j2", "INT-j2", "KILL-j2", "TERM-j1", "INT-j1"],
)
def test_interrupted_run_leaves_no_temp_files_or_workers(tmp_path: Path, sig: signal.Signals, jobs: int) -> None:
    """(SIGKILL of a run that writes in its own process cannot clean up: that case is not tested.)"""
    body = b"FROM python:3.12-slim\n" + b"".join(b"RUN pip install p%d\n" % i for i in range(60))
    tree(tmp_path, 400, body)
    p = popen("rewrite", "-j", str(jobs), str(tmp_path))
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline:  # wait until the pool is at work and files are being written
        workers = _children(p.pid)
        written = sum(1 for f in tmp_path.glob("s*/Dockerfile") if b"no-cache" in f.read_bytes())
        if len(workers) >= (2 if jobs > 1 else 0) and written > 5:
            break
        time.sleep(0.05)
    assert len(workers) >= (2 if jobs > 1 else 0), "the pool never started"
    p.send_signal(sig)
    p.communicate(timeout=60)
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "pool workers outlived their parent"
    assert not list(tmp_path.rglob(".dopt-*")), "temporary files were left behind"
    for f in tmp_path.glob("s*/Dockerfile"):  # every file is either the old one or the new one
        data = f.read_bytes()
        assert data == body or data.count(b"--no-cache-dir") == 60


# -- 9. honest output ----------------------------------------------------------------------------


def test_rules_skipped_over_the_budget_are_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from optimizer.app import actions, options
    from optimizer.core.budget import Budget
    from optimizer.core.settings import LARGE_FILE

    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian:bookworm\n" + "".join(f"RUN echo {i}\nENV V{i}={i}\n" for i in range(LARGE_FILE)))
    monkeypatch.setattr(Budget, "start_rule", lambda self, rules_left: False)  # every rule out of time
    for flags in (["--check"], ["--diff"], []):
        parsed = options.parse_fast(["rewrite", *flags, str(f)], ("rewrite",))
        assert parsed is not None
        code = actions.run(*parsed)
        err = capsys.readouterr().err
        assert code == 2, (flags, err)
        assert f"{f}: not fully checked: DOP" in err and "skipped (file too large for these rules" in err
        assert "0 unchanged, 1 not fully checked, 0 failed" in err


def test_a_folder_named_dockerfile_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    r = dopt("check", str(tmp_path / "Dockerfile"))
    assert r.returncode == 2 and b"is a directory" in r.stderr and b"All checks passed" not in r.stderr
    r = dopt("rewrite", str(tmp_path / "Dockerfile"))
    assert r.returncode == 2 and b"is a directory" in r.stderr


def test_a_folder_named_dockerfile_with_dockerfiles_inside_is_searched(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "Dockerfile" / "Dockerfile").write_bytes(FIXED)
    r = dopt("check", str(tmp_path / "Dockerfile"))
    assert r.returncode == 0, r.stderr


def test_terminal_escapes_are_shown_not_sent(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM debian:bookworm\nEXPOSE \x1b]0;pwned\x07\x1b[2J\nRUN pip install flask\n")
    r = dopt("check", str(f))
    assert b"\x1b" not in r.stdout + r.stderr and b"\\x1b]0;pwned\\x07\\x1b[2J" in r.stdout
    from optimizer.app.runner import printable

    assert printable("a\x1b[31mb\r\nc\rd\u202ee\tf\n") == "a\\x1b[31mb\r\nc\\rd\\u202ee\tf\n"


def test_diff_to_a_terminal_is_escaped_and_to_a_pipe_exact(tmp_path: Path) -> None:
    import pty

    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM python:3.12-slim\nRUN pip install flask # \x1b[2J\n")
    piped = dopt("rewrite", "--diff", str(f))
    assert b"\x1b[2J" in piped.stdout, "a diff to a pipe is the exact text (for git apply)"
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    p = subprocess.run(
        [sys.executable, "-m", "optimizer", "rewrite", "--diff", str(f)],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert p.returncode == 1
    assert b"\x1b[2J" not in shown and b"\\x1b[2J" in shown


def test_one_file_named_twice_is_processed_once(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(FIXABLE)
    (tmp_path / "alias").symlink_to(f)
    r = dopt("rewrite", "-j", "2", str(f), str(tmp_path / "alias"), f"{tmp_path}/./Dockerfile")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count(b"rewrote ") == 1 and b"1 file rewritten, 0 unchanged, 0 failed" in r.stderr
    assert f.read_bytes() == FIXED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("RUN echo hi\n", "no `FROM` in the file"),
        ("ARG A=1\n", "no `FROM` in the file"),
        ("RUN echo hi\nFROM debian\n", "`RUN` before the first `FROM`"),
    ],
)
def test_a_file_with_no_from_is_dop001(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text(text)
    r = dopt("check", "--select", "DOP001", str(f))
    assert r.returncode == 1 and b"All checks passed" not in r.stderr
    assert f"DOP001 {message}".encode() in r.stdout
