"""Packages named through variables: ``ARG PKGS="curl git"`` (or ``ENV``) then ``apt-get install -y $PKGS``.

A package word made of ``$NAME``/``${NAME}`` (and literal text) is expanded with the value the variable has when
the ``RUN`` runs: the ARG defaults and ENV values of the stage and the stages it is built FROM, expanded by the
resolver every stage fact uses (``stage_facts.expand``, which DOP504 reads ports and commands with). Unquoted, the
value is split into words as the shell splits it. The value is *unknown* (the word stays unresolved) when the
variable is set again later in the stage (its end-of-stage value is then not the one the RUN sees), when the
script assigns it itself, or when it has no value dopt knows. A value that comes from an ARG (directly, or
through an ENV that expands one) is the ARG's *default*: ``--build-arg`` may change it, and a fix that depends
on it is unsafe (``Names.overridable``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from optimizer.records import field, record
from optimizer.syntax.keyvalues import key_values

if TYPE_CHECKING:
    from optimizer.analysis.invocations import Invocation
    from optimizer.core.rule_context import RuleContext
    from optimizer.syntax.model import Document, Instruction
    from optimizer.syntax.shell import Word

_REF = re.compile(r"\$\{?(\w+)")
_PLAIN = re.compile(r"""["']?(?:[\w.+:=~-]*\$(?:\w+|\{\w+(?::?[-+][^}]*)?\})[\w.+:=~-]*)+["']?""")


@record(frozen=True)
class Via:
    """A variable a package name came through."""

    name: str
    line: int  # the ARG or ENV that sets it
    keyword: str  # "ARG" or "ENV"
    overridable: bool  # its value is (or expands) an ARG default: --build-arg may change it


@record
class Names:
    names: list[str] = field(default_factory=list)  # literal words, then what variables expand to, in order
    via: list[Via] = field(default_factory=list)  # the variables that gave names
    unresolved: list[str] = field(default_factory=list)  # words with a variable dopt cannot resolve

    @property
    def overridable(self) -> list[Via]:
        return [v for v in self.via if v.overridable]

    def note(self) -> str:
        """``; $PKGS is the default of ARG PKGS (line 2): a --build-arg may change what is installed``, or ""."""
        over = self.overridable
        if not over:
            return ""
        what = ", ".join(f"`${v.name}` ({v.keyword} line {v.line})" for v in over)
        verb = "is" if len(over) == 1 else "are"
        return f"; {what} {verb} a build argument's default: a --build-arg may change the packages"


def package_names(ctx: RuleContext, ins: Instruction, inv: Invocation, words: list[Word] | None = None) -> Names:
    """The package names of an install (``inv.packages()``, or ``words``), variables expanded where dopt knows them.
    Names are as written (``curl=7.88*`` keeps its version)."""
    from optimizer.analysis.stage_facts import expand

    out = Names()
    for w in inv.packages() if words is None else words:
        if w.literal:
            out.names.append(w.value)
            continue
        text = w.text
        if not _PLAIN.fullmatch(text):
            out.unresolved.append(text)
            continue
        values: dict[str, str] = {}
        vias: list[Via] = []
        for name in dict.fromkeys(_REF.findall(text)):
            found = value_at(ctx, ins, name)
            if found is None:
                break
            values[name] = found[0]
            vias.append(found[1])
        else:
            quoted = text[:1] in "\"'"
            expanded, missing = expand(text.strip("\"'") if quoted else text, values)
            if not missing and "$" not in expanded:
                out.names += [expanded] if quoted else expanded.split()
                out.via += [v for v in vias if v not in out.via]
                continue
        out.unresolved.append(text)
    return out


def value_at(ctx: RuleContext, ins: Instruction, name: str) -> tuple[str, Via] | None:
    """The value of ``$name`` in this RUN's shell, and where it comes from; None when dopt does not know it."""
    from optimizer.analysis.stage_facts import facts_of

    doc = ctx.doc
    stage = doc.stage_of(ins)
    if stage is None:
        return None
    setters = _setters(doc).get((stage.index, name))
    if setters is not None and setters[-1].index > ins.index:
        return None  # set again after this RUN: the end-of-stage value is not the one it sees
    for body in ctx.bodies(ins):
        if re.search(
            rf"(^|[\s;&|(]){re.escape(name)}=|\b(read|export|local|declare)\b[^\n;&|]*\b{name}\b", body.script.source
        ):
            return None  # the script sets it itself
    facts = facts_of(doc, stage)
    if name in facts.env:
        if name in facts.unresolved:
            return None
        at = facts.env_at[name]
        raw = next((v for n, v in key_values(at) if n == name), "")
        return facts.env[name], Via(name, at.line_start, "ENV", "$" in raw)
    if name in facts.args and setters:
        return facts.args[name], Via(name, setters[-1].line_start, "ARG", True)
    return None


def _setters(doc: Document) -> dict[tuple[int, str], list[Instruction]]:
    """Per (stage, variable): the ARG and ENV instructions of the stage that set it, in order (memoised)."""
    found: dict[tuple[int, str], list[Instruction]] | None = doc.memo.get("variable_setters")
    if found is None:
        found = {}
        for stage in doc.stages:
            for i in stage.instructions:
                if i.keyword in ("ARG", "ENV"):
                    for n, _v in key_values(i):
                        found.setdefault((stage.index, n), []).append(i)
        doc.memo["variable_setters"] = found
    return found
