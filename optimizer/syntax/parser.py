"""A lossless Dockerfile scanner that follows BuildKit's parser line by line.

BuildKit (``frontend/dockerfile/parser``) reads the file line by line: leading
parser directives, comment lines (also inside continuations, where they are
skipped), empty continuation lines, a trailing escape character (``\\`` or the
``# escape=`` token) followed only by blanks, and heredoc bodies after the
instruction line.  We do the same, but keep for every instruction the source
offsets of each physical piece that makes up its logical line, so rules can
edit the original text exactly.
"""

from __future__ import annotations

import json
import re

from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.model import Comment, Directive, Document, Flag, Heredoc, Instruction, Stage

_DIRECTIVE_RE = re.compile(r"#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*")
_HEREDOC_RE = re.compile(r"(\d*)<<(-?)([^<]*)")
_WS = " \t\n\r\v\f"
HEREDOC_COMMANDS = frozenset({"RUN", "COPY", "ADD"})
_MAYBE_JSON = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "ADD", "COPY", "VOLUME"})
_NAME_VAL = frozenset({"ENV", "LABEL"})
MAX_BYTES = 10 * 1024 * 1024
MAX_LINE = 65535  # BuildKit's scanner refuses longer physical lines
MAX_JSON_DEPTH = 10000  # Go's encoding/json gives up deeper than this


class _NotStrings(ValueError):
    pass


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, content_end, next_start) for every line; content excludes \\n and a trailing \\r."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    n = len(text)
    find = text.find
    while pos < n:
        nl = find("\n", pos)
        if nl == -1:
            end = nxt = n
        else:
            end, nxt = nl, nl + 1
        if end - pos > MAX_LINE // 4 and len(text[pos:end].encode("utf-8")) > MAX_LINE:
            raise DockerfileSyntaxError(f"dockerfile line greater than max allowed size of {MAX_LINE}", len(out) + 1)
        content_end = end
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        out.append((pos, content_end, nxt))
        pos = nxt
    return out


def _lstrip_pos(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _continuation(text: str, start: int, end: int, escape: str) -> int:
    """Offset of a line-continuation escape at the end of text[start:end], else -1.

    BuildKit continues a line whose last non-blank character is the escape
    character, unless that character is itself escaped (``\\`` at the end).
    """
    i = end
    while i > start and text[i - 1] in " \t":
        i -= 1
    if i > start and text[i - 1] == escape and (i - 1 == start or text[i - 2] != escape):
        return i - 1
    return -1


def parse_json_array(rest: str) -> tuple[str, ...] | None:
    """BuildKit's parseJSON: a JSON array of strings, or None when not JSON."""
    rest = rest.lstrip()
    if not rest.startswith("["):
        return None

    def _no_constants(name: str) -> object:
        raise ValueError(name)

    try:
        value = json.loads(rest, parse_constant=_no_constants)
    except ValueError:
        return None
    except RecursionError:
        # Go parses up to 10000 levels: nested arrays there are "not strings"; deeper is not JSON
        if _depth(rest) > MAX_JSON_DEPTH:
            return None
        raise _NotStrings() from None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise _NotStrings()
    return tuple(value)


def _depth(text: str) -> int:
    depth = best = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth -= 1
    return best


def split_words(line: str) -> list[tuple[str, int, int]]:
    """Shell-like words with quotes and escapes kept raw (BuildKit's RawQuotes lexer).

    Returns (word, start, end) offsets into ``line``.
    """
    words: list[tuple[str, int, int]] = []
    i = 0
    n = len(line)
    while i < n:
        while i < n and line[i] in _WS:
            i += 1
        if i >= n:
            break
        start = i
        while i < n and line[i] not in _WS:
            c = line[i]
            if c == "\\" and i + 1 < n:
                i += 2
                continue
            if c == "'":
                j = line.find("'", i + 1)
                i = n if j == -1 else j + 1
                continue
            if c == '"':
                j = i + 1
                while j < n and line[j] != '"':
                    j += 2 if line[j] == "\\" else 1
                i = min(j + 1, n)
                continue
            i += 1
        words.append((line[start:i], start, i))
    return words


def unquote_word(word: str) -> str:
    """Remove shell quotes and backslash escapes from one word (no expansion)."""
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        c = word[i]
        if c == "\\" and i + 1 < n:
            out.append(word[i + 1])
            i += 2
        elif c == "'":
            j = word.find("'", i + 1)
            j = n if j == -1 else j
            out.append(word[i + 1 : j])
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and word[j] != '"':
                if word[j] == "\\" and j + 1 < n and word[j + 1] in '"\\$`':
                    out.append(word[j + 1])
                    j += 2
                else:
                    out.append(word[j])
                    j += 1
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _heredocs_from_line(line: str) -> list[tuple[str, bool, bool, int]]:
    docs = []
    for word, _s, _e in split_words(line):
        m = _HEREDOC_RE.fullmatch(word)
        if not m:
            continue
        raw = m.group(3)
        if not raw:
            continue
        name_words = split_words(raw)
        if len(name_words) != 1:
            continue
        name = unquote_word(raw)
        docs.append((name, m.group(2) == "-", name == raw, int(m.group(1) or 0)))
    return docs


def _extract_flags(line: str, base: int) -> tuple[list[tuple[str, int, int]], int]:
    """BuildKit's extractBuilderFlags.  Returns the flag words and the offset of the rest."""
    flags: list[tuple[str, int, int]] = []
    n = len(line)
    pos = 0
    while True:
        while pos < n and line[pos].isspace():
            pos += 1
        if pos >= n:
            return flags, base + n
        if not line.startswith("--", pos):
            return flags, base + pos
        start = pos
        word: list[str] = []
        blank_ok = False
        quote = ""
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and pos + 1 < n:
                    pos += 1
                    word.append(line[pos])
                elif ch != "\\":
                    word.append(ch)
                pos += 1
                continue
            if ch.isspace():
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
            elif ch == "\\":
                if pos + 1 < n:
                    pos += 1
                    word.append(line[pos])
            else:
                word.append(ch)
            pos += 1
        w = "".join(word)
        if w == "--":
            return flags, base + pos
        if blank_ok or w:
            flags.append((w, base + start, base + pos))


def _parse_name_val(keyword: str, rest: str) -> None:
    words = [unquote_word(w) for w, _s, _e in split_words(rest)]
    if not words:
        return
    if "=" not in words[0]:
        if len(rest.split(None, 1)) < 2:
            raise ValueError(f"{keyword} must have two arguments")
        return
    for w in words:
        if "=" not in w:
            raise ValueError(f'Syntax error - can\'t find = in "{w}". Must be of the form: name=value')


class _Builder:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def node(
        self,
        logical: str,
        segments: list[tuple[int, int, int]],
        line_no: int,
        offset: int = 0,
    ) -> tuple[str, str, tuple[Flag, ...], int, str, bool, tuple[str, ...] | None, Instruction | None]:
        """Split ``logical[offset:]`` like BuildKit's newNodeFromLine."""
        body = logical[offset:]
        lead = len(body) - len(body.lstrip(_WS))
        kw_start = offset + lead
        i = kw_start
        n = len(logical)
        while i < n and logical[i] not in " \t\r\v\f\n":
            i += 1
        keyword_raw = logical[kw_start:i]
        keyword = keyword_raw.upper()
        j = i
        while j < n and logical[j] in " \t\r\v\f\n":
            j += 1
        flag_words, rest_off = _extract_flags(logical[j:], j) if j < n else ([], n)
        tmp = Instruction(
            keyword="",
            keyword_raw="",
            start=0,
            end=0,
            line_start=0,
            line_end=0,
            logical=logical,
            segments=tuple(segments),
            flags=(),
            args_offset=0,
            args="",
            json=False,
            json_args=None,
            heredocs=(),
        )
        flags = []
        for raw, fs, fe in flag_words:
            name, eq, value = raw[2:].partition("=")
            flags.append(
                Flag(
                    raw=raw, name=name.lower(), value=value if eq else None, start=tmp.src(fs), end=tmp.src(fe - 1) + 1
                )
            )
        args = logical[rest_off:].strip(_WS)
        args_offset = rest_off + (len(logical[rest_off:]) - len(logical[rest_off:].lstrip(_WS)))
        is_json = False
        json_args = None
        sub = None
        try:
            if keyword in _MAYBE_JSON and args:
                json_args = parse_json_array(args)
                is_json = json_args is not None
            elif keyword == "HEALTHCHECK" and args:
                parts = args.split(None, 1)
                if len(parts) == 2:
                    cmd_json = parse_json_array(parts[1])
                    is_json = cmd_json is not None
            elif keyword in _NAME_VAL:
                _parse_name_val(keyword, args)
        except _NotStrings:
            raise DockerfileSyntaxError(
                "when using JSON array syntax, arrays must be comprised of strings only", line_no
            ) from None
        except ValueError as e:
            raise DockerfileSyntaxError(str(e), line_no) from None
        if keyword == "ONBUILD" and args:
            sub = self.instruction(logical, segments, line_no, line_no, args_offset)
        return keyword, keyword_raw, tuple(flags), args_offset, args, is_json, json_args, sub

    def instruction(
        self,
        logical: str,
        segments: list[tuple[int, int, int]],
        line_start: int,
        line_end: int,
        offset: int = 0,
    ) -> Instruction:
        keyword, keyword_raw, flags, args_offset, args, is_json, json_args, sub = self.node(
            logical, segments, line_start, offset
        )
        lead = len(logical[offset:]) - len(logical[offset:].lstrip(_WS))
        ins = Instruction(
            keyword=keyword,
            keyword_raw=keyword_raw,
            start=0,
            end=0,
            line_start=line_start,
            line_end=line_end,
            logical=logical,
            segments=tuple(segments),
            flags=flags,
            args_offset=args_offset,
            args=args,
            json=is_json,
            json_args=json_args,
            heredocs=(),
            sub=sub,
        )
        ins.start = ins.src(offset + lead)
        return ins


def decode(data: bytes, path: str = "<input>") -> str:
    if len(data) > MAX_BYTES:
        raise DockerfileSyntaxError(f"file is {len(data)} bytes; dopt refuses files over {MAX_BYTES} bytes").with_path(
            path
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DockerfileSyntaxError(f"not valid UTF-8 (byte {e.start})", line, path) from None


def parse(text: str, path: str = "<input>", *, require_instructions: bool = True) -> Document:
    try:
        return _parse(text, path, require_instructions)
    except DockerfileSyntaxError as e:
        raise e.with_path(path) from None


def _parse(text: str, path: str, require_instructions: bool) -> Document:
    has_bom = text.startswith("\ufeff")
    lines = _lines(text)
    first_nl = text.find("\n")
    newline = "\r\n" if first_nl > 0 and text[first_nl - 1] == "\r" else "\n"
    builder = _Builder(text, path)

    # Parser directives: the leading lines of the form `# name=value`.
    directives: list[Directive] = []
    escape = "\\"
    seen: set[str] = set()
    for idx, (ls, le, _nx) in enumerate(lines):
        s = ls + 1 if idx == 0 and has_bom else ls
        s = _lstrip_pos(text, s, le)
        token = text[s:le]
        m = _DIRECTIVE_RE.fullmatch(token)
        if not m:
            break
        name = m.group(1).lower()
        if name in seen:
            raise DockerfileSyntaxError(f"only one {name} parser directive can be used", idx + 1)
        seen.add(name)
        value = m.group(2)
        if name == "escape":
            if value not in ("`", "\\"):
                raise DockerfileSyntaxError(f"invalid escape token '{value}' does not match ` or \\", idx + 1)
            escape = value
        directives.append(Directive(name, value, idx + 1, s, le))

    instructions: list[Instruction] = []
    comments: list[Comment] = []
    n_lines = len(lines)
    i = 0
    while i < n_lines:
        ls, le, _nx = lines[i]
        if i == 0 and has_bom:
            ls += 1
        s = _lstrip_pos(text, ls, le)
        line_no = i + 1
        i += 1
        if s < le and text[s] == "#":
            comments.append(Comment(text[s + 1 : le], line_no, s, le, False))
            continue
        cont = _continuation(text, s, le, escape)
        if cont == -1 and s == le:
            continue
        segments: list[tuple[int, int, int]] = []
        parts: list[str] = []
        inner_comments: list[Comment] = []
        total = 0
        seg_end = le if cont == -1 else cont
        segments.append((0, s, seg_end - s))
        parts.append(text[s:seg_end])
        total += seg_end - s
        end = le
        last_line = line_no
        while cont != -1 and i < n_lines:
            ls2, le2, _nx2 = lines[i]
            i += 1
            s2 = _lstrip_pos(text, ls2, le2)
            if s2 < le2 and text[s2] == "#":
                inner_comments.append(Comment(text[s2 + 1 : le2], i, s2, le2, True))
                continue
            if s2 == le2:
                continue
            cont = _continuation(text, ls2, le2, escape)
            seg_end = le2 if cont == -1 else cont
            segments.append((total, ls2, seg_end - ls2))
            parts.append(text[ls2:seg_end])
            total += seg_end - ls2
            end = le2
            last_line = i
        logical = "".join(parts)
        ins = builder.instruction(logical, segments, line_no, last_line)
        ins.header_end = end
        comments.extend(inner_comments)
        ins.comments = tuple(inner_comments)
        target = ins.sub if ins.keyword == "ONBUILD" and ins.sub is not None else ins
        if target.keyword in HEREDOC_COMMANDS and not target.json and "<<" in logical:
            docs = []
            for name, chomp, expand, fd in _heredocs_from_line(logical):
                body_start = lines[i][0] if i < n_lines else len(text)
                content: list[str] = []
                terminated = False
                while i < n_lines:
                    hs, he, hn = lines[i]
                    i += 1
                    cand = text[hs:he]
                    if chomp:
                        cand = cand.lstrip("\t")
                    if cand == name:
                        terminated = True
                        docs.append(Heredoc(name, chomp, expand, fd, "".join(content), body_start, hs, he))
                        end = he
                        last_line = i
                        break
                    raw_line = text[hs:hn]
                    content.append(raw_line if raw_line.endswith("\n") else raw_line + "\n")
                if not terminated:
                    raise DockerfileSyntaxError("unterminated heredoc", line_no)
            ins.heredocs = tuple(docs)
            if target is not ins:
                target.heredocs = ins.heredocs
        ins.end = end
        ins.line_end = last_line
        ins.index = len(instructions)
        instructions.append(ins)

    if require_instructions and not instructions:
        raise DockerfileSyntaxError("file with no instructions", None)

    stages = _stages(instructions)
    return Document(
        text=text,
        path=path,
        directives=tuple(directives),
        escape=escape,
        instructions=instructions,
        comments=comments,
        stages=stages,
        newline=newline,
        has_bom=has_bom,
        final_newline=text.endswith("\n"),
    )


_VAR = re.compile(r"\$\{(\w+)(?:(:?[-+])([^}]*))?\}|\$(\w+)")


def expand_args(text: str, args: dict[str, str | None]) -> str:
    """``text`` with ``$NAME``, ``${NAME}``, ``${NAME:-default}`` and ``${NAME:+alt}`` replaced from ARG defaults.

    What a build without ``--build-arg`` uses: a bare variable that has no default (or is not
    declared) stays as written (its value is not known before the build); in ``${NAME:-default}``
    it is unset, so the default applies.
    """

    def one(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        value = args.get(name)
        if op is None:
            return value if value is not None else m.group(0)
        is_set = value is not None and (value != "" or not op.startswith(":"))
        if op.endswith("-"):
            return value if is_set and value is not None else word
        return word if is_set else ""

    if "$" not in text:
        return text
    return _VAR.sub(one, text)


def _stages(instructions: list[Instruction]) -> list[Stage]:
    stages: list[Stage] = []
    global_args: dict[str, str | None] = {}
    for ins in instructions:
        if ins.keyword == "ARG" and not stages:
            for word, _s, _e in split_words(ins.args):
                arg, eq, value = unquote_word(word).partition("=")
                global_args[arg] = value if eq else None
        if ins.keyword == "FROM":
            words = ins.args.split()
            name = None
            if len(words) >= 3 and words[1].lower() == "as":
                name = words[2]
            platform = next((f.value for f in ins.flags if f.name == "platform"), None)
            base = words[0] if words else ""
            image = expand_args(base, global_args)
            stages.append(Stage(len(stages), name, base, platform, ins, image=image))
        if stages:
            ins.stage = len(stages) - 1
            stages[-1].instructions.append(ins)
    return stages
