"""The progress displays: which one a run gets, and what the CI one writes."""

from __future__ import annotations

import io
import re

import pytest

from podfeed.cli.progress import LogProgress, RichProgress, progress_display
from podfeed.progress import NullProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "quiet", "verbose", "kind"),
    [
        (Terminal(), True, False, NullProgress),
        (io.StringIO(), True, False, NullProgress),
        (Terminal(), False, True, LogProgress),
        (io.StringIO(), False, False, LogProgress),  # piped, or a CI log
        (Terminal(), False, False, RichProgress),
    ],
)
def test_each_run_gets_the_display_its_output_wants(
    stream: io.StringIO, quiet: bool, verbose: bool, kind: type
) -> None:
    progress = progress_display(stream, quiet=quiet, verbose=verbose)
    try:
        assert type(progress) is kind
    finally:
        progress.close()


def test_the_log_says_each_finished_step_with_its_count_once() -> None:
    stream = io.StringIO()
    progress = LogProgress(stream)
    progress.stage("reading episodes", total=3)
    progress.advance(2)
    progress.advance()
    progress.stage("writing feeds")
    progress.close()
    progress.close()

    lines = [re.sub(r"[0-9]+\.[0-9]{2} s$", "T s", line) for line in stream.getvalue().splitlines()]
    assert lines == [
        "podfeed: reading episodes (3) done in T s",
        "podfeed: writing feeds done in T s",
    ]
