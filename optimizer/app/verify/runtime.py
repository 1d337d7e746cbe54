"""Run-time parity: run the original and the rewrite with their own default command and compare.

For each image verify starts the default command (ENTRYPOINT + CMD) for a few seconds, then stops it:
still running, or the exit code, and the last lines of output. After the original's run, the files
and directories its process created, changed or removed (the container's filesystem diff) are its
*write set*. In the rewrite, a small sh script checks as the image's user that each of those paths
(or, when it does not exist, its nearest existing parent) is writable — paths under the original's
HOME are looked up under the rewrite's HOME, and folders named after the original's user
(`/tmp/hsperfdata_root`, the JVM's) under the rewrite's user's name — that HOME exists and is
writable, and that every PATH entry that exists is searchable.

A rewrite breaks parity when the original keeps running and the rewrite exits (or both exit with
different codes), when the original wrote a path the rewrite's user cannot write, or when the
rewrite reports permission errors the original did not. A missing HOME or an unsearchable PATH entry
is a warning: the app may never use it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from optimizer.app.verify.builders import AppRun

TAIL_LINES = 8
WRITE_SET_LIMIT = 200  # paths checked in the rewrite (the write set is collapsed first)

# What an app may write without it mattering to parity: byte-code caches (Python skips them silently
# when it cannot write), and the runtime's own files.
_IGNORED = re.compile(r"(^|/)__pycache__(/|$)|\.py[co]$")
_PERMISSION = re.compile(
    r"permission denied|permissionerror|eacces|operation not permitted|read-only file system", re.I
)
_NUMBERS = re.compile(r"0x[0-9a-f]+|\d+", re.I)
# Folders a runtime names after the user it runs as (prefix + user name): checked under the rewrite's user.
_USER_NAMED = ("hsperfdata_",)


@dataclass
class RuntimeReport:
    status: str = ""  # "running" (still up when the time was up) | "exited" | "failed" (could not start)
    exit_code: int | None = None
    seconds: float = 0.0
    output_tail: str = ""
    write_set: list[str] = field(default_factory=list)  # what the process wrote (collapsed), original only
    home: str = ""
    user_name: str = ""  # `id -un` in the image ("" when sh or id is missing)
    home_state: str = ""  # "ok" | "missing" | "unwritable" | "" (not checked: no sh in the image)
    path_unsearchable: list[str] = field(default_factory=list)
    unwritable: list[str] = field(default_factory=list)  # write-set paths the user cannot write, rewrite only
    problems: list[str] = field(default_factory=list)  # parity broken: the rewrite does not behave
    warnings: list[str] = field(default_factory=list)


def write_set(changes: list[tuple[str, str]]) -> list[str]:
    """The paths to check, from a filesystem diff: a new directory stands for everything below it,
    a changed directory only for itself when nothing below it changed; byte-code caches left out."""
    kinds = {p: k for k, p in changes if not _IGNORED.search(p)}
    has_descendant: set[str] = set()
    for p in kinds:
        parent = p.rsplit("/", 1)[0]
        while parent and parent not in has_descendant:
            has_descendant.add(parent)
            parent = parent.rsplit("/", 1)[0]
    out: dict[str, None] = {}
    for p in sorted(kinds):
        if p in has_descendant:
            continue
        rep, cur = p, p
        while cur:  # the highest ancestor that is new itself
            if kinds.get(cur) == "A":
                rep = cur
            cur = cur.rsplit("/", 1)[0]
        out[rep] = None
    return list(out)


def check_script(paths: list[str], original_home: str, original_user: str = "") -> str:
    """sh: report HOME, the user's name, PATH entries that cannot be searched, and for each path whether
    the user can write it (or its nearest existing parent). Tab-separated lines, one fact each."""
    lines = [
        r"""printf 'home\t%s\n' "$HOME" """,
        r"""un=$(id -un 2>/dev/null); printf 'user\t%s\n' "$un" """,
        r"""if [ -z "$HOME" ] || [ ! -d "$HOME" ]; then echo home-missing; """
        r"""elif [ -w "$HOME" ]; then echo home-ok; else echo home-unwritable; fi""",
        r"""IFS=:; for d in $PATH; do if [ -d "$d" ] && [ ! -x "$d" ]; then printf 'path\t%s\n' "$d"; fi; done; """
        r"""unset IFS""",
        f"oh={shlex.quote(original_home)}; ou={shlex.quote(original_user)}",
        r"""check() { p=$1; if [ -n "$oh" ] && [ "$oh" != / ] && [ -n "$HOME" ] && [ "$oh" != "$HOME" ]; then """
        r"""case "$p" in "$oh"|"$oh"/*) p="$HOME${p#"$oh"}";; esac; fi; """
        # a folder a runtime names after its user (the JVM's hsperfdata_root): it names it after this one
        r"""if [ -n "$ou" ] && [ -n "$un" ] && [ "$ou" != "$un" ]; then case "$p" in """
        + "".join(
            f"""*/{d}"$ou"/*) p="${{p%%/{d}"$ou"/*}}/{d}$un/${{p#*/{d}"$ou"/}}";; """
            f"""*/{d}"$ou") p="${{p%/{d}"$ou"}}/{d}$un";; """
            for d in _USER_NAMED
        )
        + r"""esac; fi; q=$p; """
        r"""while [ ! -e "$q" ] && [ ! -L "$q" ] && [ "$q" != / ]; do q=${q%/*}; [ -z "$q" ] && q=/; done; """
        r"""if [ -w "$q" ]; then :; else printf 'unwritable\t%s\t%s\t%s\n' "$1" "$p" "$q"; fi; }""",
    ]
    lines += [f"check {shlex.quote(p)}" for p in paths[:WRITE_SET_LIMIT]]
    lines.append("echo checks-done")
    return "\n".join(lines) + "\n"


def from_run(run: AppRun) -> RuntimeReport:
    rt = RuntimeReport(
        status="running" if run.running else "exited",
        exit_code=None if run.running else run.code,
        seconds=round(run.seconds, 1),
        output_tail="\n".join(run.output.splitlines()[-TAIL_LINES:]),
    )
    if run.check_code is not None and "checks-done" in run.check_output:
        for line in run.check_output.splitlines():
            parts = line.split("\t")
            if parts[0] == "home" and len(parts) > 1:
                rt.home = parts[1]
            elif parts[0] == "user" and len(parts) > 1:
                rt.user_name = parts[1]
            elif parts[0] in ("home-ok", "home-missing", "home-unwritable"):
                rt.home_state = parts[0].removeprefix("home-")
            elif parts[0] == "path" and len(parts) > 1:
                rt.path_unsearchable.append(parts[1])
            elif parts[0] == "unwritable" and len(parts) > 3:
                shown = parts[1] if parts[1] == parts[2] else f"{parts[1]} (here {parts[2]})"
                where = "it" if parts[3] == parts[2] else f"{parts[3]}, its nearest existing parent"
                rt.unwritable.append(f"{shown}: the image's user cannot write {where}")
    elif run.check_code is not None:
        rt.warnings.append("the checks as the image's user did not run (no sh in the image?)")
    return rt


def _normalised(text: str) -> list[str]:
    return [_NUMBERS.sub("N", line.strip()) for line in text.splitlines()[-3:] if line.strip()]


def compare(original: RuntimeReport, rewritten: RuntimeReport, seconds: float) -> None:
    """Fill ``rewritten.problems`` and ``rewritten.warnings`` against the original."""
    if original.status == "running" and rewritten.status != "running":
        code = "" if rewritten.exit_code is None else f" with code {rewritten.exit_code}"
        rewritten.problems.append(
            f"the original keeps running for {seconds:g} s; the rewrite exited{code} after {rewritten.seconds:g} s"
        )
    elif original.status == "exited" and rewritten.status == "exited" and original.exit_code != rewritten.exit_code:
        rewritten.problems.append(
            f"the original exits with code {original.exit_code}; the rewrite with code {rewritten.exit_code}"
        )
    elif original.status == "exited" and rewritten.status == "running":
        rewritten.warnings.append(f"the original exits (code {original.exit_code}); the rewrite keeps running")
    for entry in rewritten.unwritable:
        rewritten.problems.append(f"the original wrote {entry}")
    before = {line for line in original.output_tail.splitlines() if _PERMISSION.search(line)}
    new = [line for line in rewritten.output_tail.splitlines() if _PERMISSION.search(line) and line not in before]
    if new:
        rewritten.problems.append(f"the rewrite reports a permission error: {new[-1].strip()[:200]}")
    if rewritten.home_state in ("missing", "unwritable") and original.home_state == "ok":
        state = "does not exist" if rewritten.home_state == "missing" else "is not writable"
        rewritten.warnings.append(
            f"HOME ({rewritten.home or 'not set'}) {state} for the rewrite's user (it is for the original's)"
        )
    for entry in rewritten.path_unsearchable:
        if entry not in original.path_unsearchable:
            rewritten.warnings.append(f"PATH entry {entry} cannot be searched by the rewrite's user")
    if (
        not rewritten.problems
        and original.status == rewritten.status
        and _normalised(original.output_tail) != _normalised(rewritten.output_tail)
    ):
        rewritten.warnings.append("the last lines of output differ (see both tails)")
