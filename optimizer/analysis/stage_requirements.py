"""Requirements files a stage's pip installs name, read from the build context (shared by DOP501/602/603)."""

from __future__ import annotations

from optimizer.analysis.buildcontext import find_in_context
from optimizer.analysis.invocations import Invocation
from optimizer.analysis.requirements import Requirements, read
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage


def requirement_files(inv: Invocation) -> list[str]:
    """The files a pip invocation names with -r/-c (`$` for a name dopt cannot read)."""
    out = []
    words = inv.words
    for i, w in enumerate(words):
        for flag in ("-r", "--requirement", "-c", "--constraint"):
            if w.value == flag and i + 1 < len(words):
                out.append(words[i + 1].value if words[i + 1].literal else "$")
            elif w.value.startswith(flag + "=") or (
                flag == "-r" and w.value.startswith("-r") and len(w.value) > 2 and not w.value.startswith("-r=")
            ):
                out.append(w.value.split("=", 1)[1] if "=" in w.value else w.value[2:])
    return out


def read_stage_requirements(ctx: RuleContext, stage: Stage, ins: Instruction, path: str) -> Requirements | None:
    """The requirements file ``path`` as the stage copied it from the build context, or None."""
    if "$" in path or ctx.context_dir is None:
        return None
    found = find_in_context(ctx, stage, path, before=ins)
    if found is None:
        return None
    reqs = read(found, ctx.context_dir, opener=ctx.context_file)
    return None if reqs.problems else reqs
