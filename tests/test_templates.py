"""The jinja2 templates that generate blocks: strict, quoted, in the file's newline and escape."""

from __future__ import annotations

import json

import jinja2
import pytest

from optimizer.analysis.templating import render, templates_dir

KW = {k: k for k in ("FROM", "AS", "RUN", "ENV", "COPY", "USER", "HEALTHCHECK", "CMD")}


def test_every_template_is_there() -> None:
    names = sorted(p.name for p in templates_dir().glob("*.j2"))
    assert names == ["create_user.j2", "healthcheck.j2", "runtime_stage.j2", "venv.j2"]


def test_missing_value_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("venv.j2", kw=KW, venv="/opt/venv")  # system_site_packages missing


def test_shell_values_are_quoted() -> None:
    out = render(
        "create_user.j2",
        kw=KW,
        part="run",
        create=["useradd app"],
        mkdir=["/srv/my app", "/data", "/opt/the app"],
        own=["/srv/my app"],
        own_all=["/data"],
        share=["/opt/the app"],
        group="1",
        owner="1:1",
    )
    assert (
        "mkdir -p '/srv/my app' /data '/opt/the app' \\\n && chown 1:1 '/srv/my app' \\\n && chown -R 1:1 /data" in out
    )
    assert "&& chgrp 1 '/opt/the app' \\\n && chmod g+w,+t '/opt/the app'" in out
    stage = render(
        "runtime_stage.j2",
        kw=KW,
        base="python:3.12-slim",
        platform="",
        name="",
        builder="builder",
        items=[{"kind": "apt", "packages": ["libpq5", "x;rm -rf /"]}],
    )
    assert "'x;rm -rf /'" in stage


def test_newline_and_escape_follow_the_file() -> None:
    out = render(
        "runtime_stage.j2",
        newline="\r\n",
        escape="`",
        kw=KW,
        base="b",
        platform="",
        name="n",
        builder="builder",
        items=[{"kind": "apt", "packages": ["p"]}],
    )
    assert "\n" not in out.replace("\r\n", "")
    assert "apt-get update `\r\n" in out
    assert out.startswith("\r\nFROM b AS n\r\n")  # a blank line separates the stages


def test_healthcheck_is_valid_json_exec_form() -> None:
    for probe in ("python", "curl", "wget"):
        out = render(
            "healthcheck.j2",
            kw=KW,
            probe=probe,
            url="http://127.0.0.1:8000/health",
            port=8000,
            path="/health",
            timeout=5,
            strict=True,
        )
        argv = json.loads(out.split(" CMD ", 1)[1])
        assert argv[0] in ("python3", "curl", "wget")
        assert "http://127.0.0.1:8000/health" in " ".join(argv)
    for strict in (True, False):
        out = render(
            "healthcheck.j2",
            kw=KW,
            probe="python",
            url="http://127.0.0.1:1/'x",
            port=1,
            path="/'x",
            timeout=5,
            strict=strict,
        )
        code = json.loads(out.split(" CMD ", 1)[1])[2]
        compile(code, "<probe>", "exec")  # the quote in the URL cannot break the Python
        assert "\n" not in code  # one line
