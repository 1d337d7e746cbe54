"""Stage facts through FROM <stage> chains, and the run-time signals of data/runtime.toml."""

from __future__ import annotations

import pytest

from optimizer.analysis import runtime_signals as sig
from optimizer.analysis.stage_facts import expand, facts_of, stage_facts, unwrap_shell
from optimizer.syntax.parser import parse

from .test_service import service

CHAIN = """\
ARG BASE_PORT=9000
FROM python:3.12-slim AS builder
ARG BASE_PORT
ARG MODE=prod
ENV FLASK_RUN_PORT 8000
ENV APP_PORT=${BASE_PORT} CACHE=/cache/$MODE OTHER=$UNSET/x
EXPOSE 8000 53/udp
WORKDIR /app
USER 1000
VOLUME ["/data"]
HEALTHCHECK NONE
CMD ["flask", "run"]

FROM builder AS web
WORKDIR static
ENV CACHE=/srv/cache

FROM python:3.12-slim
ENTRYPOINT ["python"]
"""


def test_facts_follow_the_from_chain() -> None:
    doc = parse(CHAIN, "-")
    builder, web, other = stage_facts(doc)
    assert builder.env == {
        "FLASK_RUN_PORT": "8000",
        "APP_PORT": "9000",  # the global ARG's default, redeclared in the stage
        "CACHE": "/cache/prod",
        "OTHER": "$UNSET/x",
    }
    assert builder.unresolved == {"OTHER"}
    assert [p for p, _ in builder.exposed] == [8000] and [p for p, _ in builder.exposed_udp] == [53]
    # the child inherits ENV, EXPOSE, WORKDIR, USER, VOLUME, HEALTHCHECK and CMD, but not ARGs
    assert web.chain == [web.stage, builder.stage]
    assert web.env["FLASK_RUN_PORT"] == "8000" and web.env["CACHE"] == "/srv/cache"
    assert web.args == {}
    assert [p for p, _ in web.exposed] == [8000]
    assert web.workdir == "/app/static"
    assert web.user is not None and web.user.args == "1000"
    assert [v for v, _ in web.volumes] == ["/data"]
    assert web.healthcheck is not None
    assert web.argv() == (["flask", "run"], False)
    assert web.first_command_in_stage() is None
    # an unrelated stage starts empty
    assert other.env == {} and other.cmd is None and other.argv() == (["python"], False)


def test_entrypoint_resets_an_inherited_cmd() -> None:
    doc = parse('FROM debian AS a\nCMD ["x"]\nFROM a\nENTRYPOINT ["y"]\n', "-")
    assert facts_of(doc, doc.stages[1]).argv() == (["y"], False)


def test_facts_are_computed_once_per_document() -> None:
    doc = parse(CHAIN, "-")
    assert stage_facts(doc) is stage_facts(doc)


@pytest.mark.parametrize(
    "text,values,out,missing",
    [
        ("$A/${B}", {"A": "1", "B": "2"}, "1/2", set()),
        ("${A:-x}", {}, "x", set()),
        ("${A:-x}", {"A": ""}, "x", set()),
        ("${A-x}", {"A": ""}, "", set()),
        ("${A:+y}", {"A": "1"}, "y", set()),
        ("${A:+y}", {}, "", set()),
        ("$NOPE/bin", {}, "$NOPE/bin", {"NOPE"}),
        ("\\$A", {"A": "1"}, "\\$A", set()),
    ],
)
def test_expand(text: str, values: dict[str, str], out: str, missing: set[str]) -> None:
    assert expand(text, values) == (out, missing)


def test_unwrap_shell() -> None:
    assert unwrap_shell(["/bin/sh", "-c", "exec gunicorn -b :$PORT app:app"]) == ["gunicorn", "-b", ":$PORT", "app:app"]
    assert unwrap_shell(["python", "-c", "print(1)"]) == ["python", "-c", "print(1)"]


def test_service_port_through_the_chain() -> None:
    """A stage FROM builder inherits ENV FLASK_RUN_PORT and EXPOSE: the probe port is 8000, not flask's 5000."""
    svc = service(
        "FROM python:3.12-slim AS builder\nENV FLASK_RUN_PORT 8000\nEXPOSE 8000\n"
        'FROM builder\nCMD ["flask", "run", "--host", "0.0.0.0"]\n'
    )
    assert (svc.server, svc.port, svc.port_source) == ("flask", 8000, "ENV FLASK_RUN_PORT=8000")


def test_service_reads_sh_c_exec_form() -> None:
    svc = service('FROM python:3.12-slim\nENV PORT=8000\nCMD ["/bin/sh", "-c", "exec gunicorn -b :$PORT app:app"]\n')
    assert (svc.server, svc.port) == ("gunicorn", 8000)


def test_port_set_only_at_run_time_gives_no_port() -> None:
    svc = service('FROM python:3.12-slim\nEXPOSE 8080\nCMD ["/bin/sh", "-c", "exec gunicorn --bind :$PORT app:app"]\n')
    assert svc.port is None and "$PORT" in svc.notes[0]


@pytest.mark.parametrize(
    "name,writes",
    [
        ("HF_HOME", True),
        ("HUGGINGFACE_HUB_CACHE", True),
        ("TRANSFORMERS_CACHE", True),
        ("XDG_CACHE_HOME", True),
        ("AIRFLOW_HOME", True),
        ("MYAPP_DATA_DIR", True),
        ("MODEL_CACHE_PATH", True),
        ("HOME", True),
        ("JAVA_HOME", False),  # where a tool is installed: stays root's
        ("CONDA_DIR", False),
        ("CARGO_HOME", False),
        ("PIP_CACHE_DIR", False),  # build-time only
        ("PATH", False),
        ("PYTHONUNBUFFERED", False),
    ],
)
def test_write_variables(name: str, writes: bool) -> None:
    assert sig.write_variable(name) is writes


def test_data_lists_do_not_contradict_each_other() -> None:
    data = sig._data()["write_paths"]
    assert not set(data["names"]) & set(data["installed"])
    assert not set(data["names"]) & set(data["build_only"])
    assert all(p.startswith("/") for p in data["not_written"] + data["top_level"])


@pytest.mark.parametrize(
    "words,entry",
    [
        (["pip", "install", "--user", "x"], "pip install --user"),
        (["python3", "-m", "pip", "install", "--user", "x"], "pip install --user"),
        (["/usr/local/bin/pip3.11", "install", "--user", "x"], "pip install --user"),
        (["pipx", "install", "poetry"], "pipx install"),
        (["pip", "install", "x"], None),
    ],
)
def test_home_installers(words: list[str], entry: str | None) -> None:
    found = sig.home_installer([words])
    assert (found.entry if found else None) == entry


@pytest.mark.parametrize(
    "command,entry",
    [
        ("ldconfig && exec server", "ldconfig"),
        ("pip install -r requirements.txt && python app.py", "pip install"),
        ("apt-get update && exec app", "apt-get"),
        ("chown -R app /data; exec app", "chown"),
        ("sysctl -w net.core.somaxconn=1024", "sysctl"),
        ("exec gunicorn app:app", None),
        ("pip freeze", None),
    ],
)
def test_root_commands(command: str, entry: str | None) -> None:
    found = sig.root_command(sig.simple_commands(command.split()))
    assert (found.entry if found else None) == entry


def test_starts_as_root_and_scripts() -> None:
    assert sig.starts_as_root([["/usr/sbin/sshd", "-D"]]) == "/usr/sbin/sshd"
    assert sig.starts_as_root([["cron", "-f"]]) == "cron"
    assert sig.starts_as_root(sig.simple_commands(["tini", "--", "php-fpm"])) == "php-fpm"
    assert sig.starts_as_root(sig.simple_commands(["/usr/bin/dumb-init", "--", "nginx", "-g", "off;"])) == "nginx"
    assert sig.starts_as_root([["docker-entrypoint.sh", "postgres"]]) == "postgres"
    assert sig.starts_as_root(sig.simple_commands(["tini", "--", "python", "app.py"])) is None
    script = '#!/bin/sh\nset -e\nif [ "$1" = serve ]; then\n  exec gosu app "$@"\nfi\n'
    assert sig.starts_as_root(sig.script_commands(script)) == "gosu"


@pytest.mark.parametrize(
    "words,port",
    [
        (["gunicorn", "-b", ":80"], 80),
        (["gunicorn", "--bind=0.0.0.0:443"], 443),
        (["app", "--port", "80"], 80),
        (["app", "--port", "8080"], 8080),
        (["app", "--bind", "unix:/tmp/s"], None),
    ],
)
def test_listen_ports(words: list[str], port: int | None) -> None:
    found = sig.listen_ports([words])
    assert (found[0][0] if found else None) == port


@pytest.mark.parametrize(
    "argv,toolbox",
    [
        (["bash"], True),
        (["/bin/bash", "-l"], True),
        (["sh"], True),
        (["python3"], True),
        (["sleep", "infinity"], True),
        (["bash", "-c", "exec app"], False),
        (["python3", "app.py"], False),
        (["/bin/sh", "-lc", "tool serve"], False),
    ],
)
def test_toolbox_commands(argv: list[str], toolbox: bool) -> None:
    assert (sig.toolbox_command(argv) is not None) is toolbox


def test_dev_environment_signals() -> None:
    assert sig.dev_user("vscode") and not sig.dev_user("app")
    assert sig.dev_stage("devcontainer") and sig.dev_stage("Dev") and not sig.dev_stage("runtime")
    assert not sig.dev_stage(None)


@pytest.mark.parametrize(
    "argv",
    [["bash", "--rcfile", "/etc/toolbox.rc", "-l"], ["bash", "-i"], ["exec", "bash"], ["/bin/bash", "--login"]],
)
def test_login_and_interactive_shells_are_toolbox_shells(argv: list[str]) -> None:
    assert sig.toolbox_command(argv) is not None


@pytest.mark.parametrize(
    "command,runner",
    [
        ("pytest -q tests/", "pytest"),
        ("python -m pytest", "pytest"),
        ("tox -e py312", "tox"),
        ("make test", "make test"),
        ("npm test", "npm test"),
        ("go test ./...", "go test"),
        ("make build", None),
        ("python app.py", None),
    ],
)
def test_test_runners(command: str, runner: str | None) -> None:
    found = sig.test_runner(sig.simple_commands(command.split()))
    assert (found.entry if found else None) == runner


def test_root_daemons_and_mpi_launchers() -> None:
    assert sig.daemon_package(["apt-get", "install", "-y", "openssh-server"]) == "openssh-server"
    assert sig.daemon_package(["apt-get", "install", "-y", "openssh-client"]) is None
    assert sig.mpi_launcher(sig.simple_commands(["mpirun", "-np", "2", "python", "x.py"])) == "mpirun"
    assert sig.mpi_launcher([["python", "x.py"]]) is None


def test_launchers_and_runtimes() -> None:
    beam = sig.launcher("/opt/apache/beam/boot")
    assert beam is not None and beam.off_env == "RUN_PYTHON_SDK_IN_DEFAULT_ENVIRONMENT"
    assert sig.launcher("/usr/local/bin/boot") is None
    assert sig.runtime_program("/usr/local/bin/python3.12") and sig.runtime_program("gunicorn")
    assert not sig.runtime_program("vault")


def test_secrets() -> None:
    assert sig.secret_file("tls/server.key") and sig.secret_file("ca.pem") and not sig.secret_file("app.py")
    assert sig.secret_folder("certs/") and sig.secret_folder("./config/ssl") and not sig.secret_folder("src")


def test_python_writes() -> None:
    source = (
        "import os, shutil\nfrom pathlib import Path\n"
        "open('/data/x.json', 'w')\nopen('/etc/app.conf')\nos.makedirs('/mnt/out', exist_ok=True)\n"
        "Path('/srv/state').mkdir()\nshutil.copy('a', '/backup/a')\nopen('rel.txt', mode='a')\n"
    )
    found = sig.python_writes(source)
    assert found is not None
    assert [(w.path, w.line, w.folder) for w in found] == [
        ("/data/x.json", 3, False),
        ("/mnt/out", 5, True),
        ("/srv/state", 6, True),
        ("/backup/a", 7, False),
        ("rel.txt", 8, False),
    ]
    assert sig.python_writes("def (:\n") is None
