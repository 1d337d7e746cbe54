"""Names and values set by ENV, LABEL and ARG.

ENV and LABEL use dockerfile-parse's key/value splitter (both the legacy
``ENV NAME value`` form and ``NAME=value ...`` pairs, quotes and escapes
handled, no variable expansion: ``env_replace=False``); ARG allows bare names
and is split here.
"""

from __future__ import annotations

from collections.abc import Callable
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
    try:
        return tuple((str(k), str(v)) for k, v in _extract_key_values()(False, {}, {}, args))
    except ValueError:
        return ()


@lru_cache(maxsize=1)
def _extract_key_values() -> Callable[..., list[tuple[str, str]]]:
    """dockerfile-parse's splitter. Its module needs only io, but importing it the ordinary way runs the
    package's __init__ (the whole parser, logging, threading: ~5 ms of a cold start), so the module file is
    loaded on its own when it can be found."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("dockerfile_parse")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = os.path.join(folder, "util.py")
        util = importlib.util.spec_from_file_location("_dopt_dockerfile_parse_util", path)
        if util is not None and util.loader is not None and os.path.isfile(path):
            module = importlib.util.module_from_spec(util)
            util.loader.exec_module(module)
            return module.extract_key_values  # type: ignore[no-any-return]
    from dockerfile_parse.util import extract_key_values  # pragma: no cover (another layout)

    return extract_key_values  # type: ignore[no-any-return]  # pragma: no cover
