"""DOP405 secret-in-arg-or-env."""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.keyvalues import key_values

SECRET = re.compile(r"(PASSWORD|PASSWD|PASS$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH$)", re.I)
_MAYBE = re.compile(r"PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH", re.I)
NOT_SECRET = re.compile(r"(_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_USER(NAME)?|_ID)$", re.I)

DOC = """
## What it does
Reports `ARG` and `ENV` names that look like secrets (`*_PASSWORD`,
`*_TOKEN`, `API_KEY`, `*_SECRET`…). It offers no fix.

## Why
Build arguments and environment variables are stored in the image's
history and configuration: anyone who can pull the image can read them.

## Example
```dockerfile
ARG NPM_TOKEN
RUN npm ci
```
Prefer a build secret:
```dockerfile
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
```

## Fix safety
No fix: secrets must be passed differently at build time
(`--secret id=…`), which changes how the image is built. Names ending in
`_FILE`, `_PATH`, `_URL`, `_USER`… (pointers, not secrets) are not reported.
"""


@rule("DOP405", "secret-in-arg-or-env", "Do not pass secrets through ARG or ENV", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword not in ("ARG", "ENV"):
            continue
        if not _MAYBE.search(ins.args):
            continue  # cheap pre-filter: most ENV/ARG lines name nothing secret-like
        for name, _value in key_values(ins):
            if SECRET.search(name) and not NOT_SECRET.search(name):
                yield ctx.report(
                    ins,
                    f"{ins.keyword} `{name}` looks like a secret; it stays in the image's "
                    "history: use a build secret (--mount=type=secret)",
                )
