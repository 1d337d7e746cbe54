"""Facts about the final stage shared by the non-root-user and healthcheck rules."""

from __future__ import annotations

from optimizer.analysis.knowledge import Family
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Instruction, Stage


def ancestry(stages: list[Stage], stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM (nearest first).

    The same chain as ``stage_facts.StageFacts.chain``, which also carries what the chain sets (ENV, ARG,
    EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK, CMD/ENTRYPOINT): rules read those facts there.
    """
    chain = [stage]
    by_name = {s.name.lower(): s for s in stages if s.name}
    seen = {stage.index}
    while True:
        parent = by_name.get((chain[-1].image or chain[-1].base).lower())
        if parent is None or parent.index in seen or parent.index >= chain[-1].index:
            return chain
        seen.add(parent.index)
        chain.append(parent)


def base_family(stages: list[Stage], stage: Stage) -> tuple[str, Family | None]:
    """The external image a stage is ultimately built on (global ARGs resolved), and its family."""
    from optimizer.analysis.knowledge import family_of

    root = ancestry(stages, stage)[-1]
    image = root.image or root.base
    return image, family_of(image)


def apt_installed(ctx: RuleContext, stages_chain: list[Stage]) -> set[str]:
    """Packages the chain installs with apt/apk/dnf (names only; ``$PKGS`` read from its ARG/ENV)."""
    from optimizer.analysis.invocations import invocations
    from optimizer.analysis.package_vars import package_names

    out: set[str] = set()
    for st in stages_chain:
        for ins in st.instructions:
            for body in ctx.bodies(ins):
                for inv in invocations(body.script, "apt-get", "apt", "apk", "dnf", "yum", "microdnf"):
                    if inv.sub in ("install", "add"):
                        out |= {n.split("=")[0].lower() for n in package_names(ctx, ins, inv).names}
    return out


def insertion_point(text: str, ins: Instruction | int) -> int:
    """Start of the line of ``ins`` (or of an offset), moved up over the comment lines directly above it."""
    at = ins if isinstance(ins, int) else ins.start
    start = text.rfind("\n", 0, at) + 1
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not text[prev:start].lstrip().startswith("#"):
            break
        start = prev
    return start
