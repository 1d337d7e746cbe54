"""The folder each command of a RUN script runs in: ``cd DIR`` on the script's own ``&&`` / ``;`` chain moves it.

``folders(script, start)`` maps every simple command (by its start offset) to the shell's working folder when it
runs: an absolute path, or an opaque name for a folder dopt does not know (``UNKNOWN`` + a number: the RUN's
WORKDIR when it is not known, or where a ``cd`` it cannot read went). Two commands with the same opaque folder run
in the same place, so relative paths can still be compared between them; ``resolve`` names a path the same way.

A ``cd`` moves the folder for the commands after it when it is a link of the top-level chain (``cd -`` goes back
to where the chain's previous ``cd`` left); ``cd`` alone, ``cd ~``, ``cd $DIR``, ``pushd``/``popd``, a ``cd``
followed by ``||`` (but ``|| exit``) or one inside a subshell, loop, condition or pipe make the folder unknown from
there on (fail closed: each gets a new opaque name).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

    from optimizer.syntax.shell import Command, Script

UNKNOWN = "\0"  # opaque folders are UNKNOWN + a number: a character no shell word holds
_MOVES = frozenset({"cd", "pushd", "popd"})
_CHAIN = frozenset({"list", "redirected_statement", "program"})
_HOME = ("~", "$HOME", "${HOME}")


def known(folder: str) -> bool:
    """Is this an absolute folder (not an opaque one)?"""
    return not folder.startswith(UNKNOWN)


def resolve(path: str, folder: str) -> str:
    """``path`` as the shell in ``folder`` names it: absolute, or under an opaque folder (the home folder's paths
    are left as written: they do not depend on the working folder)."""
    if path.startswith("/"):
        return posixpath.normpath(path)
    if path.startswith(_HOME):
        return path
    if path.startswith("$"):  # `$DIR/x.tgz`: absolute or not, dopt cannot tell; the same words in the same folder
        return f"{UNKNOWN}{folder}/{path}"
    joined = posixpath.normpath(posixpath.join(folder, path))
    root = folder.split("/", 1)[0]
    if not known(folder) and not (joined == root or joined.startswith(root + "/")):
        return folder + "/" + path  # `..` above an unknown folder: only the same words name the same file
    return joined


def folders(script: Script, start: str | None = None) -> dict[int, str]:
    """The working folder of every command of ``script`` (by start offset); ``start`` is the RUN's WORKDIR, when
    known (an absolute path), else None (memoized per script and start)."""
    memo: dict[str | None, dict[int, str]] = script.memo.setdefault("folders", {})
    found = memo.get(start)
    if found is None:
        found = memo[start] = _walk(script, start)
    return found


def folder_at_end(script: Script, start: str | None = None) -> str:
    """The working folder after the script's last command (where a command appended to the RUN runs)."""
    return folders(script, start)[_END]


_END = -1  # the key of the folder after the last command


def _walk(script: Script, start: str | None) -> dict[int, str]:
    commands = script.commands()
    out: dict[int, str] = {}
    fresh = 0
    folder = start if start is not None and start.startswith("/") else UNKNOWN + "0"
    previous: str | None = None  # $OLDPWD, which `cd -` goes back to, when a cd of the chain set it
    nodes: dict[int, Node] | None = None
    for cmd in commands:
        out[cmd.start] = folder
        if cmd.basename not in _MOVES:
            continue
        if nodes is None:
            nodes = {script.c(n.start_byte): n for n in script.walk() if n.type == "command"}
        if cmd.basename != "cd" or not _in_chain(nodes.get(cmd.start)):
            fresh += 1
            folder, previous = f"{UNKNOWN}{fresh}", None
            continue
        target = _target(cmd)
        if target == "-" and previous is not None:
            folder, previous = previous, folder
            continue
        if target is None or target.startswith(("~", "$")) or target == "-":
            fresh += 1
            moved = f"{UNKNOWN}{fresh}"
        else:
            moved = resolve(target, folder)
            if moved != posixpath.normpath(moved):  # `cd ..` above an unknown folder
                fresh += 1
                moved = f"{UNKNOWN}{fresh}"
        folder, previous = moved, folder
    out[_END] = folder
    return out


def _target(cmd: Command) -> str | None:
    """The folder ``cd`` is given, as written, when it is one literal word (options -L/-P aside)."""
    words = [w for w in cmd.args if w.value not in ("-L", "-P")]
    if len(words) != 1 or not words[0].literal or not words[0].value:
        return None
    return words[0].value


def _in_chain(node: Node | None) -> bool:
    """Is the command a link of the script's top-level && / ; chain, not followed by ``||``?"""
    if node is None:
        return False
    nxt = node.next_sibling
    if nxt is not None and nxt.type == "||":
        after = nxt.next_sibling  # `cd DIR || exit 1`: the shell is in DIR or gone
        if after is None or after.type != "command" or after.child_by_field_name("name") is None:
            return False
        name = after.child_by_field_name("name")
        if name is None or name.text not in (b"exit", b"return"):
            return False
        node = after
    while node is not None and node.parent is not None:
        node = node.parent
        if node.type not in _CHAIN:
            return False
        nxt = node.next_sibling
        if nxt is not None and nxt.type == "||":
            return False  # `cd x && make || …`: when cd fails the chain goes on elsewhere
    return True
