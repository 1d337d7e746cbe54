"""What an image needs at run time: the signals in data/runtime.toml, and matchers over commands.

- write paths: ENV variables that name a directory the program writes to (``HF_HOME``, ``XDG_*``,
  ``*_CACHE*``, ``*_DIR`` …) minus the ones that name an installed tool (``JAVA_HOME``);
- root only: programs that expect to start as root, commands that need root at start-up, listen ports;
- root's home: installers that put things under ``/root`` when run as root;
- not a service: interactive shells and REPLs, keep-alive commands, dev-environment users and stages.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from functools import lru_cache
from typing import Any

from optimizer.analysis.knowledge import compiled
from optimizer.records import record

SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return compiled("runtime")  # data/runtime.toml, compiled to JSON (scripts/compile_data.py)


def _any(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


# -- write paths ------------------------------------------------------------------------------
def write_variable(name: str) -> bool:
    """Does this ENV variable name a directory the program writes to at run time?"""
    w = _data()["write_paths"]
    if name in w["installed"] or name in w["build_only"]:
        return False
    return name in w["names"] or _any(name, w["patterns"])


def named_write_variable(name: str) -> bool:
    """Named as a write path in the data (not only matched by a pattern such as ``*_DIR``)."""
    return name in _data()["write_paths"]["names"]


def build_only_variable(name: str) -> bool:
    """A variable only the build uses (a package manager's cache): its value does not matter at run time."""
    return name in _data()["write_paths"]["build_only"]


def not_written(path: str) -> bool:
    """A system or install folder (or inside one): never one of the program's write paths."""
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in _data()["write_paths"]["not_written"])


def top_level(path: str) -> bool:
    """A folder that cannot be handed to the user as a whole (``/``, ``/var``, ``/tmp`` …)."""
    return path in _data()["write_paths"]["top_level"]


# -- commands ---------------------------------------------------------------------------------
def simple_commands(words: list[str]) -> list[list[str]]:
    """Words split into simple commands at ``&&``, ``||``, ``;``, ``|``; leading wrappers (``exec``, ``tini --``,
    ``dumb-init``, ``env``), their options and variable assignments dropped."""
    out: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        if w in SEPARATORS:
            out.append(cur)
            cur = []
        elif w.endswith(";") and w not in (";",):
            cur.append(w[:-1])
            out.append(cur)
            cur = []
        else:
            cur.append(w)
    out.append(cur)
    wrappers = set(_data()["root_only"]["wrappers"])
    cleaned = []
    for c in out:
        while c and (c[0].rsplit("/", 1)[-1] in wrappers or re.fullmatch(r"\w+=\S*", c[0])):
            c = c[1:]
            while c and c[0].startswith("-"):  # the wrapper's own options (`tini -g --`, `env -i`)
                c = c[1:]
        if c:
            cleaned.append(c)
    return cleaned


def script_commands(text: str) -> list[list[str]]:
    """The simple commands of a shell script (tree-sitter-bash; line by line when it cannot parse it)."""
    from optimizer.syntax.shell import parse_script

    script = parse_script(text)
    if not script.has_error:
        return [c for cmd in script.commands() for c in simple_commands([w.value for w in cmd.words])]
    out = []
    for line in text.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        out.extend(simple_commands(words))
    return out


def _normalise(cmd: list[str]) -> list[str]:
    """``python -m pip install`` → ``pip install``; ``/usr/bin/pip3.11`` → ``pip3.11``."""
    if not cmd:
        return cmd
    base = cmd[0].rsplit("/", 1)[-1]
    if re.fullmatch(r"python[0-9.]*", base) and len(cmd) > 2 and cmd[1] == "-m":
        return [cmd[2], *cmd[3:]]
    return [base, *cmd[1:]]


@record(frozen=True)
class Match:
    entry: str  # the data entry ("pip install --user")
    words: tuple[str, ...]  # the command it matched


def _matches(cmd: list[str], entry: str) -> bool:
    want = entry.split()
    cmd = _normalise(cmd)
    if not cmd:
        return False
    prog = want[0].rsplit("/", 1)[-1]
    if not (cmd[0] == prog or re.fullmatch(re.escape(prog) + r"[0-9.]+", cmd[0])):
        return False
    return all(w in cmd[1:] for w in want[1:])


def find(commands: list[list[str]], entries: list[str]) -> Match | None:
    for cmd in commands:
        for entry in entries:
            if _matches(cmd, entry):
                return Match(entry, tuple(cmd))
    return None


def starts_as_root(commands: list[list[str]]) -> str | None:
    """The program (as written) that expects to start as root, if the command starts one."""
    names = set(_data()["root_only"]["starts_as_root"])
    for cmd in commands:
        # the program, and the first word after its options: what an entrypoint script or launcher
        # runs (`docker-entrypoint.sh postgres`, `gosu app …`)
        words = [cmd[0], *[w for w in cmd[1:] if not w.startswith("-")][:1]]
        for w in words:
            if w in names or w.rsplit("/", 1)[-1] in names:
                return w
    return None


def root_command(commands: list[list[str]]) -> Match | None:
    return find(commands, _data()["root_only"]["commands"])


def home_installer(commands: list[list[str]]) -> Match | None:
    return find(commands, _data()["root_home"]["installers"])


def installer_url(text: str) -> str | None:
    return next((u for u in _data()["root_home"]["installer_urls"] if u in text), None)


def harmless(cmd: list[str]) -> bool:
    return bool(cmd) and cmd[0].rsplit("/", 1)[-1] in _data()["root_home"]["harmless"]


# -- ports ------------------------------------------------------------------------------------
def listen_port_variable(name: str) -> bool:
    return _any(name, _data()["root_only"]["listen_port_variables"])


def port_of(value: str) -> int | None:
    """``80``, ``:80``, ``0.0.0.0:443``, ``[::]:8080`` → the port; None for anything else."""
    m = re.fullmatch(r"(?:(?:[\w.-]*|\[[0-9a-fA-F:]*\]|\*):)?(\d{1,5})", value.strip("'\""))
    if m and 0 < int(m.group(1)) < 65536:
        return int(m.group(1))
    return None


def listen_ports(commands: list[list[str]]) -> list[tuple[int, str]]:
    """Ports given to listen flags (``--port 80``, ``-b :80``, ``--bind=0.0.0.0:443``, ``bind :443``)."""
    flags = _data()["root_only"]["listen_flags"]
    out = []
    for cmd in commands:
        for j, w in enumerate(cmd):
            value = None
            for flag in flags:
                if w == flag and j + 1 < len(cmd):
                    value, shown = cmd[j + 1], f"{w} {cmd[j + 1]}"
                elif flag.startswith("-") and w.startswith(flag + "="):
                    value, shown = w[len(flag) + 1 :], w
            if value is not None:
                port = port_of(value)
                if port is not None:
                    out.append((port, shown))
    return out


def port_env(server: str) -> list[str]:
    """Environment variables a server reads its port from when the command names none."""
    return list(_data()["servers"]["port_env"].get(server, []))


def node_frameworks() -> dict[str, int]:
    """npm packages that make a node program an HTTP server, with their default port (0: none)."""
    return {str(k): int(v) for k, v in _data()["servers"]["node"]["frameworks"].items()}


def node_launchers() -> list[str]:
    """Package managers whose `start` runs the package's start script."""
    return list(_data()["servers"]["node"]["launchers"])


# -- not a service ----------------------------------------------------------------------------
def _interactive(argv: list[str]) -> bool:
    """A shell or REPL with only the flags of an interactive or login shell (and an rc file)."""
    data = _data()["not_a_service"]
    if not argv or argv[0].rsplit("/", 1)[-1] not in data["shells"]:
        return False
    rest = argv[1:]
    while rest:
        if rest[0] in data["shell_options_with_value"] and len(rest) > 1:
            rest = rest[2:]
        elif rest[0] in data["shell_flags"]:
            rest = rest[1:]
        else:
            return False
    return True


def toolbox_command(argv: list[str]) -> str | None:
    """Why the command means a toolbox image: an interactive shell or REPL, or a keep-alive."""
    data = _data()["not_a_service"]
    if not argv:
        return None
    base = argv[0].rsplit("/", 1)[-1]
    commands = simple_commands(argv)
    if _interactive(argv) or (len(commands) == 1 and _interactive(commands[0])):
        return f"its command `{' '.join(argv)}` is an interactive shell or REPL"
    joined = " ".join([base, *argv[1:]])
    if joined in data["idle"]:
        return f"its command `{' '.join(argv)}` only keeps the container alive"
    return None


def dev_user(name: str) -> bool:
    return name in _data()["not_a_service"]["dev_users"]


def dev_stage(name: str | None) -> bool:
    return name is not None and name.lower() in _data()["not_a_service"]["dev_stage_names"]


def test_runner(commands: list[list[str]]) -> Match | None:
    """The test-suite command (`pytest`, `python -m pytest`, `make test`, `go test` …) the command runs."""
    return find(commands, _data()["not_a_service"]["test_runners"])


# -- daemons that need root -------------------------------------------------------------------
def daemon_package(words: list[str]) -> str | None:
    """The root-only daemon package (openssh-server) a package-manager command installs, if any."""
    wanted = set(_data()["root_only"]["daemon_packages"])
    return next((w for w in words[1:] if re.split(r"[=<>:]", w, maxsplit=1)[0] in wanted), None)


def mpi_launcher(commands: list[list[str]]) -> str | None:
    """The MPI launcher (`mpirun`, `horovodrun` …) the command starts, if any."""
    names = set(_data()["root_only"]["mpi_launchers"])
    return next((c[0] for c in commands if c[0].rsplit("/", 1)[-1] in names), None)


# -- what the command starts ------------------------------------------------------------------
def runtime_program(word: str) -> bool:
    """An interpreter or runtime whose work is the app's own code (`python`, `node`, `java`, `gunicorn` …)."""
    base = word.rsplit("/", 1)[-1]
    names = _data()["entry"]["runtimes"]
    return base in names or any(re.fullmatch(re.escape(n) + r"[0-9.]+", base) for n in names)


def utility(word: str) -> bool:
    """A shell builtin or coreutil a command line uses around the program."""
    return word.rsplit("/", 1)[-1] in _data()["entry"]["utilities"]


def path_dirs() -> list[str]:
    return list(_data()["entry"]["path_dirs"])


@record(frozen=True)
class Launcher:
    name: str
    does: str
    off_env: str | None


def launcher(path: str) -> Launcher | None:
    """A launcher that sets up an environment under root's paths at start (Apache Beam's boot)."""
    for entry in _data().get("launchers", []):
        if fnmatch.fnmatchcase(path, entry["path"]):
            return Launcher(entry["name"], entry["does"], entry.get("off_env"))
    return None


# -- secrets and write calls --------------------------------------------------------------------
def secret_file(name: str) -> bool:
    """A key or certificate file (`*.pem`, `*.key` …) that may be copied in with mode 0600."""
    return _any(name.rsplit("/", 1)[-1], _data()["secrets"]["files"])


def secret_folder(name: str) -> bool:
    """A folder meant for keys and certificates (`certs/`, `ssl/`, `secrets/` …)."""
    return name.rstrip("/").rsplit("/", 1)[-1].lower() in _data()["secrets"]["folders"]


def write_calls() -> dict[str, tuple[int, int]]:
    """Python calls that write to a path: name -> (the path argument, the mode argument or -1)."""
    data = _data()["write_calls"]
    return {k: (int(v["arg"]), int(v["mode"])) for k, v in data.items() if isinstance(v, dict)}


def path_write_methods() -> frozenset[str]:
    return frozenset(_data()["write_calls"]["path_methods"])


@record(frozen=True)
class Write:
    path: str  # as written in the module (absolute or relative)
    line: int
    folder: bool  # the call creates the folder itself (makedirs, mkdir, copytree), else a file in it


def python_writes(source: str) -> list[Write] | None:
    """The literal paths a Python module writes to (`open('/data/x', 'w')`, `os.makedirs('/out')`,
    `Path('/out').mkdir()`, `shutil.copy(src, '/x')` …), in line order; None when it does not parse."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    calls = write_calls()
    methods = path_write_methods()

    def name_of(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            inner = name_of(node.value)
            return f"{inner}.{node.attr}" if inner is not None else None
        return None

    def literal(node: ast.expr | None) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    out: list[Write] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in methods and isinstance(func.value, ast.Call):
            made = func.value
            maker = name_of(made.func)
            path = literal(made.args[0]) if made.args else None
            if maker is not None and maker.rsplit(".", 1)[-1] in ("Path", "PosixPath") and path is not None:
                out.append(Write(path, node.lineno, func.attr == "mkdir"))
            continue
        name = name_of(func)
        if name is None or name not in calls:
            continue
        arg, mode_at = calls[name]
        target = literal(node.args[arg]) if len(node.args) > arg else None
        if target is None:
            target = next((literal(k.value) for k in node.keywords if k.arg in ("file", "name", "dst", "path")), None)
        if target is None:
            continue
        if mode_at >= 0:
            mode = literal(node.args[mode_at]) if len(node.args) > mode_at else None
            mode = mode or next((literal(k.value) for k in node.keywords if k.arg == "mode"), None) or "r"
            if not any(c in mode for c in "wax+"):
                continue
        out.append(Write(target, node.lineno, name.rsplit(".", 1)[-1] in ("makedirs", "mkdir", "copytree")))
    return sorted(out, key=lambda w: w.line)
