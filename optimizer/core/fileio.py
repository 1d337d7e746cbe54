"""Reading files that someone else controls: regular files only, bounded, never out of the build context.

Every read of a file dopt did not write goes through ``read_regular`` (the CLI, ``dopt batch``, the language
server, configuration files, rules that look into the build context). A FIFO, a device (``/dev/zero``), a
socket or a folder is refused instead of read (a FIFO would block, ``/dev/zero`` never ends); at most
``limit + 1`` bytes are read whatever the size the file claims; with ``within`` a path whose real location is
outside that folder (a symlink out of the build context) is refused too. Refusals are ``Unreadable``, an
``OSError``, so callers that treat an unreadable file as absent keep doing so.
"""

from __future__ import annotations

import os
import stat

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Unreadable(OSError):
    """A file dopt will not read; ``reason`` says why (``is a FIFO (named pipe), not a regular file``)."""

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.filename = path

    def __str__(self) -> str:
        return self.reason


class TooLarge(Unreadable):
    def __init__(self, size: int, limit: int, path: str) -> None:
        super().__init__(f"file is {size} bytes; dopt refuses files over {limit} bytes", path)
        self.size = size
        self.limit = limit


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (``a FIFO (named pipe)``)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def inside(path: str, root: str) -> bool:
    """Does ``path`` (symlinks resolved) lie in the folder ``root`` (symlinks resolved)?"""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def open_regular(path: str, *, follow_symlinks: bool = True, within: str | None = None) -> int:
    """A read-only descriptor on ``path``, which must be a regular file (else ``Unreadable``).

    Opened with ``O_NONBLOCK`` (a FIFO does not block the open) and checked with ``fstat`` on the opened
    descriptor, so the file checked is the file read. ``follow_symlinks=False`` refuses a symlink;
    ``within`` refuses a file whose real path is outside that folder.
    """
    if within is not None and not inside(path, within):
        raise Unreadable("is a symlink to outside the build context; dopt does not read it", path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        import errno

        if e.errno == errno.ELOOP and not follow_symlinks:
            raise Unreadable("is a symlink; dopt does not follow it here", path) from None
        if e.errno == errno.ENXIO:  # a socket, or a FIFO nobody writes to (on some systems)
            raise Unreadable("is a socket or FIFO, not a regular file", path) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(f"is {kind_of(st.st_mode)}, not a regular file", path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_fd(fd: int, limit: int, path: str) -> bytes:
    """At most ``limit`` bytes from ``fd`` (from where it stands); ``TooLarge`` when there are more."""
    chunks: list[bytes] = []
    got = 0
    while got <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    if got > limit:
        raise TooLarge(max(got, os.fstat(fd).st_size), limit, path)
    return b"".join(chunks)


def read_regular(path: str, limit: int, *, follow_symlinks: bool = True, within: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (``Unreadable``/``TooLarge``/``OSError`` else)."""
    fd = open_regular(path, follow_symlinks=follow_symlinks, within=within)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise TooLarge(size, limit, path)
        return read_fd(fd, limit, path)
    finally:
        os.close(fd)


def read_text(path: str, limit: int, *, within: str | None = None, errors: str = "replace") -> str | None:
    """A text file read as UTF-8, or None when it is absent, unreadable, not regular, too large or outside."""
    try:
        return read_regular(path, limit, within=within).decode("utf-8", errors=errors)
    except (OSError, ValueError):
        return None
