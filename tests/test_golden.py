"""Golden feeds: the exact bytes podfeed writes for the bundled example and the real corpus.

Any change to the output, intended or not, shows up here as a diff against tests/golden/.
When the change is intended, regenerate them with ``pytest tests/test_golden.py --update-golden``
and review the diff in the commit.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.cli import main
from podfeed.validate import validate_file
from tests.sites import make_corpus_site

GOLDEN = Path(__file__).parent / "golden"


def build_into(site: Path, out: Path) -> None:
    cwd = os.getcwd()
    os.chdir(site)
    try:
        CliRunner().invoke(main, ["build", "--offline", "-o", str(out)], catch_exceptions=False)
    finally:
        os.chdir(cwd)


def compare(out: Path, golden: Path, update: bool) -> None:
    produced = sorted(p.relative_to(out) for p in out.rglob("*.xml"))
    assert produced, "the build wrote no feed"
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        for rel in produced:
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / rel, golden / rel)
        pytest.skip(f"golden files in {golden} rewritten")
    expected = sorted(p.relative_to(golden) for p in golden.rglob("*.xml"))
    assert produced == expected
    for rel in produced:
        assert (out / rel).read_bytes() == (golden / rel).read_bytes(), (
            f"{rel} differs from tests/golden; if intended, rerun with --update-golden"
        )


def test_the_bundled_example_matches_its_golden_feeds(
    repo: Path, tmp_path: Path, update_golden: bool
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name in ("config.yaml", "podfeed.lock"):
        shutil.copy(repo / name, site / name)
    shutil.copytree(repo / "episodes", site / "episodes")
    build_into(site, tmp_path / "out")
    compare(tmp_path / "out", GOLDEN / "example", update_golden)


def test_the_corpus_matches_its_golden_feeds(
    corpus: Path, tmp_path: Path, update_golden: bool
) -> None:
    site = make_corpus_site(corpus, tmp_path / "site")
    build_into(site, tmp_path / "out")
    compare(tmp_path / "out", GOLDEN / "corpus", update_golden)


@pytest.mark.parametrize(
    "feed", sorted(GOLDEN.glob("*/*/*.xml")), ids=lambda p: str(p.relative_to(GOLDEN))
)
def test_every_golden_feed_passes_validate_with_no_error_and_no_warning(feed: Path) -> None:
    # The corpus's briefs in four languages have no audio yet: the test site allows those feeds
    # to be empty (allow_empty), and validate says exactly that, nothing else.
    problems = validate_file(feed, now=datetime(2026, 12, 1, tzinfo=UTC))
    has_items = b"<item>" in feed.read_bytes()
    assert [p.code for p in problems] == ([] if has_items else ["feed-empty"])
