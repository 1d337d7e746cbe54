"""Shell understanding for RUN bodies, backed by tree-sitter-bash.

We parse the *logical* RUN line (continuations already joined, as the shell
sees it) and keep character offsets so that rules can map every node back
to the Dockerfile text through ``Instruction.src``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

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


# How deep substitutions, subshells, braces and compound commands may nest before dopt refuses to read a script
# (the deepest script of the 775 corpus files nests 6 deep, and its nested spans add up to 1.9x its length). Deeper
# scripts are "not read": rules that need the shell leave the RUN alone. tree-sitter-bash itself is linear on
# them; the bound keeps what dopt derives per command (a word's text, its basename) from growing as
# depth x size.
MAX_SHELL_DEPTH = 1000
# The longest script dopt reads (a RUN's body or heredoc, in UTF-8 bytes): the largest of the 775 corpus files is
# 19 KB. Reading one costs about 30 bytes per byte (tree-sitter's tree, the words); longer ones are "not read".
MAX_SHELL_BYTES = 1 << 20
# Whatever the depth, the nested spans added up (a character inside ten substitutions counts ten times) stay
# under this many times the script's length plus a constant: work on nested words stays linear in the input.
MAX_NESTED_SPAN_FACTOR = 64
MAX_NESTED_SPAN_SLACK = 4_000_000

# Nodes that nest without bound in hostile input and each add a level (lists, pipelines and `&&` chains are
# left-deep in the tree but flat for the shell, so they do not count).
_NESTING = frozenset(
    {
        "command_substitution",
        "process_substitution",
        "subshell",
        "compound_statement",
        "expansion",
        "arithmetic_expansion",
        "if_statement",
        "while_statement",
        "for_statement",
        "c_style_for_statement",
        "case_statement",
        "function_definition",
        "test_command",
        "parenthesized_expression",
    }
)


class Word:
    """A word of a simple command, with char offsets into the script's source.

    The text is sliced from the source when asked for (a word nested in 1,000 substitutions is not copied
    1,000 times); ``value`` is stored only when it differs from the text's meaning (a literal word).
    """

    __slots__ = ("_src", "_value", "end", "literal", "start")

    def __init__(self, src: str, value: str | None, start: int, end: int, literal: bool) -> None:
        self._src = src
        self._value = value  # None: the text (a plain word's value, or any non-literal word's)
        self.start = start
        self.end = end
        self.literal = literal  # no expansion, no globbing: value is what the program sees

    @property
    def text(self) -> str:
        """As written."""
        return self._src[self.start : self.end]

    @property
    def value(self) -> str:
        """With quotes removed, when it is a plain (unexpanded) word; else the text."""
        return self._value if self._value is not None else self._src[self.start : self.end]

    @property
    def basename(self) -> str:
        """The value after its last ``/`` (without copying a long word first)."""
        if self._value is not None:
            return self._value.rsplit("/", 1)[-1]
        slash = self._src.rfind("/", self.start, self.end)
        return self._src[self.start if slash < 0 else slash + 1 : self.end]

    def _key(self) -> tuple[str, str, int, int, bool]:
        return (self.text, self.value, self.start, self.end, self.literal)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Word) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Word({self.text!r}, value={self.value!r}, {self.start}-{self.end}, literal={self.literal})"


class Command:
    """A simple command: its words (the name first) and the ``FOO=bar`` prefixes."""

    __slots__ = ("assignments", "end", "start", "words")

    def __init__(self, words: tuple[Word, ...], start: int, end: int, assignments: tuple[str, ...]) -> None:
        self.words = words  # every word including the name
        self.start = start
        self.end = end
        self.assignments = assignments  # FOO=bar prefixes

    @property
    def name(self) -> str:
        """The command word as written ("apt-get", "/usr/bin/pip"), quotes removed when literal."""
        return self.words[0].value

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    @property
    def basename(self) -> str:
        return self.words[0].basename

    def _key(self) -> tuple[tuple[Word, ...], int, int, tuple[str, ...]]:
        return (self.words, self.start, self.end, self.assignments)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Command) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Command(name={self.name!r}, words={self.words!r}, start={self.start}, end={self.end})"


class Script:
    """A parsed shell script with char offsets into ``source``.

    ``refused`` says why dopt does not read it (over ``MAX_SHELL_BYTES``, nested deeper than
    ``MAX_SHELL_DEPTH``); such a script ``has_error`` and has no commands.
    """

    __slots__ = (
        "_after",
        "_by_span",
        "_commands",
        "_nodes",
        "_starts",
        "_types",
        "memo",
        "refused",
        "root",
        "source",
        "tree",
    )

    def __init__(self, source: str) -> None:
        self.source = source
        data = source.encode("utf-8")
        # Non-ASCII text: where each multi-byte character starts (byte offset) and the extra bytes of the
        # multi-byte characters up to and including it (8 bytes per such character, not a list entry per byte).
        self._starts: array[int] | None = None
        self._after: array[int] | None = None
        if len(data) != len(source):
            self._starts, self._after = _wide_chars(source)
        self.refused: str | None = None
        if len(data) > MAX_SHELL_BYTES:
            self.refused = f"not read: shell script over {MAX_SHELL_BYTES} bytes"
            data = b""  # an empty tree: no statements, no commands
        self.tree = _parser().parse(data)
        self.root: Node = self.tree.root_node
        self._types: frozenset[str] = frozenset()
        self._commands: list[Command] | None = None
        self.memo: dict[str, Any] = {}  # per-script caches of derived facts (e.g. invocations)
        self._nodes: list[Node] | None = None  # walk(), when a rule asks for every node
        self._by_span: dict[tuple[int, int], Command] | None = None  # _command(), when a rule asks
        if self.refused is None:
            self._check(len(data))

    @property
    def has_error(self) -> bool:
        return self.refused is not None or bool(self.root.has_error)

    def c(self, byte_offset: int) -> int:
        """The char offset of a byte offset (a byte inside a character: that character's)."""
        starts, after = self._starts, self._after
        if starts is None or after is None:
            return byte_offset
        k = bisect_right(starts, byte_offset) - 1
        if k < 0:
            return byte_offset
        before = after[k - 1] if k else 0  # extra bytes of the wide characters before this one
        if byte_offset < starts[k] + after[k] - before + 1:
            return starts[k] - before
        return byte_offset - after[k]

    def text(self, node: Node) -> str:
        if self._starts is None:
            return self.source[node.start_byte : node.end_byte]
        return self.source[self.c(node.start_byte) : self.c(node.end_byte)]

    def top_level(self) -> list[Node]:
        """Top-level statements (separators excluded)."""
        return [n for n in self.root.named_children if n.type != "comment"]

    def separators(self) -> list[str]:
        return [n.type for n in self.root.children if not n.is_named]

    def _iter(self) -> Iterator[Node]:
        """Every node in document order, iteratively (no recursion however deep the tree)."""
        cursor = self.tree.walk()
        first_child, next_sibling, parent = cursor.goto_first_child, cursor.goto_next_sibling, cursor.goto_parent
        while True:
            yield cursor.node  # type: ignore[misc]
            if first_child():
                continue
            while not next_sibling():
                if not parent():
                    return

    def _check(self, size: int) -> None:
        """The node types present, and the nesting bounds (one pass over the tree, no node kept)."""
        cursor = self.tree.walk()
        first_child, next_sibling, parent = cursor.goto_first_child, cursor.goto_next_sibling, cursor.goto_parent
        nesting = _NESTING
        types: set[str] = set()
        add = types.add
        levels: list[bool] = []  # per ancestor of the cursor: is it a nesting node?
        depth = deepest = spans = 0
        while True:
            node: Node = cursor.node  # type: ignore[assignment]
            t = node.type
            add(t)
            nests = t in nesting
            if nests:
                spans += node.end_byte - node.start_byte
            if first_child():
                levels.append(nests)
                if nests:
                    depth += 1
                    deepest = max(deepest, depth)
                continue
            while not next_sibling():
                if not parent():
                    break
                if levels.pop():
                    depth -= 1
            else:
                continue
            break
        self._types = _shared(frozenset(types))
        if deepest > MAX_SHELL_DEPTH:
            self.refused = f"not read: shell nested deeper than {MAX_SHELL_DEPTH}"
        elif spans > MAX_NESTED_SPAN_FACTOR * size + MAX_NESTED_SPAN_SLACK:
            self.refused = "not read: shell nested too deeply for its length"

    def walk(self) -> list[Node]:
        """Every node, in document order (computed once, when first asked for)."""
        if self._nodes is None:
            self._nodes = list(self._iter())
        return self._nodes

    def has_node(self, *types: str) -> bool:
        return not self._types.isdisjoint(types)

    def commands(self) -> list[Command]:
        """Every simple command, in document order (computed once; none when the script is refused)."""
        if self._commands is None:
            out = []
            if self.refused is None and "command" in self._types:
                for n in self._nodes if self._nodes is not None else self._iter():
                    if n.type == "command":
                        cmd = self._read(n)
                        if cmd is not None:
                            out.append(cmd)
            self._commands = out
        return self._commands

    def _command(self, node: Node) -> Command | None:
        """The simple command of a ``command`` node (the one commands() read; rules share them)."""
        if self._by_span is None:
            self._by_span = {(c.start, c.end): c for c in self.commands()}
        return self._by_span.get((self.c(node.start_byte), self.c(node.end_byte)))

    def _read(self, node: Node) -> Command | None:
        words: list[Word] = []
        assigns: list[str] = []
        cursor = node.walk()  # not node.named_children: tree-sitter would keep that list on the node
        more = cursor.goto_first_child()
        while more:
            ch: Node = cursor.node  # type: ignore[assignment]
            more = cursor.goto_next_sibling()
            if not ch.is_named:
                continue
            t = ch.type
            if t == "variable_assignment":
                assigns.append(self.text(ch))
            elif t in _WORD_NODES:
                words.append(self._word(ch))
        if not words:
            return None
        return Command(tuple(words), self.c(node.start_byte), self.c(node.end_byte), tuple(assigns))

    def _word(self, node: Node) -> Word:
        start, end = self.c(node.start_byte), self.c(node.end_byte)
        value = _literal(self, node)
        if value is None:
            return Word(self.source, None, start, end, False)
        # a plain word's value is its text: sliced when asked for rather than kept (most words are plain)
        return Word(self.source, None if len(value) == end - start else value, start, end, True)


_SPECIAL = re.compile(r"[*?\[\\$`{~]")


def _literal(script: Script, node: Any) -> str | None:
    """What the program sees of a word with no expansion and no globbing; None for any other word (without
    copying its text: a word holding nested substitutions is not sliced)."""
    t = node.type
    if t in ("word", "number"):
        text = script.text(node)
        return None if _SPECIAL.search(text) else text
    if t == "command_name":
        return _literal(script, node.named_children[0]) if node.named_child_count == 1 else None
    if t == "raw_string":
        return script.text(node)[1:-1]
    if t == "string":
        if all(c.type == "string_content" for c in node.named_children):
            inner = script.text(node)[1:-1]
            if "\\" not in inner:
                return inner
        return None
    if t == "concatenation":
        parts = []
        for c in node.named_children:
            v = _literal(script, c)
            if v is None:
                return None
            parts.append(v)
        return "".join(parts)
    return None


_TYPE_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(types: frozenset[str]) -> frozenset[str]:
    """One copy of each set of node types (thousands of small RUNs have the same few)."""
    if len(_TYPE_SETS) > 4096:
        _TYPE_SETS.clear()
    return _TYPE_SETS.setdefault(types, types)


_WIDE = re.compile(r"[^\x00-\x7f]")


def _wide_chars(source: str) -> tuple[array[int], array[int]]:
    """For each non-ASCII character: its byte offset, and the extra bytes (UTF-8 beyond one) up to and with it."""
    starts, after = array("q"), array("q")
    extra = 0
    for m in _WIDE.finditer(source):
        code = ord(m.group())
        starts.append(m.start() + extra)
        extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3
        after.append(extra)
    return starts, after


class _Scripts:
    """``parse_script``: scripts by source, the most recently used kept (fix rounds and editor changes re-parse
    mostly the same RUNs). Bounded by count and by their total length: a script over ``one`` characters is not
    kept at all (the document that holds it keeps it while it needs it), so that a fix round or an editor does
    not hold every past version of a 5 MB RUN with its tree and words (about 30 bytes per byte each)."""

    def __init__(self, entries: int = 1024, chars: int = 1 << 20, one: int = 64 << 10) -> None:
        self.entries, self.chars, self.one = entries, chars, one
        self._kept: dict[str, Script] = {}
        self._size = 0

    def __call__(self, source: str) -> Script:
        kept = self._kept
        script = kept.pop(source, None)
        if script is None:
            script = Script(source)
            if len(source) > self.one:
                return script
            self._size += len(source)
            try:
                while kept and (len(kept) >= self.entries or self._size > self.chars):
                    self._size -= len(kept.pop(next(iter(kept))).source)  # the least recently used
            except (KeyError, StopIteration, RuntimeError):  # another thread's lint changed it: start afresh
                self.cache_clear()
                self._size = len(source)
        kept[source] = script  # the most recent last
        return script

    def cache_clear(self) -> None:
        self._kept.clear()
        self._size = 0


parse_script = _Scripts()
