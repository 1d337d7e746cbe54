"""Names and values set by ENV, LABEL and ARG.

ENV and LABEL use dockerfile-parse's key/value splitter (both the legacy
``ENV NAME value`` form and ``NAME=value ...`` pairs, quotes and escapes
handled, no variable expansion: ``env_replace=False``); ARG allows bare names
and is split here.
"""

from __future__ import annotations

from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import split_words, unquote_word


def key_values(ins: Instruction) -> list[tuple[str, str]]:
    """(name, value) pairs; an ARG without a default has the value ``""``."""
    if not ins.args:
        return []
    if ins.keyword == "ARG":
        out = []
        for word, _s, _e in split_words(ins.args):
            name, _eq, value = unquote_word(word).partition("=")
            out.append((name, value))
        return out
    if ins.keyword in ("ENV", "LABEL"):
        from dockerfile_parse.util import extract_key_values

        try:
            return [(str(k), str(v)) for k, v in extract_key_values(False, {}, {}, ins.args)]
        except ValueError:
            return []
    return []
