"""Whether merging two consecutive RUNs pays (DOP101), from data/layers.toml.

Layers are cheap; cache misses and long chains are not. Two RUNs are worth one layer when

- the later one removes, moves, chmods or chowns what the earlier one wrote (otherwise the bytes
  stay frozen in the earlier layer, and a chmod/chown copies the file into a new one);
- the later one cleans a cache that the earlier one's package manager filled;
- the earlier one only downloads a package index (`apt-get update`) that the later one installs from (alone,
  the index is frozen in its own layer and goes stale in the build cache);
- both are quick setup steps (mkdir, ln, echo, useradd…), whose separate cache is worth nothing.

Anything else (installs from different sources, downloads, builds, clones) is an expensive step
that is better cached on its own.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from functools import lru_cache
from typing import Any

from optimizer.analysis.invocations import invocations
from optimizer.analysis.knowledge import compiled
from optimizer.records import record
from optimizer.syntax.shell import Command, Script

REMOVES = "removes"
CACHE = "cache"
INDEX = "index"
TRIVIAL = "trivial"

TITLES = {
    REMOVES: "Merge: the later RUN removes or re-owns what the earlier one wrote",
    INDEX: "Merge: the later RUN installs from the package index the earlier one downloaded",
    CACHE: "Merge: the later RUN cleans a cache the earlier one filled",
    TRIVIAL: "Merge: both RUNs are quick setup steps",
}


@record(frozen=True)
class MergeReason:
    kind: str  # REMOVES, CACHE, INDEX or TRIVIAL
    detail: str  # why, in a sentence fragment naming the path or cache

    @property
    def title(self) -> str:
        return TITLES[self.kind]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return compiled("layers")  # data/layers.toml, compiled to JSON (scripts/compile_data.py)


@lru_cache(maxsize=1)
def _trivial() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    single, pairs = set(), set()
    for entry in _data()["trivial"]:
        name, _, sub = entry.partition(" ")
        if sub:
            pairs.add((name, sub))
        else:
            single.add(name)
    return frozenset(single), frozenset(pairs)


def _first_operand(cmd: Command) -> str:
    for w in cmd.args:
        if not w.value.startswith("-"):
            return w.value
    return ""


def is_trivial(script: Script) -> bool:
    """Is every command of the script a quick setup step?"""
    single, pairs = _trivial()
    cmds = script.commands()
    if not cmds:
        return False
    for cmd in cmds:
        name = cmd.basename
        if name in single:
            continue
        if (name, _first_operand(cmd)) in pairs:
            continue
        return False
    return True


def norm_path(path: str) -> str:
    if len(path) >= 2 and path[0] == path[-1] and path[0] in "'\"":
        path = path[1:-1]
    while path.startswith("./"):
        path = path[2:]
    if len(path) > 1:
        path = path.rstrip("/")
    return path


_WRITER_OPTIONS = {
    "tar": ("-C", "--directory"),
    "unzip": ("-d",),
    "curl": ("-o", "--output"),
    "wget": ("-O", "-P", "--output-document", "--directory-prefix"),
    "pip": ("-t", "--target"),
    "pip3": ("-t", "--target"),
}
_LAST_IS_DESTINATION = frozenset({"cp", "mv", "rsync", "install", "ln"})


def clone_destination(values: list[str]) -> list[str]:
    """The folder `git clone [options] URL [DIR]` writes (the URL is the first word that looks like one)."""
    for k, v in enumerate(values):
        if "://" in v or (v.startswith("git@") and ":" in v):
            if k + 1 < len(values) and not values[k + 1].startswith("-"):
                return [norm_path(values[k + 1])]
            base = v.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            return [base[:-4] if base.endswith(".git") else base]
    return []


def _mentions(script: Script) -> tuple[set[str], set[str]]:
    """(every word that may name a file the script reads or writes, the folders and files it surely writes).

    The first set holds paths, download names and redirections; the second what a command puts
    somewhere by design: `git clone`'s folder, `tar -C`, `unzip -d`, `curl -o`, `mkdir`, the
    destination of `cp`/`mv`, a redirection target. Paths as written (see ``_writes_at`` for them read in
    the folder each command runs in).
    """
    memo: tuple[set[str], set[str]] | None = script.memo.get("layer_mentions")
    if memo is not None:
        return memo
    every: set[str] = set()
    writes: set[str] = set()
    for cmd in script.commands():
        for v in (w.value for w in cmd.args):
            if "=" in v and v.startswith("-"):
                v = v.split("=", 1)[1]
            elif v.startswith("-"):
                continue
            if v and "://" not in v:
                every.add(norm_path(v))
        writes |= _writes_of(cmd)
    writes |= {t for t, _at in _redirects(script)}
    every |= writes
    script.memo["layer_mentions"] = (every, writes)
    return every, writes


def _writes_of(cmd: Command) -> set[str]:
    """What one command surely writes, as written."""
    writes: set[str] = set()
    name = cmd.basename
    values = [w.value for w in cmd.args]
    for k, v in enumerate(values):
        if v.startswith("-"):
            opts = _WRITER_OPTIONS.get(name, ())
            if v in opts and k + 1 < len(values):
                writes.add(norm_path(values[k + 1]))
            elif "=" in v and v.split("=", 1)[0] in opts:
                writes.add(norm_path(v.split("=", 1)[1]))
            if "=" not in v:
                continue
            v = v.split("=", 1)[1]
        if "://" in v:
            base = v.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            if base and name in ("curl", "wget", "git"):  # a download lands under its own name
                writes.add(base)
                if name == "git" and base.endswith(".git"):
                    writes.add(base[:-4])
    operands = [v for v in values if not v.startswith("-")]
    if name in ("mkdir", "touch"):
        writes.update(norm_path(v) for v in operands)
    elif name in _LAST_IS_DESTINATION and len(operands) >= 2:
        writes.add(norm_path(operands[-1]))
    elif name == "git" and operands[:1] == ["clone"]:
        writes.update(clone_destination(values))
    return writes


def _redirects(script: Script) -> list[tuple[str, int]]:
    """The files redirections write (as written), each with the script offset of the redirection."""
    out = []
    for node in script.walk():
        if node.type == "file_redirect":
            for ch in node.named_children:
                if ch.type != "file_descriptor":
                    out.append((norm_path(script.text(ch)), script.c(node.start_byte)))
    return out


def _targets(script: Script) -> list[tuple[str, str]]:
    """(command, path) for what the script removes, moves away, chmods or chowns."""
    return [(name, t) for name, t, _cmd in _targets_of(script)]


def _targets_of(script: Script) -> list[tuple[str, str, Command]]:
    removers: dict[str, dict[str, bool]] = _data()["removers"]
    out: list[tuple[str, str, Command]] = []
    for cmd in script.commands():
        name = cmd.basename
        operands = [w.value for w in cmd.args if not w.value.startswith("-")]
        if name == "find":
            words = [w.value for w in cmd.args]
            deletes = "-delete" in words or any(
                a == "-exec" and b.rsplit("/", 1)[-1] == "rm" for a, b in zip(words, words[1:], strict=False)
            )
            if deletes:
                roots = []
                for v in words:
                    if v.startswith(("-", "(", "!")):
                        break
                    roots.append(v)
                out += [(name, norm_path(r), cmd) for r in roots]
            continue
        spec = removers.get(name)
        if spec is None:
            continue
        if spec.get("skip_first"):
            operands = operands[1:]
        if spec.get("last_is_target"):
            operands = operands[:-1]
        out += [(name, norm_path(v), cmd) for v in operands if v]
    return out


def _placed(path: str, folder: str, side: str) -> str:
    """``path`` as the shell in ``folder`` names it. A folder dopt does not know, other than the one both RUNs
    start in, is this script's own (``side``): the same words there name another file than in the other RUN."""
    from optimizer.analysis.shell_folder import UNKNOWN, known, resolve

    if not known(folder) and folder != UNKNOWN + "0":
        folder = folder + side
    out = resolve(path, folder)
    if out.startswith(UNKNOWN + "0/"):
        return out[len(UNKNOWN) + 2 :]  # relative to the unknown starting folder: as written, in both RUNs
    return out


def _writes_at(script: Script, workdir: str | None, side: str) -> set[str]:
    """What the script surely writes (``_mentions``), each path read in the folder its command runs in."""
    from optimizer.analysis.shell_folder import folders

    memo: dict[tuple[str | None, str], set[str]] = script.memo.setdefault("layer_writes_at", {})
    found = memo.get((workdir, side))
    if found is None:
        at = folders(script, workdir)
        commands = script.commands()
        starts = [c.start for c in commands]
        found = set()
        for cmd in commands:
            for w in _writes_of(cmd):
                found.add(_placed(w, at[cmd.start], side))
        for w, offset in _redirects(script):  # read in the folder of the command it belongs to (or before it)
            k = bisect.bisect_right(starts, offset) - 1
            found.add(_placed(w, at[starts[k]] if k >= 0 else at[-1] if not starts else at[starts[0]], side))
        memo[(workdir, side)] = found
    return found


def _targets_at(script: Script, workdir: str | None, side: str) -> list[tuple[str, str, str]]:
    """(command, path read in its folder, path as written) for what the script removes, moves, chmods or chowns."""
    from optimizer.analysis.shell_folder import folders

    at = folders(script, workdir)
    return [(name, _placed(t, at[cmd.start], side), t) for name, t, cmd in _targets_of(script)]


def _shown(path: str, written: str) -> str:
    from optimizer.analysis.shell_folder import known

    return path if path.startswith("/") and known(path) else written


@lru_cache(maxsize=1)
def _broad_paths() -> frozenset[str]:
    return frozenset(_data()["broad"])


def _broad(path: str) -> bool:
    return path in _broad_paths()


def covers(target: str, path: str) -> bool:
    """Does acting on ``target`` act on ``path`` (the same path, a folder holding it, a glob matching it)?"""
    if target == path:
        return True
    if _broad(target):
        return False
    if path.startswith(target + "/"):
        return True
    globbed = any(c in target for c in "*?[") and len(re.sub(r"[*?]|\[[^]]*\]", "", target)) >= 3
    return globbed and fnmatch.fnmatchcase(path, target)


def _inside(target: str, folder: str) -> bool:
    """Is ``target`` inside a folder (as written: both absolute or both relative) that is not a broad one?"""
    return bool(folder) and not _broad(folder) and target.startswith(folder + "/")


def _cleans(script: Script, cache: dict[str, Any]) -> str | None:
    """How the script cleans this cache (a command, or a removal of one of its folders), if it does."""
    for c in script.commands():
        for entry in cache["clean"]:
            name, _, sub = entry.partition(" ")
            if c.basename == name and (not sub or _first_operand(c) == sub):
                return f"`{entry}`"
    for name, t in _targets(script):
        if name in ("rm", "find", "rmdir"):
            for path in cache["paths"]:
                if covers(t, path) or t.startswith(path + "/"):
                    return f"removing `{t}`"
    return None


def _cache_cleaned(prev: Script, cur: Script) -> str | None:
    """The later RUN only cleans up after the earlier one: a cache the earlier one filled and left."""
    tools = {i.tool for i in invocations(prev)}
    if not tools:
        return None
    cleaning = {tuple(e.split(" ", 1)) for cache in _data()["cache"] for e in cache["clean"] if " " in e}
    cur_tools = {i.tool for i in invocations(cur) if (i.command.basename, i.sub) not in cleaning}
    for cache in _data()["cache"]:
        if tools.isdisjoint(cache["tools"]) or not cur_tools.isdisjoint(cache["tools"]):
            continue  # the earlier RUN did not fill it, or the later one fills (and cleans) it itself
        how = _cleans(cur, cache)
        if how is not None and _cleans(prev, cache) is None:
            return f"{how} empties the {cache['name']} cache the previous RUN filled"
    return None


def _index_used(prev: Script, cur: Script) -> str | None:
    """The earlier RUN only downloads a package index, and the later one installs with that package manager."""
    updates = {tuple(e.split(" ", 1)) for e in _data()["index_update"]}
    commands = list(prev.commands())
    if not commands or any((c.basename, _first_operand(c)) not in updates for c in commands):
        return None
    tools = {c.basename for c in commands}
    for cache in _data()["cache"]:
        group = set(cache["tools"])
        if tools & group and any(i.tool in group and i.sub in ("install", "add", "upgrade") for i in invocations(cur)):
            return f"it installs from the {cache['name']} index the previous RUN downloaded"
    return None


def merge_reason(prev: Script, cur: Script, workdir: str | None = None) -> MergeReason | None:
    """Why merging ``cur`` into the RUN before it (``prev``) pays, or None when it does not.

    ``workdir``: the folder both RUNs start in (their WORKDIR), when known. Relative paths are read in the folder
    the shell is in when the command runs (``cd /tmp && curl -o x.tgz …`` writes ``/tmp/x.tgz``)."""
    writes = _writes_at(prev, workdir, "a")
    cleaned_by_prev = [t for _name, t, _c in _targets_at(prev, workdir, "a")]
    verbs = {"chmod": "changes the mode of", "chown": "changes the owner of", "chgrp": "changes the group of"}
    for name, t, written in _targets_at(cur, workdir, "b"):
        if any(covers(p, t) for p in cleaned_by_prev):
            continue  # the earlier RUN already removed (or re-owned) it itself
        if any(covers(t, w) or _inside(t, w) for w in writes):
            action = verbs.get(name, "moves" if name == "mv" else "removes")
            return MergeReason(REMOVES, f"it {action} `{_shown(t, written)}`, which the previous RUN wrote")
    cleaned = _cache_cleaned(prev, cur)
    if cleaned is not None:
        return MergeReason(CACHE, cleaned)
    indexed = _index_used(prev, cur)
    if indexed is not None:
        return MergeReason(INDEX, indexed)
    if is_trivial(prev) and is_trivial(cur):
        return MergeReason(TRIVIAL, "both RUNs are quick setup steps")
    return None
