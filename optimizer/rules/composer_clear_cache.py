"""DOP211 composer-clear-cache."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import cache_mount_targets, cleanup_diagnostic, invocations
from optimizer.analysis.stage_facts import env_set_before
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

CHANGES = frozenset({"install", "require", "update", "create-project", "i", "u"})

DOC = """
## What it does
Adds `composer clear-cache` at the end of a `RUN` that installs PHP
packages with Composer and does not clear the cache.

## Why
Composer keeps downloaded package archives in `~/.composer/cache` (or
`~/.cache/composer`); in an image they only add weight.

## Example
```dockerfile
RUN composer install --no-dev
```
becomes
```dockerfile
RUN composer install --no-dev && composer clear-cache
```

## Fix safety
Safe: `vendor/` is untouched. Not offered when the `RUN` mounts a cache,
when the stage sets `COMPOSER_CACHE_DIR` or `COMPOSER_NO_CACHE`, or when the
`RUN` ends in a shell comment or a background job.
"""


@rule("DOP211", "composer-clear-cache", "Clear Composer's cache in the RUN that installs packages", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("composer"):
        ins, script = body.ins, body.script
        if cache_mount_targets(ins):
            continue
        invs = invocations(script, "composer")
        if not any(i.sub in CHANGES for i in invs) or any(
            i.sub in ("clear-cache", "clearcache", "cc") or i.has_option("--no-cache") for i in invs
        ):
            continue
        if env_set_before(ctx.doc, ins, "COMPOSER_CACHE_DIR", "COMPOSER_NO_CACHE"):
            continue
        yield cleanup_diagnostic(
            ctx,
            body,
            "composer clear-cache",
            "`composer` leaves its download cache in the layer: run `composer clear-cache` in the same RUN",
        )
