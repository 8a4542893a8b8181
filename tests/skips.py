"""A pytest plugin: a test may skip only for something the machine lacks.

The suite is the project's proof on a fresh machine, so a test that quietly skips (its data
missing, an import failing) proves nothing while the run still looks green. A skip whose reason
starts with one of :data:`ALLOWED_SKIPS` stays a skip; any other skip is turned into a failure of
that test, with the reason, so the run fails. ``tests/conftest.py`` loads the plugin, so both
the README's test command and ``.ci/run`` apply it.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

__all__ = ["ALLOWED_SKIPS", "skip_reason"]

# Each allowed reason, as the test states it, and why it is allowed.
ALLOWED_SKIPS = (
    "chromium is not installed",  # tests/test_preview.py: the machine has no browser
    "golden files in ",  # tests/test_golden.py: the run was asked to --update-golden
    # tests/test_precommit.py: pre-commit installs the hook from the package index into a
    # virtualenv of its own, and only from a git checkout; a machine without either lacks it.
    "pre-commit cannot install the hook: the package index is out of reach",
    "pre-commit could not install the hook within",
    "pre-commit installs hooks from a git repository",
)


def skip_reason(longrepr: object) -> str:
    """The reason a skipped report gives (pytest keeps it as ``(path, line, "Skipped: ...")``)."""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _refuse(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report.longrepr)
    if reason.startswith(ALLOWED_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped for a reason that is not allowed: {reason!r}\n"
        "A test may skip only for something the machine lacks (tests/skips.py: ALLOWED_SKIPS); "
        "test data belongs in tests/."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _refuse(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    _refuse(report)
    return report
