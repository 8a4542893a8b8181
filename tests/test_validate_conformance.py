"""podfeed's own conformance set: one requirement per feed, from the RSS 2.0 specification, the
RSS Best Practices Profile and Apple's podcast RSS guide (tests/data/feeds/conformance/).

Each feed names its source, what the source requires (in our words), the rule id expected (or
``valid``) and the profile the requirement belongs to; ``benchmarks/conformance.py`` measures
the same files (and the W3C Feed Validator's test cases, fetched apart) as percentages.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podfeed.problems import Level
from podfeed.validate import RULES, validate_file
from podfeed.validate.base import Profile

FOLDER = Path(__file__).parent / "data" / "feeds" / "conformance"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
CASES = sorted(FOLDER.rglob("*.xml"))
_FIELD = re.compile(r"^\s*(Source|Expect|Profile):\s*(\S.*?)\s*$", re.MULTILINE)


def header(path: Path) -> dict[str, str]:
    return dict(_FIELD.findall(path.read_text(encoding="utf-8")[:2000]))


def test_the_set_covers_the_three_sources_and_both_verdicts() -> None:
    folders = {path.parent.name for path in CASES}
    assert folders == {"rss2-spec", "rss-profile", "apple"}
    verdicts = [header(path)["Expect"] == "valid" for path in CASES]
    assert any(verdicts) and not all(verdicts)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_feed_gets_the_verdict_its_source_gives(path: Path) -> None:
    fields = header(path)
    assert fields["Source"].startswith("https://")
    profile: Profile = "rss" if fields["Profile"] == "rss" else "podcast"
    problems = validate_file(path, now=NOW, profile=profile)
    expect = fields["Expect"]
    if expect == "valid":
        assert [p for p in problems if p.level is Level.ERROR] == []
    else:
        assert expect in RULES
        assert expect in {p.code for p in problems if p.level >= Level.WARNING}
