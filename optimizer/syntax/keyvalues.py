"""Names and values set by ENV, LABEL and ARG.

ENV and LABEL use dockerfile-parse's key/value splitter (both the legacy
``ENV NAME value`` form and ``NAME=value ...`` pairs, quotes and escapes
handled, no variable expansion: ``env_replace=False``); ARG allows bare names
and is split here.
"""

from __future__ import annotations

from functools import lru_cache

from optimizer.syntax.model import Instruction
from optimizer.syntax.parser import split_words, unquote_word


def key_values(ins: Instruction) -> tuple[tuple[str, str], ...]:
    """(name, value) pairs; an ARG without a default has the value ``""``.

    Cached by the instruction's text: several rules ask, and every fix round re-parses the file.
    """
    if not ins.args or ins.keyword not in ("ARG", "ENV", "LABEL"):
        return ()
    return _key_values(ins.keyword, ins.args)


@lru_cache(maxsize=8192)
def _key_values(keyword: str, args: str) -> tuple[tuple[str, str], ...]:
    if keyword == "ARG":
        out = []
        for word, _s, _e in split_words(args):
            name, _eq, value = unquote_word(word).partition("=")
            out.append((name, value))
        return tuple(out)
    from dockerfile_parse.util import extract_key_values

    try:
        return tuple((str(k), str(v)) for k, v in extract_key_values(False, {}, {}, args))
    except ValueError:
        return ()
