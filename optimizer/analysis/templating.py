"""Generated Dockerfile blocks come from jinja2 templates in ``templates/``.

Every template is rendered with ``StrictUndefined`` (a missing value is an error, never an empty
string) and ``keep_trailing_newline``. Values that land in a shell line go through the ``sh`` filter
(POSIX single quotes where needed); values in exec-form arrays through ``json``. Templates are written
with ``\\n``; the caller's newline and escape character are applied here.
"""

from __future__ import annotations

import json
import shlex
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def templates_dir() -> Path:
    """``templates/`` beside the package in a checkout, or the installed copy (``optimizer.templates``)."""
    pkg = Path(__file__).resolve().parent.parent
    for candidate in (pkg.parent / "templates", pkg / "templates"):
        if (candidate / "runtime_stage.j2").is_file():
            return candidate
    import importlib.util

    spec = importlib.util.find_spec("optimizer.templates")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    raise FileNotFoundError("dopt's templates folder is missing")  # pragma: no cover


def _sh(value: object) -> str:
    return shlex.quote(str(value))


def _env_value(value: object) -> str:
    """A value for ENV/LABEL: double-quoted when it holds spaces or quotes."""
    text = str(value)
    if text and all(c.isalnum() or c in "/._-:+=,@%$" for c in text) and '"' not in text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["sh"] = _sh
    env.filters["json"] = lambda v: json.dumps(v)
    env.filters["envvalue"] = _env_value
    env.filters["py"] = repr  # a Python literal (strings single-quoted, any quote inside escaped)
    return env


def render(template: str, *, newline: str = "\n", escape: str = "\\", **values: Any) -> str:
    """Render ``templates/<template>`` with the file's newline and escape character."""
    text = environment().get_template(template).render(esc=escape, **values)
    return text.replace("\n", newline) if newline != "\n" else text
