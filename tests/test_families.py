"""The split (DOP502) and the base-image rules (DOP501, DOP603) agree on what they know about images."""

from __future__ import annotations

import pytest

from optimizer.analysis.knowledge import jit_packages
from optimizer.core.engine import fix_text
from optimizer.core.settings import Settings


def _run(text: str, code: str) -> tuple[str, list[str]]:
    result = fix_text(text, "Dockerfile", Settings(select={code}, unsafe_fixes=True))
    return result.output, [d.message for d in result.remaining if d.code == code]


@pytest.mark.parametrize("package", sorted(jit_packages()))
def test_jit_packages_keep_the_toolchain_in_both_rules(package: str) -> None:
    devel = (
        f'FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel\nRUN pip install --no-cache-dir {package}\nCMD ["python"]\n'
    )
    for code in ("DOP501", "DOP502"):
        out, messages = _run(devel, code)
        assert out == devel, code
        assert any(f"`{package}` compiles at run time" in m for m in messages), (code, messages)
    slim = (
        "FROM python:3.11-slim\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n"
        f'RUN pip install --no-cache-dir {package}\nCMD ["python"]\n'
    )
    out, messages = _run(slim, "DOP502")
    assert out == slim and any("compiles at run time" in m for m in messages)


def test_a_package_off_the_jit_list_moves_to_runtime_once() -> None:
    """Nothing compiles: DOP501 switches the tag; DOP502 does not also split onto the same -runtime image
    (applied together, the two used to give a builder stage on the runtime tag that dropped nothing)."""
    text = "FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel\nRUN pip install --no-cache-dir transformers\n"
    assert _run(text, "DOP501")[0].startswith("FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\n")
    assert _run(text, "DOP502") == (text, [])
    both = fix_text(text, "Dockerfile", Settings(select={"DOP501", "DOP502"}, unsafe_fixes=True)).output
    assert both == text.replace("-devel", "-runtime")


def test_a_stage_that_compiles_on_devel_is_split_onto_runtime() -> None:
    text = (
        "FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel\nENV TORCH_CUDA_ARCH_LIST=8.0\n"
        'RUN pip install --no-cache-dir flash-attn\nCMD ["python"]\n'
    )
    out, _ = _run(text, "DOP502")
    assert out.startswith("FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel AS builder\n")
    assert "\nFROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\n" in out


def test_full_python_split_lands_on_slim_with_the_libraries() -> None:
    text = 'FROM python:3.11\nRUN pip install --no-cache-dir mysqlclient python-ldap\nCMD ["python"]\n'
    out, _ = _run(text, "DOP502")
    runtime = out.split("FROM python:3.11-slim\n", 1)[1]
    assert "libmariadb3" in runtime and "libldap-2.5-0" in runtime and "libsasl2-2" in runtime
    assert out.startswith("FROM python:3.11 AS builder\n")


def test_full_python_without_a_building_package_is_left_to_dop603() -> None:
    text = 'FROM python:3.11\nRUN pip install --no-cache-dir flask\nCMD ["python"]\n'
    assert _run(text, "DOP502") == (text, [])
    assert _run(text, "DOP603")[0].startswith("FROM python:3.11-slim\n")


def test_slim_lifts_only_blockers_the_stage_satisfies() -> None:
    base = 'FROM python:3.11\n{install}RUN pip install --no-cache-dir python-magic\nCMD ["python"]\n'
    with_file = base.format(install="RUN apt-get update && apt-get install -y --no-install-recommends file\n")
    assert _run(with_file, "DOP603")[0].startswith("FROM python:3.11-slim\n")
    without = base.format(install="")
    out, messages = _run(without, "DOP603")
    assert out == without and "`python-magic` needs libraries of the full image" in messages[0]


@pytest.mark.parametrize("family", ["full-python", "go", "node", "rust", "java"])
def test_every_split_family_has_eight_golden_cases_with_fixes_and_refusals(family: str) -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "golden" / "builder-runtime-split"
    cases = [p for p in folder.glob(f"{family}-*") if p.is_dir() or p.name.endswith(".findings")]
    fixes = [p for p in cases if (p / "expected.Dockerfile").exists() or p.with_suffix(".expected.Dockerfile").exists()]
    refusals = [p for p in cases if "not split" in ((p / "expected.findings") if p.is_dir() else p).read_text()]
    assert len(cases) >= 8, (family, len(cases))
    assert fixes and refusals, (family, len(fixes), len(refusals))
