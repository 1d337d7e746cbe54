"""DOP602 dev-packages-in-runtime."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from optimizer.analysis.invocations import Invocation, invocations
from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import Body, RuleContext, final_stage
from optimizer.syntax.model import Instruction, Stage

if TYPE_CHECKING:
    from pathlib import Path

    from optimizer.analysis.requirements import Requirement

DOC = """
## What it does
Finds test, lint and notebook tools (`pytest`, `black`, `flake8`, `ruff`,
`mypy`, `ipython`, `jupyter`, `notebook`, `pre-commit`, …, listed in
`optimizer/data/context.toml`) that the final stage installs with pip —
named on the command line or in a requirements file of the build context,
following `-r` includes and `-c` constraints. With libcst it reads the
application's Python files that the stage copies (tests and `conftest.py`
left aside) and keeps any tool the code imports (an app that really uses
IPython keeps it). The finding gives the installed size where dopt has
measured it.

The fix removes the tools from a `pip install` command line in the final
stage (or the whole `RUN` when it installs nothing else). When they come from
a requirements file, it splits the file into production and development
lists: their lines move to a new `requirements-dev.txt` that starts with
`-r requirements.txt`, or an `-r dev.txt` include whose file holds only
development tools is dropped (developers then install `dev.txt` as well).
The changed files are part of the diff and are written atomically; files
with continuations, hashes or deeper includes are only reported.

## Why
Development tools are dead weight at run time (Jupyter alone is well over
100 MB with its dependencies) and add attack surface.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask gunicorn pytest black
```
becomes
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask gunicorn
```

## Fix safety
Unsafe: the image may run the tools on purpose (a CI image that runs
`pytest` as its command, a notebook server). Nothing is removed when the
stage's `RUN`, `CMD` or `ENTRYPOINT` uses the tool, when the code imports
it, or when the stage is not the final one (a builder that runs the tests).
"""


def _dev_tools() -> dict[str, dict[str, Any]]:
    from optimizer.analysis.knowledge import context_data

    return {t["name"]: t for t in context_data().get("dev_tools", [])}


def _imports(ctx: RuleContext, stage: Stage) -> set[str] | None:
    """Top-level modules the copied application imports (None: no context to read)."""
    from pathlib import Path

    context = ctx.context_dir
    if context is None:
        return None
    roots: list[Path] = []
    for ins in stage.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from"):
            continue
        words = list(ins.json_args) if ins.json and ins.json_args else ins.args.split()
        for src in words[:-1]:
            if "$" in src or "://" in src:
                continue
            path = (context / src).resolve()
            if path.exists() and (path == context.resolve() or context.resolve() in path.parents):
                roots.append(path)
    found: set[str] = set()
    seen = 0
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for f in files:
            rel = f.relative_to(root) if root.is_dir() else Path(f.name)
            parts = set(rel.parts)
            if f.suffix != ".py" or parts & {"tests", "test", ".venv", "venv", "node_modules", "build", "dist"}:
                continue
            if f.name.startswith("test_") or f.name.endswith("_test.py") or f.name == "conftest.py":
                continue
            seen += 1
            if seen > 2000:
                return found
            found |= _module_imports(f, context)
    return found


def _module_imports(path: Path, context: Path) -> set[str]:
    from optimizer.analysis.buildcontext import read_text

    source = read_text(path, within=context)  # a symlink out of the context is not read
    if source is None:
        return set()
    if not re.search(r"^\s*(import|from)\s", source, re.M):
        return set()
    import libcst as cst

    try:
        tree = cst.parse_module(source)
    except Exception:  # libcst's parser errors: an unparsable file imports nothing we can prove
        return set()
    out: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                name = cst.helpers.get_full_name_for_node(alias.name) or ""
                out.add(name.split(".")[0])

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None and not node.relative:
                out.add((cst.helpers.get_full_name_for_node(node.module) or "").split(".")[0])

        def visit_Call(self, node: cst.Call) -> None:  # importlib.import_module("IPython")
            name = cst.helpers.get_full_name_for_node(node.func) or ""
            first = node.args[0].value if node.args else None
            if (name.endswith("import_module") or name == "__import__") and isinstance(first, cst.SimpleString):
                value = first.evaluated_value
                if isinstance(value, str):
                    out.add(value.split(".")[0])

    tree.visit(Visitor())
    return out


def _size(tool: dict[str, Any]) -> str:
    size = tool.get("installed_bytes")
    return f" (~{size / 1e6:.0f} MB installed)" if size else ""


def _used_by_commands(stage: Stage, tool: dict[str, Any]) -> bool:
    words = set(tool.get("commands", [tool["name"]]))
    for ins in stage.instructions:
        if ins.keyword in ("RUN", "CMD", "ENTRYPOINT"):
            text = ins.args
            if ins.keyword == "RUN" and re.search(r"\bpip3?\s+install\b|-m\s+pip\s+install", text):
                text = re.sub(r"\bpip3?\s+install\b[^&;|]*|-m\s+pip\s+install[^&;|]*", " ", text)
            if any(re.search(r"(^|[\s/\"'=])" + re.escape(w) + r"($|[\s\"',])", text) for w in words):
                return True
    return False


@rule("DOP602", "dev-packages-in-runtime", "Do not install test, lint or notebook tools in the final image", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if not doc.stages or ctx.windows or "pip" not in doc.text:
        return
    from optimizer.analysis.requirements import normalise
    from optimizer.analysis.stage_requirements import read_stage_requirements, requirement_files

    stage = final_stage(doc)
    tools = _dev_tools()
    if not tools:
        return
    imported: set[str] | None = None
    stage_ins = {i.index for i in stage.instructions}
    for body in ctx.shell_bodies():
        ins = body.ins
        if ins.index not in stage_ins:
            continue
        for inv in invocations(body.script, "pip", "uv-pip"):
            if inv.sub != "install":
                continue
            direct: list[tuple[Any, dict[str, Any]]] = []
            for w in inv.packages():
                name = normalise(re.split(r"[<>=!~\[;@ ]", w.value, maxsplit=1)[0]) if w.literal else ""
                if name in tools:
                    direct.append((w, tools[name]))
            listed: list[tuple[str, dict[str, Any]]] = []
            by_top: dict[Path, list[Requirement]] = {}
            for path in requirement_files(inv):
                if path.startswith("$"):
                    continue
                reqs = read_stage_requirements(ctx, stage, ins, path)
                if reqs is None:
                    continue
                for r in reqs.installs:
                    if r.name in tools:
                        rel = (
                            r.file.name
                            if ctx.context_dir is None
                            else str(r.file.relative_to(ctx.context_dir.resolve()))
                        )
                        listed.append((f"{rel}:{r.line}", tools[r.name]))
                        by_top.setdefault(reqs.files[0], []).append(r)
            if not direct and not listed:
                continue
            if imported is None:
                imported = _imports(ctx, stage) or set()
            keep = {t["name"] for _w, t in direct} | {t["name"] for _l, t in listed}
            keep = {
                n for n in keep if set(tools[n].get("modules", [n])) & imported or _used_by_commands(stage, tools[n])
            }
            direct = [(w, t) for w, t in direct if t["name"] not in keep]
            listed = [(loc, t) for loc, t in listed if t["name"] not in keep]
            listed_names = {t["name"] for _loc, t in listed}
            for top, found in by_top.items():
                found = [r for r in found if r.name in listed_names]
                if not found:
                    continue
                split = _split(ctx, top, found, set(tools))
                names = ", ".join(f"`{r.name}`{_size(tools[r.name])}" for r in found)
                where = ", ".join(f"{r.file.name}:{r.line}" for r in found)
                if split is None:
                    yield ctx.report(
                        ins,
                        f"Development tools installed in the final image from {where}: {names}; "
                        "move them to a development requirements file (not fixed: dopt "
                        "cannot split this file safely)",
                    )
                    continue
                files, how = split
                yield ctx.report(
                    ins,
                    f"Development tools installed in the final image from {where}: {names}",
                    None,
                    Applicability.UNSAFE,
                    how,
                    files=files,
                )
            if direct:
                names = ", ".join(f"`{t['name']}`{_size(t)}" for _w, t in direct)
                edits = _removal(ctx, body, inv, [w for w, _t in direct])
                message = f"Development tools installed in the final image: {names}"
                if edits is None:
                    yield ctx.report(
                        ins,
                        message + " (not fixed: dopt cannot remove them from this command safely)",
                    )
                else:
                    yield ctx.report(
                        ins,
                        message,
                        edits,
                        Applicability.UNSAFE,
                        "Remove them from the pip command",
                    )


def _split(ctx: RuleContext, top: Path, found: list[Requirement], tools: set[str]) -> tuple[dict[str, str], str] | None:
    """Edits of the context files that take the tools out of ``top``: its own lines move to a new
    requirements-dev.txt (which includes ``top``); an include of a file that holds only development
    tools is dropped. None when the file is not that simple (continuations, hashes, deeper includes)."""
    from optimizer.analysis.requirements import read

    text = ctx.context_file(top)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    remove: set[int] = set()
    moved: list[str] = []
    dropped: list[str] = []
    for r in found:
        if r.file == top:
            line = lines[r.line - 1] if r.line <= len(lines) else ""
            body = line.rstrip("\r\n")
            if body.endswith("\\") or "--hash" in body or r.name not in tools:
                return None
            remove.add(r.line - 1)
            moved.append(body.strip())
            continue
        include = None
        for i, line in enumerate(lines):
            m = re.match(r"^\s*(-r|--requirement)(?:\s+|=)(\S+)\s*$", line.rstrip("\r\n"))
            if m and (top.parent / m.group(2)).resolve() == r.file:
                include = i
        if include is None or ctx.context_dir is None:
            return None  # reached through a deeper include
        inner = read(r.file, ctx.context_dir, opener=ctx.context_file)
        if inner.problems or any(x.name not in tools for x in inner.installs):
            return None  # the included file also holds what the app needs
        remove.add(include)
        dropped.append(lines[include].strip())
    new_top = "".join(line for i, line in enumerate(lines) if i not in remove)
    files = {str(top): new_top}
    how = []
    if moved:
        dev = top.with_name("requirements-dev.txt")
        if dev == top or ctx.context_file(dev) is not None:
            return None  # the name is taken: leave the split to the user
        nl = "\r\n" if "\r\n" in text else "\n"
        files[str(dev)] = nl.join([f"-r {top.name}", *moved]) + nl
        how.append(f"move {', '.join(moved)} to {dev.name} (which includes {top.name})")
    if dropped:
        how.append(f"drop `{'`, `'.join(dropped)}` from {top.name}")
    return files, "; ".join(how).capitalize()


def _removal(ctx: RuleContext, body: Body, inv: Invocation, words: list[Any]) -> list[Edit] | None:
    """Edits that drop these words (with the blank before each) from the pip command; None if it would be empty."""
    from optimizer.analysis.invocations import word_end, word_start

    remaining = [w for w in inv.packages() if w not in words]
    if not remaining and not inv.has_option("-r", "--requirement", "-e", "--editable"):
        if _whole_run(body, inv):
            ins: Instruction = body.ins
            text = ctx.doc.text
            end = ins.end
            if text.startswith("\r\n", end):
                end += 2
            elif text.startswith("\n", end):
                end += 1
            start = text.rfind("\n", 0, ins.start) + 1
            return [Edit(start, end, "")]
        return None
    text = ctx.doc.text
    esc = ctx.doc.escape
    edits = []
    for w in words:
        start, end = word_start(body, w), word_end(body, w)
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" \t") == "" and line_start > 0:
            # the word has a line of its own: drop the line, with its continuation
            rest = re.match(r"[ \t]*" + re.escape(esc) + r"[ \t]*\r?\n", text[end:])
            if rest is not None:
                edits.append(Edit(line_start, end + rest.end(), ""))
                continue
            prev = re.search(r"[ \t]*" + re.escape(esc) + r"[ \t]*\r?\n$", text[:line_start])
            if prev is None:
                return None
            edits.append(Edit(prev.start(), end, ""))
            continue
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        if "\n" in text[start:end] or esc in text[start:end]:
            return None
        edits.append(Edit(start, end, ""))
    return edits


def _whole_run(body: Body, inv: Invocation) -> bool:
    cmds = body.script.commands()
    return body.heredoc is None and len(cmds) == 1 and cmds[0] is inv.command
