"""What the final stage runs: its command, the HTTP server in it, the port it listens on.

Used by the non-root-user and healthcheck rules. The port comes, in this order, from the server's
command-line arguments (uvicorn/gunicorn/flask/streamlit/…), ``ENV PORT`` when the command uses it,
``EXPOSE`` (one port), the Python entry module in the build context (read with libcst, never run:
``uvicorn.run(app, port=…)``, ``app.run(port=…)``), and the server's documented default.
"""

from __future__ import annotations

import re
from pathlib import Path

from optimizer.analysis.stage_facts import words_of
from optimizer.core.rule_context import RuleContext
from optimizer.records import field, record
from optimizer.syntax.model import Instruction, Stage

# server -> its default port when none is given
_SERVERS = {
    "uvicorn": 8000,
    "gunicorn": 8000,
    "hypercorn": 8000,
    "daphne": 8000,
    "waitress-serve": 8080,
    "flask": 5000,
    "streamlit": 8501,
    "fastapi": 8000,
    "granian": 8000,
    "runserver": 8000,
    "http.server": 8000,
    "panel": 5006,
    "gradio": 7860,
    "mlflow": 5000,
    "jupyter": 8888,
}
_HEALTH_PATHS = ("/health", "/healthz", "/ready", "/readyz", "/ping", "/livez")
_PORT_FLAGS = ("--port", "-p", "--server.port", "--http-port", "--listen-port")
_BIND_FLAGS = ("-b", "--bind", "--listen", "--host-port")


@record
class Service:
    argv: list[str]  # ENTRYPOINT + CMD as the container runs them (shell form split into words)
    shell_form: bool
    server: str | None = None  # uvicorn, gunicorn, flask, … or "python-app" (entry module serves HTTP)
    port: int | None = None  # with port_var: the port when that variable is not set at run time
    port_var: str | None = None  # a variable the server binds when the run time sets it (PORT on Cloud Run, Heroku…)
    port_source: str = ""
    health_path: str | None = None
    exposed: list[int] = field(default_factory=list)
    entry_module: Path | None = None
    node: bool = False  # a node program (node FILE, npm/yarn/pnpm start) whose package.json names an HTTP framework
    notes: list[str] = field(default_factory=list)


def command_of(stage: Stage) -> tuple[list[str], bool, Instruction | None]:
    """ENTRYPOINT + CMD of the stage (the last of each), whether either is shell form, the first of them."""
    entry: Instruction | None = None
    cmd: Instruction | None = None
    for ins in stage.instructions:
        if ins.keyword == "ENTRYPOINT":
            entry = ins  # BuildKit keeps a CMD the stage set before its ENTRYPOINT (only an inherited one is reset)
        elif ins.keyword == "CMD":
            cmd = ins
    argv: list[str] = []
    shell = False
    for part in (entry, cmd):
        if part is not None:
            words, is_shell = words_of(part)
            argv += words
            shell = shell or is_shell
    first = min((i for i in (entry, cmd) if i is not None), key=lambda i: i.index, default=None)
    return argv, shell, first


def _int(text: str) -> int | None:
    m = re.fullmatch(r"(?:[\w.\[\]:-]*:)?(\d{1,5})", text.strip("'\""))
    if m and 0 < int(m.group(1)) < 65536:
        return int(m.group(1))
    return None


def _server(argv: list[str]) -> tuple[str | None, int]:
    """The server the command starts and the index of its word."""
    for i, w in enumerate(argv):
        base = w.rsplit("/", 1)[-1]
        if base in _SERVERS and base not in ("runserver", "http.server"):
            if base in ("flask", "fastapi") and "run" not in argv[i + 1 : i + 3]:
                continue
            if base == "streamlit" and "run" not in argv[i + 1 : i + 3]:
                continue
            return base, i
        if w == "-m" and i + 1 < len(argv) and argv[i + 1] in _SERVERS:
            return argv[i + 1], i + 1
        if w == "runserver" and i > 0 and argv[i - 1].endswith("manage.py"):
            return "runserver", i
    return None, -1


def _port_from_args(argv: list[str], server: str, at: int, env: dict[str, str]) -> tuple[int | None, str, str | None]:
    args = argv[at + 1 :]
    for j, w in enumerate(args):
        value = None
        for flag in _PORT_FLAGS + _BIND_FLAGS:
            if w == flag and j + 1 < len(args):
                value = args[j + 1]
            elif w.startswith(flag + "="):
                value = w[len(flag) + 1 :]
        if value is None and server in ("runserver", "http.server") and j == 0 and not w.startswith("-"):
            value = w
        if value is None:
            continue
        m = re.fullmatch(r"(?:.*:)?\$\{?(\w+)(?::-(\d+))?\}?", value)
        if m:
            if m.group(1) in env and _int(env[m.group(1)]):
                return _int(env[m.group(1)]), f"`{w}` with ENV {m.group(1)}={env[m.group(1)]}", None
            if m.group(2):  # the run time may set the variable: the probe reads it too
                return int(m.group(2)), f"`{value}`", m.group(1)
            return None, f"the port comes from ${m.group(1)}, which the Dockerfile does not set", None
        port = _int(value)
        if port is not None:
            return port, f"`{w} {value}`" if not w.endswith(value) else f"`{w}`", None
    return None, "", None


def analyse(ctx: RuleContext, stage: Stage, stages: list[Stage]) -> Service:
    """The service of ``stage``, with ENV, EXPOSE and the command resolved through its ``FROM <stage>`` chain."""
    from optimizer.analysis.runtime_signals import port_env
    from optimizer.analysis.stage_facts import facts_of, unwrap_shell

    facts = facts_of(ctx.doc, stage)
    argv, shell = facts.argv()
    argv = unwrap_shell(argv)  # ["/bin/sh", "-c", "exec gunicorn …"] runs gunicorn
    svc = Service(argv, shell)
    env = facts.env  # what the process sees (ARGs are gone at run time; ENV values were expanded with them)
    svc.exposed = [port for port, _ins in facts.exposed]
    server, at = _server(argv)
    if server is not None:
        svc.server = server
        port, source, var = _port_from_args(argv, server, at, env)
        if port is None and source:
            svc.notes.append(source)
            return svc
        if port is not None:
            svc.port, svc.port_source, svc.port_var = port, source, var
        for name in port_env(server) if svc.port is None else []:
            if name in env and _int(env[name]):
                svc.port, svc.port_source = _int(env[name]), f"ENV {name}={env[name]}"
                break
        if svc.port is None and server == "gunicorn" and "PORT" not in env:
            # gunicorn binds 0.0.0.0:$PORT when the run time sets PORT (Cloud Run, Heroku), else 127.0.0.1:8000
            if set(svc.exposed) - {_SERVERS[server]}:
                svc.notes.append(
                    f"gunicorn binds $PORT when the run time sets it, else its configuration or port "
                    f"{_SERVERS[server]}, and EXPOSE {svc.exposed[0]} says otherwise: the port is not known for certain"
                )
                return svc
            svc.port, svc.port_var = _SERVERS[server], "PORT"
            svc.port_source = "gunicorn's default"
    module = _entry_module(ctx, stage, argv)
    dynamic = ""
    if module is not None:
        svc.entry_module = module
        found = scan_module(module)
        if found.port_dynamic and found.port is None and found.port_var is None:
            dynamic = f"{module.name} starts {found.port_dynamic} on a port its code computes"
        if found.serves and svc.server is None:
            svc.server = found.framework or "python-app"
        svc.health_path = found.health_path
        if svc.port is None and found.port is not None:
            svc.port, svc.port_source = found.port, f"{found.port_call} in {module.name}"
        elif svc.port is None and found.port_var is not None:
            name = found.port_var
            if name in env and _int(env[name]):
                svc.port, svc.port_source = _int(env[name]), f"ENV {name}={env[name]}, read by {module.name}"
            elif found.port_default is not None:
                svc.port, svc.port_var = found.port_default, name
                svc.port_source = f"`{found.port_read}` in {module.name}"
            else:
                svc.notes.append(f"{module.name} reads the port from ${name}, which the Dockerfile does not set")
                return svc
    node_default, node_source = 0, ""
    if svc.server is None:
        found_node = _node_app(ctx, stage, argv)
        if found_node is not None:
            svc.server, node_default, node_source, svc.health_path = found_node
            svc.node = True
    if svc.server is None:
        return svc
    if (
        svc.port is None
        and "PORT" in env
        and _int(env["PORT"])
        and (any("$PORT" in w or "${PORT" in w for w in argv) or svc.server == "python-app" or svc.node)
    ):
        svc.port, svc.port_source = _int(env["PORT"]), f"ENV PORT={env['PORT']}"
    if svc.port is None and len(set(svc.exposed)) == 1:
        svc.port, svc.port_source = svc.exposed[0], f"EXPOSE {svc.exposed[0]}"
    if svc.port is None and dynamic:
        # http.server's 8000 is `python -m http.server`'s default, not that of a program's own HTTPServer
        svc.notes.append(f"{dynamic}, and neither ENV PORT nor one EXPOSE names it")
        return svc
    if svc.port is None and svc.server in _SERVERS:
        svc.port, svc.port_source = _SERVERS[svc.server], f"{svc.server}'s default port"
    if svc.port is None and node_default:
        svc.port, svc.port_source = node_default, node_source
    if svc.port is None and svc.node:
        svc.notes.append(f"`{svc.server}` listens where the app says; neither ENV PORT nor one EXPOSE names the port")
    return svc


_NODE_SOURCES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
# generated output, dependencies, and code that calls routes rather than serving them (tests, browser code)
_NODE_SKIP = frozenset(
    {
        "node_modules",
        "dist",
        "build",
        ".next",
        ".nuxt",
        "coverage",
        "out",
        "test",
        "tests",
        "__tests__",
        "e2e",
        "spec",
        "specs",
        "cypress",
        "playwright",
        "client",
        "public",
        "static",
        "frontend",
        "__mocks__",
    }
)
_NODE_TEST_FILE = re.compile(r"\.(test|spec|e2e)\.[cm]?[jt]sx?$")
# `app.get("/healthz", …)` (Express, Fastify, Koa routers, Hono: a leading slash) and `@Get("health")` (NestJS)
_NODE_ROUTE = re.compile(
    r"""\.(?:get|all|head|route)\(\s*['"`](/[\w/-]*)['"`]|@(?:Get|All|Head)\(\s*['"`]/?([\w/-]*)['"`]"""
)
_NODE_START_PORT = re.compile(r"(?:^|\s)(?:-p|--port)[=\s]+(\d{1,5})\b|\bPORT=(\d{1,5})\b")
_NODE_SCAN_FILES = 400
_NODE_SCAN_BYTES = 512_000  # per file
_NODE_SCAN_TOTAL = 4_000_000  # per scan


def _node_app(ctx: RuleContext, stage: Stage, argv: list[str]) -> tuple[str, int, str, str | None] | None:
    """(framework, the port it listens on when the Dockerfile names none (0: unknown), where that port comes
    from, a health route) when the command runs a node program whose package.json (from the build context,
    also through a builder stage) depends on an HTTP framework. Memoised per document and command."""
    memo: dict[tuple[int, tuple[str, ...]], tuple[str, int, str, str | None] | None]
    memo = ctx.doc.memo.setdefault("node_app", {})
    key = (stage.index, tuple(argv))
    if key not in memo:
        memo[key] = _read_node_app(ctx, stage, argv)
    return memo[key]


def _read_node_app(ctx: RuleContext, stage: Stage, argv: list[str]) -> tuple[str, int, str, str | None] | None:
    import json

    from optimizer.analysis.buildcontext import find_in_context, read_text
    from optimizer.analysis.runtime_signals import node_frameworks, node_launchers

    if not argv:
        return None
    prog = argv[0].rsplit("/", 1)[-1]
    launcher = prog in node_launchers() and "start" in argv[1:3]
    if prog != "node" and not launcher:
        return None
    found = find_in_context(ctx, stage, "package.json")
    text = read_text(found, 2_000_000) if found is not None else None
    if found is None or text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    deps = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(deps, dict):
        return None
    frameworks = node_frameworks()
    name = next((n for n in frameworks if n in deps), None)
    if name is None:
        return None
    port, source = frameworks[name], f"{name}'s default port"
    scripts = data.get("scripts")
    start = scripts.get("start") if launcher and isinstance(scripts, dict) else None
    if isinstance(start, str):  # `npm start` runs it: a port it names wins over the framework's default
        m = _NODE_START_PORT.search(start)
        if m:
            port, source = int(m.group(1) or m.group(2)), f"`{start}` (package.json's start script)"
    return name, port, source, _node_health_route(found.parent)


def _node_health_route(folder: Path) -> str | None:
    """A health route (`app.get("/healthz", …)`) in the app's JavaScript/TypeScript sources (bounded walk)."""
    import os

    from optimizer.core.fileio import read_regular

    seen: set[str] = set()
    files = folders = total = 0
    for top, dirs, names in os.walk(folder):
        folders += 1
        if folders > 4 * _NODE_SCAN_FILES:
            break
        dirs[:] = sorted(d for d in dirs if d not in _NODE_SKIP and not d.startswith("."))
        for n in sorted(names):
            if not n.endswith(_NODE_SOURCES) or _NODE_TEST_FILE.search(n):
                continue
            files += 1
            if files > _NODE_SCAN_FILES:
                break
            path = Path(top) / n
            try:
                size = path.stat().st_size
                if size > _NODE_SCAN_BYTES or total + size > _NODE_SCAN_TOTAL:
                    continue
                total += size
                source = read_regular(str(path), _NODE_SCAN_BYTES, within=str(folder)).decode("utf-8", errors="replace")
            except OSError:
                continue
            seen.update(m.group(1) or "/" + m.group(2) for m in _NODE_ROUTE.finditer(source))
        if files > _NODE_SCAN_FILES:
            break
    return next((p for p in _HEALTH_PATHS if p in seen), None)


def _entry_module(ctx: RuleContext, stage: Stage, argv: list[str]) -> Path | None:
    """The .py file the command runs, found in the build context through the COPY that put it there."""
    context = ctx.context_dir
    if context is None:
        return None
    script = None
    for i, w in enumerate(argv):
        if w.endswith(".py") and i > 0 and argv[i - 1].rsplit("/", 1)[-1].startswith("python"):
            script = w
            break
        if w == "-m" and i + 1 < len(argv) and i > 0 and argv[i - 1].rsplit("/", 1)[-1].startswith("python"):
            script = argv[i + 1].replace(".", "/") + ".py"
            break
    if script is None:
        server, at = _server(argv)
        if server in ("uvicorn", "gunicorn", "hypercorn", "daphne", "granian"):
            target = next((w for w in argv[at + 1 :] if ":" in w and not w.startswith("-")), None)
            if target is not None:
                script = target.split(":")[0].replace(".", "/") + ".py"
        if script is None:
            return None
    from optimizer.analysis.buildcontext import find_in_context

    return find_in_context(ctx, stage, script)


# the standard library's HTTP servers: the import that names one, and the calls that start it
_STDLIB_SERVERS = {"http.server": "http.server", "wsgiref.simple_server": "wsgiref"}
_STDLIB_SERVER_CALLS = frozenset({"HTTPServer", "ThreadingHTTPServer", "make_server"})


def _literal_port(node: object) -> int | None:
    """The port of `HTTPServer(("", 8000), …)` or `make_server("", 8000, app)` when it is a literal."""
    import libcst as cst

    assert isinstance(node, cst.Call)
    args = [a.value for a in node.args]
    if args and isinstance(args[0], cst.Tuple) and len(args[0].elements) == 2:
        value = args[0].elements[1].value
    elif len(args) >= 2:
        value = args[1]
    else:
        return None
    return int(value.value) if isinstance(value, cst.Integer) and 0 < int(value.value) < 65536 else None


# os.environ["PORT"], os.environ.get("PORT", 8080), os.getenv("PORT", "5000"), environ.get('PORT') or 8000
_PY_ENV_PORT = re.compile(
    r"""(?:environ\.get|getenv)\(\s*['"](\w*PORT)['"]\s*(?:,\s*['"]?(\d{1,5})['"]?\s*)?\)(?:\s*or\s*['"]?(\d{1,5}))?"""
    r"""|environ\[\s*['"](\w*PORT)['"]\s*\]"""
)


@record
class ModuleFacts:
    serves: bool = False
    framework: str | None = None
    port: int | None = None
    port_call: str = ""
    health_path: str | None = None
    port_var: str | None = None  # the module reads its port from this variable (os.environ["PORT"], os.getenv)
    port_default: int | None = None  # … with this default when it is unset
    port_read: str = ""  # the text that reads it
    port_dynamic: str = ""  # a standard-library server started on a port the code computes: the call


def scan_module(path: Path) -> ModuleFacts:
    """Read (never run) a Python module: web framework, `*.run(port=…)`, health routes."""
    facts = ModuleFacts()
    from optimizer.core.fileio import read_regular

    try:
        source = read_regular(str(path), 4_000_000).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return facts
    if len(source) > 1_000_000:
        return facts
    import libcst as cst

    try:
        tree = cst.parse_module(source)
    except Exception:  # libcst raises ParserSyntaxError and friends
        return facts

    class Visitor(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                self._framework(cst.helpers.get_full_name_for_node(alias.name) or "")

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None:
                self._framework(cst.helpers.get_full_name_for_node(node.module) or "")

        def _framework(self, name: str) -> None:
            if name in _STDLIB_SERVERS:
                facts.framework = facts.framework or _STDLIB_SERVERS[name]
                return
            top = name.split(".")[0]
            if top in (
                "flask",
                "fastapi",
                "starlette",
                "aiohttp",
                "bottle",
                "sanic",
                "quart",
                "tornado",
                "falcon",
                "django",
                "litestar",
                "uvicorn",
                "gradio",
                "streamlit",
            ):
                facts.framework = facts.framework or top

        def visit_Call(self, node: cst.Call) -> None:
            name = cst.helpers.get_full_name_for_node(node.func) or ""
            if facts.framework in _STDLIB_SERVERS.values() and name.rsplit(".", 1)[-1] in _STDLIB_SERVER_CALLS:
                facts.serves = True  # HTTPServer((host, port), Handler), make_server(host, port, app)
                port = _literal_port(node)
                if port is not None and facts.port is None:
                    facts.port, facts.port_call = port, f"`{name}(…{port}…)`"
                elif port is None:
                    facts.port_dynamic = facts.port_dynamic or f"`{name}(…)`"
            if name.endswith(".run") or name in ("run", "serve", "web.run_app") or name.endswith(".run_app"):
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "port" and isinstance(arg.value, cst.Integer):
                        facts.port = int(arg.value.value)
                        facts.port_call = f"`{name}(port={arg.value.value})`"
                        facts.serves = True
                if name.endswith(".run") and facts.framework is not None:
                    facts.serves = True
            for arg in node.args:
                if isinstance(arg.value, cst.SimpleString) and name.rsplit(".", 1)[-1] in (
                    "get",
                    "route",
                    "api_route",
                    "head",
                    "add_url_rule",
                    "add_api_route",
                    "add_route",
                ):
                    value = arg.value.evaluated_value
                    if isinstance(value, str) and value.rstrip("/") in _HEALTH_PATHS and facts.health_path is None:
                        facts.health_path = value
                    break

        def visit_Comparison(self, node: cst.Comparison) -> None:
            # `if self.path == "/health":` in a BaseHTTPRequestHandler
            left = cst.helpers.get_full_name_for_node(node.left) or ""
            if not left.endswith(".path") or facts.health_path is not None:
                return
            for target in node.comparisons:
                value = target.comparator
                if isinstance(target.operator, cst.Equal) and isinstance(value, cst.SimpleString):
                    text = value.evaluated_value
                    if isinstance(text, str) and text.rstrip("/") in _HEALTH_PATHS:
                        facts.health_path = text

    tree.visit(Visitor())
    if facts.port is None:
        m = _PY_ENV_PORT.search(source)
        if m is not None:
            facts.port_var, facts.port_read = m.group(1) or m.group(4), m.group(0)
            default = m.group(2) or m.group(3)
            facts.port_default = _int(default) if default else None
    if facts.framework in ("gradio", "streamlit"):
        facts.serves = facts.serves or facts.framework == "gradio"
    return facts
