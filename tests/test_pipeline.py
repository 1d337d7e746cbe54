"""One pipeline: the command line (`dopt rewrite`), `dopt batch` and the language server (`dopt server`'s
formatting) each give, for every golden case, the golden expected output byte for byte.

Each path runs as users run it, as a subprocess: every case is copied into a folder of its own with a
`.dopt.toml` that says what its `# dopt-test:` line says (select, ignore, unsafe fixes, rule options), so that one
process per path serves every case. The server is driven over stdio with the plain LSP protocol (initialize,
initialized, didOpen, textDocument/formatting, didClose, shutdown, exit); its formatting applies the safe fixes
only, so it is compared on the cases without `--unsafe-fixes`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import pytest

from optimizer.app.files import unified_diff
from optimizer.core.registry import get_rule
from optimizer.core.settings import Settings

from .golden_harness import Case, cases, settings_for

CASES = cases()
ROOT = Path(__file__).resolve().parent.parent
# the subprocesses run in temporary folders: they import this tree's optimizer, whatever PYTHONPATH said
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
FIXED = [c for c in CASES if c.expected or c.input.name == "Dockerfile"]  # cases with a change, or a context


def _config(settings: Settings) -> str:
    lines = ["hadolint-config = false"]

    def spelled(codes: set[str]) -> list[str]:  # as a user writes them: SC2086, not its expansion DOP430:SC2086
        return sorted(c.partition(":")[2] or c for c in codes)

    if settings.select is not None:
        lines.append(f"select = {json.dumps(spelled(settings.select))}")
    if settings.ignore:
        lines.append(f"ignore = {json.dumps(spelled(settings.ignore))}")
    if settings.unsafe_fixes:
        lines.append("unsafe-fixes = true")
    if settings.cache_mounts:  # the golden cases of the cache-mounts mode: the mode from a configuration file
        lines.append("cache-mounts = true")
    for code, options in sorted(settings.rule_options.items()):
        rule = get_rule(code)
        assert rule is not None
        lines.append(f"[{rule.name}]")
        lines.extend(f"{k} = {json.dumps(v)}" for k, v in sorted(options.items()))
    return "\n".join(lines) + "\n"


def _copy_all(root: Path) -> dict[str, Path]:
    """Every case in ``root/<n>/`` with its `.dopt.toml`: case id -> the Dockerfile's copy."""
    out = {}
    for n, case in enumerate(CASES):
        folder = root / str(n)
        if case.input.name == "Dockerfile":  # a folder case: its context, without the expected files
            shutil.copytree(case.input.parent, folder / "ctx", ignore=shutil.ignore_patterns("expected.*"))
            path = folder / "ctx" / "Dockerfile"
        else:
            folder.mkdir(parents=True)
            path = folder / case.input.name
            shutil.copyfile(case.input, path)
        (folder / ".dopt.toml").write_text(_config(settings_for(case, case.input.read_text(encoding="utf-8"))))
        out[case.id] = path
    return out


def _expected_files(case: Case) -> dict[str, bytes]:
    """The context files the case's fixes write, by name without a leading dot (``expected.dockerignore`` is
    ``.dockerignore``, ``expected.requirements.txt`` is ``requirements.txt``), as tests/test_golden.py names them."""
    if case.input.name != "Dockerfile":
        return {}
    return {
        p.name[len("expected.") :]: p.read_bytes()
        for p in case.input.parent.glob("expected.*")
        if p.name not in ("expected.Dockerfile", "expected.findings")
    }


def _context_after(case: Case, folder: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The files beside the Dockerfile after the run, and what they should be (the case's files, with those the
    fixes write replaced or added), by name without a leading dot."""
    got = {p.name.lstrip("."): p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != "Dockerfile"}
    want = {
        p.name.lstrip("."): p.read_bytes()
        for p in case.input.parent.iterdir()
        if p.is_file() and p.name != "Dockerfile" and not p.name.startswith("expected.")
    }
    return got, {**want, **_expected_files(case)}


def _written_name(case: Case, folder: Path, name: str) -> Path:
    """Where a file the fixes write lands: the case's own file of that name (with or without a dot), else a new
    file (`.dockerignore` for ``expected.dockerignore``)."""
    for candidate in (folder / name, folder / ("." + name)):
        if (case.input.parent / candidate.name).exists():
            return candidate
    return folder / ("." + name if name == "dockerignore" else name)


def _expected(case: Case) -> bytes:
    return case.expected.read_bytes() if case.expected else case.input.read_bytes()


def _dopt(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "optimizer", *args],
        cwd=cwd,
        env=ENV,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


# -- the command line -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rewritten(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    paths = _copy_all(root)
    proc = _dopt("rewrite", *map(str, paths.values()), cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    return paths


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_rewrite_writes_the_expected_output(case: Case, rewritten: dict[str, Path]) -> None:
    path = rewritten[case.id]
    assert path.read_bytes() == _expected(case)
    if case.input.name == "Dockerfile":
        got, want = _context_after(case, path.parent)
        assert got == want


# -- dopt batch -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch_records(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], dict[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("batch")
    paths = _copy_all(root)
    listing = root / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in paths.values()))
    out = root / "out.jsonl"
    proc = _dopt("batch", str(listing), "--jsonl", str(out), cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    return paths, {r["path"]: r for r in recs}


@pytest.mark.parametrize("case", FIXED, ids=[c.id for c in FIXED])
def test_batch_diff_is_the_expected_change(
    case: Case, batch_records: tuple[dict[str, Path], dict[str, dict[str, Any]]]
) -> None:
    paths, recs = batch_records
    path = paths[case.id]
    rec = recs[str(path)]
    assert rec["error"] is None
    source = case.input.read_bytes().decode("utf-8")
    want = unified_diff(source, _expected(case).decode("utf-8"), str(path))
    for target in sorted(_written_name(case, path.parent, name) for name in _expected_files(case)):
        old = target.read_bytes().decode("utf-8") if target.exists() else None
        content = _expected_files(case)[target.name.lstrip(".")].decode("utf-8")
        want += unified_diff(old or "", content, str(target), new_file=old is None)
    assert rec["diff"] == want
    assert rec["changed"] == (case.expected is not None or bool(_expected_files(case)))
    if case.input.name == "Dockerfile":  # batch writes nothing
        got, _want = _context_after(case, path.parent)
        assert got == {
            k: v for k, v in _context_after(case, case.input.parent)[0].items() if not k.startswith("expected.")
        }


# -- the language server ----------------------------------------------------------------------------------------

SAFE = [c for c in CASES if "--unsafe-fixes" not in c.input.read_text(encoding="utf-8")]


class Lsp:
    """A minimal LSP client over a subprocess's stdio: requests by id, notifications ignored."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "optimizer", "server"],
            cwd=cwd,
            env=ENV,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.watchdog = threading.Timer(600, self.proc.kill)  # a hung server fails the test, never the run
        self.watchdog.daemon = True
        self.watchdog.start()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def _read(self) -> dict[str, Any]:
        out: IO[bytes] | None = self.proc.stdout
        assert out is not None
        length = None
        while True:
            line = out.readline()
            assert line, "the server closed its output"
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        assert length is not None
        message: dict[str, Any] = json.loads(out.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._read()
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message["error"]
                return message.get("result")
            if "method" in message and "id" in message:  # a request from the server: answer it plainly
                self.send({"id": message["id"], "result": None})

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=30)
        self.watchdog.cancel()


_LINE_END = re.compile(r"\r\n|\r|\n")


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP TextEdits with UTF-16 positions."""
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def offset(pos: dict[str, int]) -> int:
        if pos["line"] >= len(starts):
            return len(text)
        at, units = starts[pos["line"]], pos["character"]
        while units > 0 and at < len(text):
            units -= 2 if ord(text[at]) > 0xFFFF else 1
            at += 1
        return at

    spans = sorted(
        ((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@pytest.fixture(scope="module")
def formatted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("lsp")
    paths = _copy_all(root)
    client = Lsp(root)
    out: dict[str, bytes] = {}
    try:
        init = client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            },
        )
        assert init["capabilities"].get("documentFormattingProvider")
        client.notify("initialized", {})
        for case in SAFE:
            path = paths[case.id]
            text = path.read_bytes().decode("utf-8")
            uri = path.as_uri()
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}},
            )
            edits = client.request(
                "textDocument/formatting",
                {"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}},
            )
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            out[case.id] = _apply(text, edits or []).encode("utf-8")
    finally:
        client.close()
    return out


@pytest.mark.parametrize("case", SAFE, ids=[c.id for c in SAFE])
def test_server_formatting_gives_the_expected_output(case: Case, formatted: dict[str, bytes]) -> None:
    assert formatted[case.id] == _expected(case)


def test_second_file_is_in_every_diff(tmp_path: Path) -> None:
    """A fix that writes .dockerignore: `dopt rewrite --diff` and `dopt batch` both show the new file."""
    case = next(c for c in cases() if c.id == "dockerignore/py-no-dockerignore")
    shutil.copytree(case.input.parent, tmp_path / "ctx", ignore=shutil.ignore_patterns("expected.*"))
    path = tmp_path / "ctx" / "Dockerfile"
    flags = ["--isolated", "--unsafe-fixes", "--select", "DOP601"]
    cli = _dopt("rewrite", "--diff", *flags, str(path), cwd=tmp_path)
    assert cli.returncode == 1, cli.stderr
    assert "+++ " + str(path.parent / ".dockerignore") in cli.stdout
    listing = tmp_path / "files.txt"
    listing.write_text(f"{path}\n")
    out = tmp_path / "out.jsonl"
    batch = _dopt("batch", str(listing), "--jsonl", str(out), *flags, cwd=tmp_path)
    assert batch.returncode in (0, 1), batch.stderr
    rec = json.loads(out.read_text().splitlines()[0])
    assert rec["diff"] == cli.stdout
    assert not (path.parent / ".dockerignore").exists()  # neither wrote anything
