"""Property tests over generated Dockerfiles (hypothesis).

- our parser agrees with BuildKit's on every generated file (same instructions, lines, flags,
  heredocs), or both reject it;
- with no rules the output is the input, byte for byte;
- with every rule (unsafe fixes too): no exception, a second run changes nothing, BuildKit parses
  the result, and no comment line is lost.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.core.engine import comment_lines, fix_text
from optimizer.core.settings import Settings
from optimizer.errors import DockerfileSyntaxError
from optimizer.syntax.parser import parse

from .oracle import buildkit_parses, compare_text

WORDS = st.sampled_from(
    [
        "curl",
        "git",
        "build-essential",
        "$PKGS",
        '"a && b"',
        "'x y'",
        "$(uname -m)",
        "`id -u`",
        "é",
        "日本",
        "||",
        "true",
        "-y",
        "--no-install-recommends",
        "/app",
        "./",
        "*.py",
        "#notacomment",
        "a\\\\b",
        "${X:-1}",
    ]
)
COMMANDS = st.sampled_from(
    [
        "apt-get update",
        "apt-get install -y {w}",
        "apt-get install {w}",
        "pip install {w}",
        "pip3 install -r r.txt",
        "apk add {w}",
        "apk update",
        "dnf install {w}",
        "yum install -y {w}",
        "npm ci",
        "yarn install",
        "conda install -y {w}",
        "gem install {w}",
        "composer install",
        "cd /src",
        "echo {w}",
        "make -j4",
        "rm -rf /var/lib/apt/lists/*",
        "export A={w}",
        "set -eux",
        "test -f {w} || true",
        "if [ -n {w} ]; then echo {w}; fi",
        "for i in 1 2; do echo $i; done",
        "curl -fsSL https://x | sh",
        "chown -R app /app",
        "FOO=1 env",
    ]
)
SEPS = st.sampled_from([" && ", "; ", " || ", " | "])
CONT = st.sampled_from(
    [" \\\n    ", " \\\n\t", " \\  \n  ", " \\\n    # a comment\n    ", " \\\n\n    ", " \\\n  #\n  "]
)


@st.composite
def shell(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 4))
    parts = []
    for i in range(n):
        cmd = draw(COMMANDS).replace("{w}", draw(WORDS))
        if i:
            sep = draw(SEPS)
            if draw(st.booleans()):
                sep = sep.rstrip() + draw(CONT)
            parts.append(sep)
        parts.append(cmd)
    return "".join(parts)


@st.composite
def instruction(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "run",
                "run",
                "run",
                "runmount",
                "heredoc",
                "json",
                "copy",
                "add",
                "env",
                "arg",
                "cmd",
                "entry",
                "label",
                "maintainer",
                "workdir",
                "user",
                "expose",
                "comment",
                "blank",
                "onbuild",
                "healthcheck",
                "shell",
            ]
        )
    )
    kw = draw(st.sampled_from(["RUN", "run", "Run"])) if kind.startswith("run") else None
    if kind == "run":
        return f"{kw} {draw(shell())}"
    if kind == "runmount":
        return f"{kw} --mount=type=cache,target=/root/.cache/pip {draw(shell())}"
    if kind == "heredoc":
        body = draw(shell()).replace(" \\\n", "\n")
        dash = draw(st.sampled_from(["", "-"]))
        return f"RUN <<{dash}EOF\n{body}\nEOF"
    if kind == "json":
        return 'RUN ["sh", "-c", "echo hi"]'
    if kind in ("copy", "add"):
        src = draw(st.sampled_from(["app.py", ".", "src/", "data.tar.gz", "https://example.com/x", "conf", "*.txt"]))
        flags = ["", "--chown=app:app ", "--from=build "] if kind == "copy" else ["", "--chown=1:1 "]
        flag = draw(st.sampled_from(flags))
        return f"{kind.upper()} {flag}{src} /app/"
    if kind == "env":
        return draw(
            st.sampled_from(
                ['ENV A=1 B="two words"', "ENV PIP_NO_CACHE_DIR=1", "ENV PATH /x:$PATH", "ENV API_TOKEN=secret"]
            )
        )
    if kind == "arg":
        return draw(st.sampled_from(["ARG V=1", "ARG TOKEN", "ARG B"]))
    if kind in ("cmd", "entry"):
        kw2 = "CMD" if kind == "cmd" else "ENTRYPOINT"
        return (
            kw2
            + " "
            + draw(
                st.sampled_from(
                    ["python app.py", '["python", "app.py"]', "app --port $PORT", "a && b", "exec x", '[ "broken json"']
                )
            )
        )
    if kind == "label":
        return 'LABEL org.example.v="1" x=y'
    if kind == "maintainer":
        return draw(st.sampled_from(["MAINTAINER Jane <j@x.org>", 'MAINTAINER "q" $HOME \\\\x']))
    if kind == "workdir":
        return "WORKDIR /app"
    if kind == "user":
        return "USER app"
    if kind == "expose":
        return "EXPOSE 8000"
    if kind == "comment":
        return draw(st.sampled_from(["# a comment", "#", "# dopt: keep", "# hadolint ignore=DL3059", "  # indented"]))
    if kind == "blank":
        return draw(st.sampled_from(["", "   ", "\t"]))
    if kind == "onbuild":
        return "ONBUILD RUN echo hi"
    if kind == "healthcheck":
        return "HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1"
    return draw(st.sampled_from(['SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'SHELL ["pwsh", "-Command"]']))


@st.composite
def dockerfile_text(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["# syntax=docker/dockerfile:1", "# check=skip=all", "# escape=\\"])))
    for _ in range(draw(st.integers(1, 2))):
        base = draw(st.sampled_from(["debian:bookworm", "python:3.11-slim", "alpine:3.19", "node", "ubuntu:latest"]))
        lines.append(f"FROM {base}" + draw(st.sampled_from(["", " AS build", " as final"])))
        lines.extend(draw(st.lists(instruction(), min_size=0, max_size=8)))
    text = "\n".join(lines)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 8)) == 0:
        text = "\ufeff" + text
    return text


PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(dockerfile_text())
def test_parser_agrees_with_buildkit(text: str) -> None:
    assert compare_text(text) in ("agree", "both-reject")


@PROFILE
@given(dockerfile_text())
def test_instruction_spans_tile_the_source(text: str) -> None:
    """Every instruction's span starts at its keyword, spans are in order and never overlap, and what lies
    between them is only blank lines and comments: edits on these spans can never touch other text."""
    try:
        doc = parse(text)
    except DockerfileSyntaxError:
        return
    pos = 0
    for ins in doc.instructions:
        assert pos <= ins.start <= ins.header_end <= ins.end <= len(text)
        assert text[ins.start : ins.start + len(ins.keyword)].upper() == ins.keyword
        for line in text[pos : ins.start].lstrip("\ufeff").splitlines():
            assert not line.strip() or line.strip().startswith("#"), (line, text)
        pos = ins.end
    for line in text[pos:].splitlines():
        assert not line.strip() or line.strip().startswith("#"), (line, text)


@PROFILE
@given(dockerfile_text(), st.booleans())
def test_all_rules_are_stable(text: str, unsafe: bool) -> None:
    try:
        parse(text)
    except DockerfileSyntaxError:
        return
    s = Settings(unsafe_fixes=unsafe)
    result = fix_text(text, "Dockerfile", s)
    assert result.converged
    assert fix_text(result.output, "Dockerfile", s).output == result.output
    assert buildkit_parses(result.output)
    assert comment_lines(result.output) >= comment_lines(text)


# -- an edited RUN keeps one continuation style ---------------------------------------------------

STYLED_COMMANDS = st.sampled_from(
    [
        "apt-get update",
        "apt-get install -y curl",
        "apt-get install -y \\\n{i}git \\\n{i}make",
        "pip install flask",
        "apk add git",
        "apk update",
        "dnf install -y git",
        "yum install git",
        "npm ci",
        "yarn install",
        "conda install -y numpy",
        "gem install rails",
        "composer install",
        "curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz",
        "tar -xzf /tmp/x.tgz -C /opt",
        "rm -f /tmp/x.tgz",
        "mkdir -p /data",
        "chmod +x /usr/local/bin/tool",
        "useradd -m app",
        "echo done > /etc/done",
    ]
)


@st.composite
def styled_run(draw: st.DrawFn, indent: str) -> str:
    """A RUN whose commands are chained in one style: `a && \\` lines, `    && b` lines, or one line."""
    style = draw(st.sampled_from(["trailing", "leading", "line"]))
    cmds = [c.replace("{i}", indent + indent) for c in draw(st.lists(STYLED_COMMANDS, min_size=1, max_size=4))]
    if style == "line":
        cmds = [c.replace(" \\\n" + indent + indent, " ") for c in cmds]
        return "RUN " + " && ".join(cmds)
    joiner = " && \\\n" + indent if style == "trailing" else " \\\n" + indent + "&& "
    return "RUN " + joiner.join(cmds)


@st.composite
def styled_dockerfile(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from(["    ", "\t", "  "]))
    base = draw(st.sampled_from(["debian:bookworm", "python:3.11-slim", "alpine:3.19", "fedora:40"]))
    lines = [f"FROM {base}"]
    for _ in range(draw(st.integers(1, 6))):
        lines.append(draw(styled_run(indent)))
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["# a comment", ""])))
    text = "\n".join(lines) + "\n"
    return text.replace("\n", "\r\n") if draw(st.integers(0, 3)) == 0 else text


def chains_both_ways(text: str, ins: object) -> bool:
    from optimizer.analysis.invocations import chain_lines

    leading, trailing, _indent = chain_lines(text, ins)  # type: ignore[arg-type]
    return bool(leading and trailing)


def chain_indents(text: str, ins: object) -> set[str]:
    """The indents of the lines that carry a chained command (`&& b`, or the line after `a && \\`)."""
    out = set()
    after_and = False
    for k, (_l, s, length) in enumerate(ins.segments):  # type: ignore[attr-defined]
        seg = text[s : s + length]
        body = seg.lstrip(" \t")
        if k and body and (after_and or body.startswith("&&")):
            out.add(seg[: len(seg) - len(body)])
        after_and = seg.rstrip().endswith("&&")
    return out


@PROFILE
@given(styled_dockerfile(), st.sampled_from(["when-it-pays", "always"]), st.booleans())
def test_edited_runs_keep_one_continuation_style(text: str, merge: str, unsafe: bool) -> None:
    s = Settings(unsafe_fixes=unsafe, rule_options={"DOP101": {"merge": merge}})
    before = {text[i.start : i.end] for i in parse(text).instructions}
    assert not any(chains_both_ways(text, i) for i in parse(text).instructions)
    out = fix_text(text, "Dockerfile", s).output
    for ins in parse(out).instructions:
        if ins.keyword == "RUN" and out[ins.start : ins.end] not in before:
            assert not chains_both_ways(out, ins), out[ins.start : ins.end]
            assert len(chain_indents(out, ins)) <= 1, out[ins.start : ins.end]
