"""DOP501 devel-to-runtime-base."""

from __future__ import annotations

from collections.abc import Iterator

from optimizer.core.fix import Applicability, Diagnostic, Edit
from optimizer.core.registry import rule
from optimizer.core.rule_context import RuleContext, final_stage

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
`torch.utils.cpp_extension.load`, `torch.compile`, a package that builds on
first import), which the runtime image cannot. The decision is on what the
stage compiles or JIT-compiles, nothing else. The swap is offered only when
no `RUN` of the stage compiles: no compiler or build tool (`nvcc`, `gcc`,
`make`, `cmake`, `cargo`, …), no `setup.py build/install`, no `pip install`
of a path, a git URL, an editable package, `--no-binary`, or a package known
to build CUDA code from source (`flash-attn`, `apex`, `xformers`, the `cupy`
source distribution, …), no `TORCH_CUDA_ARCH_LIST` and friends, no build
tools installed. Installing `git` (or another tool that only fetches
sources) is no reason to keep `-devel`: what it fetches is judged by the
command that builds it. A stage that installs a package which compiles at
run time keeps its `-devel` image: `deepspeed` ops, `triton` kernels,
`pycuda` (the `jit` list in dopt's knowledge data, shared with DOP502), and
on CUDA images `vllm`/`flashinfer` (FlashInfer JIT-compiles kernels with
`nvcc`), `sglang` and `numba` (`numba.cuda` needs libNVVM, which only
`-devel` ships). A test/CI image keeps `-devel` too, and says so: a stage
named `test`, `ci`, `dev`… or whose `RUN`, `CMD` or `ENTRYPOINT` runs
`pytest`, `tox`, `nox` or `python -m unittest`, since its jobs may build
extensions. Requirements
files (`-r`, with their `-r`/`-c` includes) are read from the build context
through the `COPY` that put them in the image; one that cannot be read
blocks the swap. Stages that other stages are built `FROM`
are left alone. Check the result with `dopt verify`.
"""


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
        if new is None and "no runtime tag" in why and stage is final_stage(doc):
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

        jit = jit_install(ctx, stage, cuda=True)
        if jit is not None:
            if stage is final_stage(doc):
                yield ctx.report(
                    ins,
                    f"The final stage keeps `{base}` with the CUDA toolchain (not changed: line {jit[0]}: "
                    f"`{jit[1]}` compiles at run time (JIT) and needs it)",
                )
            continue
        from optimizer.analysis.stage_build import runs_tests, why_it_compiles

        tests = runs_tests(ctx, stage)
        if tests is not None:
            if stage is doc.stages[-1]:
                yield ctx.report(
                    ins,
                    f"The final stage keeps `{base}` with the CUDA toolchain (not changed: {tests}, whose jobs "
                    "may build CUDA/C++ extensions)",
                )
            continue
        compiles = why_it_compiles(ctx, stage)
        if compiles is not None:
            if stage is final_stage(doc):  # a builder stage that compiles is what -devel is for
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
