"""What every split planner returns and shares: the plan (``SplitPlan`` of ``Item``s) or the reason not to split
(``Skip``), and the small readers of apt installs, copies and commands that the languages have in common.

Nothing here edits text; the rule turns the plan into edits.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
from collections.abc import Callable, Collection

from optimizer.analysis.invocations import Invocation
from optimizer.core.rule_context import RuleContext
from optimizer.records import field, record
from optimizer.syntax.model import Instruction, Stage
from optimizer.syntax.shell import Command

VENV = "/opt/venv"

# Commands that leave nothing behind that the runtime stage would miss.
_NEUTRAL = frozenset({"true", ":", "set", "echo", "printf"})
_APT_SUBS = frozenset({"update", "install", "clean", "autoclean", "purge", "remove", "autoremove"})
_CACHE_PATHS = re.compile(
    r"^(/var/lib/apt/lists|/var/cache/apt|/var/cache/debconf|/tmp|/var/tmp|/root/\.cache"
    r"|~/\.cache|/usr/share/doc|/usr/share/man)(/.*)?$"
)
# instructions the runtime stage of a Go, Node, Rust or Java split replays as written (up to the cut)
REPLAYED = frozenset(
    {"ARG", "ENV", "WORKDIR", "EXPOSE", "LABEL", "USER", "VOLUME", "STOPSIGNAL", "CMD", "ENTRYPOINT", "HEALTHCHECK"}
)


@record(frozen=True)
class Skip:
    line: int
    reason: str
    also: tuple[Skip, ...] = ()  # reasons on other lines, reported beside the first


@record
class Item:
    """One piece of the runtime stage: a verbatim instruction, an apt install, or a copy from the builder."""

    kind: str  # "verbatim" | "apt" | "venv" | "copy"
    text: str = ""
    packages: list[str] = field(default_factory=list)
    path: str = ""
    chown: str = ""
    dest: str = ""  # for "copy": where it goes in the runtime stage, when not where it was in the builder
    env: bool = True  # for "venv": set VIRTUAL_ENV and PATH (not when the image's own ENV lines are replayed)


@record
class SplitPlan:
    stage: Stage
    runtime_base: str
    first_pip: Instruction
    cut: Instruction  # the builder's last instruction; everything after it is the runtime stage's tail
    items: list[Item]
    build_packages: list[str]  # what the runtime leaves out (for the message)
    system_site_packages: bool
    add_venv_package: tuple[Instruction, Invocation] | None  # apt install that needs python3-venv
    full_base_note: str = ""  # why the runtime stage stays on the full image when a -slim one exists
    notes: list[str] = field(default_factory=list)  # what the runtime stage replays of mixed RUNs, line by line
    what: str = "the virtual environment"  # what the runtime stage copies from the builder (for the message)
    why_base: str = ""  # why this runtime image (for the message)
    venv: bool = True  # the builder creates a virtual environment before first_pip
    builder_tail: str = ""  # a command the builder runs after its last step (Node: prune the devDependencies)


def keep_first(skip: Skip | None, new: Skip) -> Skip:
    """The first reason not to split, with the reasons found on other lines kept beside it (one per line,
    in line order), so the report names every line that stands in the way, not only the first."""
    if skip is None:
        return new
    if new.line == skip.line or any(a.line == new.line for a in skip.also):
        return skip
    return Skip(skip.line, skip.reason, tuple(sorted((*skip.also, new), key=lambda a: a.line)))


def apt_packages(inv: Invocation, line: int) -> list[str] | Skip:
    """What an apt-get/apt invocation installs (nothing for update, clean, purge…), or why it is not classified."""
    if inv.sub not in _APT_SUBS:
        return Skip(line, f"`{inv.tool} {inv.sub}`")
    pkgs = inv.packages()
    if any(not w.literal for w in pkgs):
        return Skip(line, "apt packages named through variables")
    return [w.value for w in pkgs] if inv.sub == "install" else []


def is_neutral(cmd: Command) -> bool:
    """A command that changes nothing a split must keep: echo/set/true, or `rm` of caches."""
    if cmd.basename in _NEUTRAL and not cmd.assignments:
        return True
    return cmd.basename == "rm" and all(w.value.startswith("-") or _CACHE_PATHS.match(w.value) for w in cmd.args)


def name_of(spec: str) -> str:
    """An apt package's name without its version or architecture (`gcc=4:12` -> `gcc`)."""
    return re.split(r"[=:]", spec, maxsplit=1)[0].lower()


def is_dev(name: str) -> bool:
    return name.endswith("-dev") or bool(re.search(r"-dev:\w+$", name))


def runtime_apt_packages(
    apt_by_run: list[list[str]], tools: frozenset[str] | set[str], base: str, line: int, release: str | None = None
) -> tuple[list[str], list[str]] | Skip:
    """Split the apt packages the builder's RUNs install into (runtime packages, build-only packages): build tools
    stay in the builder, a `-dev` package becomes the runtime libraries it needs (Debian bookworm's table), anything
    else is installed in the runtime stage too. Shared by the Go, Node, Rust and Java splits."""
    from optimizer.analysis.knowledge import debian_release, runtime_libraries

    runtime: list[str] = []
    build: list[str] = []
    for specs in apt_by_run:
        for spec in specs:
            name = name_of(spec)
            if name in tools:
                build.append(spec)
            elif is_dev(name):
                if release is not None and release != "bookworm":
                    return Skip(line, f"dopt's -dev -> runtime table is Debian bookworm's and `{base}` is {release}")
                if (release or debian_release(base)) != "bookworm":
                    return Skip(
                        line, f"dopt's -dev -> runtime table is Debian bookworm's and `{base}` does not name bookworm"
                    )
                libs = runtime_libraries(name, "debian")
                if libs is None:
                    return Skip(line, f"dopt does not know which runtime libraries `{name}` needs")
                build.append(spec)
                runtime += libs
            else:
                runtime.append(spec)
    return runtime, build


def command_words(ins: Instruction) -> list[str]:
    """The command names an exec- or shell-form CMD/ENTRYPOINT/HEALTHCHECK runs (first words of each command)."""
    if ins.json:
        words = list(ins.json_args or [])
        return [words[0].rsplit("/", 1)[-1]] if words else []
    text = ins.args
    if ins.keyword == "HEALTHCHECK":
        m = re.search(r"(?:^|\s)CMD\s+(.*)$", text, re.S | re.I)
        if m is None:
            return []
        text = m.group(1).strip()
        if text.startswith("["):
            m2 = re.match(r'\[\s*"([^"]*)"', text)
            return [m2.group(1).rsplit("/", 1)[-1]] if m2 else []
    out = []
    for part in re.split(r"&&|\|\||[;|]", text):
        words = part.split()
        while words and "=" in words[0]:
            words = words[1:]
        if words:
            out.append(words[0].rsplit("/", 1)[-1])
    return out


def run_words(ins: Instruction) -> list[str] | None:
    """The words an exec- or shell-form CMD/ENTRYPOINT runs (None when dopt cannot read them)."""
    if ins.json:
        return list(ins.json_args or [])
    try:
        words = shlex.split(ins.args)
    except ValueError:
        return None
    if any(w in ("&&", "||", ";", "|") or "$" in w for w in words):
        return None
    return words


def copy_dest(ins: Instruction) -> str:
    """The destination a COPY/ADD names, as written ("" when it names none)."""
    words = list(ins.json_args or []) if ins.json else ins.args.split()
    return words[-1] if words else ""


def is_source(source: str, patterns: list[str]) -> bool:
    name = posixpath.basename(posixpath.normpath(source)) or source
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def only_sources(ctx: RuleContext, source: str, patterns: list[str], limit: int = 5000) -> bool:
    """Whether a context folder holds only what building reads (Go sources, go.mod, vendor…), leaving out
    what .dockerignore keeps from the builder; False when the context is not there, the source leaves it,
    or it is too big to walk."""
    root = ctx.context_dir
    if root is None or any(c in source for c in "*?[$") or source.startswith("/"):
        return False
    top = (root / source).resolve()
    try:
        top.relative_to(root.resolve())
    except ValueError:
        return False
    if not top.is_dir():
        return False
    from optimizer.analysis.ignorefile import Matcher, parse

    ignore = ctx.context_file(root / ".dockerignore")
    matcher = Matcher(parse(ignore)) if ignore else None
    real_root = root.resolve()
    seen = 0
    for path in top.rglob("*"):
        seen += 1
        if seen > limit:
            return False
        if matcher is not None and matcher.excluded(path.relative_to(real_root).as_posix()):
            continue  # not sent to the builder
        rel = path.relative_to(top).parts
        if any(is_source(part, patterns) for part in rel[:-1]) or path.is_dir():
            continue
        if not is_source(rel[-1], patterns):
            return False
    return True


def chown_of(ins: Instruction) -> str:
    chown = ins.flag("chown")
    return (chown[0].value or "") if chown else ""


def replay_items(
    ctx: RuleContext,
    stage: Stage,
    cut: Instruction,
    replayed: Collection[int],
    copy: Callable[[Instruction, Item], list[Item] | Skip],
) -> list[Item] | Skip:
    """The runtime stage's instructions up to the cut: the RUNs in ``replayed`` and the metadata (``REPLAYED``) as
    written, each COPY/ADD as ``copy`` says (given the instruction and its verbatim item)."""
    items: list[Item] = []
    text = ctx.doc.text
    for ins in stage.instructions[1:]:
        if ins.index > cut.index:
            break
        verbatim = Item("verbatim", text[ins.start : ins.end].replace("\r\n", "\n"))
        kw = ins.keyword
        if kw == "RUN":
            if ins.index in replayed:
                items.append(verbatim)
        elif kw in ("COPY", "ADD"):
            found = copy(ins, verbatim)
            if isinstance(found, Skip):
                return found
            items += found
        elif kw in REPLAYED:
            items.append(verbatim)
    return items
