"""Finding, reading and atomically writing Dockerfiles; unified diffs."""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Any, Protocol

from optimizer.errors import DockerfileSyntaxError, InputError
from optimizer.records import record
from optimizer.syntax.parser import MAX_BYTES, decode

# What directory search finds: Dockerfile, Dockerfile[._-]*, *[._-]Dockerfile, *.dockerfile (any case),
# Containerfile*; never BuildKit's per-Dockerfile ignore files (Dockerfile.dockerignore).
_NAME = re.compile(r"(Dockerfile([._-].*)?|.+[._-]Dockerfile|.+\.(?i:dockerfile)|Containerfile.*)", re.S)
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

            names = [".gitignore", ".ignore"] if root is not None else [".ignore"]
            specs = []
            if root is not None and folder == root:
                names.insert(0, os.path.join(".git", "info", "exclude"))
            for name in names:
                try:
                    with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
                        specs.append(pathspec.GitIgnoreSpec.from_lines(fh.read().splitlines()))
                except OSError:
                    continue
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
    seen: set[str] = set()
    ignores = _IgnoreFiles()
    for p in paths:
        if p != "-" and os.path.isdir(p):
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
            for f in sorted(found):
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        elif p not in seen:
            if p != "-" and config is not None and config.force_exclude(p) and config.excluded(p):
                continue
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
