"""Which image a stage runs on: one answer for every rule that asks.

A stage's image is its ``FROM`` reference with the global ARGs' defaults substituted
(``Stage.image``, computed by the parser as BuildKit does), followed through ``FROM <stage>`` chains
to the external image, with Docker Hub mirrors (``mirror.gcr.io/library/…``,
``public.ecr.aws/docker/library/…``) mapped to the image they serve (analysis/knowledge.parse_ref).

Windows: a stage is Windows when its image is (data/images.toml: Windows tags such as
``windowsservercore``, ``nanoserver``, ``ltsc2022``; ``mcr.microsoft.com/windows…``; .NET
Framework images). A file whose escape character is a backtick is Windows too unless every stage
runs on an image dopt knows as Linux — a backtick-escape file on ``debian`` is not Windows; on an
image dopt cannot place it fails closed.
"""

from __future__ import annotations

from optimizer.analysis.knowledge import Family, family_of
from optimizer.core import rule_context
from optimizer.syntax.model import Document, Stage


def root_stage(doc: Document, stage: Stage) -> Stage:
    """The stage at the start of ``stage``'s FROM chain (the one built on an external image)."""
    by_name = {s.name.lower(): s for s in doc.stages if s.name}
    seen = {stage.index}
    while True:
        parent = by_name.get((stage.image or stage.base).lower())
        if parent is None or parent.index in seen or parent.index >= stage.index:
            return stage
        seen.add(parent.index)
        stage = parent


def stage_image(doc: Document, stage: Stage) -> str:
    """The external image reference the stage is built on, ARGs resolved (``$`` left where unknown)."""
    root = root_stage(doc, stage)
    return root.image or root.base


def stage_family(doc: Document, stage: Stage) -> Family | None:
    return family_of(stage_image(doc, stage))


def windows_stages(doc: Document) -> frozenset[int]:
    """Indices of the stages that run Windows (memoized per document)."""
    found: frozenset[int] | None = doc.memo.get("windows_stages")
    if found is not None:
        return found
    families = [stage_family(doc, s) for s in doc.stages]
    out = {s.index for s, f in zip(doc.stages, families, strict=True) if f is not None and f.os == "windows"}
    if doc.escape == "`" and not out and any(f is None for f in families):
        out = {s.index for s in doc.stages}  # a backtick escape on images dopt cannot place: fail closed
    found = doc.memo["windows_stages"] = frozenset(out)
    return found


rule_context.use_windows_stages(windows_stages)
