"""What the final stage serves: server, port and health route, from the command, ENV, EXPOSE and code."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.analysis.requirements import read
from optimizer.analysis.service import analyse, scan_module
from optimizer.core.registry import get_rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.parser import parse


def service(text: str, path: str = "-"):  # type: ignore[no-untyped-def]
    doc = parse(text, path)
    rule = get_rule("DOP504")
    assert rule is not None
    return analyse(RuleContext(doc, rule), doc.stages[-1], doc.stages)


@pytest.mark.parametrize(
    "cmd,server,port",
    [
        ('CMD ["uvicorn", "m:app", "--port", "9000"]', "uvicorn", 9000),
        ('CMD ["uvicorn", "m:app", "--port=9001"]', "uvicorn", 9001),
        ('CMD ["uvicorn", "m:app"]', "uvicorn", 8000),
        ("CMD gunicorn -b 0.0.0.0:8100 app:app", "gunicorn", 8100),
        ('CMD ["gunicorn", "--bind", "unix:/tmp/s.sock", "app:app"]', "gunicorn", 8000),
        ('CMD ["python", "-m", "flask", "run", "-p", "5050"]', "flask", 5050),
        ('CMD ["python", "manage.py", "runserver", "0.0.0.0:8300"]', "runserver", 8300),
        ('CMD ["python", "-m", "http.server", "8400"]', "http.server", 8400),
        ('ENTRYPOINT ["streamlit", "run"]\nCMD ["app.py", "--server.port", "8600"]', "streamlit", 8600),
        ('CMD ["python", "worker.py"]', None, None),
        ('CMD ["flask", "--version"]', None, None),
    ],
)
def test_server_and_port(cmd: str, server: str | None, port: int | None) -> None:
    svc = service(f"FROM python:3.12-slim\n{cmd}\n")
    assert (svc.server, svc.port) == (server, port)


def test_env_port_and_expose() -> None:
    svc = service("FROM python:3.12-slim\nENV PORT=7100\nCMD gunicorn -b :$PORT app:app\n")
    assert svc.port == 7100 and "PORT" in svc.port_source
    svc = service('FROM python:3.12-slim\nEXPOSE 7200/tcp\nCMD ["hypercorn", "app:app"]\n')
    assert svc.port == 7200
    svc = service('FROM python:3.12-slim\nEXPOSE 7200 7300\nCMD ["hypercorn", "app:app"]\n')
    assert svc.port == 8000  # two ports exposed: the server's own default, not a guess between them


def test_unset_variable_gives_no_port() -> None:
    svc = service("FROM python:3.12-slim\nCMD gunicorn -b 0.0.0.0:$APP_PORT app:app\n")
    assert svc.port is None and "APP_PORT" in svc.notes[0]


def test_scan_module(tmp_path: Path) -> None:
    f = tmp_path / "app.py"
    f.write_text(
        "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/ready')\ndef r():\n    return 1\n"
        "if __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=8765)\n"
    )
    facts = scan_module(f)
    assert (facts.serves, facts.framework, facts.port, facts.health_path) == (True, "uvicorn", 8765, "/ready")
    f.write_text("def broken(:\n")
    assert not scan_module(f).serves  # unparsable: nothing claimed
    f.write_text("import os\nprint(os.getcwd())\n")
    assert not scan_module(f).serves


def test_entry_module_through_copy(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("from flask import Flask\napp = Flask('x')\napp.run(port=6123)\n")
    df = tmp_path / "Dockerfile"
    df.write_text('FROM python:3.12-slim\nWORKDIR /srv\nCOPY src/ ./\nCMD ["python", "main.py"]\n')
    svc = service(df.read_text(), str(df))
    assert (svc.server, svc.port) == ("flask", 6123)


def test_requirements_includes_and_constraints(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("Flask>=3 ; python_version > '3.8'\n-c pins.txt\n")
    (tmp_path / "pins.txt").write_text("flask==3.0.3\n")
    (tmp_path / "req.txt").write_text(
        "# comment\n-r base.txt\n--index-url https://pypi.org/simple\nrequests[socks]==2.32 \\\n"
        "    --hash=sha256:00\n-e ./lib\ngit+https://github.com/x/y.git#egg=y_pkg\npkg @ https://x/p.whl\n"
        "-r req.txt\n-r ../outside.txt\n"
    )
    reqs = read(tmp_path / "req.txt", tmp_path)
    assert [(r.name, r.source) for r in reqs.installs] == [
        ("flask", False),
        ("requests", False),
        ("", True),
        ("y-pkg", True),
        ("pkg", True),
    ]
    assert [r.name for r in reqs.constraints] == ["flask"]
    assert reqs.problems and "outside" in reqs.problems[0]


@pytest.mark.parametrize(
    ("source", "var", "default"),
    [
        ('app.run(port=int(os.environ.get("PORT", 5000)))', "PORT", 5000),
        ("port = int(os.getenv('PORT', '8080'))\napp.run(port=port)", "PORT", 8080),
        ('app.run(port=int(os.environ.get("APP_PORT") or 9000))', "APP_PORT", 9000),
        ('app.run(port=int(os.environ["PORT"]))', "PORT", None),
        ("app.run(port=8000)", None, None),  # a literal port: nothing is read at run time
    ],
)
def test_entry_module_reading_its_port_from_the_environment(
    tmp_path: Path, source: str, var: str | None, default: int | None
) -> None:
    from optimizer.analysis.service import scan_module

    module = tmp_path / "app.py"
    module.write_text(f"import os\nfrom flask import Flask\napp = Flask(__name__)\n{source}\n")
    facts = scan_module(module)
    assert (facts.port_var, facts.port_default) == (var, default)
