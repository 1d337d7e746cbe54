"""DOP212 download-left-behind."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.invocations import append_command, later_runs, mounted
from optimizer.analysis.layers import clone_destination, covers, norm_path
from optimizer.analysis.shell_folder import folder_at_end, folders, known, resolve
from optimizer.analysis.stage_facts import later_run_mentioning, workdir_before
from optimizer.core.fix import Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import Body, RuleContext
from optimizer.records import record
from optimizer.syntax.model import Instruction
from optimizer.syntax.shell import Command, Script

if TYPE_CHECKING:
    from tree_sitter import Node

DOC = """
## What it does
Removes a downloaded archive in the `RUN` that downloads and unpacks it:
`curl -o x.tar.gz … && tar -xzf x.tar.gz` (or `wget`, `unzip`, `dpkg -i
x.deb`) gets `&& rm -f x.tar.gz` at the end, in the `RUN`'s own continuation
style. A `git clone` whose `.git` folder nothing later uses is reported.

## Why
The unpacked files are what the image needs; the archive is a second copy
of them that ships in the layer for nothing. Removing it in a later `RUN`
does not help: the bytes stay in this layer. A cloned repository's `.git`
holds its whole history, usually far bigger than the checkout.

## Example
```dockerfile
RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz \\
    && tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1
```
becomes
```dockerfile
RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz \\
    && tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1 \\
    && rm -f /tmp/node.tar.xz
```

## Fix safety
Safe: the archive is removed only at the end of the `RUN`, after everything
that used it, and only when no later `RUN` of the stage (or of a stage built
from it) names it and no `COPY --from` can take it. A later `RUN` of the
same stage that only removes it (`RUN rm -f /tmp/x.tgz`) does not use it: the
removal moves into this `RUN`, and that later `RUN`, which now removes
nothing, is dropped when it does nothing else (a later `rm` without `-f`
would fail once the file is gone: then the finding says to merge the two
`RUN`s, DOP101). Relative paths are read
in the folder the shell is in (`cd /tmp && curl -O …` downloads
`/tmp/x.tgz`); when the `RUN` ends in another folder the removal names the
file by its absolute path. Not offered when the path is relative, the `RUN`
ends in another folder and dopt cannot tell which folder the download went
to (no `cd` to an absolute folder before it, and a `WORKDIR` of a base image
dopt does not know), when
the download or the unpacking runs inside a subshell, loop or condition,
when a variable in the path is assigned after the download, or when the
folder is a cache or tmpfs mount. The `git clone` finding has no fix: build
tools such as setuptools-scm or `go build` read `.git`, and only you know
whether yours does.
"""

_ARCHIVE = re.compile(r"\.(tar|tgz|tar\.gz|tar\.xz|txz|tar\.bz2|tbz2?|tar\.zst|tzst|zip|deb|rpm|apk|whl|jar)$", re.I)
_UNPACKERS = frozenset({"tar", "bsdtar", "unzip", "7z", "7za", "dpkg", "apt-get", "apt", "rpm", "dnf", "yum", "pip"})


@record(frozen=True)
class _Download:
    command: Command
    path: str  # the file as the shell names it (text as written, normalised)
    written: str  # the word as written in the download (quotes kept), to name the file the same way


def _downloads(script: Script) -> list[_Download]:
    out = []
    for cmd in script.commands():
        name = cmd.basename
        if name not in ("curl", "wget"):
            continue
        words = [w.text if not w.literal else w.value for w in cmd.args]
        url = next((w for w in words if "://" in w), None)
        remote = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1] if url else ""
        path = folder = None
        named = False
        k = 0
        while k < len(words):
            w = words[k]
            nxt = words[k + 1] if k + 1 < len(words) else None
            if name == "curl":
                if w in ("-o", "--output") or (w.startswith("-") and not w.startswith("--") and w.endswith("o")):
                    path, k = nxt, k + 1
                elif w.startswith("--output="):
                    path = w.split("=", 1)[1]
                elif w == "--output-dir":
                    folder, k = nxt, k + 1
                elif w in ("-O", "--remote-name") or (w.startswith("-") and not w.startswith("--") and "O" in w):
                    named = True
            else:
                if w.startswith("-") and not w.startswith("--") and w.endswith("O-"):
                    path = "-"  # -qO-: to standard output
                elif w in ("-O", "--output-document") or (
                    w.startswith("-") and not w.startswith("--") and w.endswith("O")
                ):
                    path, k = nxt, k + 1
                elif w.startswith("--output-document="):
                    path = w.split("=", 1)[1]
                elif w in ("-P", "--directory-prefix"):
                    folder, k = nxt, k + 1
                elif w.startswith("--directory-prefix="):
                    folder = w.split("=", 1)[1]
            k += 1
        if path is None and remote and (named or name == "wget"):
            path = f"{folder.rstrip('/')}/{remote}" if folder else remote
        written = path or ""
        path = norm_path(path) if path else None
        if path and path != "-" and _ARCHIVE.search(path):
            if written == path and not re.fullmatch(r"[\w./${}:+@%-]+", path):
                written = shlex.quote(path)
            out.append(_Download(cmd, path, written))
    return out


def _mounted(ins: Instruction, path: str) -> bool:
    """Is the file's folder a cache or tmpfs mount of this RUN (so nothing of it reaches the layer)?"""
    folder = path.rsplit("/", 1)[0] or "/"
    if mounted(ins, path):  # the file under a cache mount (not: a mount somewhere under its folder)
        return True
    for f in ins.flag("mount"):
        fields = dict((kv.split("=", 1) + [""])[:2] for kv in (f.value or "").split(",") if kv)
        target = (fields.get("target") or fields.get("dst") or fields.get("destination") or "").rstrip("/")
        if fields.get("type") == "tmpfs" and target and (folder == target or folder.startswith(target + "/")):
            return True
    return False


def _top_level(node: Node | None) -> bool:
    """Is the command a link of the script's own && / ; chain (not in a subshell, loop, condition or pipe)?"""
    while node is not None and node.parent is not None:
        node = node.parent
        if node.type not in ("list", "redirected_statement", "program"):
            return False
    return True


def _node_at(script: Script, cmd: Command) -> Node | None:
    for n in script.walk():
        if n.type == "command" and script.c(n.start_byte) == cmd.start:
            return n
    return None


def _names(words: list[str], path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    return any(norm_path(w) == path or (base and norm_path(w).endswith("/" + base)) for w in words)


def _copies_from(ctx: RuleContext) -> list[Instruction]:
    """The COPY --from instructions of the document (listed once: asked for every download)."""
    found: list[Instruction] | None = ctx.doc.memo.get("copies_from")
    if found is None:
        found = ctx.doc.memo["copies_from"] = [
            i for i in ctx.doc.instructions if i.keyword == "COPY" and i.flag("from")
        ]
    return found


def _used_later(ctx: RuleContext, ins: Instruction, path: str) -> Instruction | None:
    """A later instruction that may use the file (a RUN naming it, a COPY --from that can take it). A RUN that only
    removes it (``rm -f``) does not use it: after it the file is gone, whatever follows."""
    base = path.rsplit("/", 1)[-1]
    other = later_run_mentioning(ctx.doc, ins, base)
    if other is not None:
        # removed later in the same stage: every later use (a stage built FROM it, a COPY --from) finds it gone
        return None if other.stage == ins.stage and _only_removes(ctx, other, path) == "force" else other
    stage = ctx.doc.stage_of(ins)
    if stage is None:
        return None
    refs = {str(stage.index)} | ({stage.name.lower()} if stage.name else set())
    for other in _copies_from(ctx):
        src = other.flag("from") if other.index > ins.index else []
        if src and (src[0].value or "").lower() in refs:
            sources = other.args.split()[:-1]
            if not path.startswith("/") or any("$" in s or covers(norm_path(s), path) for s in sources):
                return other
    return None


def _only_removes(ctx: RuleContext, ins: Instruction, path: str) -> str | None:
    """Does this later RUN do nothing with the file but remove it: "force" (``rm -f``: removing it earlier leaves
    it nothing to do), "plain" (``rm`` alone, which would fail once the file is gone), else None. Relative paths are
    read in the folder the RUN's shell is in (its WORKDIR, then its ``cd``s)."""
    bodies = ctx.bodies(ins)
    if len(bodies) != 1 or not path.startswith("/") or not known(path):
        return None
    script = bodies[0].script
    base = path.rsplit("/", 1)[-1]
    at = folders(script, workdir_before(ctx.doc, ins))
    if script.has_error or ctx.doc.text[ins.start : ins.end].count(base) != _mentions(script, base):
        return None  # the name also appears outside the commands dopt reads (a heredoc, a comment, a flag)
    kind = None
    for cmd in script.commands():
        if not any(base in w.text for w in cmd.words):
            continue
        if cmd.basename != "rm" or not _top_level(_node_at(script, cmd)):
            return None
        operands = [w for w in cmd.args if not w.text.startswith("-")]
        if not all(resolve(norm_path(w.text), at[cmd.start]) == path for w in operands if base in w.text):
            return None
        flags = "".join(w.text[1:] for w in cmd.args if w.text.startswith("-") and not w.text.startswith("--"))
        force = "f" in flags or any(w.text == "--force" for w in cmd.args)
        kind = "force" if force and kind != "plain" else "plain"
    return kind


def _mentions(script: Script, base: str) -> int:
    """How many times the commands' words name ``base``."""
    return sum(w.text.count(base) for c in script.commands() for w in c.words)


def _acts_on(cmd: Command, folder: str, file: str) -> bool:
    """Does one of the command's operands name ``file`` (or a folder or glob holding it), read from ``folder``?"""
    return any(covers(resolve(norm_path(w.text), folder), file) for w in cmd.args if not w.text.startswith("-"))


def _archive_findings(ctx: RuleContext, body: Body) -> Iterator[Diagnostic]:
    script, ins = body.script, body.ins
    commands = script.commands()
    start = workdir_before(ctx.doc, ins)  # the WORKDIR (from the base image's), None when unknown
    at = folders(script, start)  # `cd DIR` moves the folder relative paths are read from
    for dl in _downloads(script):
        file = resolve(dl.path, at[dl.command.start])
        after = [c for c in commands if c.start >= dl.command.end]
        unpack = next(
            (
                c
                for c in after
                if c.basename in _UNPACKERS
                and (_names([w.text for w in c.args], dl.path) or _acts_on(c, at[c.start], file))
            ),
            None,
        )
        if unpack is None:
            continue
        removed = any(c.basename in ("rm", "find", "unlink") and _acts_on(c, at[c.start], file) for c in after)
        where = file if known(file) else dl.path  # the absolute path when dopt knows the folder
        if removed or _mounted(ins, where):
            continue
        moved = at[dl.command.start] != at[commands[0].start]
        shown = where if moved or dl.path.startswith("/") else dl.path  # `cd /tmp && curl -O …`: /tmp/x.tgz
        message = f"`{shown}` is downloaded and unpacked here, then stays in the layer: remove it in the same RUN"
        why = _why_not(ctx, body, dl, unpack, where)
        written = dl.written
        if why is None and resolve(dl.path, folder_at_end(script, start)) != file:
            # the RUN ends in another folder: name the file by its absolute path, when dopt knows it
            if known(file):
                written = file if re.fullmatch(r"[\w./${}:+@%-]+", file) else shlex.quote(file)
            else:
                why = f"`{dl.path}` is relative and the RUN changes directory after the download"
        if why is not None:
            yield ctx.report(ins, f"{message} (not fixed: {why})")
            continue
        edits = append_command(ctx, body, f"rm -f {written}")
        if edits is None:
            yield ctx.report(ins, f"{message} (not fixed: the RUN ends in a comment or background job)")
            continue
        title = f"Remove `{shown}` at the end of the RUN"
        late = _late_removal(ctx, ins, where)
        if late is not None:
            # a later RUN that did nothing but remove it now removes nothing: it goes too
            edits.append(_drop(ctx, late))
            message += f" (line {late.line_start}, which only removed it from a later layer, is dropped)"
            title += f" and drop the RUN of line {late.line_start}"
        yield ctx.report(ins, message, edits, fix_message=title)


def _late_removal(ctx: RuleContext, ins: Instruction, path: str) -> Instruction | None:
    """The later RUN of the stage that does nothing but ``rm -f`` the file, if that is the first to name it."""
    if not known(path) or not path.startswith("/"):
        return None
    other = later_run_mentioning(ctx.doc, ins, path.rsplit("/", 1)[-1])
    if other is None or other.stage != ins.stage or other.flags or _only_removes(ctx, other, path) != "force":
        return None
    script = ctx.bodies(other)[0].script
    if any(c.basename != "rm" or c.assignments for c in script.commands()) or script.has_node("comment"):
        return None
    if any(k.type not in ("&&", ";", "list", "command", "\n") for k in script.root.children):
        return None
    return other


def _drop(ctx: RuleContext, ins: Instruction) -> Edit:
    """An edit removing a whole instruction line(s), its line break included."""
    text = ctx.doc.text
    start = text.rfind("\n", 0, ins.start) + 1
    end = ins.end
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    return Edit(start, end, "")


def _why_not(ctx: RuleContext, body: Body, dl: _Download, unpack: Command, where: str) -> str | None:
    script = body.script
    if not (_top_level(_node_at(script, dl.command)) and _top_level(_node_at(script, unpack))):
        return "the download or the unpacking runs inside a subshell, loop, condition or pipe"
    if "$" in dl.path:
        later = script.source[dl.command.end :]
        names = re.findall(r"\$\{?(\w+)", dl.path)
        if any(re.search(rf"(^|[\s;&|(]){re.escape(n)}=", later) for n in names):
            return "a variable in the path is assigned after the download"
    used = _used_later(ctx, body.ins, where)
    if used is not None:
        if _only_removes(ctx, used, where) == "plain":
            return (
                f"line {used.line_start} removes it with `rm` without `-f`, which would fail once it is gone here:"
                " merge that RUN into this one (DOP101)"
            )
        return f"line {used.line_start} may use it"
    return None


def _clone_findings(ctx: RuleContext, body: Body) -> Iterator[Diagnostic]:
    script, ins = body.script, body.ins
    commands = script.commands()
    for cmd in commands:
        values = [w.value for w in cmd.args]
        if cmd.basename != "git" or [v for v in values if not v.startswith("-")][:1] != ["clone"]:
            continue
        if "--bare" in values or "--mirror" in values or "--no-checkout" in values:
            continue
        dest = next(iter(clone_destination(values)), None)
        if not dest or "$" in dest:
            continue
        after = [c for c in commands if c.start >= cmd.end]
        if any(c.basename == "git" for c in after):
            continue  # git runs again in this RUN: .git is used
        gone = any(
            c.basename in ("rm", "find")
            and any(covers(norm_path(w.text), f"{dest}/.git") for w in c.args if not w.text.startswith("-"))
            for c in after
        )
        if gone:
            continue
        later = later_runs(ctx, ins)
        if any(re.search(r"(^|[\s;&|(])git\s", ctx.doc.text[o.start : o.end]) for o in later):
            continue
        shallow = any(v == "--depth" or v.startswith("--depth=") for v in values)
        what = "A shallow clone still leaves" if shallow else "`git clone` leaves"
        yield ctx.report(
            ins,
            f"{what} `{dest}/.git` (the repository's history) in the layer and nothing later runs git: "
            f"remove it in the same RUN (`rm -rf {dest}/.git`)"
            + ("" if shallow else " or clone with `--depth 1`")
            + " (not fixed: build tools such as setuptools-scm or `go build` may read it)",
        )


@rule(
    "DOP212",
    "download-left-behind",
    "Remove downloaded archives in the RUN that unpacks them",
    DOC,
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies():
        names = {c.basename for c in body.script.commands()}
        if names & {"curl", "wget"}:
            yield from _archive_findings(ctx, body)
        if "git" in names:
            yield from _clone_findings(ctx, body)
