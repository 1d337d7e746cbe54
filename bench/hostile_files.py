"""Scenarios of bench/hostile.py for files: FIFOs and devices, symlinks out of the context, concurrent writers,
signals, metadata, honest output. Each function gets a fresh folder and returns its outcome in words."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXABLE = b"FROM python:3.12-slim\nRUN pip install flask\n"


def dopt(*args: str, timeout: float = 60) -> tuple[int, str]:
    """Exit code and the first line of stderr (or ``hung``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    try:
        p = subprocess.run([sys.executable, "-m", "optimizer", *args], capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return -1, f"hung (killed after {timeout:.0f} s)"
    first = (p.stderr.decode(errors="replace").strip().splitlines() or [""])[0]
    return p.returncode, first


def _short(line: str, folder: Path) -> str:
    return line.replace(str(folder) + "/", "")


def fifo_dockerfile(d: Path) -> str:
    os.mkfifo(d / "Dockerfile")
    code, line = dopt("rewrite", str(d / "Dockerfile"))
    return f"exit {code}: {_short(line, d)}"


def fifo_found_by_search(d: Path) -> str:
    os.mkfifo(d / "Dockerfile")
    code, line = dopt("check", str(d))
    return f"exit {code}: {_short(line, d)}"


def dev_zero_dockerfile(d: Path) -> str:
    (d / "Dockerfile").symlink_to("/dev/zero")
    code, line = dopt("check", str(d / "Dockerfile"))
    return f"exit {code}: {_short(line, d)}"


def _copy_all(d: Path) -> Path:
    (d / "Dockerfile").write_bytes(
        b'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'
    )
    (d / "node_modules" / "x").mkdir(parents=True)
    (d / "node_modules" / "x" / "i.js").write_bytes(b"x" * 100_000)
    return d / "Dockerfile"


def fifo_dockerignore(d: Path) -> str:
    f = _copy_all(d)
    os.mkfifo(d / ".dockerignore")
    code, line = dopt("rewrite", "--unsafe-fixes", "--diff", str(f))
    return f"exit {code}: {_short(line, d) or '(no message)'}"


def fifo_and_zero_in_context(d: Path) -> str:
    f = _copy_all(d)
    os.mkfifo(d / "requirements.txt")
    (d / "app.py").symlink_to("/dev/zero")
    code, line = dopt("rewrite", "--unsafe-fixes", "--diff", str(f))
    return f"exit {code}: {_short(line, d) or '(no message)'}"


def fifo_config(d: Path) -> str:
    os.mkfifo(d / "dopt.toml")
    (d / "Dockerfile").write_bytes(FIXABLE)
    code, line = dopt("check", str(d / "Dockerfile"))
    return f"exit {code}: {_short(line, d)}"


def sparse_100mb_dockerfile(d: Path) -> str:
    with open(d / "Dockerfile", "wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    code, line = dopt("rewrite", str(d / "Dockerfile"))
    return f"exit {code}: {_short(line, d)}"


def dockerignore_symlink_out(d: Path) -> str:
    secret = d / "outside.txt"
    secret.write_bytes(b"TOP-SECRET\n")
    ctx = d / "ctx"
    ctx.mkdir()
    f = _copy_all(ctx)
    (ctx / ".dockerignore").symlink_to("../outside.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    diff = subprocess.run(
        [sys.executable, "-m", "optimizer", "rewrite", "--unsafe-fixes", "--diff", str(f)], capture_output=True, env=env
    )
    dopt("rewrite", "--unsafe-fixes", str(f))
    shown = b"TOP-SECRET" in diff.stdout + diff.stderr
    written = secret.read_bytes() != b"TOP-SECRET\n"
    return f"outside file shown in diff: {'yes' if shown else 'no'}; written: {'yes' if written else 'no'}"


def entry_symlink_out(d: Path) -> str:
    from optimizer.analysis.buildcontext import find_in_context
    from optimizer.core.registry import all_rules
    from optimizer.core.rule_context import RuleContext
    from optimizer.syntax.parser import parse

    (d / "secret.sh").write_text("#!/bin/sh\necho secret\n")
    (d / "ctx" / "app").mkdir(parents=True)
    (d / "ctx" / "app" / "entry.sh").symlink_to(d / "secret.sh")
    f = d / "ctx" / "Dockerfile"
    f.write_text('FROM debian:bookworm-slim\nCOPY app/ /app/\nENTRYPOINT ["/app/entry.sh"]\n')
    doc = parse(f.read_text(), str(f))
    ctx = RuleContext(doc, all_rules()[0])
    found = find_in_context(ctx, doc.stages[0], "/app/entry.sh")
    read = ctx.context_file(d / "ctx" / "app" / "entry.sh")
    return f"found in context: {found is not None}; read: {read is not None}"


def _tree(d: Path, n: int, data: bytes = FIXABLE) -> list[Path]:
    out = []
    for i in range(n):
        f = d / f"s{i:03d}" / "Dockerfile"
        f.parent.mkdir(parents=True)
        f.write_bytes(data)
        out.append(f)
    return out


def _popen(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "optimizer", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def two_concurrent_rewrites(d: Path) -> str:
    paths = _tree(d, 120)
    a, b = _popen("rewrite", "-j", "1", str(d)), _popen("rewrite", "-j", "1", str(d))
    err = a.communicate()[1] + b.communicate()[1]
    rewrote = [line for line in err.splitlines() if line.startswith(b"rewrote ")]
    wrong = sum(1 for f in paths if b"--no-cache-dir" not in f.read_bytes())
    return f"{len(rewrote) - len(set(rewrote))} of {len(paths)} files rewritten by both runs; {wrong} not fixed"


_APPENDER = """
import os, sys, time
paths = sys.argv[2:]
stop = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < stop:
    fd = os.open(paths[n % len(paths)], os.O_WRONLY | os.O_APPEND)
    os.write(fd, b"# appended %d\\n" % n)
    os.close(fd)
    n += 1
print(n)
"""


def appender_without_lock(d: Path) -> str:
    paths = _tree(d, 150)
    app = subprocess.Popen([sys.executable, "-c", _APPENDER, "6", *map(str, paths)], stdout=subprocess.PIPE, text=True)
    time.sleep(0.2)
    p = _popen("rewrite", "-j", "2", str(d))
    err = p.communicate()[1].decode()
    total = int(app.communicate()[0])
    kept = sum(f.read_text().count("# appended ") for f in paths)
    refused = err.count("changed on disk")
    return f"{total - kept} of {total} appends lost; {refused} files not written (changed on disk)"


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except OSError:
                continue
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _interrupt(d: Path, sig: int, jobs: int) -> str:
    body = b"FROM python:3.12-slim\n" + b"".join(b"RUN pip install p%d\n" % i for i in range(60))
    _tree(d, 400, body)
    p = _popen("rewrite", "-j", str(jobs), str(d))
    workers: list[int] = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        workers = _children(p.pid) or workers
        if len(workers) >= (2 if jobs > 1 else 0) and any(b"no-cache" in f.read_bytes() for f in d.glob("s*/D*")):
            break
        time.sleep(0.05)
    p.send_signal(sig)
    with contextlib.suppress(subprocess.TimeoutExpired):  # workers that outlive the parent keep its pipes open
        p.communicate(timeout=30)
    time.sleep(5)
    alive = [w for w in workers if _alive(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    temps = len(list(d.rglob(".dopt-*")))
    return f"exit {p.returncode}; {len(alive)} of {len(workers)} workers alive 5 s later; {temps} temp files left"


def sigterm_j2(d: Path) -> str:
    return _interrupt(d, signal.SIGTERM, 2)


def sigint_j2(d: Path) -> str:
    return _interrupt(d, signal.SIGINT, 2)


def sigkill_j2(d: Path) -> str:
    return _interrupt(d, signal.SIGKILL, 2)


def sigterm_j1(d: Path) -> str:
    return _interrupt(d, signal.SIGTERM, 1)


def metadata_kept(d: Path) -> str:
    f = d / "Dockerfile"
    f.write_bytes(FIXABLE)
    notes = []
    if os.geteuid() == 0:
        os.chown(f, 1234, 2345)
    os.chmod(f, 0o640)
    try:
        os.setxattr(f, "user.dopt", b"kept")
    except OSError:
        notes.append("no user xattrs here")
    os.link(f, d / "Dockerfile.link")
    ino = f.stat().st_ino
    dopt("rewrite", str(f))
    st = f.stat()
    got = [
        f"owner {st.st_uid}:{st.st_gid}",
        f"mode {st.st_mode & 0o7777:o}",
        f"same inode {st.st_ino == ino}",
        f"link updated {(d / 'Dockerfile.link').read_bytes() == f.read_bytes()}",
    ]
    try:
        got.append(f"xattr {os.getxattr(f, 'user.dopt')!r}")
    except OSError:
        got.append("xattr lost")
    return "; ".join(got + notes)


def folder_named_dockerfile(d: Path) -> str:
    (d / "Dockerfile").mkdir()
    code, line = dopt("check", str(d / "Dockerfile"))
    return f"exit {code}: {_short(line, d)}"


def same_file_two_names(d: Path) -> str:
    f = d / "Dockerfile"
    f.write_bytes(FIXABLE)
    (d / "alias").symlink_to(f)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    p = subprocess.run(
        [sys.executable, "-m", "optimizer", "rewrite", "-j", "2", str(f), str(d / "alias")],
        capture_output=True,
        env=env,
    )
    return f"exit {p.returncode}; {p.stderr.count(b'rewrote ')} rewrite(s)"


def over_the_budget(d: Path) -> str:
    f = d / "Dockerfile"
    body = "".join(
        f"RUN apt-get update && apt-get install -y p{i} && rm -rf /var/lib/apt/lists/*\n" for i in range(40_000)
    )
    f.write_text("FROM debian:bookworm\n" + body)
    code, line = dopt("rewrite", "--check", str(f), timeout=300)
    return f"exit {code}: {_short(line, d)[:110]}"


def escapes_in_text_output(d: Path) -> str:
    f = d / "Dockerfile"
    f.write_bytes(b"FROM debian:bookworm\nEXPOSE \x1b]0;pwned\x07\x1b[2J\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    p = subprocess.run([sys.executable, "-m", "optimizer", "check", str(f)], capture_output=True, env=env)
    raw = b"\x1b" in p.stdout + p.stderr
    return f"exit {p.returncode}; raw ESC in output: {raw}"


def no_from(d: Path) -> str:
    f = d / "Dockerfile"
    f.write_text("RUN echo hi\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    p = subprocess.run([sys.executable, "-m", "optimizer", "check", str(f)], capture_output=True, env=env)
    first = (p.stdout.decode().splitlines() or [""])[0]
    return f"exit {p.returncode}: {_short(first, d)}"


SCENARIOS: list[tuple[str, Callable[[Path], str]]] = [
    ("fifo_dockerfile", fifo_dockerfile),
    ("fifo_found_by_search", fifo_found_by_search),
    ("dev_zero_dockerfile", dev_zero_dockerfile),
    ("fifo_dockerignore", fifo_dockerignore),
    ("fifo_and_zero_in_context", fifo_and_zero_in_context),
    ("fifo_config", fifo_config),
    ("sparse_100mb_dockerfile", sparse_100mb_dockerfile),
    ("dockerignore_symlink_out", dockerignore_symlink_out),
    ("entry_symlink_out", entry_symlink_out),
    ("two_concurrent_rewrites", two_concurrent_rewrites),
    ("appender_without_lock", appender_without_lock),
    ("sigterm_j2", sigterm_j2),
    ("sigint_j2", sigint_j2),
    ("sigkill_j2", sigkill_j2),
    ("sigterm_j1", sigterm_j1),
    ("metadata_kept", metadata_kept),
    ("folder_named_dockerfile", folder_named_dockerfile),
    ("same_file_two_names", same_file_two_names),
    ("over_the_budget", over_the_budget),
    ("escapes_in_text_output", escapes_in_text_output),
    ("no_from", no_from),
]
