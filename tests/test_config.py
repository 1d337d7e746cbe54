"""Configuration files: discovery, precedence, keys, rule options, errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import dopt

# two pairs DOP101 merges by default: quick setup steps, then a RUN that removes what the one before wrote
MERGEABLE = b"FROM debian:bookworm\nRUN mkdir /x\nRUN touch /x/y\nRUN pip install flask && rm -rf /x\n"
# merged only with merge = "always"
ALWAYS_MERGEABLE = b"FROM debian:bookworm\nRUN make\nRUN touch /x\nRUN pip install flask\n"


def repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for name, body in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body.encode() if isinstance(body, str) else body)
    return tmp_path


def codes(r: object) -> list[str]:
    out = getattr(r, "stdout").decode().splitlines()  # noqa: B009
    return sorted(line.split(": ")[1].split()[0] for line in out)


def test_found_upward_first_name_wins(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "dopt.toml": 'select = ["DOP205"]\n',
            ".dopt.toml": 'select = ["DOP101"]\n',
            "svc/api/Dockerfile": MERGEABLE,
        },
    )
    r = dopt("check", str(root / "svc/api/Dockerfile"))
    assert codes(r) == ["DOP101", "DOP101"]


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "pyproject.toml": '[tool.dopt]\nignore = ["DOP101"]\n',
            "svc/pyproject.toml": '[project]\nname = "svc"\n',
            "svc/Dockerfile": MERGEABLE,
        },
    )
    assert codes(dopt("check", str(root / "svc/Dockerfile"))) == ["DOP205", "DOP410"]


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".dopt.toml").write_text('select = ["DOP205"]\n')  # outside the repository
    root = repo(tmp_path / "checkout", {"Dockerfile": MERGEABLE})
    assert codes(dopt("check", str(root / "Dockerfile"))) == ["DOP101", "DOP101", "DOP205", "DOP410"]


def test_config_flag_and_isolated(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {".dopt.toml": 'select = ["DOP205"]\n', "other.toml": 'select = ["DOP101"]\n', "Dockerfile": MERGEABLE},
    )
    f = str(root / "Dockerfile")
    assert codes(dopt("check", "--config", str(root / "other.toml"), f)) == ["DOP101", "DOP101"]
    assert codes(dopt("check", "--isolated", f)) == ["DOP101", "DOP101", "DOP205", "DOP410"]
    # the command line wins over the file
    assert codes(dopt("check", "--select", "DOP101", f)) == ["DOP101", "DOP101"]
    assert codes(dopt("check", "--extend-select", "DOP101", f)) == ["DOP101", "DOP101", "DOP205"]


def test_keys(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            ".dopt.toml": """
required-version = ">=0.1"
extend-ignore = ["DOP403"]
unsafe-fixes = true
unfixable = ["DOP205"]
exclude = ["vendor"]
extend-exclude = ["*.generated.Dockerfile"]

[per-file-ignores]
"legacy/*" = ["DOP101"]

[merge-consecutive-runs]
keep-separate = ["make"]
merge = "always"
""",
            "Dockerfile": ALWAYS_MERGEABLE,
            "legacy/Dockerfile": ALWAYS_MERGEABLE,
            "vendor/Dockerfile": ALWAYS_MERGEABLE,
            "x.generated.Dockerfile": ALWAYS_MERGEABLE,
        },
    )
    r = dopt("check", str(root))
    lines = r.stdout.decode().splitlines()
    assert not any("vendor" in x or "generated" in x for x in lines), "excluded from directory search"
    top = [x for x in lines if x.startswith(str(root / "Dockerfile"))]
    legacy = [x for x in lines if "legacy" in x]
    # `make` keeps its RUN separate; the other pair merges; DOP205 reported but not fixable
    assert [x.split(": ")[1].split()[0] for x in top] == ["DOP101", "DOP205", "DOP410"]
    assert top[1].endswith("cache in the layer") and top[0].endswith("[*]")
    assert [x.split(": ")[1].split()[0] for x in legacy] == ["DOP205", "DOP410"]
    dopt("rewrite", str(root / "Dockerfile"))
    assert (root / "Dockerfile").read_bytes() == (
        b"FROM debian:bookworm\nRUN make\nRUN touch /x && \\\n    pip install flask\n"
    )


@pytest.mark.parametrize(
    "body,needle",
    [
        ("selekt = []\n", "unknown key 'selekt'"),
        ('select = "DOP101"\n', "select must be a list of strings, not str"),
        ("unsafe-fixes = 1\n", "unsafe-fixes must be a boolean"),
        ('[per-file-ignores]\nx = "DOP101"\n', "per-file-ignores must be a table"),
        ("[merge-consecutive-runs]\nkeep = []\n", "unknown option merge-consecutive-runs.keep"),
        ("[merge-consecutive-runs]\nkeep-separate = 3\n", "keep-separate must be a list of strings"),
        ('[merge-consecutive-runs]\nmerge = "sometimes"\n', 'merge must be one of "when-it-pays", "always"'),
        ('required-version = ">=99"\n', "does not match dopt"),
        ("select = [\n", "invalid TOML"),
        ('select = ["NOPE1"]\n', "unknown rule selector 'NOPE1'"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, body: str, needle: str) -> None:
    root = repo(tmp_path, {".dopt.toml": body, "Dockerfile": MERGEABLE})
    for cmd in ("check", "rewrite"):
        r = dopt(cmd, str(root / "Dockerfile"))
        assert r.returncode == 2
        assert needle in r.stderr.decode() and ".dopt.toml" in r.stderr.decode()
    assert (root / "Dockerfile").read_bytes() == MERGEABLE


def test_config_keys_come_from_the_option_table(tmp_path: Path) -> None:
    """Each key is declared once (options.py): the validator accepts exactly the table's keys."""
    from optimizer.app.config import KEYS
    from optimizer.app.options import OPTIONS

    assert set(KEYS) == {o.config for o in OPTIONS if o.config}
    body = "\n".join(
        f"{k} = {v}"
        for k, v in {
            "include": '["Dockerfile*"]',
            "extend-include": '["*.df"]',
            "respect-gitignore": "false",
            "force-exclude": "true",
            "fixable": '["DOP1"]',
            "hadolint-config": "false",
        }.items()
    )
    root = repo(tmp_path, {".dopt.toml": body + "\n", "Dockerfile": MERGEABLE})
    assert dopt("check", str(root / "Dockerfile")).returncode == 1
    (root / ".dopt.toml").write_text("force-exclude = 1\n")
    r = dopt("check", str(root / "Dockerfile"))
    assert r.returncode == 2 and b"force-exclude must be a boolean, not int" in r.stderr


def test_command_line_switches_override_the_file(tmp_path: Path) -> None:
    root = repo(tmp_path, {".dopt.toml": "unsafe-fixes = true\n", "Dockerfile": b"FROM debian\nCMD python app.py\n"})
    f = str(root / "Dockerfile")
    assert b"CMD [" in dopt("rewrite", "--diff", f).stdout  # DOP304 is unsafe: on from the file
    assert dopt("rewrite", "--diff", "--no-unsafe-fixes", f).stdout == b""
