"""The package is layered: a module imports only from its own layer or the ones below it.

errors and records (and the package root) < syntax < core < analysis < rules < app. Rules do not import each other:
what two rules share belongs in analysis. Checked on the source with ast, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "optimizer"
LAYERS = {"": 0, "errors": 0, "records": 0, "syntax": 1, "core": 2, "analysis": 3, "rules": 4, "app": 5}


def layer_of(dotted: str) -> tuple[int, str]:
    parts = dotted.split(".")
    assert parts[0] == "optimizer", dotted
    top = parts[1] if len(parts) > 1 else ""
    if top in ("__main__",):
        return 6, top
    if top not in LAYERS:
        raise AssertionError(f"module outside the layers: {dotted}")
    return LAYERS[top], top


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: use absolute imports"
            if node.module and node.module.split(".")[0] == "optimizer":
                if node.module == "optimizer":
                    out += [(node.lineno, f"optimizer.{a.name}") for a in node.names if a.name != "__version__"]
                else:
                    out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "optimizer"]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                out.append((node.lineno, str(arg.values[0].value).rstrip(".")))
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append((node.lineno, arg.value))
    return out


# What core's registry loads by name when the rules are first needed: the rule modules, and the analysis module
# that plugs the Windows-image knowledge into RuleContext (core.rule_context.use_windows_stages).
DISCOVERED = {"optimizer.rules", "optimizer.analysis.images"}

MODULES = sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_only_go_down(path: Path) -> None:
    parts = path.relative_to(PKG).with_suffix("").parts
    own = ".".join(("optimizer", *(parts[:-1] if parts[-1] == "__init__" else parts)))
    mine, my_top = layer_of(own)
    for line, target in imports_of(path):
        theirs, top = layer_of(target)
        if own == "optimizer.core.registry" and target in DISCOVERED:
            continue  # the registry loads these by name: plug-ins of core, not dependencies of it
        assert theirs <= mine, f"{own}:{line} imports {target}: layer {top} is above {my_top}"
        if my_top == "rules" and top == "rules" and not own.endswith("__init__"):
            assert target == "optimizer.rules", f"{own}:{line} imports another rule ({target}); move it to analysis"


def test_every_module_is_in_a_layer() -> None:
    tops = {p.relative_to(PKG).parts[0].removesuffix(".py") for p in MODULES}
    assert tops <= set(LAYERS) | {"__init__", "__main__"}, tops - set(LAYERS)
