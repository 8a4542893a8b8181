"""The three output formats: text for people, json for scripts, github for CI log viewers."""

from __future__ import annotations

import json

from podfeed.cli.formats import GithubReporter, JsonReporter, TextReporter, make_reporter
from podfeed.problems import Problem, error, info, warning


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
                "group": None,
                "root": False,
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


# --- folding: the same cause met in many places is one line in text -----------------------------


def _no_audio(file: str, line: int) -> Problem:
    return warning(
        "audio-missing",
        f"no audio for {file}",
        file,
        line,
        hint="run `podfeed resolve`",
        group="episodes of edt have no audio: the lock has no entry",
    )


def test_problems_of_one_group_across_files_fold_into_one_line_naming_the_first_places() -> None:
    problems = [_no_audio(f"episodes/edt-{n}/en/episode.md", 20 + n) for n in range(1, 6)]
    text = TextReporter().problems(problems)

    assert text.splitlines() == [
        "episodes/",
        "      -  warning  5 \u00d7 episodes of edt have no audio: the lock has no entry: "
        "episodes/edt-1/en/episode.md:21, episodes/edt-2/en/episode.md:22, "
        "episodes/edt-3/en/episode.md:23 and 2 more  (audio-missing)",
        "                fix: run `podfeed resolve`",
    ]


def test_the_same_message_in_one_file_folds_with_its_lines() -> None:
    problems = [warning("item-x", "same text", "feed.xml", line) for line in (57, 88, 120, 200)]
    text = TextReporter().problems(problems)

    assert text.splitlines() == [
        "feed.xml",
        "     57  warning  4 \u00d7 same text: lines 57, 88, 120 and 1 more  (item-x)",
    ]


def test_a_problem_met_once_and_different_causes_stay_apart() -> None:
    problems = [
        warning("a", "one", "f.md", 1),
        warning("a", "two", "f.md", 2),
        error("a", "one", "f.md", 3),  # same text, another level: another cause
    ]
    assert len(TextReporter().problems(problems).splitlines()) == 4  # heading + 3


def test_a_root_cause_comes_first_whatever_its_file() -> None:
    problems = [
        warning("no-audio", "x", "a/episode.md", 1),
        error("lock-missing", "no lock", "z/podfeed.lock", root=True),
    ]
    lines = TextReporter().problems(problems).splitlines()

    assert lines[:2] == ["z/podfeed.lock", "      -  error    no lock  (lock-missing)"]


def test_verbose_text_json_and_github_list_every_problem() -> None:
    problems = [_no_audio(f"e{n}.md", n) for n in range(1, 4)]

    assert TextReporter(fold=False).problems(problems).count("(audio-missing)") == 3
    assert len(json.loads(JsonReporter().document(problems, {}, ""))["problems"]) == 3
    assert GithubReporter().problems(problems).count("::warning") == 3
    folded = TextReporter().document(problems, {}, "summary")
    assert folded.count("(audio-missing)") == 1
    assert folded.endswith(
        "summary\n(problems of one cause are folded into one line; -v lists each)"
    )
