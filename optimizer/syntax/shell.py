"""Shell understanding for RUN bodies, backed by tree-sitter-bash.

We parse the *logical* RUN line (continuations already joined, as the shell
sees it) and keep character offsets so that rules can map every node back
to the Dockerfile text through ``Instruction.src``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from optimizer.records import record

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

# Builtins whose effect outlives the command: merging RUNs after one of these
# would carry the effect into the next command.
STATEFUL_BUILTINS = frozenset(
    {
        "cd",
        "pushd",
        "popd",
        "export",
        "unset",
        "set",
        "source",
        ".",
        "umask",
        "ulimit",
        "alias",
        "unalias",
        "exec",
        "exit",
        "return",
        "trap",
        "shopt",
        "eval",
        "declare",
        "typeset",
        "local",
        "readonly",
        "hash",
        "enable",
        "setopt",
        "builtin",
        "command",
        "conda",
        "nvm",
        "pyenv",
        "rbenv",
    }
)


_WORD_NODES = frozenset(
    {
        "command_name",
        "word",
        "string",
        "raw_string",
        "concatenation",
        "simple_expansion",
        "expansion",
        "command_substitution",
        "number",
        "ansi_c_string",
    }
)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    from tree_sitter import Language, Parser

    return Parser(Language(_bash_language()))


def _bash_language() -> object:
    """tree-sitter-bash's grammar, loaded from its extension module without running the package's __init__
    (which imports importlib.resources, several ms of a cold start, for highlight queries dopt never uses)."""
    import importlib.machinery
    import importlib.util
    import os

    spec = importlib.util.find_spec("tree_sitter_bash")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_binding" + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader("tree_sitter_bash._binding", path)
                binding = importlib.util.spec_from_loader("tree_sitter_bash._binding", loader)
                if binding is not None:
                    module = importlib.util.module_from_spec(binding)
                    loader.exec_module(module)
                    return module.language()
    import tree_sitter_bash  # pragma: no cover (another layout: the ordinary way)

    return tree_sitter_bash.language()  # pragma: no cover


@record(frozen=True)
class Word:
    text: str  # as written
    value: str  # with quotes removed, when it is a plain (unexpanded) word; else the text
    start: int
    end: int
    literal: bool  # no expansion, no globbing: value is what the program sees


@record(frozen=True)
class Command:
    name: str  # the command word as written ("apt-get", "/usr/bin/pip")
    words: tuple[Word, ...]  # every word including the name
    start: int
    end: int
    assignments: tuple[str, ...]  # FOO=bar prefixes

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    @property
    def basename(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class Script:
    """A parsed shell script with char offsets into ``source``."""

    def __init__(self, source: str) -> None:
        self.source = source
        data = source.encode("utf-8")
        self._ascii = len(data) == len(source)
        self._b2c: list[int] | None = None
        if not self._ascii:
            b2c = [0] * (len(data) + 1)
            bi = 0
            for ci, ch in enumerate(source):
                n = len(ch.encode("utf-8"))
                for k in range(n):
                    b2c[bi + k] = ci
                bi += n
            b2c[len(data)] = len(source)
            self._b2c = b2c
        self.tree = _parser().parse(data)
        self.root: Node = self.tree.root_node
        self._nodes: list[Node] | None = None
        self._types: frozenset[str] = frozenset()
        self._commands: list[Command] | None = None
        self.memo: dict[str, Any] = {}  # per-script caches of derived facts (e.g. invocations)

    @property
    def has_error(self) -> bool:
        return bool(self.root.has_error)

    def c(self, byte_offset: int) -> int:
        if self._b2c is None:
            return byte_offset
        return self._b2c[byte_offset]

    def text(self, node: Node) -> str:
        if self._b2c is None:
            return self.source[node.start_byte : node.end_byte]
        return self.source[self._b2c[node.start_byte] : self._b2c[node.end_byte]]

    def top_level(self) -> list[Node]:
        """Top-level statements (separators excluded)."""
        return [n for n in self.root.named_children if n.type != "comment"]

    def separators(self) -> list[str]:
        return [n.type for n in self.root.children if not n.is_named]

    def walk(self) -> list[Node]:
        """Every node, in document order (computed once)."""
        if self._nodes is None:
            out: list[Node] = []
            cursor = self.tree.walk()
            append, first_child, next_sibling, parent = (
                out.append,
                cursor.goto_first_child,
                cursor.goto_next_sibling,
                cursor.goto_parent,
            )
            done = False
            while not done:
                append(cursor.node)  # type: ignore[arg-type]
                if first_child():
                    continue
                while not next_sibling():
                    if not parent():
                        done = True
                        break
            self._nodes = out
            self._types = frozenset(n.type for n in out)
        return self._nodes

    def has_node(self, *types: str) -> bool:
        self.walk()
        return not self._types.isdisjoint(types)

    def commands(self) -> list[Command]:
        """Every simple command, in document order (computed once)."""
        if self._commands is None:
            out = []
            for n in self.walk():
                if n.type == "command":
                    cmd = self._command(n)
                    if cmd is not None:
                        out.append(cmd)
            self._commands = out
        return self._commands

    def _command(self, node: Node) -> Command | None:
        """The simple command of a ``command`` node (memoized by node: commands() and rules share them)."""
        key = (node.start_byte, node.end_byte)
        memo: dict[tuple[int, int], Command | None] = self.memo.setdefault("command_of", {})
        if key in memo:
            return memo[key]
        words: list[Word] = []
        assigns: list[str] = []
        for ch in node.named_children:
            t = ch.type
            if t == "variable_assignment":
                assigns.append(self.text(ch))
            elif t in _WORD_NODES:
                words.append(self._word(ch))
        cmd = (
            Command(words[0].value, tuple(words), self.c(node.start_byte), self.c(node.end_byte), tuple(assigns))
            if words
            else None
        )
        memo[key] = cmd
        return cmd

    def _word(self, node: Node) -> Word:
        text = self.text(node)
        literal, value = _literal(self, node)
        if self._b2c is None:
            return Word(text, value if literal else text, node.start_byte, node.end_byte, literal)
        return Word(text, value if literal else text, self.c(node.start_byte), self.c(node.end_byte), literal)


_SPECIAL = re.compile(r"[*?\[\\$`{~]")


def _literal(script: Script, node: Any) -> tuple[bool, str]:
    t = node.type
    if t in ("word", "number"):
        text = script.text(node)
        if _SPECIAL.search(text):
            return False, text
        return True, text
    if t == "command_name":
        if node.named_child_count == 1:
            return _literal(script, node.named_children[0])
        return False, script.text(node)
    if t == "raw_string":
        return True, script.text(node)[1:-1]
    if t == "string":
        if all(c.type == "string_content" for c in node.named_children):
            inner = script.text(node)[1:-1]
            if "\\" not in inner:
                return True, inner
        return False, script.text(node)
    if t == "concatenation":
        parts = []
        for c in node.named_children:
            ok, v = _literal(script, c)
            if not ok:
                return False, script.text(node)
            parts.append(v)
        return True, "".join(parts)
    return False, script.text(node)


@lru_cache(maxsize=1024)  # fix rounds and editor changes re-parse mostly the same RUNs
def parse_script(source: str) -> Script:
    return Script(source)
