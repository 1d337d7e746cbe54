"""DOP301 add-to-copy."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.buildcontext import copy_sources
from optimizer.analysis.stage_facts import before
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import expand_args, split_words, unquote_word

if TYPE_CHECKING:
    from pathlib import Path

ARCHIVE = re.compile(r"\.(tar|tgz|tbz2?|txz|tzst|tlz|taz|gz|bz2|xz|lz|lzma|zst|z)$", re.I)
NOT_ARCHIVE = re.compile(
    r"\.(py|pyc|sh|bash|txt|md|rst|json|ya?ml|toml|ini|cfg|conf|config|properties|xml|html?|css|js|mjs|ts|"
    r"jsx|tsx|vue|go|rs|c|h|cc|cpp|hpp|java|jar|war|ear|class|kt|rb|php|pl|lua|r|sql|csv|env|lock|mod|sum|"
    r"crt|pem|key|pub|png|jpe?g|gif|svg|ico|webp|zip|whl|so|dll|exe|bin|service|rules|list|repo|patch|"
    r"dockerignore|gitignore|template|tmpl|j2|tpl|ps1|bat|cmd|vim|lic|license|nginx|htaccess)$",
    re.I,
)
ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})
_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"\x5d\x00\x00")

DOC = """
## What it does
Replaces `ADD` with `COPY` when every source is a local file or folder that
`ADD` would copy as it is (no URL, no git repository, no archive).

## Why
`ADD` also downloads URLs and unpacks local tar archives. Using it for plain
files hides that magic from readers and invites surprises (a file that
happens to be a tar archive gets unpacked). `COPY` says exactly what happens.

## Example
```dockerfile
ADD requirements.txt /app/
```
becomes
```dockerfile
COPY requirements.txt /app/
```

## Fix safety
Safe when every source is provably not an archive: a folder, `.`, a name
with a known non-archive extension (`.py`, `.json`, `.zip`, `.jar`… `ADD`
does not unpack zip files), or a file in the build context whose first bytes
are not those of a tar, gzip, bzip2, xz or zstd archive. Otherwise — a
source without an extension that is not in the context — the fix is
unsafe: `ADD` would unpack it if it were a tar archive. Sources that are
URLs, git repositories or archives, and `ADD`-only flags (`--checksum`,
`--keep-git-dir`, `--unpack`), leave the instruction alone — also when the
archive is named by a glob (`*.tar.*`, or a glob that matches an archive in
the build context) or by a variable whose ARG/ENV default is an archive
(`ADD ${ARCHIVE} /opt/` after `ARG ARCHIVE=app.tar.gz`).
"""


def _dest(ins: Instruction) -> str | None:
    if ins.json_args is not None:
        return ins.json_args[-1] if ins.json_args else None
    words = split_words(ins.args)
    return unquote_word(words[-1][0]) if words else None


def _workdir(ins: Instruction) -> tuple[str, ...]:
    return ("WORKDIR",) if ins.keyword == "WORKDIR" else ()


def _has_workdir(ctx: RuleContext, ins: Instruction) -> bool:
    return before(ctx.doc, ins, "workdir", _workdir, "WORKDIR")


def _variables(ctx: RuleContext, ins: Instruction) -> dict[str, str | None]:
    """ARG and ENV values in effect at ``ins`` (global ARG defaults for re-declared names), as far as known."""
    values: dict[str, str | None] = {}
    global_args: dict[str, str] = {}
    for other in ctx.doc.instructions:
        if other.stage >= 0:
            break
        if other.keyword == "ARG":
            global_args.update(key_values(other))
    stage = ctx.doc.stage_of(ins)
    for other in stage.instructions if stage is not None else []:
        if other is ins:
            break
        if other.keyword in ("ARG", "ENV"):
            for name, value in key_values(other):
                bare = other.keyword == "ARG" and f"{name}=" not in other.args
                values[name] = global_args.get(name) if bare else value
    return values


def _build_args(ctx: RuleContext) -> set[str]:
    return {name for ins in ctx.doc.instructions if ins.keyword == "ARG" for name, _v in key_values(ins)}


_ARCHIVE_GLOB = re.compile(r"\.(tar|tgz|tbz2?|txz|tzst|tlz|taz|gz|bz2|xz|lz|lzma|zst)(\.|\*|\?|\[|$)", re.I)


def _could_be_archive_name(pattern: str) -> bool:
    """Does a glob name tar archives by its own letters (`*.tar.*`, `dist/*.tgz`)?"""
    return bool(_ARCHIVE_GLOB.search(pattern))


def _is_plain(ctx: RuleContext, src: str, variables: dict[str, str | None] | None = None) -> bool | None:
    """True: certainly not an archive; False: unknown; None: an archive or a remote source."""
    if "$" in src and variables is not None:
        expanded = expand_args(src, variables)
        if "$" not in expanded:
            verdict = _is_plain(ctx, expanded)  # `${ARCHIVE}` with an archive default stays ADD
            # a build argument can name another file at build time: plain by default is not proof
            names = set(re.findall(r"\$\{?(\w+)", src))
            return False if verdict and names & _build_args(ctx) else verdict
    low = src.lower()
    if "://" in low or low.startswith("git@") or low.endswith(".git") or ARCHIVE.search(low):
        return None
    if src.startswith("<<"):
        return True  # a heredoc
    if src in (".", "./") or src.endswith("/") or NOT_ARCHIVE.search(low):
        return True
    if "$" in src:
        return False
    globbed = any(c in src for c in "*?[")
    if globbed and _could_be_archive_name(src):
        return None  # `*.tar.*`: ADD unpacks what it matches
    root = ctx.context_dir
    if root is None:
        return False
    if globbed:
        return _glob_verdict(root, src)
    path = (root / src.lstrip("/")).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return False
    if path.is_dir():
        return True
    if path.is_file():
        return not _looks_like_archive(path)
    return False


def _glob_verdict(root: Path, pattern: str) -> bool | None:
    """What a glob matches in the build context: None if an archive, True if only plain files, False if nothing."""
    matches = [p for p in root.glob(pattern.lstrip("/")) if p.resolve().is_relative_to(root.resolve())]
    if not matches:
        return False
    if any(p.is_file() and (ARCHIVE.search(p.name.lower()) or _looks_like_archive(p)) for p in matches):
        return None
    return True


def _looks_like_archive(path: Path) -> bool:
    from optimizer.core.fileio import open_regular

    try:
        fd = open_regular(str(path))
        try:
            head = os.pread(fd, 512, 0)
        finally:
            os.close(fd)
    except OSError:
        return True
    return head.startswith(_MAGIC) or head[257:262] == b"ustar"


@rule("DOP301", "add-to-copy", "Use COPY instead of ADD for local files and folders", DOC, hadolint=("DL3020",))
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword != "ADD" or any(f.name in ADD_ONLY_FLAGS for f in ins.flags):
            continue
        srcs = copy_sources(ins)
        if not srcs:
            continue
        variables = _variables(ctx, ins) if any("$" in s for s in srcs) else None
        verdicts = [_is_plain(ctx, s, variables) for s in srcs]
        if any(v is None for v in verdicts):
            continue
        safe = all(verdicts)
        dest = _dest(ins)
        if dest is not None and not dest.startswith(("/", "$", "c:", "C:")) and not _has_workdir(ctx, ins):
            yield ctx.report(
                ins,
                "ADD of local files: use COPY (not fixed: the "
                "destination is relative and no WORKDIR is set; set WORKDIR first)",
            )
            continue
        edit = Edit(ins.start, ins.start + len(ins.keyword_raw), ctx.keyword_like(ins, "COPY"))
        message = "ADD of local files: use COPY, which does exactly that"
        yield ctx.report(
            ins,
            message,
            [edit],
            Applicability.SAFE if safe else Applicability.UNSAFE,
            "" if safe else "a source could be a tar archive, which ADD would unpack",
        )
