"""Huge and hostile inputs finish (linear time: bench/scaling.py prints the figures) or are refused cleanly."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.app.files import read, write_atomic
from optimizer.core.engine import fix_text
from optimizer.core.settings import Settings
from optimizer.errors import DockerfileSyntaxError, InputError
from optimizer.syntax.parser import MAX_BYTES, parse

from .oracle import buildkit_parses, oracle_view, our_view

ALL = Settings(unsafe_fixes=True)


def _stable(text: str) -> str:
    out = fix_text(text, "Dockerfile", ALL).output
    assert fix_text(out, "Dockerfile", ALL).output == out
    return out


def test_one_megabyte_run_line_is_refused_like_buildkit() -> None:
    text = "FROM debian:bookworm\nRUN echo " + "a" * 1_000_000 + " && pip install flask\n"
    with pytest.raises(DockerfileSyntaxError, match="line greater than max allowed size") as e:
        parse(text)
    assert e.value.line == 2
    assert not buildkit_parses(text)


def test_one_megabyte_run_in_continued_lines() -> None:
    lines = "".join(f"  {'a' * 990} \\\n" for _ in range(1000))
    text = "FROM debian:bookworm\nRUN echo \\\n" + lines + "  && pip install flask\n"
    out = _stable(text)
    assert "&& pip install --no-cache-dir flask" in out


def test_fifty_thousand_instructions() -> None:
    body = "".join(f"RUN echo {i}\nENV V{i}={i}\n" for i in range(25_000))
    # the last two RUNs merge and the apt install gets its flags: only rules that ran to the end see them
    tail = "RUN apt-get install -y curl\nRUN mkdir -p /app\nRUN touch /app/x\n"
    text = "FROM debian:bookworm\n" + body + tail
    doc = parse(text)
    assert len(doc.instructions) == 50_004
    # a budget no machine runs out of, so that the test shows every rule ran (not that a slow one was skipped)
    result = fix_text(text, "Dockerfile", Settings(unsafe_fixes=True, budget_seconds=3600))
    assert result.skipped == []
    assert result.output.startswith("FROM debian:bookworm\n" + body)  # ENV between the RUNs: nothing to merge
    out_tail = result.output[len("FROM debian:bookworm\n" + body) :]
    assert "--no-install-recommends" in out_tail and "&&" in out_tail, out_tail
    assert {"DOP101", "DOP202"} <= {d.code for d in result.applied}


def test_ten_thousand_continuations() -> None:
    packages = "".join(f"  pkg{i} \\\n" for i in range(10_000))
    text = "FROM debian:bookworm\nRUN apt-get install -y \\\n" + packages + "  end\n"
    doc = parse(text)
    assert doc.instructions[1].line_end == 10_003
    out = _stable(text)
    assert out.startswith("FROM debian:bookworm\nRUN apt-get install --no-install-recommends -y \\\n")


def test_deep_command_substitution() -> None:
    text = "FROM debian:bookworm\nRUN echo " + "$(echo " * 2000 + "x" + ")" * 2000 + "\n"
    _stable(text)


@pytest.mark.parametrize("depth", [500, 5_000, 20_000])
def test_deeply_nested_json(depth: int) -> None:
    text = "FROM debian:bookworm\nCMD " + "[" * depth + "]" * depth + "\n"
    if buildkit_parses(text):  # deeper than Go's limit: BuildKit takes it as shell form
        assert our_view(text) == oracle_view(text)
        assert not parse(text).instructions[1].json
    else:
        with pytest.raises(DockerfileSyntaxError, match="strings only"):
            parse(text)


def test_many_heredocs() -> None:
    text = "FROM debian:bookworm\n" + "".join(f"RUN <<EOF{i}\necho {i}\nEOF{i}\n" for i in range(5_000))
    assert len(parse(text).instructions) == 5_001


def test_big_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    with f.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB, sparse
    with pytest.raises(DockerfileSyntaxError, match="refuses files over"):
        read(str(f))
    r = subprocess.run([sys.executable, "-m", "optimizer", "rewrite", str(f)], capture_output=True)
    assert r.returncode == 2 and b"refuses files over" in r.stderr
    assert f.stat().st_size == 100 * 1024 * 1024


def test_stdin_over_the_limit() -> None:
    data = b"FROM a\nRUN echo " + b"a" * (MAX_BYTES + 10) + b"\n"
    r = subprocess.run([sys.executable, "-m", "optimizer", "rewrite", "-"], input=data, capture_output=True)
    assert r.returncode == 2 and b"refuses files over" in r.stderr and r.stdout == b""


def test_full_disk_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM a\nRUN a\nRUN b\n")
    loaded = read(str(f))

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(InputError, match="No space left"):
        write_atomic(loaded, "FROM a\nRUN a && \\\n    b\n")
    assert f.read_bytes() == b"FROM a\nRUN a\nRUN b\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"], "the temporary file is removed"


def test_file_changed_while_processing(tmp_path: Path) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"FROM a\nRUN a\nRUN b\n")
    loaded = read(str(f))
    f.write_bytes(b"FROM a\nRUN edited\n")  # someone saved meanwhile
    with pytest.raises(InputError, match="changed on disk"):
        write_atomic(loaded, "FROM a\nRUN a && \\\n    b\n")
    assert f.read_bytes() == b"FROM a\nRUN edited\n"


def test_directory_given_as_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read(str(tmp_path))


REGRESSIONS = sorted((Path(__file__).parent / "fuzz_regressions").glob("*"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_fuzz_regressions(path: Path) -> None:
    """Inputs the fuzzer once broke: each rewrites stably or fails cleanly."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
        parse(text)
    except (UnicodeDecodeError, DockerfileSyntaxError):
        return
    for settings in (Settings(), ALL):
        result = fix_text(text, "Dockerfile", settings)
        assert result.converged
        assert fix_text(result.output, "Dockerfile", settings).output == result.output
