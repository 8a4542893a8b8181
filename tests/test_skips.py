"""A skip is allowed only for what the machine lacks; any other skip fails (tests/skips.py)."""

from __future__ import annotations

import pytest

SUITE = """
import pytest

def test_data_missing():
    pytest.skip("../shared/corpus is not present")

@pytest.mark.skipif(True, reason="chromium is not installed")
def test_browser():
    pass

@pytest.fixture
def corpus():
    pytest.skip("no corpus")

def test_uses_a_skipping_fixture(corpus):
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False

def test_passes():
    pass
"""


def test_only_a_missing_browser_may_skip(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest("-p", "tests.skips", "-ra")
    result.assert_outcomes(passed=1, skipped=1, failed=1, errors=1, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_uses_a_skipping_fixture*",
            "skipped for a reason that is not allowed: 'no corpus'",
            "*test_data_missing*",
            "skipped for a reason that is not allowed: '../shared/corpus is not present'",
            "SKIPPED * chromium is not installed",
        ]
    )


def test_a_module_skipped_at_collection_fails_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_module='import pytest\npytest.skip("data missing", allow_module_level=True)\n'
    )
    result = pytester.runpytest("-p", "tests.skips")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skipped for a reason that is not allowed: 'data missing'*"])


def test_without_the_plugin_the_same_suite_passes(pytester: pytest.Pytester) -> None:
    """The failures above come from the plugin, not from the suite itself."""
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
