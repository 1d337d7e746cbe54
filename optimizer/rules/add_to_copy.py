"""DOP301 add-to-copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from optimizer.analysis.buildcontext import copy_sources
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import split_words, unquote_word

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
`--keep-git-dir`, `--unpack`), leave the instruction alone.
"""


def _dest(ins: Instruction) -> str | None:
    if ins.json_args is not None:
        return ins.json_args[-1] if ins.json_args else None
    words = split_words(ins.args)
    return unquote_word(words[-1][0]) if words else None


def _has_workdir(ctx: RuleContext, ins: Instruction) -> bool:
    stage = ctx.doc.stage_of(ins)
    seen: set[int] = set()
    upto: Instruction | None = ins
    while stage is not None and stage.index not in seen:
        seen.add(stage.index)
        for other in stage.instructions:
            if other is upto:
                break
            if other.keyword == "WORKDIR":
                return True
        stage = next((s for s in ctx.doc.stages if s.name and s.name.lower() == stage.base.lower()), None)
        upto = None
    return False


def _is_plain(ctx: RuleContext, src: str) -> bool | None:
    """True: certainly not an archive; False: unknown; None: an archive or a remote source."""
    low = src.lower()
    if "://" in low or low.startswith("git@") or low.endswith(".git") or ARCHIVE.search(low):
        return None
    if src.startswith("<<"):
        return True  # a heredoc
    if src in (".", "./") or src.endswith("/") or NOT_ARCHIVE.search(low):
        return True
    if any(c in src for c in "*?[$"):
        return False
    root = ctx.context_dir
    if root is None:
        return False
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


def _looks_like_archive(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
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
        verdicts = [_is_plain(ctx, s) for s in srcs]
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
