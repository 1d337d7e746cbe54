"""The builder/runtime split of a single-stage image (DOP502): one stage walk (``walk``), one command classifier
per language (``python``, ``go``, ``node``, ``artifact`` for Rust and Java), and the plan they all return
(``model``). Nothing here imports the rules; nothing here edits text.
"""

from __future__ import annotations

from optimizer.analysis.split.model import VENV, Item, Skip, SplitPlan
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Stage

__all__ = ["VENV", "Item", "Skip", "SplitPlan", "plan_split"]


def plan_split(ctx: RuleContext, stage: Stage) -> SplitPlan | Skip | None:
    """A plan, a reason not to split, or None when the stage has nothing a runtime stage would drop.

    A language planner that finds nothing of its own to split leaves the stage to the Python one."""
    from optimizer.analysis.knowledge import family_of

    fam = family_of(stage.image)
    planned: SplitPlan | Skip | None
    if fam is not None and fam.language == "go" and fam.package_manager == "apt":
        from optimizer.analysis.split.go import plan_go_split

        planned = plan_go_split(ctx, stage)
        if planned is not None:
            return planned
    if fam is not None and fam.language in ("rust", "java"):
        from optimizer.analysis.split.artifact import plan_artifact_split

        planned = plan_artifact_split(ctx, stage, fam.language)
        if planned is not None:
            return planned
    if fam is not None and fam.language == "node" and fam.package_manager == "apt":
        from optimizer.analysis.split.node import plan_node_split

        planned = plan_node_split(ctx, stage)
        if planned is not None:
            return planned
    from optimizer.analysis.split.python import plan_python_split

    return plan_python_split(ctx, stage)
