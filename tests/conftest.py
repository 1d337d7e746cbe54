"""Suite-wide policy: in CI (CI=true) a skipped test is a failure.

CI installs everything the tests need (see .ci/run): a skip there means a missing tool or data set hides
coverage. Cases that do not apply (a rule that answers no hadolint code, a corpus file BuildKit refuses) are
not collected at all, so they never show up as skips. Locally, skips stay skips.
"""

from __future__ import annotations

import os

import pytest


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true), which hides coverage: {reason}"


def pytest_report_header(config: pytest.Config) -> str:
    """Which examples the real-build tests verify in this run (a rotation: tests/example_rotation.py)."""
    from tests.test_verify_build import TODAY_WHY

    return f"example builds: {TODAY_WHY}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Build tests marked `rotation(NAME)` run on their day of CI's rotation (tests/example_rotation.py);
    the others are deselected, which is not a skip (DOPT_BUILD_EXAMPLES=all runs them all)."""
    marked = [(item, item.get_closest_marker("rotation")) for item in items]
    if not any(m is not None for _i, m in marked):
        return
    from tests.test_verify_build import TODAY

    keep = [i for i, m in marked if m is None or m.args[0] in TODAY]
    dropped = [i for i, m in marked if m is not None and m.args[0] not in TODAY]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
