"""A deliberately harmful rule for verify's tests: it switches the final stage to `nobody` before CMD.

Registered only inside tests (``registered()``), never shipped: it drives run-time parity failures
without depending on what any real rule does. An app that writes under HOME or into a root-owned
folder breaks under it, as it would under a careless non-root-user fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from optimizer.core import registry
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.rule_context import RuleContext

CODE = "DOP999"
DOC = """
## What it does
Test only: runs the final stage as `nobody` (65534), without giving it anywhere to write.

## Why
To prove that `dopt verify` catches a fix that breaks the app at run time.

## Example
`CMD ["python", "app.py"]` gets `USER 65534:65534` before it.

## Fix safety
Unsafe, on purpose.
"""


def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    if not ctx.doc.stages:
        return
    final = ctx.doc.stages[-1].instructions
    if any(i.keyword == "USER" for i in final):
        return
    for ins in final:
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            edit = Edit(ins.start, ins.start, "USER 65534:65534\n")
            yield ctx.report(ins, "test: run as nobody", [edit], Applicability.UNSAFE, "switch to nobody")
            return


@contextmanager
def registered() -> Iterator[str]:
    registry.all_rules()  # load the real rules first
    registry.rule(CODE, "test-run-as-nobody", "Test only: run the final stage as nobody", DOC)(check)
    try:
        yield CODE
    finally:
        registry._RULES.pop(CODE, None)
