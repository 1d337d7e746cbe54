"""analysis/shell_folder.py: the folder each command of a RUN runs in, moved by `cd` on the script's chain."""

from __future__ import annotations

import pytest

from optimizer.analysis.shell_folder import UNKNOWN, folder_at_end, folders, known, resolve
from optimizer.syntax.shell import parse_script


def _where(source: str, start: str | None = None) -> list[tuple[str, str]]:
    script = parse_script(source)
    at = folders(script, start)
    return [(c.name, at[c.start].replace(UNKNOWN, "?")) for c in script.commands()]


@pytest.mark.parametrize(
    "source,start,expected",
    [
        ("cd /tmp && curl -O u && tar xf x.tgz", None, [("cd", "?0"), ("curl", "/tmp"), ("tar", "/tmp")]),
        ("cd /a; cd b && cd .. && ls", "/w", [("cd", "/w"), ("cd", "/a"), ("cd", "/a/b"), ("ls", "/a")]),
        ("cd sub && cd .. && ls", None, [("cd", "?0"), ("cd", "?0/sub"), ("ls", "?0")]),
        ("cd ../x && ls", None, [("cd", "?0"), ("ls", "?1")]),  # above an unknown folder
        ("cd x && ls", "/w", [("cd", "/w"), ("ls", "/w/x")]),
        ("cd -P /opt && ls", None, [("cd", "?0"), ("ls", "/opt")]),
        ("cd /x || exit 1; ls", None, [("cd", "?0"), ("exit", "/x"), ("ls", "/x")]),
        # unknown from there on: cd alone, cd -, a variable, ~, pushd, a cd in a subshell or loop, cd … || true
        ("cd; ls", "/w", [("cd", "/w"), ("ls", "?1")]),
        ("cd -; ls", "/w", [("cd", "/w"), ("ls", "?1")]),  # no cd before it in the chain
        ('cd /a && cd "$D" && cd - && ls', None, [("cd", "?0"), ("cd", "/a"), ("cd", "?1"), ("ls", "/a")]),
        (
            "cd /a && cd b && cd - && cd - && ls",
            None,
            [("cd", "?0"), ("cd", "/a"), ("cd", "/a/b"), ("cd", "/a"), ("ls", "/a/b")],
        ),
        ('cd "$D"; ls', "/w", [("cd", "/w"), ("ls", "?1")]),
        ("cd ~/src; ls", "/w", [("cd", "/w"), ("ls", "?1")]),
        ("pushd /y; ls", "/w", [("pushd", "/w"), ("ls", "?1")]),
        ("(cd /x && ls) && ls", "/w", [("cd", "/w"), ("ls", "?1"), ("ls", "?1")]),
        ("for f in a; do cd $f; done; ls", "/w", [("cd", "/w"), ("ls", "?1")]),
        ("cd /x && make || true; ls", "/w", [("cd", "/w"), ("make", "?1"), ("true", "?1"), ("ls", "?1")]),
    ],
)
def test_folders(source: str, start: str | None, expected: list[tuple[str, str]]) -> None:
    assert _where(source, start) == expected


def test_folder_at_end_and_resolve() -> None:
    script = parse_script("curl -O u && cd /tmp && tar xf x.tgz")
    at = folders(script)
    assert folder_at_end(script) == "/tmp"
    assert resolve("x.tgz", at[script.commands()[0].start]) == UNKNOWN + "0/x.tgz"
    assert not known(resolve("x.tgz", at[script.commands()[0].start]))
    assert resolve("./a/../x.tgz", "/tmp") == "/tmp/x.tgz"
    assert resolve("/opt//x.tgz", "/tmp") == "/opt/x.tgz"
    assert resolve("$HOME/x.tgz", "/tmp") == "$HOME/x.tgz"
    assert resolve("../x.tgz", UNKNOWN + "0") == UNKNOWN + "0/../x.tgz"  # only the same words name it


def test_a_path_starting_with_a_variable_is_never_absolute() -> None:
    """`$DIR/x.tgz` may be absolute or relative: dopt names it only by its words and the folder they are read in."""
    assert not known(resolve("$DIR/x.tgz", "/tmp"))
    assert resolve("$DIR/x.tgz", "/tmp") == resolve("${DIR}/x.tgz".replace("${DIR}", "$DIR"), "/tmp")
    assert resolve("$DIR/x.tgz", "/tmp") != resolve("$DIR/x.tgz", "/opt")
