"""Every rule has a fixture pair in tests/data/feeds/rules/: ``<id>.pass.xml``, ``<id>.fail.xml``.

A fail fixture marks each line where a problem is expected with ``<!-- expect: code[, code] -->``;
the test requires exactly those (code, line) pairs, so a fixture documents what it breaks and a
rule that fires somewhere else (or stays silent) fails the test. A pass fixture is a complete
feed that uses the rule's feature correctly and must produce no problem at all. A fixture for a
rule of the ``rss`` profile only says so with ``<!-- profile: rss -->`` and is checked in it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podfeed.validate import RULES, validate_file
from podfeed.validate.base import Profile
from podfeed.validate.rules import NETWORK_RULE_IDS

FIXTURES = Path(__file__).parent / "data" / "feeds" / "rules"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
_MARKER = re.compile(rb"<!-- expect: ([a-z0-9, -]+) -->")
_PROFILE = re.compile(rb"<!-- profile: (podcast|rss) -->")
# The artwork and media rules need the network: tests/test_artwork.py and
# tests/test_media_check.py cover them instead.
OFFLINE_RULES = sorted(set(RULES) - NETWORK_RULE_IDS)


def expected(path: Path) -> set[tuple[str, int]]:
    """The (code, line) pairs a fixture's ``expect`` comments announce."""
    pairs = set()
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        for match in _MARKER.finditer(line):
            pairs |= {(code.strip(), number) for code in match.group(1).decode().split(",")}
    return pairs


def found(path: Path) -> set[tuple[str, int | None]]:
    marker = _PROFILE.search(path.read_bytes())
    profile: Profile = "rss" if marker and marker.group(1) == b"rss" else "podcast"
    return {(p.code, p.line) for p in validate_file(path, now=NOW, profile=profile)}


@pytest.mark.parametrize("rule_id", OFFLINE_RULES)
def test_every_rule_has_a_fixture_pair(rule_id: str) -> None:
    assert (FIXTURES / f"{rule_id}.pass.xml").is_file()
    assert (FIXTURES / f"{rule_id}.fail.xml").is_file()


@pytest.mark.parametrize("rule_id", OFFLINE_RULES)
def test_rule_triggers_on_its_fail_fixture(rule_id: str) -> None:
    path = FIXTURES / f"{rule_id}.fail.xml"
    marks = expected(path)
    assert rule_id in {code for code, _ in marks}, "the fixture must mark the rule it is for"
    assert found(path) == marks


@pytest.mark.parametrize("rule_id", OFFLINE_RULES)
def test_rule_does_not_trigger_on_its_pass_fixture(rule_id: str) -> None:
    path = FIXTURES / f"{rule_id}.pass.xml"
    assert found(path) == set()
