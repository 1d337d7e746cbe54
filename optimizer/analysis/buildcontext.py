"""Where a file in the image came from in the build context (read, never executed).

Rules that look into the context (entry modules, entrypoint scripts, requirements files) follow the
stage's ``WORKDIR`` and ``COPY``/``ADD`` instructions back to the context folder. Only plain copies
are followed, and ``COPY --from=<earlier stage>`` back into that stage's copies: no images, no variables, no
globs, no URLs; a path outside the context is refused.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.parser import split_words, unquote_word

PATH_DIRS = ("/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/bin")


def workdir_at(stage: Stage, ins: Instruction | None = None) -> str:
    """The working directory in effect at ``ins`` (or at the end of the stage)."""
    workdir = "/"
    for i in stage.instructions:
        if ins is not None and i.index >= ins.index:
            break
        if i.keyword == "WORKDIR":
            workdir = posixpath.normpath(posixpath.join(workdir, i.args.strip()))
    return workdir


def copy_sources(ins: Instruction) -> list[str] | None:
    """The sources of a COPY/ADD (everything but the destination), unquoted; None if there are none."""
    if ins.json_args is not None:
        return list(ins.json_args[:-1])
    words = [unquote_word(w) for w, _s, _e in split_words(ins.args)]
    return words[:-1] if len(words) >= 2 else None


def _sources(ins: Instruction) -> tuple[list[str], str] | None:
    words = list(ins.json_args) if ins.json and ins.json_args else ins.args.split()
    if len(words) < 2 or any("$" in w or "*" in w or "?" in w or "://" in w for w in words):
        return None
    return words[:-1], words[-1]


def find_in_context(
    ctx: RuleContext, stage: Stage, in_image: str, before: Instruction | None = None, search_path: bool = False
) -> Path | None:
    """The context file that the stage copied to ``in_image`` (relative to the WORKDIR at ``before``),
    also through a ``COPY --from=<stage>`` of an earlier stage that copied it from the context.
    Memoised per document: each (stage, path) is looked up once, however many stages copy it along."""
    context = ctx.context_dir
    if context is None:
        return None
    cwd = workdir_at(stage, before)
    targets = [posixpath.normpath(posixpath.join(cwd, in_image))]
    if search_path and "/" not in in_image:
        targets += [posixpath.join(d, in_image) for d in PATH_DIRS]
    memo: dict[tuple[int, tuple[str, ...], int], Path | None] = ctx.doc.memo.setdefault("context_files", {})
    key = (stage.index, tuple(targets), before.index if before is not None else -1)
    if key not in memo:
        memo[key] = _find(ctx, stage, targets, before, context)
    return memo[key]


def _find(ctx: RuleContext, stage: Stage, targets: list[str], before: Instruction | None, context: Path) -> Path | None:
    root = context.resolve()
    for ins in reversed(stage.instructions):  # the last copy that provides the file wins
        if before is not None and ins.index >= before.index:
            continue
        if ins.keyword not in ("COPY", "ADD"):
            continue
        parsed = _sources(ins)
        if parsed is None:
            continue
        srcs, dest_word = parsed
        dest = posixpath.normpath(posixpath.join(workdir_at(stage, ins), dest_word))
        dest_is_dir = dest_word.endswith("/") or len(srcs) > 1
        if ins.flag("from"):
            through = _through_stage(ctx, stage, ins, srcs, dest, dest_is_dir, targets)
            if through is not None:
                return through
            continue
        for src in reversed(srcs):
            path = (context / src).resolve()
            if path != root and root not in path.parents:
                continue
            for target in targets:
                if path.is_dir():
                    if target.startswith(dest.rstrip("/") + "/"):
                        candidate = path / target[len(dest.rstrip("/")) + 1 :]
                        if candidate.is_file() and _inside(candidate, root):
                            return candidate
                elif path.is_file() and (
                    target == dest and not dest_is_dir or target == posixpath.join(dest, path.name)
                ):
                    return path
    return None


def _inside(path: Path, root: Path) -> bool:
    """A file met inside a copied folder may be a symlink out of the context: such a file is not read."""
    real = path.resolve()
    return real == root or root in real.parents


def _through_stage(
    ctx: RuleContext, stage: Stage, ins: Instruction, srcs: list[str], dest: str, dest_is_dir: bool, targets: list[str]
) -> Path | None:
    """The context file behind a ``COPY --from=<earlier stage>`` that provides one of ``targets``. A source
    may be a folder or a file (dopt cannot look into the other stage's filesystem): both readings are tried."""
    flag = ins.flag("from")
    name = (flag[0].value or "").lower() if flag else ""
    earlier = [s for s in ctx.doc.stages if s.index < stage.index]
    source_stage = next((s for s in earlier if (s.name or "").lower() == name or str(s.index) == name), None)
    if source_stage is None:
        return None  # an image, or a stage dopt cannot name
    for src in reversed(srcs):
        src = src.rstrip("/") or "/"
        for target in targets:
            readings = []
            if target.startswith(dest.rstrip("/") + "/"):  # the source is a folder
                readings.append(posixpath.join(src, target[len(dest.rstrip("/")) + 1 :]))
            if (target == dest and not dest_is_dir) or target == posixpath.join(dest, posixpath.basename(src)):
                readings.append(src)  # the source is a file
            for there in readings:
                found = find_in_context(ctx, source_stage, posixpath.join("/", there))  # --from paths: from its root
                if found is not None:
                    return found
    return None


def read_text(path: Path, limit: int = 1_000_000, within: Path | None = None) -> str | None:
    """A context file's text; None when absent, not a regular file, over ``limit`` bytes, or (with ``within``)
    a symlink to outside that folder (see core/fileio.py)."""
    from optimizer.core.fileio import read_text as read_bounded

    return read_bounded(str(path), limit, within=str(within) if within is not None else None)
