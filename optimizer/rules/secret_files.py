"""DOP409 secret-file-copied."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from optimizer.analysis.buildcontext import copy_sources
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

PATTERNS = (
    ".env",
    ".env.*",
    "*.env",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    "credentials",
    "credentials.json",
    "*.kdbx",
    ".aws/*",
    ".ssh/*",
    ".docker/config.json",
)
NOT_SECRET = ("*.env.example", ".env.example", ".env.sample", ".env.template", "*.pub")

DOC = """
## What it does
Reports `COPY`/`ADD` of files that usually hold secrets: `.env`, SSH private
keys (`id_rsa`, `id_ed25519`), `*.pem`/`*.key`, `.npmrc`, `.pypirc`,
`.netrc`, cloud credentials. It offers no fix.

## Why
Every file in a layer can be read by anyone who can pull the image, even if
a later instruction deletes it. Pass secrets at build time with
`RUN --mount=type=secret`, and at run time through the environment or a
mounted file.

## Example
```dockerfile
COPY .env /app/.env
```
Prefer `RUN --mount=type=secret,id=env …` during the build, or mount the
file when the container starts.

## Fix safety
No fix: how the program should receive the secret is an application change.
Examples and templates (`.env.example`, `*.pub`) are not reported.
"""


def _secretish(path: str) -> bool:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    tail = "/".join(path.rstrip("/").split("/")[-2:])
    if any(fnmatch.fnmatchcase(name, p) for p in NOT_SECRET):
        return False
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(tail, p) for p in PATTERNS)


@rule("DOP409", "secret-file-copied", "Do not copy secret files into the image", DOC, fix="none")
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for ins in ctx.doc.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.heredocs:
            continue
        found = [s for s in copy_sources(ins) or [] if _secretish(s)]
        if found:
            yield ctx.report(
                ins,
                f"{ins.keyword} {found[0]}: secrets in a layer stay readable; use a build secret",
            )
