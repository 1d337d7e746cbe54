"""What an npm/yarn/pnpm install in a stage installs, read from the build context: the package.json it installs
from (through the COPY that put it in the image, also `COPY package*.json ./`) and, for npm, its
package-lock.json / npm-shrinkwrap.json, which records every package of the tree and whether it runs an install
script (`hasInstallScript`, lockfile v2/v3). Used by DOP603 to tell an install that may compile native addons
(node-gyp needs python3, make and g++, which the -slim image lacks) from one that only unpacks JavaScript.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
from pathlib import Path

from optimizer.analysis.buildcontext import copy_sources, find_in_context, workdir_at
from optimizer.analysis.invocations import Invocation
from optimizer.core.rule_context import RuleContext
from optimizer.records import field, record
from optimizer.syntax.model import Instruction, Stage

LOCKS = ("npm-shrinkwrap.json", "package-lock.json")


@record
class NodeInstall:
    """What dopt could read of one install."""

    manifest: bool = False  # the package.json was read
    lock: str | None = None  # the lockfile read (npm only), by name
    lock_scripts: bool = False  # the lockfile records install scripts (v2/v3)
    # (name, runs an install script) of every package the install puts in node_modules, as far as read
    packages: list[tuple[str, bool]] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # packages named on the command line
    # the project's own lifecycle scripts that an install runs (preinstall, install, postinstall, prepare)
    scripts: dict[str, str] = field(default_factory=dict)


def _context_file(ctx: RuleContext, stage: Stage, name: str, before: Instruction) -> Path | None:
    """The context file the stage copied to ``name`` in the WORKDIR at ``before``, also through a glob
    (`COPY package*.json ./`), which the general context lookup does not follow."""
    found = find_in_context(ctx, stage, name, before=before)
    if found is not None:
        return found
    root = ctx.context_dir
    if root is None:
        return None
    folder = workdir_at(stage, before)
    for ins in reversed([i for i in stage.instructions if i.index < before.index]):
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from"):
            continue
        words = list(ins.json_args or []) if ins.json else ins.args.split()
        if not words or "$" in words[-1]:
            return None
        dest = posixpath.normpath(posixpath.join(workdir_at(stage, ins), words[-1]))
        if dest != folder:
            continue
        for source in copy_sources(ins) or []:
            head, pattern = posixpath.split(source)
            if "$" in source or any(c in head for c in "*?[") or not fnmatch.fnmatchcase(name, pattern):
                continue
            candidate = (root / head / name).resolve()
            try:
                candidate.relative_to(root.resolve())
            except ValueError:
                return None
            return candidate if candidate.is_file() else None
    return None


def _json(ctx: RuleContext, path: Path | None) -> dict[str, object] | None:
    text = ctx.context_file(path) if path is not None else None
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _names(table: object) -> list[str]:
    return [str(k) for k in table] if isinstance(table, dict) else []


def read_install(ctx: RuleContext, stage: Stage, ins: Instruction, inv: Invocation) -> NodeInstall:
    """What the install ``inv`` (in the RUN ``ins``) installs, as far as the build context shows it."""
    out = NodeInstall()
    out.named = [w.value for w in inv.packages() if w.literal and not w.value.startswith("-")]
    omit_dev = inv.has_option("--production", "--prod") or any(
        w.value in ("--omit=dev", "--only=prod", "--only=production") for w in inv.words
    )
    manifest = _json(ctx, _context_file(ctx, stage, "package.json", ins))
    if manifest is not None:
        out.manifest = True
        keys = ["dependencies", "optionalDependencies"] + ([] if omit_dev else ["devDependencies"])
        for key in keys:
            out.packages += [(n, False) for n in _names(manifest.get(key))]
        scripts = manifest.get("scripts")
        if isinstance(scripts, dict) and not out.named:  # `npm install PKG` does not run the project's scripts
            for key in ("preinstall", "install", "postinstall", "prepare"):
                if isinstance(scripts.get(key), str):
                    out.scripts[key] = scripts[key]
        if not out.named and "install" not in out.scripts and _context_file(ctx, stage, "binding.gyp", ins):
            out.scripts["binding.gyp"] = "node-gyp rebuild"  # npm's default install script beside a binding.gyp
    if inv.tool != "npm":
        return out
    for name in LOCKS:
        lock = _json(ctx, _context_file(ctx, stage, name, ins))
        if lock is None:
            continue
        out.lock = name
        packages = lock.get("packages")
        if isinstance(packages, dict):  # lockfile v2/v3: every package of the tree, with hasInstallScript
            out.lock_scripts = True
            for key, entry in packages.items():
                if not key or not isinstance(entry, dict) or (omit_dev and entry.get("dev")):
                    continue
                systems = entry.get("os")
                if (
                    isinstance(systems, list)
                    and systems
                    and all(isinstance(s, str) and not s.startswith("!") and s != "linux" for s in systems)
                ):
                    continue  # never installed on Linux (fsevents)
                out.packages.append((key.rsplit("node_modules/", 1)[-1], bool(entry.get("hasInstallScript"))))
        else:  # lockfile v1: nested dependencies, names only
            stack = [lock.get("dependencies")]
            while stack:
                table = stack.pop()
                if not isinstance(table, dict):
                    continue
                for dep, entry in table.items():
                    if isinstance(entry, dict) and not (omit_dev and entry.get("dev")):
                        out.packages.append((str(dep), False))
                        stack.append(entry.get("dependencies"))
        break
    return out
