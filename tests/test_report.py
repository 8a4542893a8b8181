"""The three output formats: text for people, json for scripts, github for CI log viewers."""

from __future__ import annotations

import json

from podfeed.problems import error, info, warning
from podfeed.report import GithubReporter, JsonReporter, TextReporter, make_reporter


def test_github_properties_escape_percent_newlines_colons_and_commas() -> None:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeProperty)
    problem = error("x-code", "m", "dir,a:b/50%\r\nep.md", 3)
    line = GithubReporter().problems([problem])

    assert line == "::error file=dir%2Ca%3Ab/50%25%0D%0Aep.md,line=3,title=x-code::m"


def test_github_message_escapes_percent_and_newlines_but_keeps_colons_and_commas() -> None:
    problem = warning("c", "50% done:\nsecond, line\r", "f.md", 1, hint="a: b")
    line = GithubReporter().problems([problem])

    assert line == "::warning file=f.md,line=1,title=c::50%25 done:%0Asecond, line%0D Fix: a: b"
    assert "\n" not in line


def test_github_levels_map_to_error_warning_and_notice() -> None:
    lines = GithubReporter().problems([info("i", "m"), warning("w", "m"), error("e", "m")])

    commands = {
        line.split("title=")[1].split("::")[0]: line.split(" ")[0] for line in lines.splitlines()
    }
    assert commands == {"e": "::error", "w": "::warning", "i": "::notice"}


def test_json_is_one_document_with_version_problems_counts_and_summary() -> None:
    doc = json.loads(JsonReporter().document([warning("w", "m", "f.md", 2)], {"n": 1}, "text"))

    assert doc == {
        "version": 1,
        "problems": [
            {
                "level": "warning",
                "code": "w",
                "file": "f.md",
                "line": 2,
                "message": "m",
                "hint": None,
            }
        ],
        "counts": {"error": 0, "warning": 1, "info": 0},
        "summary": {"n": 1},
    }


def test_text_has_no_colour_with_no_color_set_even_on_a_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    reporter = make_reporter("auto", isatty=True)

    assert isinstance(reporter, TextReporter)
    assert "\x1b[" not in reporter.document([error("e", "m", "f.md", 1)], {}, "done")


def test_auto_picks_github_under_github_actions(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert isinstance(make_reporter("auto", isatty=False), GithubReporter)
