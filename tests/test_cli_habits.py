"""The habits ruff users bring to dopt (issue 25): each as a real process, as a new user would try it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import CLEAN, MERGEABLE, MERGED, dopt, write

UNFIXABLE = b"RUN pip install flask\n"  # DOP205 adds --no-cache-dir; DOP410 (no version) stays


# -- the progress bar --------------------------------------------------------------------------


def _run_on_ptys(args: list[str], stdout_is_pty: bool) -> tuple[int, bytes, bytes]:
    """Run dopt with stderr on a pseudo-terminal and stdout on another one or on a pipe."""
    import pty

    err_master, err_slave = pty.openpty()
    out_master = out_slave = -1
    if stdout_is_pty:
        out_master, out_slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    env.pop("FORCE_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", *args],
        stdout=out_slave if stdout_is_pty else subprocess.PIPE,
        stderr=err_slave,
        env=env,
    )
    os.close(err_slave)
    if stdout_is_pty:
        os.close(out_slave)

    def drain(fd: int) -> bytes:
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(fd)
        return b"".join(chunks)

    if stdout_is_pty:
        import threading

        got: list[bytes] = []
        t = threading.Thread(target=lambda: got.append(drain(out_master)))
        t.start()
        err = drain(err_master)
        t.join()
        out = got[0]
    else:
        assert proc.stdout is not None
        out = proc.stdout.read()
        err = drain(err_master)
    return proc.wait(timeout=120), out, err


def test_progress_bar_only_when_stdout_is_a_terminal_too(tmp_path: Path) -> None:
    """`dopt check dir | head -1` on a terminal: the bar would be glued to the findings; it is not drawn."""
    for i in range(25):
        write(tmp_path / f"s{i:02d}" / "Dockerfile", MERGEABLE)
    args = ["check", "--no-color", "-j", "1", str(tmp_path)]
    code, out, err = _run_on_ptys(args, stdout_is_pty=False)
    assert code == 1
    assert out.count(b" DOP101 ") == 25
    assert b"dopt check [" not in err and b"/25" not in err and b"\x1b[2K" not in err, err[-300:]
    assert b"25 files checked." in err
    code, out, err = _run_on_ptys(args, stdout_is_pty=True)
    assert code == 1
    assert b"dopt check [" in err and b"/25" in err, "both terminals: the bar is drawn"


# -- --force-exclude ----------------------------------------------------------------------------


def test_force_exclude_applies_to_stdin_filename(tmp_path: Path) -> None:
    write(tmp_path / "dopt.toml", b'extend-exclude = ["vendor"]\n')
    name = str(tmp_path / "vendor" / "Dockerfile")
    r = dopt("rewrite", "--force-exclude", "--stdin-filename", name, "-", stdin=MERGEABLE)
    assert (r.returncode, r.stdout) == (0, MERGEABLE), "excluded: passed through unchanged"
    r = dopt("check", "--force-exclude", "--stdin-filename", name, "-", stdin=MERGEABLE)
    assert (r.returncode, r.stdout) == (0, b"")
    # without --force-exclude, or for a file it does not exclude, it is processed as before
    assert dopt("rewrite", "--stdin-filename", name, "-", stdin=MERGEABLE).stdout == MERGED
    other = str(tmp_path / "app" / "Dockerfile")
    assert dopt("rewrite", "--force-exclude", "--stdin-filename", other, "-", stdin=MERGEABLE).stdout == MERGED
    r = dopt("check", "--force-exclude", "--stdin-filename", other, "-", stdin=MERGEABLE)
    assert r.returncode == 1 and b"DOP101" in r.stdout


@pytest.mark.parametrize("folder", ["node_modules/pkg", ".venv/lib", "venv"])
def test_force_exclude_applies_to_the_built_in_skips(tmp_path: Path, folder: str) -> None:
    f = write(tmp_path / folder / "Dockerfile", MERGEABLE)
    rel = str(f.relative_to(tmp_path))
    assert dopt("check", rel, cwd=tmp_path).returncode == 1, "named explicitly: checked"
    r = dopt("check", "--force-exclude", rel, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, b"")
    r = dopt("rewrite", "--force-exclude", "--stdin-filename", rel, "-", cwd=tmp_path, stdin=MERGEABLE)
    assert r.stdout == MERGEABLE
    r = dopt("rewrite", "--force-exclude", rel, cwd=tmp_path)
    assert r.returncode == 0 and f.read_bytes() == MERGEABLE


# -- no path means `.` -------------------------------------------------------------------------


def test_no_path_means_the_current_folder(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    write(tmp_path / "sub" / "Dockerfile", CLEAN)
    r = dopt("check", "--no-color", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.startswith(b"Dockerfile:3:1: DOP101 "), r.stdout  # not ./Dockerfile
    assert b"2 files checked." in r.stderr
    r = dopt("rewrite", "--diff", cwd=tmp_path)
    assert r.returncode == 1 and r.stdout.startswith(b"--- Dockerfile\n+++ Dockerfile\n")
    r = dopt("rewrite", cwd=tmp_path)
    assert r.returncode == 0 and f.read_bytes() == MERGED
    # `-` still means standard input
    assert dopt("rewrite", "-", stdin=MERGEABLE, cwd=tmp_path).stdout == MERGED


# -- check --diff, --fix-only, --exit-non-zero-on-fix, --show-settings, --show-files, -v ------------


def test_check_diff_is_the_rewrite_diff(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE + UNFIXABLE)
    r = dopt("check", "--diff", "Dockerfile", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == dopt("rewrite", "--diff", "Dockerfile", cwd=tmp_path).stdout
    assert b"+    touch /app/x" in r.stdout and b"--no-cache-dir" in r.stdout
    assert f.read_bytes() == MERGEABLE + UNFIXABLE
    clean = write(tmp_path / "c" / "Dockerfile", CLEAN)
    assert dopt("check", "--diff", str(clean)).returncode == 0


def test_fix_only_and_exit_non_zero_on_fix(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE + UNFIXABLE)
    r = dopt("check", "--fix-only", str(f))
    assert r.returncode == 0, "the unfixable finding left is not reported"
    assert r.stdout == b""
    assert b"DOP410" not in r.stderr and b"Fixed 2." in r.stderr
    assert f.read_bytes().startswith(MERGED)
    f.write_bytes(MERGEABLE)
    assert dopt("check", "--fix", "--exit-non-zero-on-fix", str(f)).returncode == 1, "no finding left, a fix made"
    assert f.read_bytes() == MERGED
    assert dopt("check", "--fix", "--exit-non-zero-on-fix", str(f)).returncode == 0, "nothing fixed"
    f.write_bytes(MERGEABLE)
    assert dopt("check", "--fix-only", "--exit-non-zero-on-fix", str(f)).returncode == 1
    # --fix-only on stdin: the fixed text, nothing else
    r = dopt("check", "--fix-only", "-", stdin=MERGEABLE + UNFIXABLE)
    assert r.returncode == 0 and r.stdout.startswith(MERGED) and b"DOP410" not in r.stderr


def test_show_files_and_show_settings(tmp_path: Path) -> None:
    write(tmp_path / "dopt.toml", b'ignore = ["DOP403"]\n\n[merge-consecutive-runs]\nmerge = "always"\n')
    f = write(tmp_path / "a" / "Dockerfile", MERGEABLE)
    write(tmp_path / "b" / "dockerfile", CLEAN)
    r = dopt("check", "--show-files", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, b"a/Dockerfile\nb/dockerfile\n")
    assert f.read_bytes() == MERGEABLE
    r = dopt("rewrite", "--show-files", str(tmp_path))
    assert r.returncode == 0
    assert r.stdout.decode().splitlines() == [f"{tmp_path}/a/Dockerfile", f"{tmp_path}/b/dockerfile"]
    assert f.read_bytes() == MERGEABLE, "--show-files writes nothing"
    r = dopt("check", "--show-settings", "--select", "DOP1", "a/Dockerfile", cwd=tmp_path)
    assert r.returncode == 0
    text = r.stdout.decode()
    assert text.startswith("Resolved settings for: a/Dockerfile\n")
    assert f"Settings path: {tmp_path}/dopt.toml\n" in text
    assert "select = [DOP1]\n" in text and "ignore = [DOP403]\n" in text
    assert "[DOP101] merge = 'always'" in text
    r = dopt("check", "--isolated", "--show-settings", "--config", "unsafe-fixes = true", "a/Dockerfile", cwd=tmp_path)
    assert "Settings path: none (defaults)\n" in r.stdout.decode() and "unsafe-fixes = true\n" in r.stdout.decode()


def test_verbose_names_the_configuration_and_times_each_file(tmp_path: Path) -> None:
    write(tmp_path / "dopt.toml", b'ignore = ["DOP403"]\n')
    write(tmp_path / "a" / "Dockerfile", MERGEABLE)
    write(tmp_path / "b" / "Dockerfile", CLEAN)
    for args in (["check", "-v"], ["rewrite", "--verbose", "--diff"]):
        r = dopt(*args, cwd=tmp_path)
        lines = r.stderr.decode().splitlines()
        assert lines.count(f"Using configuration: {tmp_path}/dopt.toml") == 1, lines
        timed = [ln for ln in lines if ln.endswith(" ms")]
        assert [ln.split(":")[0] for ln in timed] == ["a/Dockerfile", "b/Dockerfile"], lines
    assert b" ms\n" not in dopt("check", cwd=tmp_path).stderr


# -- --config KEY=VALUE ------------------------------------------------------------------------


def test_inline_config_overrides_the_file(tmp_path: Path) -> None:
    write(tmp_path / "dopt.toml", b'ignore = ["DOP205"]\n')
    f = write(tmp_path / "Dockerfile", MERGEABLE + b"RUN pip install flask==3.0.3\n")
    r = dopt("check", "--no-color", str(f))
    assert b"DOP101" in r.stdout and b"DOP205" not in r.stdout
    r = dopt("check", "--no-color", "--config", 'ignore = ["DOP101"]', str(f))
    assert b"DOP101" not in r.stdout and b"DOP205" in r.stdout, "the inline value replaces the file's"
    r = dopt("check", "--config", "ignore=['DOP101','DOP205']", "--config", "unsafe-fixes=true", str(f))
    assert r.returncode == 0, r.stdout
    # a per-rule option, as a dotted key
    r = dopt("check", "--show-settings", "--config", "merge-consecutive-runs.merge = 'always'", str(f))
    assert "[DOP101] merge = 'always'" in r.stdout.decode()
    # --config FILE keeps working; a file name with `=` that is not TOML is a file
    conf = write(tmp_path / "x=1.toml", b'select = ["DOP205"]\n')
    r = dopt("check", "--no-color", "--config", str(conf), str(f))
    assert r.returncode == 1 and b"DOP205" in r.stdout and b"DOP101" not in r.stdout
    # errors name --config, with a suggestion
    r = dopt("check", "--config", 'selct = ["DOP1"]', str(f))
    assert (r.returncode, r.stderr) == (2, b"error: --config: unknown key 'selct' (did you mean 'select'?)\n")
    r = dopt("check", "--config", "unsafe-fixes = 1", str(f))
    assert r.returncode == 2 and b"unsafe-fixes must be a boolean" in r.stderr


def test_unknown_config_keys_get_a_suggestion(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    write(tmp_path / "dopt.toml", b'extend-selct = ["DOP1"]\n')
    r = dopt("check", str(f))
    assert r.returncode == 2
    assert r.stderr.endswith(b"dopt.toml: unknown key 'extend-selct' (did you mean 'extend-select'?)\n"), r.stderr
    write(tmp_path / "dopt.toml", b'[merge-consecutive-runs]\nkeep-seperate = ["make"]\n')
    r = dopt("check", str(f))
    assert r.returncode == 2 and b"(did you mean merge-consecutive-runs.keep-separate?)" in r.stderr, r.stderr
    write(tmp_path / "dopt.toml", b'[merge-consecutive-run]\nmerge = "always"\n')
    r = dopt("check", str(f))
    assert b"(did you mean 'merge-consecutive-runs'?)" in r.stderr, r.stderr


# -- # noqa ------------------------------------------------------------------------------------


def test_noqa_is_warned_about_once_per_file(tmp_path: Path) -> None:
    f = write(
        tmp_path / "Dockerfile",
        b"FROM debian:bookworm\n# noqa: DOP101\nRUN mkdir -p /app\nRUN touch /app/x  # noqa\n"
        b"RUN python3 - <<EOF\nimport os  # noqa: F401\nEOF\n",
    )
    r = dopt("check", str(f))
    warnings = [ln for ln in r.stderr.decode().splitlines() if "noqa" in ln]
    assert warnings == [
        f"warning: {f}:2: `# noqa` does nothing in a Dockerfile; to silence a rule put `# dopt: ignore=CODE` "
        "on the line before the instruction"
    ]
    g = write(tmp_path / "b" / "Dockerfile", b"FROM debian:bookworm\nRUN python3 - <<EOF\nimport os  # noqa\nEOF\n")
    assert b"noqa" not in dopt("check", str(g)).stderr, "a Python heredoc's noqa is Python's"


# -- check --fix - -------------------------------------------------------------------------------


def test_check_fix_stdin_lists_what_remains_on_stderr() -> None:
    r = dopt("check", "--fix", "--no-color", "-", "--stdin-filename", "x/Dockerfile", stdin=MERGEABLE + UNFIXABLE)
    assert r.returncode == 1
    assert r.stdout == MERGED + b"RUN pip install --no-cache-dir flask\n"
    assert b"x/Dockerfile:4:1: DOP410 " in r.stderr
    assert b"Fixed 2. Found 1 finding." in r.stderr
    r = dopt("check", "--fix", "--output-format", "json", "-", stdin=MERGEABLE + UNFIXABLE)
    assert r.stdout == MERGED + b"RUN pip install --no-cache-dir flask\n"
    assert [x["code"] for x in json.loads(r.stderr[: r.stderr.rindex(b"]") + 1])] == ["DOP410"]


# -- the github format and one table of severities ------------------------------------------------


def test_github_paths_are_workspace_relative_without_fix_marks(tmp_path: Path) -> None:
    write(tmp_path / "app" / "Dockerfile", MERGEABLE)
    r = dopt("check", "--output-format", "github", "./app/Dockerfile", cwd=tmp_path)
    assert r.stdout.startswith(b"::warning file=app/Dockerfile,line=3,"), r.stdout
    assert b"[*]" not in r.stdout
    ws = {"GITHUB_WORKSPACE": str(tmp_path)}
    r = dopt("check", "--output-format", "github", "Dockerfile", cwd=tmp_path / "app", env=ws)
    assert r.stdout.startswith(b"::warning file=app/Dockerfile,"), r.stdout
    r = dopt("check", "--output-format", "github", str(tmp_path / "app" / "Dockerfile"), env=ws)
    assert r.stdout.startswith(b"::warning file=app/Dockerfile,"), r.stdout


def test_dop001_is_an_error_in_every_format_and_in_the_language_server(tmp_path: Path) -> None:
    text = b"FROM debian:bookworm-slim\nCOPY app.py\n"
    f = write(tmp_path / "Dockerfile", text)

    def out(fmt: str) -> bytes:
        return dopt("check", "--select", "DOP001", "--output-format", fmt, str(f), cwd=tmp_path).stdout

    assert json.loads(out("json"))[0]["severity"] == "error"
    assert json.loads(out("sarif"))["runs"][0]["results"][0]["level"] == "error"
    assert out("github").startswith(b"::error ")
    assert json.loads(out("gitlab"))[0]["severity"] == "critical"
    assert json.loads(out("rdjson"))["diagnostics"][0]["severity"] == "ERROR"
    assert b'type="DOP001"' in out("junit")
    import lsprotocol.types as lsp
    from pygls.workspace import TextDocument

    from optimizer.app import server
    from optimizer.core.settings import Settings

    (d,) = server.diagnostics(TextDocument("file:///x/Dockerfile", text.decode()), Settings(select={"DOP001"}))
    assert (d.code, d.severity) == ("DOP001", lsp.DiagnosticSeverity.Error)
    (w,) = server.diagnostics(TextDocument("file:///x/Dockerfile", MERGEABLE.decode()), Settings(select={"DOP101"}))
    assert w.severity == lsp.DiagnosticSeverity.Warning


def test_one_severity_table() -> None:
    """Every level has a name in every output, and a hadolint override wins over the rule's level."""
    from optimizer.core import severity

    for level in severity.LEVELS:
        assert set(severity.NAMES[level]) == {"sarif", "github", "gitlab", "rdjson", "lsp"}
    assert severity.level("DOP001") == "error" and severity.level("DOP101") == "warning"
    assert severity.level("DOP001", "info") == "info"


# -- discovery: plain `dockerfile` ---------------------------------------------------------------


def test_lowercase_dockerfile_is_found(tmp_path: Path) -> None:
    from optimizer.app.files import discover

    for name in ("dockerfile", "Dockerfile.dev", "api.dockerfile", "containerfile"):
        write(tmp_path / name.replace(".", "_") / name, MERGEABLE)
    write(tmp_path / "x" / "dockerfile_parse.py", b"print(1)\n")
    write(tmp_path / "x" / "dockerfile.md", b"# notes\n")
    assert [os.path.relpath(f, tmp_path) for f in discover([str(tmp_path)])] == [
        "Dockerfile_dev/Dockerfile.dev",
        "api_dockerfile/api.dockerfile",
        "containerfile/containerfile",
        "dockerfile/dockerfile",
    ]
    r = dopt("check", cwd=tmp_path / "dockerfile")
    assert r.returncode == 1 and r.stdout.startswith(b"dockerfile:3:1: DOP101 ")


# -- messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "typer"])
def test_unknown_output_format_is_one_plain_line(tmp_path: Path, fast: bool) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    env = {} if fast else {"DOPT_NO_FASTPATH": "1"}
    r = dopt("check", "--output-format", "xml", str(f), env=env)
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr == (
        b"error: unknown output format 'xml'; choose one of text, json, sarif, github, gitlab, junit, rdjson\n"
    )
    r = dopt("rules", "--output-format", "xml")
    assert (r.returncode, r.stderr) == (2, b"error: unknown output format 'xml'; choose one of text, json\n")


def test_explain_a_prefix_lists_its_rules() -> None:
    r = dopt("explain", "DOP2")
    assert r.returncode == 2
    lines = r.stderr.decode().splitlines()
    assert lines[0] == "error: 'DOP2' is not one rule; the rules that start with it:"
    assert lines[1].startswith("  DOP201 ") and all(ln.startswith("  DOP2") for ln in lines[1:])
    assert len(lines) > 10
    assert dopt("explain", "DOP999").stderr.startswith(b"error: unknown rule 'DOP999'")


def test_show_fixes_with_diff_says_would_fix(tmp_path: Path) -> None:
    f = write(tmp_path / "Dockerfile", MERGEABLE)
    r = dopt("rewrite", "--diff", "--show-fixes", str(f))
    assert f"Would fix 1 finding in {f}:\n    1 × DOP101 (merge-consecutive-runs)\n".encode() in r.stderr
    assert b"Fixed" not in r.stderr
    r = dopt("rewrite", "--check", "--show-fixes", str(f))
    assert b"Would fix 1 finding" in r.stderr
    r = dopt("rewrite", "--show-fixes", str(f))
    assert b"Fixed 1 finding" in r.stderr
