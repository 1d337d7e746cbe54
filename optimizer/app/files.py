"""Finding, reading and atomically writing Dockerfiles; unified diffs."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, Protocol

from optimizer.errors import DockerfileSyntaxError, DoptError, InputError
from optimizer.records import record
from optimizer.syntax.parser import MAX_BYTES, decode

# What directory search finds: Dockerfile (or plain dockerfile), Dockerfile[._-]*, *[._-]Dockerfile, *.dockerfile
# (any case), Containerfile* (or plain containerfile); never BuildKit's per-Dockerfile ignore files
# (Dockerfile.dockerignore).
_NAME = re.compile(
    r"(Dockerfile([._-].*)?|dockerfile|.+[._-]Dockerfile|.+\.(?i:dockerfile)|Containerfile.*|containerfile)", re.S
)
_NOT_A_DOCKERFILE = re.compile(r".*\.(?i:dockerignore)", re.S)
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


class Discovery(Protocol):
    """What directory search asks the configuration (``config.Resolver``)."""

    def excluded(self, path: str) -> bool: ...

    def includes(self, path: str) -> tuple[list[str] | None, list[str]]: ...

    def respect_gitignore(self, path: str) -> bool: ...

    def force_exclude(self, path: str) -> bool: ...


def is_dockerfile_name(name: str, include: list[str] | None = None, extend: list[str] | None = None) -> bool:
    """Whether directory search picks this file name (``include`` replaces the default patterns)."""
    if include is None:
        if _NAME.fullmatch(name) and not _NOT_A_DOCKERFILE.fullmatch(name):
            return True
    elif any(fnmatch.fnmatchcase(name, p) for p in include):
        return True
    return any(fnmatch.fnmatchcase(name, p) for p in extend or ())


class _IgnoreFiles:
    """.gitignore (inside a git repository), .git/info/exclude and .ignore files, as git reads them."""

    def __init__(self) -> None:
        self._specs: dict[str, list[Any]] = {}  # folder -> its specs
        self._roots: dict[str, str | None] = {}

    def _root(self, folder: str) -> str | None:
        if folder not in self._roots:
            d = folder
            while not os.path.exists(os.path.join(d, ".git")):
                parent = os.path.dirname(d)
                if parent == d:
                    d = ""
                    break
                d = parent
            self._roots[folder] = d or None
        return self._roots[folder]

    def _specs_of(self, folder: str, root: str | None) -> list[Any]:
        if folder not in self._specs:
            import pathspec

            from optimizer.core.fileio import read_text

            names = [".gitignore", ".ignore"] if root is not None else [".ignore"]
            specs = []
            if root is not None and folder == root:
                names.insert(0, os.path.join(".git", "info", "exclude"))
            for name in names:
                text = read_text(os.path.join(folder, name), 4_000_000)
                if text is not None:
                    specs.append(pathspec.GitIgnoreSpec.from_lines(text.splitlines()))
            self._specs[folder] = specs
        return self._specs[folder]

    def ignored(self, path: str, is_dir: bool) -> bool:
        full = os.path.abspath(path)
        parent = os.path.dirname(full)
        root = self._root(parent)
        # the folders from the top (the repository root, or the file system root) down to the file's
        chain = []
        d = parent
        while True:
            chain.append(d)
            up = os.path.dirname(d)
            if d == root or up == d:
                break
            d = up
        verdict = False
        for folder in reversed(chain):
            rel = os.path.relpath(full, folder).replace(os.sep, "/") + ("/" if is_dir else "")
            for spec in self._specs_of(folder, root):
                result = spec.check_file(rel)
                if result.include is not None:
                    verdict = result.include
        return verdict


def discover(paths: list[str], config: Discovery | None = None) -> list[str]:
    """Expand directories into the Dockerfiles below them; files named explicitly are kept.

    Directory search skips what the configuration excludes and (unless ``respect-gitignore`` is off)
    what .gitignore, .ignore and .git/info/exclude ignore. A file named on the command line is kept
    unless ``force-exclude`` is on and the configuration excludes it.
    """
    out: list[str] = []
    seen: set[str] = set()  # real paths: one file named twice (or through a link) is processed once
    ignores = _IgnoreFiles()
    for p in paths:
        if p != "-" and os.path.isdir(p) and not _named_like_a_file(p, config):
            found = []
            for root, dirs, files in os.walk(p):
                gitignore = config is None or config.respect_gitignore(os.path.join(root, "x"))
                kept = []
                for d in sorted(dirs):
                    full = os.path.join(root, d)
                    if d in SKIP_DIRS or (config is not None and config.excluded(full)):
                        continue
                    if gitignore and ignores.ignored(full, True):
                        continue
                    kept.append(d)
                dirs[:] = kept
                include, extend = config.includes(os.path.join(root, "x")) if config is not None else (None, [])
                for f in files:
                    full = os.path.join(root, f)
                    if not is_dockerfile_name(f, include, extend):
                        continue
                    if config is not None and config.excluded(full):
                        continue
                    if gitignore and ignores.ignored(full, False):
                        continue
                    found.append(full)
            if os.path.normpath(p) == os.curdir:  # `dopt check` (or `.`): `Dockerfile`, not `./Dockerfile`
                found = [os.path.relpath(f, p) for f in found]
            for f in sorted(found):
                key = os.path.realpath(f)
                if key not in seen:
                    seen.add(key)
                    out.append(f)
        elif (key := p if p == "-" else os.path.realpath(p)) not in seen:
            if p != "-" and config is not None and config.force_exclude(p) and force_excluded(p, config):
                continue
            seen.add(key)
            out.append(p)
    return out


def force_excluded(path: str, config: Discovery) -> bool:
    """Whether ``--force-exclude`` drops this file named on the command line (or as ``--stdin-filename``):
    the configuration excludes it, or it lies in a folder directory search never enters (``node_modules``,
    a virtual environment, ``.git``, caches)."""
    folders = os.path.normpath(os.path.dirname(path)).split(os.sep)
    return config.excluded(path) or any(part in SKIP_DIRS for part in folders)


def _named_like_a_file(path: str, config: Discovery | None) -> bool:
    """A folder named like a Dockerfile (``Dockerfile/``) with none inside was meant as a file: it stays on
    the list, and reading it fails (``is a directory``) instead of a run that checked nothing passing."""
    name = os.path.basename(os.path.normpath(path))
    include, extend = config.includes(os.path.join(path, "x")) if config is not None else (None, [])
    if not is_dockerfile_name(name, include, extend):
        return False
    return not any(is_dockerfile_name(f, include, extend) for _r, _d, fs in os.walk(path) for f in fs)


@record(frozen=True)
class Loaded:
    path: str
    data: bytes
    text: str
    stat: os.stat_result | None


def _refused(e: OSError, path: str) -> DoptError:
    """A read error as one clean line (file, what is wrong)."""
    from optimizer.core.fileio import TooLarge

    if isinstance(e, TooLarge):
        return DockerfileSyntaxError(str(e), path=path)
    if isinstance(e, IsADirectoryError):
        return InputError("is a directory", path=path)
    if isinstance(e, FileNotFoundError):
        return InputError("no such file", path=path)
    return InputError(f"cannot read: {e.strerror or e}", path=path)


def read(path: str) -> Loaded:
    """A Dockerfile's bytes: a regular file only (a FIFO, a device, a folder is refused), at most MAX_BYTES."""
    from optimizer.core.fileio import open_regular

    try:
        fd = open_regular(path)
        try:
            return _load_fd(fd, path)
        finally:
            os.close(fd)
    except OSError as e:
        raise _refused(e, path) from None


def _load_fd(fd: int, path: str) -> Loaded:
    from optimizer.core.fileio import TooLarge, read_fd

    st = os.fstat(fd)
    if st.st_size > MAX_BYTES:
        raise TooLarge(st.st_size, MAX_BYTES, path)
    data = read_fd(fd, MAX_BYTES, path)
    return Loaded(path, data, decode(data, path), os.fstat(fd))


LOCK_SECONDS = 120.0  # how long a run waits for another dopt process editing the same file


@contextmanager
def editing(path: str, wait: float = LOCK_SECONDS) -> Iterator[Loaded]:
    """Read ``path`` holding an exclusive advisory lock (``flock``) on it until the block ends.

    dopt processes editing one file serialise: the second waits, then reads what the first wrote. The
    lock is taken on the file the path names *after* the wait (a rename by the first run replaces it).
    """
    from optimizer.core.fileio import open_regular

    deadline = time.monotonic() + wait
    while True:
        try:
            fd = open_regular(path)
        except OSError as e:
            raise _refused(e, path) from None
        try:
            if _lock(fd, deadline):
                now = os.stat(path)
                st = os.fstat(fd)
                if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
                    break
            else:
                raise InputError("another process holds the file's lock; not written", path=path)
        except OSError as e:
            os.close(fd)
            raise _refused(e, path) from None
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while we waited: lock the new file
    try:
        try:
            loaded = _load_fd(fd, path)
        except OSError as e:
            raise _refused(e, path) from None
        yield loaded
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int, deadline: float) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return True
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


# -- writing ------------------------------------------------------------------------------

CHANGED = "not written: changed on disk"
_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name)
)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT/SIGTERM/SIGHUP wait until the block is over (a temporary file never outlives a signal)."""
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _same(fd: int, target: str, expected: bytes, st: os.stat_result | None) -> bool:
    """Is ``fd`` still the file at ``target``, with the identity (inode, size, mtime) and bytes read?"""
    try:
        now, held = os.stat(target), os.fstat(fd)
    except OSError:
        return False
    if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino) or held.st_size != len(expected):
        return False
    if st is not None and (held.st_ino, held.st_size, held.st_mtime_ns) != (st.st_ino, st.st_size, st.st_mtime_ns):
        return False
    got = os.pread(fd, len(expected) + 1, 0)
    return got == expected  # the bytes themselves (hashing them would only cost the import of hashlib)


def _copy_metadata(src: int, dst: int, st: os.stat_result) -> None:
    """Owner, group, mode and extended attributes (ACLs included) of ``src`` onto ``dst`` (OSError if not all)."""
    if hasattr(os, "listxattr"):
        try:
            names = os.listxattr(src)
        except OSError as e:
            if e.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            names = []
        for name in names:
            value = os.getxattr(src, name)
            try:
                if os.getxattr(dst, name) == value:
                    continue
            except OSError:
                pass
            os.setxattr(dst, name, value)
    have = os.fstat(dst)
    if (have.st_uid, have.st_gid) != (st.st_uid, st.st_gid):
        os.fchown(dst, st.st_uid, st.st_gid)
    os.fchmod(dst, st.st_mode & 0o7777)


def _write_in_place(fd_path: str, data: bytes, display: str) -> None:
    """Keep the inode (hard links, and metadata dopt could not copy): truncate and write, as editors do."""
    out = os.open(fd_path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(data)
        written = 0
        while written < len(data):
            written += os.pwrite(out, view[written:], written)
        os.ftruncate(out, len(data))
        os.fsync(out)
    finally:
        os.close(out)


def _replace(display: str, target: str, fd: int, expected: bytes, st: os.stat_result | None, data: bytes) -> None:
    """Replace ``target`` (open as ``fd``, locked by the caller) with ``data`` if it is still ``expected``.

    Identity and content are checked right before the rename; a write that lands on the old file between
    that check and the rename is noticed after it, and the old file (with that write) is put back.
    """
    import tempfile  # only when writing: editors mostly read stdin

    held = os.fstat(fd)
    if not held.st_mode & 0o222 or not os.access(target, os.W_OK):
        # read-only means read-only, for root too: never replace a file its owner protected
        raise InputError("file is read-only; not written", path=display)
    if not _same(fd, target, expected, st):
        raise InputError(CHANGED, path=display)
    if held.st_nlink > 1:
        _write_in_place(target, data, display)
        return
    tmp = ""
    with _signals_held():
        try:
            out, tmp = tempfile.mkstemp(prefix=".dopt-", dir=os.path.dirname(target) or ".")
            try:
                view = memoryview(data)
                written = 0
                while written < len(data):
                    written += os.write(out, view[written:])
                os.fsync(out)
                try:
                    _copy_metadata(fd, out, held)
                    in_place = False
                except OSError:
                    in_place = True  # not allowed to give the new file the old one's owner or attributes
            finally:
                os.close(out)
            if in_place:
                os.unlink(tmp)
                tmp = ""
                if not _same(fd, target, expected, st):
                    raise InputError(CHANGED, path=display)
                _write_in_place(target, data, display)
                return
            if not _same(fd, target, expected, st):
                raise InputError(CHANGED, path=display)
            before = os.fstat(fd)
            os.replace(tmp, target)
            tmp = ""
            after = os.fstat(fd)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                _put_back(fd, target, held)
                raise InputError(CHANGED + " (while writing; the other change was kept)", path=display)
        except OSError as e:
            raise InputError(f"cannot write: {e.strerror or e}", path=display) from None
        finally:
            if tmp:
                with suppress(OSError):
                    os.unlink(tmp)


def _put_back(fd: int, target: str, held: os.stat_result) -> None:
    """Another process wrote to the old file while it was being replaced: that file goes back in place."""
    import tempfile

    old = b""
    while True:
        chunk = os.pread(fd, 1 << 20, len(old))
        if not chunk:
            break
        old += chunk
    out, tmp = tempfile.mkstemp(prefix=".dopt-", dir=os.path.dirname(target) or ".")
    try:
        os.write(out, old)
        os.fsync(out)
        with suppress(OSError):
            _copy_metadata(fd, out, held)
        os.close(out)
        out = -1
        os.replace(tmp, target)
        tmp = ""
    finally:
        if out != -1:
            os.close(out)
        if tmp:
            with suppress(OSError):
                os.unlink(tmp)


def write_atomic(loaded: Loaded, text: str) -> None:
    """Replace the file with ``text`` via a temporary file and a rename (in place for a hard-linked file).

    Symlinks are followed (the link stays a link); owner, group, mode and extended attributes are kept;
    a file that changed on disk since it was read is left alone (``not written: changed on disk``).
    The caller should hold the file's lock (``editing``) so that dopt processes do not race each other.
    """
    from optimizer.core.fileio import open_regular

    target = os.path.realpath(loaded.path)
    try:
        fd = open_regular(target)
    except OSError as e:
        raise InputError(f"cannot re-read before writing: {e.strerror or e}", path=loaded.path) from None
    try:
        _replace(loaded.path, target, fd, loaded.data, loaded.stat, text.encode("utf-8"))
    finally:
        os.close(fd)


def symlink_reason(path: str) -> str | None:
    """Why dopt will not write this second file of a fix (a symlink on the way), or None."""
    full = os.path.normpath(os.path.abspath(path))
    if os.path.islink(full):
        return f"{path} is a symlink (to {os.readlink(full)}); dopt never writes through one"
    if os.path.realpath(full) != full:
        return f"{path} lies behind a symlinked folder; dopt never writes through one"
    return None


def write_context_file(path: str, text: str, before: str | None) -> None:
    """Write a second file of a fix (e.g. .dockerignore): never through a symlink, under its lock.

    ``before`` is the text the fix was computed from (None: the file did not exist); a file that
    changed or appeared since is left alone. A new file is created without ever replacing one.
    """
    import tempfile

    from optimizer.core.fileio import open_regular

    reason = symlink_reason(path)
    if reason is not None:
        raise InputError(f"not written: {reason}", path=path)
    data = text.encode("utf-8", errors="surrogateescape")
    if before is None:
        if os.path.lexists(path):
            raise InputError(CHANGED + " (it appeared)", path=path)
        tmp = ""
        with _signals_held():
            try:
                out, tmp = tempfile.mkstemp(prefix=".dopt-", dir=os.path.dirname(path) or ".")
                try:
                    os.write(out, data)
                    os.fsync(out)
                    os.fchmod(out, 0o666 & ~_umask())
                finally:
                    os.close(out)
                os.link(tmp, path)  # fails if the file appeared meanwhile: never clobbers
            except FileExistsError:
                raise InputError(CHANGED + " (it appeared)", path=path) from None
            except OSError as e:
                raise InputError(f"cannot write: {e.strerror or e}", path=path) from None
            finally:
                if tmp:
                    with suppress(OSError):
                        os.unlink(tmp)
        return
    try:
        fd = open_regular(path, follow_symlinks=False)
    except OSError as e:
        raise InputError(f"cannot re-read before writing: {e.strerror or e}", path=path) from None
    try:
        if not _lock(fd, time.monotonic() + LOCK_SECONDS):
            raise InputError("another process holds the file's lock; not written", path=path)
        _replace(path, path, fd, before.encode("utf-8", errors="surrogateescape"), None, data)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on ``\\n`` only (as BuildKit and git do)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(before: str, after: str, path: str, new_file: bool = False) -> str:
    """A unified diff with p0 paths and the ``\\ No newline at end of file`` marker."""
    if before == after:
        return ""
    import difflib

    name = path.replace(os.sep, "/") if path != "-" else "-"
    out = []
    for line in difflib.unified_diff(split_lines(before), split_lines(after), "/dev/null" if new_file else name, name):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
