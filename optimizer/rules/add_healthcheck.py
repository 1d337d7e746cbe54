"""DOP504 add-healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext, final_stage

DOC = """
## What it does
Adds a `HEALTHCHECK` to a final stage that serves HTTP and has none. The
server and port are read from the command (`uvicorn … --port`, `gunicorn -b`,
`flask run`, `streamlit run`, `manage.py runserver`, `--port=`) — also when
an exec-form command runs a shell (`["/bin/sh", "-c", "exec gunicorn …"]`,
as `exec-form-cmd` writes it) —, the variable the server reads
(`FLASK_RUN_PORT`, `UVICORN_PORT`, `PORT` for gunicorn), `ENV PORT` when the
command uses it, a single `EXPOSE`, and — with libcst, without running
anything — the Python entry module in the build context
(`uvicorn.run(app, port=…)`, `app.run(port=…)`, the standard library's
`HTTPServer((host, port), …)` and `make_server(host, port, app)`, and a
`/health`, `/healthz`, `/ready` or `/ping` route, also as
`self.path == "/health"`). ENV, EXPOSE, CMD/ENTRYPOINT and HEALTHCHECK are
resolved through `FROM <stage>` chains: a stage `FROM builder` that inherits
`ENV FLASK_RUN_PORT 8000` and `EXPOSE 8000` is probed on 8000. A node
program (`node FILE`, `npm start`) is a service when the package.json it was
copied with — from the build context, also through a builder stage — depends
on an HTTP framework (express, fastify, koa, hapi, NestJS, next, …); its port
comes from `ENV PORT`, a single `EXPOSE` or the framework's default, and a
health route from its sources (`app.get("/healthz", …)`, tests and browser
code left out; probed leniently — any answer below 500 passes — since route
prefixes are not read); `npm start` reads the port its start script names
(`next start -p 8080`). The probe uses what
the image already has: node's `http` in a node program, Python's `urllib` in a
Python image, else `curl` or `wget` when installed.

## Why
Without a health check, Docker, Compose and Swarm only see whether the
process exists, not whether it answers; a hung server stays "running".

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
WORKDIR /app
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"]
```
gets, before `CMD`:
```dockerfile
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "…urlopen('http://127.0.0.1:8080/')…"]
```
Without a health route the probe passes on any HTTP answer (the server is
up; with Python, any answer below 500); with one it must answer 2xx/3xx.
`wget` fails on every HTTP error, so it is used only for a health route.

## Fix safety
Unsafe: an orchestrator acts on an unhealthy container (Swarm restarts it).
Nothing is added when the port is unknown (no port → no HEALTHCHECK), when
the port comes from a variable only the run-time environment sets
(`--bind :$PORT` without `ENV PORT`, `os.environ["PORT"]` in the entry
module: reported, never a guessed port).
A server that binds a variable the run time may set (Cloud Run and Heroku
set `PORT`) with a default that is known for certain — `--port
${PORT:-8080}`, `os.environ.get("PORT", 5000)` in the entry module,
gunicorn without `--bind` (it binds `$PORT` when set, else 8000) — gets a
probe that reads the same variable (Python and node from their environment,
curl and wget through `sh -c '…${PORT:-8080}…'`); gunicorn without `--bind`
whose `EXPOSE` names another port is reported without a fix.
Also nothing is added when
several ports are exposed and the command names none, when a Python or node
service's image has no probe tool (distroless, scratch: reported), when the
stage or the one it is built from already has a `HEALTHCHECK` (also
`HEALTHCHECK NONE`), or on Windows images. A program dopt cannot read (a Go, Rust or Java binary)
is not known to serve HTTP, so nothing is reported for it. dopt never installs
curl just for this.
"""

_TIMEOUT = 5


@rule("DOP504", "add-healthcheck", "Add a HEALTHCHECK that probes the service's HTTP port", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if not doc.stages or ctx.windows:
        return
    stage = final_stage(doc)
    from optimizer.analysis.finalstage import apt_installed, base_family, insertion_point
    from optimizer.analysis.service import analyse
    from optimizer.analysis.stage_facts import facts_of
    from optimizer.analysis.templating import render

    facts = facts_of(doc, stage)
    if facts.cmd is None and facts.entrypoint is None:
        return  # the service's command is what tells the server and port
    if facts.healthcheck is not None:
        return
    chain = facts.chain
    svc = analyse(ctx, stage, doc.stages)
    if svc.server is None:
        return
    ins0 = stage.from_instruction
    where = f"`{svc.server}`" if svc.server != "python-app" else "the entry module"
    if svc.port is None:
        why = svc.notes[0] if svc.notes else "no port found"
        yield ctx.report(ins0, f"The image serves HTTP ({where}) but has no HEALTHCHECK; not added: {why}")
        return
    base, fam = base_family(doc.stages, stage)
    installed = apt_installed(ctx, chain)
    node_bin = "node"
    if svc.node:
        probe = "node"
        if svc.argv and svc.argv[0].startswith("/") and svc.argv[0].endswith("/node"):
            node_bin = svc.argv[0]  # distroless/nodejs has node at /nodejs/bin/node, not on PATH
    elif (
        fam is not None
        and fam.language == "python"
        or "python3" in installed
        or "python3-pip" in installed
        or any(w.rsplit("/", 1)[-1].startswith("python") for w in svc.argv[:1])
    ):
        probe = "python"
    elif "curl" in installed:
        probe = "curl"
    elif "wget" in installed or (fam is not None and fam.name == "alpine"):
        probe = "wget"
    else:
        reason = (
            "the image has no shell or probe tool"
            if fam is not None and not fam.shell
            else "the image has neither Python, curl nor wget (dopt does not install one for this)"
        )
        yield ctx.report(
            ins0,
            f"The image serves HTTP on port {svc.port} but has no HEALTHCHECK; not added: {reason}",
        )
        return
    if probe == "wget" and svc.health_path is None:
        yield ctx.report(
            ins0,
            f"The image serves HTTP on port {svc.port} but has no "
            "HEALTHCHECK; not added: the only probe tool is wget, which fails on any HTTP error, "
            "and no health route was found",
        )
        return
    path = svc.health_path or "/"
    url = f"http://127.0.0.1:{svc.port}{path}"
    shown = f"http://127.0.0.1:${{{svc.port_var}:-{svc.port}}}{path}" if svc.port_var else url
    if svc.port_var and probe in ("curl", "wget") and (fam is None or not fam.shell):
        yield ctx.report(
            ins0,
            f"The image serves HTTP on ${svc.port_var} (else port {svc.port}) but has no HEALTHCHECK; not added: "
            f"{probe} needs a shell to read ${svc.port_var}, and dopt does not know that the image has one",
        )
        return
    first = facts.first_command_in_stage()
    kw = {k: ctx.keyword_like(ins0, k) for k in ("HEALTHCHECK", "CMD")}

    def text() -> str:  # rendered only when the fix is applied or shown (jinja2 is not loaded otherwise)
        return render(
            "healthcheck.j2",
            newline=doc.newline,
            escape=doc.escape,
            kw=kw,
            probe=probe,
            url=url,
            port=svc.port,
            path=path,
            timeout=_TIMEOUT,
            # a node route is found by reading sources, not the router (prefixes, mounts): any answer below 500 passes
            strict=svc.health_path is not None and not svc.node,
            node_bin=node_bin,
            port_var=svc.port_var,
        )

    if first is not None:
        at = insertion_point(doc.text, first)
        edit = Edit.deferred(at, at, text)
    else:
        end = stage.instructions[-1].end
        edit = Edit.deferred(end, end, lambda: doc.newline + text().rstrip("\r\n"))
    found = f"{svc.port_source}" + (f", route {path}" if svc.health_path else "")
    port = f"${svc.port_var}, else port {svc.port}," if svc.port_var else f"port {svc.port}"
    yield ctx.report(
        ins0,
        f"The image serves HTTP ({where}, {port} from {found}) but has no HEALTHCHECK",
        [edit],
        Applicability.UNSAFE,
        f"Probe {shown} with {probe}",
    )
