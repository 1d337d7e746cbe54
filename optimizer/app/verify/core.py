"""``dopt verify``: build the original and the rewritten Dockerfile, compare, and find culprits.

Both files are built from the same context with the same builder. For each image: built or not (and
the failing step), size (uncompressed sum of layers; compressed where the builder knows it), layers,
build seconds, the user it runs as, the ``--smoke`` command's exit code and output, and — when the
rewritten image has a HEALTHCHECK — whether the health command passes once the service is started;
and, when the final stage has a CMD or ENTRYPOINT, run-time parity (see ``runtime.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from optimizer.app import pipeline
from optimizer.app.verify.builders import Builder, BuilderError, BuildResult, ImageInfo, RunResult
from optimizer.app.verify.layers import ImageLayers
from optimizer.app.verify.runtime import RuntimeReport, check_script, compare, from_run, write_set
from optimizer.core.engine import FixResult
from optimizer.core.settings import Settings

Log = Callable[[str], None]


@dataclass
class ImageReport:
    label: str  # "original" | "rewritten"
    built: bool = False
    failed_step: str = ""
    log_tail: str = ""
    build_seconds: float = 0.0
    size: int | None = None
    compressed: int | None = None
    layers: int | None = None
    user: str = ""
    smoke_code: int | None = None
    smoke_output: str = ""
    health: str = ""  # "passed" | "failed" | "none" (no HEALTHCHECK) | "" (not tried)
    health_output: str = ""
    runtime: RuntimeReport | None = None  # the default command's run (None: not run)

    @property
    def smoke_ok(self) -> bool:
        return self.smoke_code in (None, 0)

    @property
    def parity_ok(self) -> bool:
        return self.runtime is None or not self.runtime.problems

    @property
    def works(self) -> bool:
        return self.built and self.smoke_ok and self.health != "failed" and self.parity_ok


@dataclass
class Attribution:
    """What one rule is worth: the rewrite built again with that rule alone left out."""

    code: str
    name: str
    fixes: int  # fixes of the rule in the rewrite
    bytes_saved: int | None  # size without the rule minus size with it (None: did not build)


@dataclass
class HeldBack:
    """A rule whose fixes the verified rewrite leaves out, and what failed with them in."""

    code: str
    name: str
    fixes: list[str]  # "CODE: message" of each fix left out
    reasons: list[str]  # what failed when they were in: the failing step, the parity lines, ...


@dataclass
class VerifyReport:
    path: str
    builder: str
    fixes: list[str] = field(default_factory=list)  # "CODE: message" of the fixes applied
    original: ImageReport = field(default_factory=lambda: ImageReport("original"))
    rewritten: ImageReport = field(default_factory=lambda: ImageReport("rewritten"))
    dropped: list[str] = field(default_factory=list)  # fixes left out by --bisect
    all_fixes: ImageReport | None = None  # with --bisect: the rewrite with every fix, which failed
    attribution: list[Attribution] = field(default_factory=list)  # with --attribute: bytes per rule
    held_back: list[HeldBack] = field(default_factory=list)  # with --bisect: what was left out, and why
    files: dict[str, str] = field(default_factory=dict)  # other context files the verified rewrite writes
    rewritten_text: str = ""
    unchanged: bool = False
    file_sources: dict[str, str | None] = field(default_factory=dict)  # those files' text before (None: new)
    layers: dict[str, ImageLayers] | None = None  # with --layers: "original"/"rewritten" -> where the bytes went

    @property
    def regression(self) -> bool:
        """The original works but the rewrite does not."""
        return self.original.works and not self.rewritten.works

    @property
    def change(self) -> float | None:
        a, b = self.original.size, self.rewritten.size
        if not a or b is None:
            return None
        return (b - a) / a * 100

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out.pop("rewritten_text")
        out.pop("file_sources")
        out["change_percent"] = None if self.change is None else round(self.change, 1)
        out["regression"] = self.regression
        return out


def _health_script(info: ImageInfo) -> str | None:
    """A shell script that starts the image's command and polls its HEALTHCHECK for up to 60 s."""
    test = info.healthcheck
    if not test or test[0] == "NONE":
        return None
    if test[0] == "CMD-SHELL":
        probe = f"sh -c {shlex.quote(test[1])}"
    elif test[0] == "CMD":
        probe = shlex.join(test[1:])
    else:
        return None
    service = shlex.join(list(info.entrypoint) + list(info.cmd))
    if not service:
        return None
    return (
        f"{service} >/tmp/dopt-service.log 2>&1 & pid=$!; i=0; "
        f"while [ $i -lt 60 ]; do if {probe} >/tmp/dopt-probe.log 2>&1; then echo healthy; kill $pid; "
        f"exit 0; fi; i=$((i+1)); sleep 1; done; echo unhealthy; cat /tmp/dopt-probe.log; "
        f"tail -20 /tmp/dopt-service.log; kill $pid; exit 1"
    )


class Verifier:
    def __init__(
        self,
        builder: Builder,
        context: Path,
        smoke: str | None = None,
        log: Log | None = None,
        check_health: bool = True,
        run_timeout: float = 180,
        run_seconds: float = 0,
        dockerfile: Path | None = None,
    ) -> None:
        self.builder = builder
        self.context = context
        # BuildKit's per-Dockerfile ignore file (<Dockerfile>.dockerignore), which wins over the context's
        self.own_ignore = dockerfile.resolve().with_name(dockerfile.name + ".dockerignore") if dockerfile else None
        self._contexts: dict[tuple[tuple[str, str], ...], Path | str] = {}
        self.smoke = shlex.split(smoke) if smoke else None
        self.log = log or (lambda _msg: None)
        self.check_health = check_health
        self.run_timeout = run_timeout
        self.run_seconds = run_seconds  # 0: no run-time parity check
        self.baseline: RuntimeReport | None = None  # the original's run, once made
        self._n = 0
        self.tmp = Path(tempfile.mkdtemp(prefix="dopt-verify-"))
        self.started = datetime.now(timezone.utc).replace(microsecond=0)  # layers made before: the base image's
        self.tags: dict[int, str] = {}  # id() of each built ImageReport -> its tag, while the builder has it

    def _context_with(self, files: dict[str, str]) -> Path | str:
        """A copy of the build context with the files the fixes write (the user's folder is never
        touched; files are hard links where possible, replaced, not written through); a str says why
        there is none (a file outside the context)."""
        key = tuple(sorted(files.items()))
        if key in self._contexts:
            return self._contexts[key]
        base = self.context.resolve()
        targets: list[tuple[Path, str]] = []
        for f, content in sorted(files.items()):
            try:
                targets.append((Path(f).resolve().relative_to(base), content))
            except ValueError:
                self._contexts[key] = f"a fix writes {f}, outside the build context {self.context}"
                return self._contexts[key]
        dst = self.tmp / f"context-{len(self._contexts)}"
        shutil.copytree(base, dst, symlinks=True, copy_function=_link_or_copy)
        for rel, content in targets:
            target = dst / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # maybe a hard link to the user's file: replace, never write through
            target.write_bytes(content.encode("utf-8", errors="surrogateescape"))
        self._contexts[key] = dst
        return dst

    def image(self, label: str, text: str, examine: bool = True, files: dict[str, str] | None = None) -> ImageReport:
        """Build one Dockerfile text, with the context files its fixes write (``files``: path ->
        content), and examine the image (removed again by the builder's cleanup); without
        ``examine``, only build and measure it."""
        self._n += 1
        report = ImageReport(label)
        dockerfile = self.tmp / f"{self._n}-{label}.Dockerfile"
        dockerfile.write_bytes(text.encode("utf-8"))
        files = dict(files or {})
        own = str(self.own_ignore) if self.own_ignore else ""
        ignore_text = files.pop(own, None)
        if ignore_text is None and self.own_ignore is not None and self.own_ignore.is_file():
            ignore_text = self.own_ignore.read_text(encoding="utf-8", errors="surrogateescape")
        ignorefile = None
        if ignore_text is not None:
            ignorefile = self.tmp / f"{self._n}-{label}.dockerignore"
            ignorefile.write_bytes(ignore_text.encode("utf-8", errors="surrogateescape"))
        context = self._context_with(files) if files else self.context
        if isinstance(context, str):
            report.failed_step = f"not built: {context}"
            return report
        tag = f"localhost/dopt-verify:{label}-{self._n}-{int(time.time())}"
        self.log(f"building the {label} Dockerfile with {self.builder.name}")
        result: BuildResult = self.builder.build(
            dockerfile, context, tag, self.tmp / f"{self._n}.log", ignorefile=ignorefile
        )
        report.build_seconds = round(result.seconds, 1)
        report.built = result.ok
        self.tags[id(report)] = tag
        if not result.ok:
            report.failed_step, report.log_tail = result.failed_step, result.log_tail
            self.log(f"the {label} image did not build: {result.failed_step or 'see the log'}")
            return report
        info = self.builder.inspect(tag)
        report.size, report.compressed, report.layers, report.user = info.size, info.compressed, info.layers, info.user
        if not examine:
            return report
        if self.smoke:
            self.log(f"smoke test in the {label} image: {shlex.join(self.smoke)}")
            run: RunResult = self.builder.run(tag, self.smoke, self.run_timeout)
            report.smoke_code, report.smoke_output = run.code, run.output[-4000:]
        if self.check_health:
            script = _health_script(info)
            if script is None:
                report.health = "none"
            else:
                self.log(f"starting the {label} service and probing its HEALTHCHECK")
                run = self.builder.run(tag, ["sh", "-c", script], self.run_timeout)
                report.health = "passed" if run.code == 0 else "failed"
                report.health_output = run.output[-4000:]
        if self.run_seconds > 0 and (info.entrypoint or info.cmd):
            report.runtime = self.runtime(label, tag)
        return report

    def layers(self, report: ImageReport) -> ImageLayers:
        """Where the bytes of a built image went, layer by layer (see ``layers.py``)."""
        from optimizer.app.verify.layers import read_archive

        tag = self.tags.get(id(report))
        if tag is None or not report.built:
            return ImageLayers(error="the image was not built")
        self.log(f"reading the layers of the {report.label} image")
        archive = self.tmp / f"layers-{self._n}-{report.label}.tar"
        try:
            error = self.builder.save(tag, archive)
            if error:
                return ImageLayers(error=f"{self.builder.name} could not save the image: {error}")
            return read_archive(archive, since=self.started)
        finally:
            archive.unlink(missing_ok=True)

    def runtime(self, label: str, tag: str) -> RuntimeReport:
        """Run the image's default command; the original's run is the baseline the others must match."""
        base = self.baseline
        self.log(f"running the {label} image's own command for up to {self.run_seconds:g} s")
        script = check_script(base.write_set if base else [], base.home if base else "", base.user_name if base else "")
        app = self.builder.run_app(tag, self.run_seconds, script)
        rt = from_run(app)
        if base is None:
            if app.changes is None:
                rt.warnings.append(f"{self.builder.name} cannot list what the process wrote: no write-set check")
            else:
                rt.write_set = write_set(app.changes)
            self.baseline = rt
        else:
            compare(base, rt, self.run_seconds)
        return rt


def _link_or_copy(src: str, dst: str) -> object:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def failure_reasons(img: ImageReport) -> list[str]:
    """Why an image does not work, one line each (none when it works)."""
    if not img.built:
        return [f"did not build: {img.failed_step or 'see the build log'}"]
    out: list[str] = []
    if not img.smoke_ok:
        last = [x for x in img.smoke_output.strip().splitlines() if x.strip()][-1:]
        out.append(f"the smoke test exited with code {img.smoke_code}" + (f": {last[0].strip()[:200]}" if last else ""))
    if img.health == "failed":
        last = [x for x in img.health_output.strip().splitlines() if x.strip() and x.strip() != "unhealthy"][-1:]
        out.append("the HEALTHCHECK did not pass within 60 s" + (f": {last[0].strip()[:200]}" if last else ""))
    if img.runtime is not None and img.runtime.problems:
        out += img.runtime.problems
        last = [x.strip() for x in img.runtime.output_tail.splitlines() if x.strip()][-1:]
        if last and img.runtime.status != "running" and not any(last[0][:200] in p for p in out):
            out.append(f"its last line of output: {last[0][:200]}")
    return out


def _final_stage_runs(text: str, path: str, target: str | None = None) -> bool:
    """Whether the final stage (``target``'s, else the last) says what to run (CMD or ENTRYPOINT of its own)."""
    from optimizer.core.rule_context import final_stage, set_target
    from optimizer.errors import DoptError
    from optimizer.syntax.parser import parse

    try:
        doc = parse(text, path)
    except DoptError:
        return False
    if not doc.stages:
        return False
    set_target(doc, target)
    return any(i.keyword in ("CMD", "ENTRYPOINT") for i in final_stage(doc).instructions)


def _fix(text: str, path: str, settings: Settings) -> FixResult:
    result = pipeline.run(text, path, settings, lint_input=False).result
    assert result is not None
    return result


def describe(result: FixResult) -> list[str]:
    return [f"{d.code}: {d.message}" for d in result.applied]


def _use(report: VerifyReport, result: FixResult) -> None:
    """The rewrite the report stands for: its text, its fixes and the context files they write."""
    report.rewritten_text = result.output
    report.fixes = describe(result)
    report.files = dict(result.files)
    report.file_sources = {f: result.file_sources.get(f) for f in result.files}


def verify(
    path: str,
    text: str,
    settings: Settings,
    builder: Builder,
    context: Path,
    smoke: str | None = None,
    bisect: bool = False,
    log: Log | None = None,
    check_health: bool = True,
    run_seconds: float = 20,
    attribute: bool = False,
    layers: bool = False,
) -> VerifyReport:
    """Build before and after; with ``bisect``, leave out fixes until the rewrite works.

    The rewrite is built with the context files its fixes write (a ``.dockerignore``, a split
    requirements file) in a copy of the context. ``run_seconds``: how long to run each image's own
    command for the run-time parity check, when the final stage has a CMD or ENTRYPOINT (0: no
    check). ``attribute``: when the rewrite works, build it once more per rule with that rule left
    out and report the bytes each rule saves. ``layers``: each image's layers with their instruction,
    largest folders and the rule that would cut them (``report.layers``)."""
    log = log or (lambda _msg: None)
    result = _fix(text, path, settings)
    report = VerifyReport(path, builder.name)
    _use(report, result)
    report.unchanged = not result.changed
    if not _final_stage_runs(text, path, settings.target):
        run_seconds = 0
    builder.target = settings.target  # build the stage the rules treated as final (`--target`, a Compose file)
    dockerfile = Path(path) if path != "-" else None
    verifier = Verifier(builder, context, smoke, log, check_health, run_seconds=run_seconds, dockerfile=dockerfile)
    try:
        report.original = verifier.image("original", text)
        if report.unchanged:
            log("the rewrite changes nothing: only the original was built")
            report.rewritten = dataclasses.replace(report.original, label="rewritten")
            if layers:
                _read_layers(report, verifier)
            return report
        report.rewritten = verifier.image("rewritten", result.output, files=result.files)
        final = settings
        if bisect and report.regression:
            final = _bisect(report, text, path, settings, result, verifier, log) or settings
        if attribute and report.rewritten.works and report.rewritten.size is not None:
            _attribute(report, text, path, final, verifier, log)
        if layers:
            _read_layers(report, verifier)
        return report
    finally:
        with contextlib.suppress(OSError, BuilderError):
            builder.cleanup()
        shutil.rmtree(verifier.tmp, ignore_errors=True)


def _read_layers(report: VerifyReport, verifier: Verifier) -> None:
    """Each image's layers; a rewrite that changes nothing (or whose every fix was held back) is the original."""
    original = verifier.layers(report.original)
    rewritten = original if report.unchanged else verifier.layers(report.rewritten)
    report.layers = {"original": original, "rewritten": rewritten}


def _without(settings: Settings, drop: frozenset[tuple[str, str, str]], ignore: set[str]) -> Settings:
    import copy

    trial = copy.copy(settings)
    trial.drop = settings.drop | drop
    trial.ignore = set(settings.ignore) | ignore
    return trial


def _attribute(report: VerifyReport, text: str, path: str, settings: Settings, verifier: Verifier, log: Log) -> None:
    """Build the rewrite once per rule it applies, with that rule left out: the bytes each rule saves.
    Marginal figures: rules interact (a split makes other cleanups moot), so they need not add up."""
    from optimizer.core.registry import get_rule

    result = _fix(text, path, settings)
    codes = list(dict.fromkeys(d.code for d in result.applied))
    size = report.rewritten.size or 0
    for code in codes:
        log(f"attribute: building the rewrite without {code}")
        res = _fix(text, path, _without(settings, frozenset(), {code}))
        img = verifier.image("attribute", res.output, examine=False, files=res.files)
        rule = get_rule(code)
        saved = img.size - size if img.built and img.size is not None else None
        n = sum(1 for d in result.applied if d.code == code)
        report.attribution.append(Attribution(code, rule.name if rule else "", n, saved))
    report.attribution.sort(key=lambda a: -(a.bytes_saved or 0))


def _rule_name(code: str) -> str:
    from optimizer.core.registry import get_rule

    rule = get_rule(code)
    return rule.name if rule else ""


def _bisect(
    report: VerifyReport, text: str, path: str, settings: Settings, result: FixResult, verifier: Verifier, log: Log
) -> Settings | None:
    """Find the fixes to leave out, and return the settings that make the working rewrite (None: none found).

    First one rule at a time (then one fix of that rule at a time); when no single rule explains the
    failure, rule by rule from nothing: each rule is kept when the rewrite with it and the rules kept
    so far still works, else held back with what failed — several culprits, each with its own reasons,
    in one build per rule."""

    built: dict[tuple[str, tuple[tuple[str, str], ...]], ImageReport] = {}

    def attempt(drop: frozenset[tuple[str, str, str]], ignore: set[str]) -> tuple[FixResult, ImageReport]:
        """The rewrite without these fixes, built and examined (once: the same text is never built twice)."""
        res = _fix(text, path, _without(settings, drop, ignore))
        key = (res.output, tuple(sorted(res.files.items())))
        if key not in built:
            built[key] = verifier.image("bisect", res.output, files=res.files)
        return res, built[key]

    def fixes_of(code: str) -> list[str]:
        return [f"{d.code}: {d.message}" for d in result.applied if d.code == code]

    everything = report.rewritten
    codes = list(dict.fromkeys(d.code for d in result.applied))
    without: dict[str, ImageReport] = {}
    for code in codes:
        log(f"bisect: leaving out {code}")
        res, img = attempt(frozenset(), {code})
        without[code] = img
        if not img.works:
            continue
        # that rule is enough; now try to keep all but one of its fixes
        fixes = [result.keys[i] for i, d in enumerate(result.applied) if d.code == code]
        for fix in fixes if len(fixes) > 1 else []:
            log(f"bisect: leaving out one {code} fix: {fix[1][:80]}")
            res2, img2 = attempt(frozenset({fix}), set())
            if img2.works:
                report.dropped = [f"{fix[0]}: {fix[1]} (at `{fix[2].splitlines()[0][:60]}`)"]
                reasons = failure_reasons(everything)
                report.held_back = [HeldBack(code, _rule_name(code), [f"{fix[0]}: {fix[1]}"], reasons)]
                report.all_fixes = everything
                report.rewritten = img2
                _use(report, res2)
                return _without(settings, frozenset({fix}), set())
        report.dropped = [f"{c}: {m}" for c, m, _t in fixes]
        report.held_back = [HeldBack(code, _rule_name(code), fixes_of(code), failure_reasons(everything))]
        report.all_fixes = everything
        report.rewritten = img
        _use(report, res)
        return _without(settings, frozenset(), {code})
    kept: list[str] = []
    held: list[HeldBack] = []
    best: tuple[FixResult, ImageReport] | None = None
    if len(codes) == 2:  # each rule alone has been tried already, and failed
        held = [
            HeldBack(c, _rule_name(c), fixes_of(c), failure_reasons(without[o]))
            for c, o in zip(codes, codes[::-1], strict=True)
        ]
    else:
        log("bisect: no single rule explains the failure; adding the rules back one by one")
        for code in codes:
            log(f"bisect: {', '.join([*kept, code])} without the others")
            res, img = attempt(frozenset(), {c for c in codes if c not in kept and c != code})
            if img.works:
                kept.append(code)
                best = (res, img)
            else:
                held.append(HeldBack(code, _rule_name(code), fixes_of(code), failure_reasons(img)))
    report.dropped = [f for h in held for f in h.fixes]
    report.held_back = held
    report.all_fixes = everything
    if best is None:
        log("bisect: no rule works on its own: every fix is held back")
        report.rewritten = dataclasses.replace(report.original, label="rewritten")
        report.rewritten_text, report.fixes, report.files, report.file_sources = text, [], {}, {}
        report.unchanged = True
    else:
        report.rewritten = best[1]
        _use(report, best[0])
    return _without(settings, frozenset(), {h.code for h in held})


def report_from_dict(data: dict[str, Any]) -> VerifyReport:
    """A report back from ``as_dict()`` (a recorded ``--output-format json`` run)."""

    def image(d: dict[str, Any] | None) -> ImageReport | None:
        if d is None:
            return None
        rt = d.get("runtime")
        fields = {k: v for k, v in d.items() if k in ImageReport.__dataclass_fields__ and k != "runtime"}
        return ImageReport(**fields, runtime=RuntimeReport(**rt) if rt is not None else None)

    report = VerifyReport(data["path"], data["builder"], list(data.get("fixes", [])))
    report.original = image(data["original"]) or report.original
    report.rewritten = image(data["rewritten"]) or report.rewritten
    report.all_fixes = image(data.get("all_fixes"))
    report.dropped = list(data.get("dropped", []))
    report.attribution = [Attribution(**a) for a in data.get("attribution", [])]
    report.held_back = [HeldBack(**h) for h in data.get("held_back", [])]
    report.files = dict(data.get("files", {}))
    report.unchanged = bool(data.get("unchanged", False))
    if data.get("layers") is not None:
        from optimizer.app.verify.layers import from_dict

        report.layers = {label: from_dict(d) for label, d in data["layers"].items()}
    return report
