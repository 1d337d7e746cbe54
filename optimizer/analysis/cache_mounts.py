"""The cache-mounts mode (``cache-mounts = true`` / ``--cache-mounts``): the cache-cleaning rules (DOP201 apt,
DOP205 pip, DOP208 npm/yarn/pnpm) keep a package manager's cache in a BuildKit cache mount
(``RUN --mount=type=cache,target=…``) instead of deleting it, so that the next build downloads nothing again.
The folders per manager are data (data/buildcache.toml, ``[[cache]]``). BuildKit needs the Dockerfile frontend
that knows ``--mount``: ``# syntax=docker/dockerfile:1`` is added at the top when the file names no syntax."""

from __future__ import annotations

from optimizer.analysis.invocations import cache_mount_targets
from optimizer.core.fix import Edit
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction

SYNTAX = "# syntax=docker/dockerfile:1"


def enabled(ctx: RuleContext) -> bool:
    return bool(ctx.options.get("cache_mounts"))


def as_root(ctx: RuleContext, ins: Instruction) -> bool:
    """Does ``ins`` run as root? (The caches' folders in the data are root's: /root/.cache/pip, /root/.npm.)"""
    stage = ctx.doc.stage_of(ins)
    if stage is None:
        return False
    user = ""
    for i in stage.instructions:
        if i.index >= ins.index:
            break
        if i.keyword == "USER":
            user = i.args.strip()
    if stage.index > 0 and any(s.name and s.name.lower() == stage.base.lower() for s in ctx.doc.stages):
        return False  # built FROM an earlier stage, whose USER dopt does not carry over here
    return user.split(":")[0] in ("", "root", "0")


def alone(edits: list[Edit]) -> bool:
    """Does this fix add a setup RUN (apt's)? Then it is applied alone in its round: two RUNs of a stage fixed
    together would each add one."""
    return any(e.start == e.end and e.content.lstrip().upper().startswith("RUN ") for e in edits)


def mount_edits(ctx: RuleContext, ins: Instruction, manager: str) -> list[Edit] | None:
    """Edits that mount ``manager``'s cache folders on this RUN (and what BuildKit needs for it), or None
    when the mode is off or the RUN cannot take them (not run as root, a RUN dopt cannot extend)."""
    from optimizer.analysis.buildcache import caches

    cache = caches().get(manager)
    if not enabled(ctx) or cache is None or ins.keyword != "RUN" or not as_root(ctx, ins):
        return None
    present = {t.rstrip("/") for t in cache_mount_targets(ins)}
    sharing = f",sharing={cache.sharing}" if cache.sharing else ""
    flags = "".join(f"--mount=type=cache,target={t}{sharing} " for t in cache.targets if t.rstrip("/") not in present)
    if not flags:
        return None
    after_keyword = ins.start + len(ins.keyword_raw)
    text = ctx.doc.text
    if after_keyword >= len(text) or text[after_keyword] not in " \t":
        return None
    edits = [Edit.insert(after_keyword + 1, flags)]
    if cache.setup and not _set_up_before(ctx, ins, cache.setup):
        indent = text[text.rfind("\n", 0, ins.start) + 1 : ins.start]
        if indent.strip():
            return None
        run = ctx.keyword_like(ins, "RUN")
        edits.append(Edit.insert(ins.start, f"{run} {cache.setup}{ctx.doc.newline}{indent}"))
    syntax = syntax_edit(ctx)
    if syntax is not None:
        edits.append(syntax)
    return edits


def _set_up_before(ctx: RuleContext, ins: Instruction, setup: str) -> bool:
    """Has the stage (or one it is built FROM) already removed apt's docker-clean hook before ``ins``?"""
    marker = setup.split(";", 1)[0].split()[-1]  # /etc/apt/apt.conf.d/docker-clean
    stage = ctx.doc.stage_of(ins)
    if stage is None:
        return False
    names = {stage.base.lower()}
    earlier = [s for s in ctx.doc.stages if s.index < stage.index and s.name and s.name.lower() in names]
    scope = [i for s in earlier for i in s.instructions] + [i for i in stage.instructions if i.index < ins.index]
    return any(i.keyword == "RUN" and marker in i.logical for i in scope)


def syntax_edit(ctx: RuleContext) -> Edit | None:
    """``# syntax=docker/dockerfile:1`` as the first parser directive, when the file names no frontend."""
    doc = ctx.doc
    if any(d.name.lower() == "syntax" for d in doc.directives):
        return None
    start = 1 if doc.has_bom else 0
    return Edit.insert(start, SYNTAX + doc.newline)


def merge_edits(edits: list[Edit]) -> list[Edit]:
    """Several managers' mounts on one RUN: one insertion per offset (and one syntax line)."""
    out: dict[int, Edit] = {}
    for e in edits:
        seen = out.get(e.start)
        if seen is None:
            out[e.start] = e
        elif e.content not in seen.content:
            out[e.start] = Edit.insert(e.start, seen.content + e.content)
    return list(out.values())
