"""ShellCheck on the shell scripts of RUN instructions, as hadolint runs it.

Each RUN under a shell ShellCheck reads (sh, bash, dash, ksh, ash, busybox; from the stage's ``SHELL``, or the
shebang of a heredoc script) becomes one script: a shebang naming that shell, one line exporting the names the
stage's ``ARG`` and ``ENV`` set before it (and the proxy variables, as hadolint does: ShellCheck does not call
them unassigned), then the RUN's script as the shell receives it (continuations joined, comment lines gone;
a heredoc that is the script, or the RUN's line followed by its heredocs). Every script of a file goes to one
ShellCheck process (``--format=json1`` over several files), and each finding's line and column inside a script
are mapped back to the Dockerfile's text, across continuations and heredocs. Results are cached by script
text, so the fix rounds of ``rewrite`` only check the RUNs a fix changed.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable

from optimizer.core import tools
from optimizer.records import record
from optimizer.syntax.keyvalues import key_values
from optimizer.syntax.model import Document, Instruction

SHELLS = frozenset({"sh", "bash", "dash", "ksh", "ash", "busybox"})  # what ShellCheck reads (ash: as dash)
# hadolint's exclusions: SC2187 (ash is checked as dash) and SC1090 (a `source` of a computed path needs a
# directive a Dockerfile cannot carry)
EXCLUDED = ("SC2187", "SC1090")
_PROXY = ("FTP_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY")
PROXY_VARS = tuple(sorted({*_PROXY, *(p.lower() for p in _PROXY)}))
LEVELS = ("error", "warning", "info", "style")
CHUNK = 400  # scripts per ShellCheck process on very large files (the budget is checked between chunks)
MAX_SCRIPTS = 5_000  # more RUNs than this in one file: not checked (ShellCheck takes ~2 ms of CPU per script)
TIMEOUT = 120.0
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEREDOC_WORD = re.compile(r"\d*<<")


class ShellCheckFailed(Exception):
    """ShellCheck could not be run, or said something dopt cannot read."""


@record(frozen=True)
class Comment:
    """One ShellCheck finding, mapped to the Dockerfile: ``start``/``end`` are offsets in its text."""

    ins: Instruction
    code: int
    level: str
    message: str
    start: int
    end: int


@record(frozen=True)
class Script:
    ins: Instruction
    text: str  # what ShellCheck reads
    skip: int  # lines before the RUN's own script (shebang, exports)
    body_lines: tuple[int, ...]  # offsets of the body's line starts
    pieces: tuple[tuple[int, Callable[[int], int]], ...]  # (body offset, maps an offset from there to the source)
    body_len: int

    def source(self, line: int, column: int) -> int | None:
        """The source offset of ShellCheck's 1-based line and column (None: in the lines dopt added)."""
        k = line - self.skip - 1
        if k < 0 or k >= len(self.body_lines):
            return None
        offset = min(self.body_lines[k] + max(column, 1) - 1, max(self.body_len - 1, 0))
        p = bisect.bisect_right([s for s, _f in self.pieces], offset) - 1
        start, fn = self.pieces[max(p, 0)]
        return fn(offset - start)


def stage_shells(doc: Document) -> dict[int, str | None]:
    """For each RUN (by instruction index): the first word of the shell in effect (``/bin/sh`` by default), or
    None when it is not a shell ShellCheck reads (``pwsh``, ``cmd``, ``python``…)."""
    out: dict[int, str | None] = {}
    for stage in doc.stages:
        shell: str | None = "/bin/sh"
        for ins in stage.instructions:
            if ins.keyword == "SHELL" and ins.json_args:
                first = ins.json_args[0]
                name = first.replace("\\", "/").rsplit("/", 1)[-1].lower()
                if name == "busybox" and len(ins.json_args) > 1 and ins.json_args[1] == "sh":
                    shell = f"{first} sh"
                else:
                    shell = first if name in SHELLS else None
            elif ins.keyword == "RUN":
                out[ins.index] = shell
    return out


def _assigned(doc: Document) -> dict[int, dict[str, int]]:
    """Per stage: each name its ARG or ENV sets -> the index of the first instruction setting it."""
    out: dict[int, dict[str, int]] = {}
    for stage in doc.stages:
        names: dict[str, int] = {}
        for ins in stage.instructions:
            if ins.keyword in ("ARG", "ENV"):
                for n, _v in key_values(ins):
                    if _NAME.fullmatch(n):
                        names.setdefault(n, ins.index)
        out[stage.index] = names
    return out


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # any word may name a variable ($x, ${#x}, $(( x + 1 )))


def _exports(body: str, assigned: dict[str, int], before: int) -> tuple[str, ...]:
    """The names the script uses that the stage set before it (only those: a script's prefix never grows with
    the file), and the proxy variables."""
    used = set(_WORD.findall(body))
    return tuple(sorted({*PROXY_VARS, *(n for n in used if assigned.get(n, before) < before)}))


def _shebang_shell(first_line: str) -> str | None:
    """The shell a heredoc's shebang names (``/usr/bin/env bash`` too); None when it names no shell ShellCheck
    reads."""
    words = first_line[2:].split()
    if words and words[0].rsplit("/", 1)[-1] == "env":
        words = [w for w in words[1:] if not w.startswith("-")]
    if not words:
        return None
    name = words[0].rsplit("/", 1)[-1]
    return words[0] if name in SHELLS else None


def _line_map(doc: Document, content: str, body_start: int) -> Callable[[int], int]:
    """Offsets in a heredoc's content to the source (``<<-`` strips leading tabs: per line)."""
    starts: list[int] = []
    src: list[int] = []
    pos, at = body_start, 0
    for line in content.splitlines(keepends=True):
        end = doc.text.find("\n", pos)
        end = len(doc.text) if end < 0 else end
        stripped = max(0, (end - pos) - len(line.rstrip("\n")))
        starts.append(at)
        src.append(pos + stripped)
        at += len(line)
        pos = end + 1

    def fn(k: int) -> int:
        i = max(bisect.bisect_right(starts, k) - 1, 0)
        return src[i] + (k - starts[i]) if src else body_start

    return fn


def _logical_map(ins: Instruction) -> Callable[[int], int]:
    return lambda k: ins.src(ins.args_offset + k)


def script_of(doc: Document, ins: Instruction, shell: str, assigned: dict[str, int]) -> Script | None:
    """The script ShellCheck reads for a RUN (None: none, e.g. a heredoc read by python)."""
    pieces: list[tuple[int, Callable[[int], int]]] = []
    heredocs = ins.heredocs
    rest = [w for w in ins.args.split() if not _HEREDOC_WORD.match(w)]
    body: str
    if (
        heredocs
        and len(heredocs) == 1
        and (not rest or (rest[0].rsplit("/", 1)[-1] in SHELLS and all(w.startswith("-") for w in rest[1:])))
    ):
        h = heredocs[0]  # the heredoc is the script (read by the shell, or by the shell its shebang names)
        body = h.content
        if rest:
            shell = rest[0]
        if body.startswith("#!"):
            first, nl, _rest = body.partition("\n")
            named = _shebang_shell(first)
            if named is None:
                return None
            shell = named
            body = " " * len(first) + nl + _rest  # the shebang is ours: its line stays, blank
        pieces.append((0, _line_map(doc, h.content, h.body_start)))
    else:
        body = ins.args
        pieces.append((0, _logical_map(ins)))
        for h in heredocs:
            body += "\n"
            pieces.append((len(body), _line_map(doc, h.content, h.body_start)))
            body += h.content
            end = h.body_end
            pieces.append((len(body), lambda k, end=end: end + k))  # type: ignore[misc]
            body += h.name + "\n"
    body = body.replace("\r\n", " \n")  # CRLF checkouts: the CR is not part of the script
    lines = [0] + [m.end() for m in re.finditer("\n", body)]
    exports = _exports(body, assigned, ins.index)
    prefix = f"#!{shell}\nexport {' '.join(n + '=1' for n in exports)}\n"
    text = prefix + body + ("" if body.endswith("\n") else "\n")
    return Script(ins, text, 2, tuple(lines), tuple(pieces), len(body))


def scripts(doc: Document) -> list[Script]:
    """The scripts of every RUN ShellCheck can read, in order."""
    shells = stage_shells(doc)
    assigned = _assigned(doc)
    out = []
    for ins in doc.instructions:
        shell = shells.get(ins.index)
        if ins.keyword != "RUN" or ins.json or shell is None or not (ins.args or ins.heredocs):
            continue
        s = script_of(doc, ins, shell, assigned.get(ins.stage, {}))
        if s is not None:
            out.append(s)
    return out


Raw = tuple[tuple[int, int, int, int, int, str, str], ...]  # (line, column, end line, end column, code, level, text)
_CACHE: dict[str, Raw] = {}
_CACHE_SIZE = 4096


def check(found: list[Script], between: Callable[[], None] | None = None) -> list[Comment]:
    """ShellCheck's findings on these scripts, mapped to the source, in script order (one process per
    ``CHUNK`` scripts not in the cache; ``between`` is called before each)."""
    binary = tools.shellcheck()
    if binary is None:
        raise ShellCheckFailed(f"ShellCheck is not installed: {tools.SHELLCHECK_INSTALL}")
    todo = [s.text for s in found if s.text not in _CACHE]
    todo = list(dict.fromkeys(todo))
    for k in range(0, len(todo), CHUNK):
        if between is not None:
            between()
        _run(binary, todo[k : k + CHUNK])
    out: list[Comment] = []
    for s in found:
        for line, col, end_line, end_col, code, level, message in _CACHE.get(s.text, ()):
            start = s.source(line, col)
            if start is None:
                out.append(Comment(s.ins, code, level, message, s.ins.start, s.ins.header_end))
                continue
            last = s.source(end_line, end_col - 1) if (end_line, end_col) > (line, col) else None
            end = start if last is None or last < start else last + 1
            out.append(Comment(s.ins, code, level, message, start, end))
    return out


def _run(binary: str, texts: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="dopt-shellcheck-") as folder:
        names = []
        for k, text in enumerate(texts):
            name = str(k)
            with open(os.path.join(folder, name), "w", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(text)
            names.append(name)
        cmd = [binary, "--norc", "--format=json1", "--severity=style", f"--exclude={','.join(EXCLUDED)}", "--", *names]
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        try:
            proc = subprocess.run(cmd, cwd=folder, capture_output=True, timeout=TIMEOUT, env=env, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ShellCheckFailed(f"could not run ShellCheck ({binary}): {e}") from None
        if proc.returncode not in (0, 1):
            why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ShellCheckFailed(f"ShellCheck failed (exit {proc.returncode}): {why[0] if why else 'no message'}")
        try:
            comments = json.loads(proc.stdout or b'{"comments": []}')["comments"]
        except (ValueError, KeyError, TypeError):
            raise ShellCheckFailed("ShellCheck's output is not the JSON dopt expects") from None
    found: dict[int, list[tuple[int, int, int, int, int, str, str]]] = {k: [] for k in range(len(texts))}
    for c in comments:
        k = int(c["file"])
        level = str(c.get("level", "warning"))
        found[k].append(
            (
                int(c["line"]),
                int(c["column"]),
                int(c.get("endLine", c["line"])),
                int(c.get("endColumn", c["column"])),
                int(c["code"]),
                level if level in LEVELS else "warning",
                str(c["message"]),
            )
        )
    if len(_CACHE) + len(texts) > _CACHE_SIZE:
        _CACHE.clear()
    for k, text in enumerate(texts):
        _CACHE[text] = tuple(sorted(found[k]))
