"""DOP601 dockerignore."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from optimizer.core.fix import Applicability, Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Document, Instruction

if TYPE_CHECKING:
    from pathlib import Path

DOC = """
## What it does
When a Dockerfile copies the whole build context (`COPY . .`, `ADD . /app`),
walks the context — honouring the existing `.dockerignore` (or
`<Dockerfile>.dockerignore`) with Docker's pattern rules, `!` exceptions
included — and reports what would be copied that an image rarely needs, with
the bytes each adds: `.git`, `__pycache__`, `*.pyc`, `.venv`/`venv`,
`node_modules`, test and type-checker caches, `build`/`dist`, `*.egg-info`,
`*.log`, notebook checkpoints, `tests`, editor folders, and secret-looking
files (`.env`, `*.pem`, `id_rsa`, `*.key`). The fix creates the
`.dockerignore`, or appends to it, with only the entries that exist in the
context and that no instruction of the Dockerfile uses.

## Why
Everything in the context that a `COPY .` picks up ends up in a layer: the
whole Git history, a local virtual environment built for another OS, or a
`.env` with production passwords. A `.dockerignore` also makes every build
send less to the builder.

## Example
A context with `.git` (48 MB), `node_modules` and `.env`, and
```dockerfile
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
```
gets a `.dockerignore` with
```text
# added by dopt (DOP601): paths the image does not need
.git
**/node_modules
.env
```

## Fix safety
Unsafe: a build step may read an ignored path without naming it
(setuptools-scm reads `.git` to find the version). Paths that a `COPY`,
`ADD`, `RUN`, `CMD` or `ENTRYPOINT` names are never ignored (`COPY tests/`
keeps `tests`; `RUN pytest tests` too), nor is a pattern written that would
ignore a file a `COPY`/`ADD` of any stage copies by name (or within a folder
it names), or a file that the context's code or configuration names by a
literal path (`open("certs/server.key")`, `ssl_keyfile="/app/keys/tls.pem"`,
`tls_key: keys/tls.pem` in .py, .js, .ts, .go, .rb, .java, .yaml, .toml,
.json, .ini, .conf, .env… files; dependency and cache folders skipped, at most
2,000 files and 8 MB read, and only when a pattern would ignore something).
The `.dockerignore` then says what was left out and why
(`# not excluded (**/*.key): certs/server.key (named in app.py:12)`). The `.dockerignore` is a second file
in the diff and is written atomically; the existing text is kept byte for
byte. Without a build context (stdin) nothing is reported. The walk stops
after 200,000 files or two seconds (editors run dopt on every save); the sizes
are then lower bounds. When every path a pattern would leave out is needed,
or the `.dockerignore` is there but cannot be read (a folder, a broken
link), the finding says so and has no fix.
"""

HEADER = "# added by dopt (DOP601): paths the image does not need"


def _candidates() -> list[dict[str, Any]]:
    from optimizer.analysis.knowledge import context_data

    return list(context_data()["ignore"])


def _copies_everything(ins: Instruction) -> bool:
    if ins.keyword not in ("COPY", "ADD") or ins.flag("from"):
        return False
    words = list(ins.json_args) if ins.json and ins.json_args else ins.args.split()
    return any(w in (".", "./", "*", "./*") for w in words[:-1])


def _mentions(texts: list[str], name: str) -> bool:
    pattern = re.compile(r"(^|[\s/'\"=:\[,])" + re.escape(name) + r"($|[\s/'\"\],*])")
    if name.startswith("."):  # an extension or dot-file: also inside a word (app.log, x.pem)
        pattern = re.compile(re.escape(name) + r"\w*($|[\s/'\"\],])")
    return any(pattern.search(t) for t in texts)


_MATCHED: dict[int, tuple[list[Any], dict[str, dict[str, int]]]] = {}


def _matching(entries: list[Any], regex: re.Pattern[str]) -> dict[str, int]:
    """The walked files that a pattern (or a parent folder of theirs) matches, with their sizes.

    Remembered per walk (walks are cached and shared by the Dockerfiles of one context).
    """
    slot = _MATCHED.get(id(entries))
    if slot is None or slot[0] is not entries:
        if len(_MATCHED) > 8:
            _MATCHED.clear()
        slot = _MATCHED[id(entries)] = (entries, {})
    found = slot[1].get(regex.pattern)
    if found is None:
        found = slot[1][regex.pattern] = _match(entries, regex)
    return found


def _match(entries: list[Any], regex: re.Pattern[str]) -> dict[str, int]:
    out = {}
    for e in entries:
        parts = e.path.split("/")
        if any(regex.match("/".join(parts[:k])) for k in range(1, len(parts) + 1)):
            out[e.path] = e.size
    return out


def _human(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def _copied(doc: Document, paths: set[str], dockerignore: Any) -> dict[str, str]:
    """The ``paths`` that a COPY/ADD of any stage names as a source (the path, a folder above it, or a glob),
    with the instruction that copies them ("copied by COPY line 5")."""
    from optimizer.analysis.buildcontext import copy_sources

    literal: dict[str, str] = {}
    globs: list[tuple[re.Pattern[str], str]] = []
    for ins in doc.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") or _copies_everything(ins):
            continue
        how = f"copied by {ins.keyword} line {doc.line_of(ins.start)}"
        for src in copy_sources(ins) or []:
            if "://" in src or src.startswith("<<"):
                continue
            patterns = dockerignore.parse(src)
            if not patterns or patterns[0].text in (".", ".."):
                continue
            if any(ch in patterns[0].text for ch in "*?[$"):
                globs.append((patterns[0].regex, how))
            else:
                literal.setdefault(patterns[0].text, how)
    out: dict[str, str] = {}
    if not literal and not globs:
        return out
    for path in paths:
        parts = path.split("/")
        prefixes = ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]
        by = next((literal[p] for p in prefixes if p in literal), None)
        if by is None:
            by = next((h for rx, h in globs if any(rx.match(p) for p in prefixes)), None)
        if by is not None:
            out[path] = by
    return out


def _named_in_code(context: Path, entries: list[Any], paths: set[str]) -> dict[str, tuple[str, str | None]]:
    """The ``paths`` that the context's code or configuration names by a literal path: ("named in app.py:12",
    the file that names it)."""
    if not paths:
        return {}
    from optimizer.analysis.context_refs import references

    found = references(context, (e.path for e in entries), paths)
    return {p: (f"named in {r.where}", r.source) for p, r in found.items()}


@rule("DOP601", "dockerignore", "Keep heavy and secret paths out of the build context with .dockerignore", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    whole = next((ins for ins in doc.instructions if _copies_everything(ins)), None)
    if whole is None:
        return
    context = ctx.context_dir
    if context is None or not context.is_dir():
        return
    from pathlib import Path

    from optimizer.analysis import ignorefile as dockerignore

    own = Path(doc.path).resolve().with_name(Path(doc.path).name + ".dockerignore")
    target = own if ctx.context_file(own) is not None else context / ".dockerignore"
    existing = ctx.context_file(target)
    if existing is None and (target.exists() or target.is_symlink()):  # never overwrite what dopt could not read
        yield ctx.report(
            whole,
            f"`{whole.keyword_raw} .` sends the whole build context; not changed: line {whole.line_start}: "
            f"{target.name} is there but dopt cannot read it (a folder, a broken link or unreadable)",
        )
        return
    matcher = dockerignore.Matcher(dockerignore.parse(existing or ""))
    entries = dockerignore.walk(context, matcher)
    used = [
        i.args
        for i in doc.instructions
        if i.keyword in ("COPY", "ADD", "RUN", "CMD", "ENTRYPOINT") and not _copies_everything(i)
    ] + [" ".join(i.args.split()[:-1]) for i in doc.instructions if _copies_everything(i)]
    add: list[str] = []
    found: list[str] = []
    kept: list[str] = []
    total = 0
    covered: set[str] = set()
    chosen = []
    for cand in _candidates():
        regex = dockerignore.parse(cand["pattern"])[0].regex
        matched = _matching(entries, regex)
        if not matched:
            continue
        if _mentions(used, cand["name"]):
            kept.append(cand["pattern"])
            continue
        chosen.append((cand, matched))
    # what a pattern would ignore that the build or the application needs (read only when there is such a file)
    at_risk = {p for _c, matched in chosen for p in matched}
    needed: dict[str, tuple[str, str | None]] = {p: (h, None) for p, h in _copied(doc, at_risk, dockerignore).items()}
    needed.update(_named_in_code(context, entries, at_risk - set(needed)))
    spared: list[str] = []
    for cand, matched in chosen:
        fresh = {p: n for p, n in matched.items() if p not in covered}
        if not fresh:
            continue  # every file it matches is ignored by an entry added already
        # a file named only by files the same pattern leaves out (tests naming tests) is not needed
        hits = [p for p in matched if p in needed and needed[p][1] not in matched]
        if hits:
            more = f" and {len(hits) - 1} more" if len(hits) > 1 else ""
            spared.append(f"# not excluded ({cand['pattern']}): {hits[0]} ({needed[hits[0]][0]}){more}")
            continue
        add.append(cand["pattern"])
        covered.update(matched)
        size = sum(fresh.values())
        total += size
        secret = " (secret)" if cand.get("secret") else ""
        found.append(f"{cand['pattern']} {_human(size)}{secret}")
    if not add:
        if spared:  # every path a pattern would leave out is needed: say so rather than go quiet
            yield ctx.report(
                whole,
                f"`{whole.keyword_raw} .` sends paths an image rarely needs; not changed: line {whole.line_start}: "
                + "; ".join(line.removeprefix("# ") for line in spared),
            )
        return
    nl = "\r\n" if existing and "\r\n" in existing else "\n"
    text = existing or ""
    if text and not text.endswith(("\n", "\r")):
        text += nl
    text += nl.join([HEADER, *add, *spared]) + nl
    name = target.name
    message = f"`{whole.keyword_raw} .` sends {_human(total)} the image does not need; add to {name}: " + ", ".join(
        found
    )
    if kept:
        message += f" (kept, the Dockerfile uses them: {', '.join(kept)})"
    if spared:
        message += "; " + "; ".join(line.removeprefix("# ") for line in spared)
    yield ctx.report(
        whole,
        message,
        None,
        Applicability.UNSAFE,
        f"{'Extend' if existing is not None else 'Create'} {name}",
        files={str(target): text},
    )
