"""Finding, reading and atomically writing Dockerfiles; unified diffs."""

from __future__ import annotations

import os
from collections.abc import Callable

from optimizer.errors import DockerfileSyntaxError, InputError
from optimizer.records import record
from optimizer.syntax.parser import MAX_BYTES, decode

DOCKERFILE_PATTERNS = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "Containerfile*")
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


def is_dockerfile_name(name: str) -> bool:
    import fnmatch

    return any(fnmatch.fnmatchcase(name, p) for p in DOCKERFILE_PATTERNS)


def discover(paths: list[str], excluded: Callable[[str], bool] | None = None) -> list[str]:
    """Expand directories into the Dockerfiles below them; files given by name are kept.

    ``excluded`` (the configuration's ``exclude`` patterns) prunes what directory search finds.
    """
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        if p != "-" and os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                for f in files:
                    full = os.path.join(root, f)
                    if is_dockerfile_name(f) and not (excluded is not None and excluded(full)):
                        found.append(full)
            for f in sorted(found):
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        elif p not in seen:
            seen.add(p)
            out.append(p)
    return out


@record(frozen=True)
class Loaded:
    path: str
    data: bytes
    text: str
    stat: os.stat_result | None


def read(path: str) -> Loaded:
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > MAX_BYTES:
                raise DockerfileSyntaxError(
                    f"file is {st.st_size} bytes; dopt refuses files over {MAX_BYTES} bytes", path=path
                )
            data = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError("is a directory", path=path) from None
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path=path) from None
    return Loaded(path, data, decode(data, path), st)


def write_atomic(loaded: Loaded, text: str) -> None:
    """Replace the file with ``text`` via a temporary file and a rename.

    Symlinks are followed (the link stays a link); the file mode is kept; a
    file that changed on disk since it was read is left alone.
    """
    import tempfile  # only when writing: editors mostly read stdin

    target = os.path.realpath(loaded.path)
    data = text.encode("utf-8")
    try:
        with open(target, "rb") as fh:
            if fh.read() != loaded.data:
                raise InputError("file changed while dopt was processing it; not written", path=loaded.path)
    except OSError as e:
        raise InputError(f"cannot re-read before writing: {e.strerror or e}", path=loaded.path) from None
    directory = os.path.dirname(target) or "."
    mode = loaded.stat.st_mode if loaded.stat is not None else 0o644
    if not mode & 0o222 or not os.access(target, os.W_OK):
        # read-only means read-only, for root too: never replace a file its owner protected
        raise InputError("file is read-only; not written", path=loaded.path)
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dopt-", dir=directory)
        with os.fdopen(fd, "wb") as out:
            fd = -1
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if loaded.stat is not None:
            os.chmod(tmp, loaded.stat.st_mode & 0o7777)
        os.replace(tmp, target)
        tmp = ""
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror or e}", path=loaded.path) from None
    finally:
        if fd != -1:
            os.close(fd)
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def write_context_file(path: str, text: str, before: str | None) -> None:
    """Atomically write a second file of a fix (e.g. .dockerignore): temp file + rename.

    ``before`` is the text the fix was computed from (None: the file did not exist); a file that
    changed or appeared since is left alone.
    """
    import tempfile

    target = os.path.realpath(path)
    try:
        with open(target, "rb") as fh:
            now: str | None = fh.read().decode("utf-8", errors="surrogateescape")
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        now, mode = None, 0o644
    except OSError as e:
        raise InputError(f"cannot re-read before writing: {e.strerror or e}", path=path) from None
    if now != before:
        raise InputError("file changed while dopt was processing it; not written", path=path)
    if now is not None and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise InputError("file is read-only; not written", path=path)
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dopt-", dir=os.path.dirname(target) or ".")
        with os.fdopen(fd, "wb") as out:
            fd = -1
            out.write(text.encode("utf-8", errors="surrogateescape"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = ""
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror or e}", path=path) from None
    finally:
        if fd != -1:
            os.close(fd)
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


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
