"""DOP410 unpinned-packages."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from optimizer.analysis.invocations import Invocation, invocations
from optimizer.core.fix import Diagnostic
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.shell import Word

DOC = """
## What it does
Reports package installs that name a package without a version, as hadolint does, one finding per `RUN`
and package manager, each naming the hadolint code it answers:
`apt-get install` (DL3008: `pkg=version`, a `.deb` or a path), `pip install` (DL3013: `==`, `>=`, `~=`…,
a VCS URL with `@ref`, a wheel or sdist, a path; `-r`/`--requirement`, `-c`/`--constraint` or `.` exempt
the whole command), `npm install` (DL3016: `pkg@version`, a git URL with `#ref`, a tarball, a folder),
`apk add` (DL3018: `pkg=version`, `pkg~version`, a `.apk`), `gem install` (DL3028: `gem:version`, or
`-v`/`--version`) and `yum install` (DL3033: `pkg-version`, an `.rpm`; `yum module install`: `module:stream`).

## Why
An unpinned package is whatever the repository serves on the day of the build: two builds of the same
Dockerfile install different versions, and a cached layer hides the difference until the cache is cold.

## Example
```dockerfile
RUN apt-get install -y --no-install-recommends curl
```
Prefer
```dockerfile
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```

## Fix safety
No fix: which version to pin is a decision (and a pinned apt version disappears from the mirror when the
distribution updates it). A package word with a variable (`$PACKAGES`, `pkg-$VERSION`) is not judged:
its value could carry the pins (hadolint judges the text as written).
"""


def _literal_packages(words: list[Word]) -> list[str]:
    """The packages dopt can judge: a word with a variable (``$PACKAGES``, ``pkg=$VERSION``) could hold pins."""
    out = []
    for w in words:
        if w.literal:
            out.append(w.value)
        elif "$" not in w.text and "`" not in w.text:  # a glob character only (`apache-beam[gcp]`)
            out.append(w.text.strip("\"'"))
    return out


def _apt(p: str) -> bool:
    return "=" in p or "/" in p or p.endswith(".deb")


_PIP_SYMBOLS = ("==", ">=", "<=", ">", "<", "!=", "~=")
_VCS = ("git+", "git:", "hg+", "svn+", "svn:", "bzr+")


def _pip(p: str) -> bool:
    vcs = p.startswith(_VCS)
    return (
        any(s in p for s in _PIP_SYMBOLS)
        or (vcs and "@" in p)
        or p.endswith((".whl", ".tar.gz"))
        or (not vcs and "/" in p)
    )


def _npm(p: str) -> bool:
    if p.startswith(("git://", "git+ssh://", "git+http://", "git+https://")):
        return "#" in p
    if p.endswith((".tar", ".tar.gz", ".tgz")) or p.startswith(("/", "./", "../", "~/")):
        return True
    name = p.split("/", 1)[1] if p.startswith("@") and "/" in p else p
    return "@" in name


def _apk(p: str) -> bool:
    return "=" in p or "~" in p or p.endswith(".apk")


def _gem(p: str) -> bool:
    return ":" in p


def _yum(p: str) -> bool:
    return "-" in p or p.endswith(".rpm")


def _unpinned(inv: Invocation) -> tuple[str, str, list[str]] | None:
    """(hadolint code, the command as named, its unpinned packages) for an install, else None."""
    tool, sub = inv.tool, inv.sub
    words: list[Word]
    pinned: Callable[[str], bool]
    if tool == "apt-get" and sub == "install":
        code, words, pinned = "DL3008", inv.packages(frozenset({"-t", "--target-release", "-o", "-c"})), _apt
    elif tool == "pip" and sub == "install":
        if inv.has_option("-r", "--requirement", "-c", "--constraint") or any(w.value == "." for w in inv.words):
            return None
        code, words, pinned = "DL3013", inv.packages(), _pip
    elif tool == "npm" and sub == "install":
        code, words, pinned = "DL3016", inv.packages(), _npm
    elif tool == "apk" and sub == "add":
        flags = frozenset({"-t", "--virtual", "--repository", "-X", "-p", "--root"})
        code, words, pinned = "DL3018", inv.packages(flags), _apk
    elif tool == "gem" and sub in ("install", "i"):
        if inv.has_option("-v", "--version"):
            return None
        code, words, pinned = "DL3028", [w for w in inv.packages() if w.value != "--"], _gem
    elif tool == "yum" and sub == "install":
        code, words, pinned = "DL3033", inv.packages(), _yum
    elif tool == "yum" and sub == "module":
        rest = inv.packages()
        if not rest or rest[0].value != "install":
            return None
        code, words, pinned = "DL3033", rest[1:], lambda p: ":" in p
    else:
        return None
    values = _literal_packages(words)
    bad = [p for p in values if not pinned(p)]
    return (code, f"{tool} {sub}", bad) if bad else None


@rule(
    "DOP410",
    "unpinned-packages",
    "Pin the versions of the packages you install",
    DOC,
    hadolint=("DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033"),
    fix="none",
)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    for body in ctx.shell_bodies("apt-get", "pip", "npm", "apk", "gem", "yum"):
        if not ctx.posix_shell(body.ins):
            continue
        found: dict[str, tuple[str, list[str]]] = {}  # hadolint code -> (command, packages), once per RUN
        for inv in invocations(body.script, "apt-get", "pip", "npm", "apk", "gem", "yum"):
            hit = _unpinned(inv)
            if hit is not None:
                code, command, bad = hit
                found.setdefault(code, (command, []))[1].extend(p for p in bad if p not in found[code][1])
        for code, (command, bad) in found.items():
            shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            d = ctx.report(body.ins, f"`{command}` without a version for {shown} ({code})")
            yield Diagnostic(d.code, d.name, d.message, d.start, d.end, d.fix, (code,))
