"""The document model: spans, flags, heredocs, directives, stages."""

from __future__ import annotations

import pytest

from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.parser import parse

from .oracle import oracle_view, our_view


def test_spans_slice_the_original() -> None:
    text = "FROM a AS base\n  run --mount=type=cache,target=/x echo hi \\\n  # c\n\n   && echo there  \n"
    doc = parse(text)
    run = doc.instructions[1]
    assert run.keyword == "RUN" and run.keyword_raw == "run"
    assert (run.line_start, run.line_end) == (2, 5)
    assert text[run.start : run.end] == text[2 + text.index("run") - 2 : text.rindex("  \n") + 2]
    assert text[run.start : run.start + 3] == "run"
    (flag,) = run.flags
    assert (flag.name, flag.value) == ("mount", "type=cache,target=/x")
    assert text[flag.start : flag.end] == "--mount=type=cache,target=/x"
    assert run.args == "echo hi    && echo there"
    assert [c.text for c in run.comments] == [" c"]
    # logical offsets map back into the source
    i = run.logical.index("there")
    assert text[run.src(i) : run.src(i) + 5] == "there"
    assert doc.stages[0].name == "base" and run.stage == 0


def test_heredocs() -> None:
    text = "FROM a\nRUN <<A <<-'B' cat - /dev/fd/3 3<<C\na\nA\n\tb\n\tB\nc\nC\nCOPY <<EOF /x\nhi\nEOF\n"
    doc = parse(text)
    run, copy = doc.instructions[1], doc.instructions[2]
    assert [(h.name, h.chomp, h.expand, h.content) for h in run.heredocs] == [
        ("A", False, True, "a\n"),
        ("B", True, False, "\tb\n"),
        ("C", False, True, "c\n"),
    ]
    assert run.heredocs[2].fd == 3
    assert (run.line_start, run.line_end) == (2, 8)
    assert run.header_end == text.index("\n", text.index("RUN"))
    assert copy.heredocs[0].content == "hi\n" and copy.line_end == 11
    assert our_view(text) == oracle_view(text)


def test_json_heredoc_is_not_a_heredoc() -> None:
    text = 'FROM a\nRUN ["<<EOF"]\n'
    doc = parse(text)
    assert doc.instructions[1].json and not doc.instructions[1].heredocs


@pytest.mark.parametrize(
    "text",
    [
        "# escape=`\nFROM a\nRUN echo `\n  hi\n",
        "#!/usr/bin/env docker\n# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN x `\n y\n",
        "# syntax=x\n\n# escape=`\nFROM a\nRUN x `\n y\n",  # a blank line ends the directives
        "\ufeff# escape=`\r\nFROM a\r\nRUN x `\r\n y\r\n",
        "FROM a\nRUN x \\  \t\n y\n",  # blanks after the backslash
        "FROM a\nRUN x \\\\\nRUN y\n",  # an escaped backslash is no continuation
        "FROM a\nRUN x \\\n\n\n y\n",  # empty continuation lines
        "FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
        "ARG V=1\nFROM a:$V\n",
        "FROM a\nRUN x \\",  # continuation at EOF, no final newline
        "FROM a\n\tRUN\tx\n",
        'FROM a\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "x"]\n',
        'FROM a\nCOPY --from=b --chown=1:1 ["a b", "/c"]\n',
    ],
)
def test_edge_cases_agree_with_buildkit(text: str) -> None:
    assert our_view(text) == oracle_view(text)


def test_directives_and_escape() -> None:
    doc = parse("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\n")
    assert [(d.name, d.value) for d in doc.directives] == [
        ("syntax", "docker/dockerfile:1"),
        ("escape", "`"),
        ("check", "skip=all"),
    ]
    assert doc.escape == "`"


def test_bom_crlf_columns() -> None:
    doc = parse("\ufeffFROM a\r\nRUN x\r\n")
    assert doc.has_bom and doc.newline == "\r\n"
    assert doc.line_of(doc.instructions[0].start) == 1
    assert doc.col_of(doc.instructions[0].start) == 1
    assert doc.instructions[1].args == "x"


@pytest.mark.parametrize(
    "text,line,message",
    [
        ("FROM a\nRUN <<EOF\n", 2, "unterminated heredoc"),
        ("# escape=x\nFROM a\n", 1, "invalid escape token"),
        ("# escape=\\\n# escape=`\nFROM a\n", 2, "only one escape parser directive"),
        ("FROM a\nLABEL x\n", 2, "LABEL must have two arguments"),
        ("FROM a\nENV A=1 B\n", 2, "can't find ="),
        ("", None, "file with no instructions"),
    ],
)
def test_errors(text: str, line: int | None, message: str) -> None:
    with pytest.raises(DockerfileSyntaxError) as exc:
        parse(text, "Dockerfile")
    assert exc.value.line == line
    assert message in exc.value.message
    assert str(exc.value).startswith("Dockerfile")


def test_empty_file_model_without_requirement() -> None:
    doc = parse("", require_instructions=False)
    assert doc.instructions == [] and doc.stages == []


@pytest.mark.parametrize(
    "line,expected",
    [
        ('ENV A=1 B="two words" C=x\\ y', [("A", "1"), ("B", "two words"), ("C", "x y")]),
        ("ENV PATH /x:$PATH", [("PATH", "/x:$PATH")]),
        ('LABEL org.opencontainers.image.title="dopt" b=c', [("org.opencontainers.image.title", "dopt"), ("b", "c")]),
        ("ARG A=1 B", [("A", "1"), ("B", "")]),
        ('ARG TOKEN=""', [("TOKEN", "")]),
    ],
)
def test_key_values(line: str, expected: list[tuple[str, str]]) -> None:
    from optimizer.syntax.keyvalues import key_values

    doc = parse(f"FROM a\n{line}\n")
    assert list(key_values(doc.instructions[1])) == expected


def test_stage_image_resolves_global_arg_defaults() -> None:
    text = (
        "ARG BASE=ubuntu:24.04\nARG TAG=3.12\nARG NODEF\nARG EMPTY=\n"
        "FROM ${BASE} AS a\nFROM python:${TAG}-slim\nFROM $NODEF\nFROM python:${NODEF:-3.11}\n"
        "FROM x${UNDECLARED:-y}:${EMPTY:-1}${TAG:+-z}\nARG TAG=9\nFROM python:$TAG\nFROM a\n"
    )
    images = [(s.base, s.image) for s in parse(text).stages]
    assert images == [
        ("${BASE}", "ubuntu:24.04"),
        ("python:${TAG}-slim", "python:3.12-slim"),
        ("$NODEF", "$NODEF"),  # no default: unknown before the build
        ("python:${NODEF:-3.11}", "python:3.11"),
        ("x${UNDECLARED:-y}:${EMPTY:-1}${TAG:+-z}", "xy:1-z"),
        ("python:$TAG", "python:3.12"),  # an ARG inside a stage does not reach FROM
        ("a", "a"),
    ]


_HEREDOC_SHAPES = [
    "FROM a\nRUN <<EOF\nset -e\necho hi\nEOF\n",
    "FROM a\nRUN <<-EOF\n\techo hi\n\t\tEOF\n",  # <<- strips the terminator's tabs only
    "FROM a\nRUN <<'EOF' bash -e\necho $X\nEOF\n",  # quoted: no expansion
    'FROM a\nRUN <<"EOF"\necho $X\nEOF\n',
    "FROM a\nRUN <<A <<B\na\nA\nb\nB\n",
    "FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
    "FROM a\nCOPY <<EOF /x\na\n\nEOF\n",
    "FROM a\nRUN cat <<EOF \\\n  > /f\na\nEOF\n",  # the heredoc opens on a continued line
    "FROM a\nRUN <<EOF\na\nEOF \nEOF\n",  # `EOF ` (a blank after it) is content, not the terminator
    "FROM a\nRUN <<EOF\na\nEOF",  # the terminator is the last line, without a newline
    "# escape=`\nFROM a\nRUN <<EOF `\n  bash\na\nEOF\n",
]


@pytest.mark.parametrize("text", _HEREDOC_SHAPES)
def test_crlf_heredocs_read_as_buildkit_reads_them(text: str) -> None:
    """A CRLF file (a Windows checkout) has the same heredocs, lines and terminators as the LF one; each
    body line keeps its CRLF, as BuildKit reports it, and the spans slice the original text."""
    crlf = text.replace("\n", "\r\n")
    assert our_view(crlf) == oracle_view(crlf)
    lf_docs = [(h.name, h.chomp, h.expand, h.content) for i in parse(text).instructions for h in i.heredocs]
    doc = parse(crlf)
    docs = [h for i in doc.instructions for h in i.heredocs]
    assert [(h.name, h.chomp, h.expand, h.content.replace("\r\n", "\n")) for h in docs] == lf_docs
    for h in docs:
        assert crlf[h.body_start : h.body_end] == h.content
        assert crlf[h.body_end : h.terminator_end].lstrip("\t") == h.name


def _bodies(text: str) -> list[tuple[str, list[list[str]]]]:
    from optimizer.core.registry import all_rules
    from optimizer.core.rule_context import RuleContext

    doc = parse(text)
    ctx = RuleContext(doc, all_rules()[0])
    out = []
    for ins in doc.instructions:
        for body in ctx.bodies(ins):
            words = [
                [text[body.src(w.start) : body.src(w.end - 1) + 1] for w in c.words] for c in body.script.commands()
            ]
            out.append(("heredoc" if body.heredoc else "line", words))
    return out


def test_crlf_heredoc_script_is_read_like_the_lf_one() -> None:
    """The rules read a CRLF heredoc's script as on an LF checkout (the same commands, words that map back to
    the same text), so their fixes do not vanish on Windows; before, such bodies were skipped."""
    text = "FROM a\nRUN <<EOF\nset -eux\napt-get install -y \\\n  curl\nrm -f /tmp/x.tgz\nEOF\n"
    expected = [("heredoc", [["set", "-eux"], ["apt-get", "install", "-y", "curl"], ["rm", "-f", "/tmp/x.tgz"]])]
    assert _bodies(text) == expected
    assert _bodies(text.replace("\n", "\r\n")) == expected


def test_heredoc_with_a_stray_carriage_return_is_not_read() -> None:
    """A CR that does not end a line is part of a word for the shell: dopt does not read that script."""
    assert _bodies("FROM a\nRUN <<EOF\necho a\rb\nEOF\n") == []
    assert _bodies("FROM a\r\nRUN <<EOF\r\necho a\r\r\nEOF\r\n") == []
