"""DOP210 gem-no-document."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.analysis.invocations import insert_after, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext

DOC = """
## What it does
Adds `--no-document` to `gem install` and `gem update`.

## Why
By default RubyGems generates ri and RDoc documentation for every gem:
slow to build and useless in an image.

## Example
```dockerfile
RUN gem install bundler
```
becomes
```dockerfile
RUN gem install --no-document bundler
```

## Fix safety
Safe: the gems are the same; only their generated documentation is not
written. Not reported when the file configures `no-document` (a `.gemrc`)
or uses the older `--no-rdoc`/`--no-ri`/`-N` flags.
"""


@rule("DOP210", "gem-no-document", "Install gems with --no-document", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    if "no-document" in ctx.doc.text:
        return
    for body in ctx.shell_bodies("gem"):
        ins, script = body.ins, body.script
        for inv in invocations(script, "gem"):
            word = inv.sub_word
            if word is None or inv.sub not in ("install", "update", "i"):
                continue
            if inv.has_option("--no-doc", "--no-rdoc", "--no-ri", "-N", "--document"):
                continue
            yield ctx.report(
                ins,
                f"`gem {inv.sub}` without `--no-document` builds documentation into the layer",
                [insert_after(body, word, "--no-document")],
            )
