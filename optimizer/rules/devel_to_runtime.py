"""DOP501 devel-to-runtime-base."""

from __future__ import annotations

import re
from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext
from optimizer.syntax.model import Stage

DOC = """
## What it does
Swaps the `-devel` base image of a stage that compiles nothing for the
`-runtime` variant of the same image and version: `nvidia/cuda:…-devel-…`
becomes `…-runtime-…` (with or without cuDNN), `pytorch/pytorch:…-devel`
becomes `…-runtime`. Only pairs listed in dopt's knowledge data are used;
images without a runtime variant (NGC's `nvcr.io/nvidia/pytorch`) are
reported, never given an invented tag.

## Why
`-devel` images carry the CUDA compiler, headers and static libraries —
several gigabytes that an image which only installs wheels and runs Python
never uses.

## Example
```dockerfile
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel
RUN pip install --no-cache-dir transformers
CMD ["python", "serve.py"]
```
becomes
```dockerfile
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime
RUN pip install --no-cache-dir transformers
CMD ["python", "serve.py"]
```

## Fix safety
Unsafe: the program may compile at run time (a JIT extension with
`torch.utils.cpp_extension.load`, a package that builds on first import),
which the runtime image cannot. The swap is offered only when no `RUN` of
the stage compiles: no compiler or build tool (`nvcc`, `gcc`, `make`,
`cmake`, `cargo`, …), no `setup.py build/install`, no `pip install` of a
path, a git URL, an editable package, `--no-binary`, or a package known to
build CUDA code from source (`flash-attn`, `apex`, `deepspeed`, …), no
`TORCH_CUDA_ARCH_LIST` and friends, no build tools installed. A stage
that installs a package which compiles at run time (`deepspeed` ops,
`triton` kernels, `pycuda`; the `jit` list in dopt's knowledge data, shared
with DOP502) keeps its `-devel` image. Requirements
files (`-r`, with their `-r`/`-c` includes) are read from the build context
through the `COPY` that put them in the image; one that cannot be read
blocks the swap. Stages that other stages are built `FROM`
are left alone. Check the result with `dopt verify`.
"""

_PATHLIKE = re.compile(r"^(\.|/|~|\.\.|[\w.-]+/)|\.(whl|tar\.gz|zip)$|^git\+|://")


def _why_it_compiles(ctx: RuleContext, stage: Stage) -> str | None:
    from optimizer.analysis.knowledge import build_only, compile_signals
    from optimizer.analysis.stage_build import is_pip_install, pip_install, runs_setup_py, steps

    signals = compile_signals()
    tools = build_only("apt") | build_only("apk") | build_only("dnf")
    for step in steps(ctx, stage):
        line = step.line
        if step.kind == "env":
            if step.name in signals.env:
                return f"the stage sets {step.name}"
        elif step.kind == "unreadable":
            return f"line {line} is not shell dopt can read"
        elif step.command is not None:
            words = step.words
            if step.command.basename in signals.commands:
                return f"line {line} runs `{step.command.basename}`"
            if runs_setup_py(step):
                return f"line {line} runs setup.py"
            if step.command.basename == "go" and len(words) > 1 and words[1] in ("build", "install"):
                return f"line {line} runs `go {words[1]}`"
        elif (inv := step.invocation) is not None:
            if inv.tool in ("apt-get", "apt", "apk", "dnf", "yum", "microdnf") and inv.sub in ("install", "add"):
                installed = {w.value.split("=")[0] for w in inv.packages()}
                if installed & tools:
                    return f"line {line} installs build tools ({', '.join(sorted(installed & tools))})"
            if not is_pip_install(step):
                continue
            pip = pip_install(ctx, stage, step, _PATHLIKE)
            if pip.problem == "editable":
                return f"line {line}: pip installs from a file or source dopt cannot see into"
            if pip.problem is not None:
                kind, path = pip.problem.split(":", 1)
                if kind == "unreadable":
                    return f"line {line}: pip installs from `{path}`, which dopt cannot read"
                return f"line {line}: `{path}` installs from a path or URL, which may build"
            hit = [n for n in pip.file_names if n in signals.pip_source_builds]
            if hit:
                return f"line {line}: `{hit[0]}` builds CUDA/C++ extensions from source"
            for word, name in pip.words:
                if name is None:
                    return f"line {line}: pip installs `{word}`, which may build from source"
                if name in signals.pip_source_builds or name.replace("_", "-") in signals.pip_source_builds:
                    return f"line {line}: `{name}` builds CUDA/C++ extensions from source"
    return None


@rule("DOP501", "devel-to-runtime-base", "Use the -runtime base image when the stage compiles nothing", DOC)
def check(ctx: RuleContext) -> Iterator[Diagnostic]:
    from optimizer.analysis.knowledge import parse_ref, runtime_variant

    doc = ctx.doc
    used_as_base = {s.base.lower() for s in doc.stages}
    for stage in doc.stages:
        written = stage.base
        base = stage.image or written  # global ARG defaults resolved
        if stage.name and stage.name.lower() in used_as_base:
            continue
        ins = stage.from_instruction
        new, why = runtime_variant(base)
        if new is None and "no runtime tag" in why and stage is doc.stages[-1]:
            yield ctx.report(ins, f"`{base}` has no -runtime variant: {why}")
            continue
        if new is None or "-devel" not in base or "@" in base:
            continue
        if "$" in written:
            yield ctx.report(
                ins,
                f"`{base}` could be `{new}` if the stage compiles "
                "nothing (not fixed: the tag comes from a build argument)",
            )
            continue
        from optimizer.analysis.stage_build import jit_install

        jit = jit_install(ctx, stage)
        if jit is not None:
            if stage is doc.stages[-1]:
                yield ctx.report(
                    ins,
                    f"The final stage keeps `{base}` with the CUDA toolchain (not changed: line {jit[0]}: "
                    f"`{jit[1]}` compiles at run time (JIT) and needs it)",
                )
            continue
        compiles = _why_it_compiles(ctx, stage)
        if compiles is not None:
            if stage is doc.stages[-1]:  # a builder stage that compiles is what -devel is for
                yield ctx.report(
                    ins,
                    f"The final stage runs on `{base}` with the "
                    f"whole CUDA toolchain; a builder/runtime split would drop it (not fixed: "
                    f"{compiles})",
                )
            continue
        message = f"The stage compiles nothing: `{base}` can be `{new}`, without the CUDA toolchain"
        tag = parse_ref(new).tag or ""
        start = ins.src(ins.args_offset)
        word_end = start + len(base)
        if ctx.doc.text[start:word_end] != base or ":" not in base:
            continue
        tag_start = start + base.rindex(":") + 1
        yield ctx.report(ins, message, [Edit(tag_start, word_end, tag)], Applicability.UNSAFE)
