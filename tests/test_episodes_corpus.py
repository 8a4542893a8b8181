"""The reader on the real corpus (54 files of the Embracing Digital Transformation site).

Expectations come from the corpus's own ``MANIFEST.tsv`` (one row per file, with quirk tags found
independently of this reader), so these tests check the reader against a second source rather
than against its own output.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podfeed.config.model import Show
from podfeed.model import Episode
from podfeed.problems import Level, Problem
from podfeed.site import load_episodes, parse_episode_file
from tests.test_episodes import ALL_LANGS, make_show

SHOW_GLOBS = {
    "edt": ("episodes/edt-*/*/episode.md", "episodes/edt-*/episode.md"),
    "edw": ("briefs/edw-*/*/episode.md",),
    "edtw": ("briefs/edtw-*/*/episode.md",),
}


@dataclass(frozen=True)
class Row:
    path: str  # below corpus/edt
    show: str
    lang: str  # "-" for the legacy file
    quirks: frozenset[str]


@dataclass(frozen=True)
class Result:
    root: Path
    rows: list[Row]
    episodes: dict[str, list[Episode]]  # show -> episodes
    problems: list[Problem]

    def episode(self, relative: str) -> Episode:
        source = str(self.root / relative)
        return next(e for eps in self.episodes.values() for e in eps if e.source == source)

    def files_with(self, code: str) -> set[str]:
        prefix = str(self.root) + "/"
        return {p.file.removeprefix(prefix) for p in self.problems if p.code == code and p.file}

    def rows_tagged(self, *quirks: str) -> set[str]:
        return {row.path for row in self.rows if row.quirks & set(quirks)}


def corpus_show(root: Path, show_id: str) -> Show:
    return make_show(
        root, id=show_id, episodes=SHOW_GLOBS[show_id], languages=ALL_LANGS, default_language="en"
    )


@pytest.fixture
def result(corpus: Path) -> Result:
    root = corpus / "edt"
    with (root / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [
            Row(r["path"], r["show"], r["lang"], frozenset(filter(None, r["quirks"].split(","))))
            for r in csv.DictReader(handle, delimiter="\t")
        ]
    episodes: dict[str, list[Episode]] = {}
    problems: list[Problem] = []
    for show_id in SHOW_GLOBS:
        episodes[show_id], show_problems = load_episodes(corpus_show(root, show_id))
        problems.extend(show_problems)
    return Result(root, rows, episodes, problems)


def test_every_file_gives_an_episode_or_a_problem_with_a_line(result: Result) -> None:
    assert len(result.rows) == 54
    sources = {e.source for eps in result.episodes.values() for e in eps}
    for row in result.rows:
        path = str(result.root / row.path)
        located = [p for p in result.problems if p.file == path and p.line]
        assert path in sources or located, f"{row.path}: neither an episode nor a located problem"
    assert all(p.file is not None and p.line for p in result.problems)


def test_counts_per_show_and_language(result: Result) -> None:
    counts = {
        show: dict(sorted(Counter(e.lang for e in eps).items()))
        for show, eps in result.episodes.items()
    }
    # MANIFEST: edt has 7 files in en, de, es, fr, it and 5 in pt, plus the legacy edt-1 file
    # (no lang -> en), which duplicates edt-1/en and is left out; edw has 2 per language.
    assert counts == {
        "edt": {"de": 7, "en": 7, "es": 7, "fr": 7, "it": 7, "pt": 5},
        "edw": {"de": 2, "en": 2, "es": 2, "fr": 2, "it": 2, "pt": 2},
        "edtw": {"en": 1},
    }
    from_manifest = Counter((row.show, row.lang) for row in result.rows if row.lang != "-")
    assert {(s, lang): n for s, by in counts.items() for lang, n in by.items()} == from_manifest


def test_the_legacy_file_is_the_one_duplicate(result: Result) -> None:
    duplicates = [p for p in result.problems if p.code == "duplicate-episode"]
    assert [(p.file, p.level) for p in duplicates] == [
        (str(result.root / "episodes/edt-1/episode.md"), Level.ERROR)
    ]
    assert str(result.root / "episodes/edt-1/en/episode.md") in duplicates[0].message


def test_problems_match_the_manifest_quirks(result: Result) -> None:
    assert result.files_with("image-format") == result.rows_tagged("img-bmp")
    assert result.files_with("soundcloud-audio") == result.rows_tagged("soundcloud-include")
    assert result.files_with("no-audio") == (
        result.rows_tagged("no-transistor") - result.rows_tagged("soundcloud-include")
    )
    assert result.files_with("youtube-invalid") == result.rows_tagged("video-junk")
    assert result.files_with("youtube-placeholder") == result.rows_tagged(
        "video-placeholder", "youtube-id-placeholder"
    )
    assert result.files_with("summary-placeholder") == result.rows_tagged("summary-placeholder")
    assert result.files_with("summary-mojibake") == result.rows_tagged("mojibake")
    # Every file where the manifest saw a translation tool's words, and no other file.
    assert result.files_with("notes-translation-chatter") == result.rows_tagged("mt-artifact")


def test_no_other_problem_codes_on_the_corpus(result: Result) -> None:
    assert set(Counter(p.code for p in result.problems)) == {
        "duplicate-episode",
        "image-format",
        "no-audio",
        "notes-translation-chatter",
        "soundcloud-audio",
        "summary-mojibake",
        "summary-placeholder",
        "youtube-invalid",
        "youtube-placeholder",
    }
    assert all(p.level is not Level.ERROR for p in result.problems if p.code != "duplicate-episode")


def test_titles_that_yaml_reads_as_dates_stay_as_written(result: Result) -> None:
    tagged = result.rows_tagged("title-not-string")
    assert tagged
    for relative in tagged:
        text = (result.root / relative).read_text(encoding="utf-8")
        written = next(line for line in text.splitlines() if line.startswith("title:"))
        assert result.episode(relative).title == written.removeprefix("title:").strip()


def test_files_without_permalink_use_ref(result: Result) -> None:
    for relative in result.rows_tagged("permalink-missing"):
        text = (result.root / relative).read_text(encoding="utf-8")
        ref = next(line for line in text.splitlines() if line.startswith("ref:"))
        assert result.episode(relative).permalink == ref.removeprefix("ref:").strip()


def test_the_same_instant_written_in_different_zones_reads_the_same(result: Result) -> None:
    edt1 = {result.episode(f"episodes/edt-1/{lang}/episode.md").date for lang in ALL_LANGS}
    assert edt1 == {datetime(2020, 5, 8, 0, tzinfo=UTC)}
    edt100 = {result.episode(f"episodes/edt-100/{lang}/episode.md").date for lang in ("de", "en")}
    assert len(edt100) == 1
    assert (
        result.episode("briefs/edw-1/it/episode.md").date
        == result.episode("briefs/edw-1/en/episode.md").date
    )


def test_quoted_and_unquoted_iso_dates_read_the_same(result: Result, tmp_path: Path) -> None:
    """Each ISO 8601 date is the instant written (read here by ``datetime.fromisoformat``), and
    the same file with the date quoted instead of bare, or bare instead of quoted, gives the
    same instant: YAML makes one a timestamp and the other a string."""
    rows = {row.path: row for row in result.rows}
    quoted, bare = result.rows_tagged("date-iso-z-quoted"), result.rows_tagged("date-iso-z")
    assert quoted and bare
    for relative in sorted(quoted | bare):
        text = (result.root / relative).read_text(encoding="utf-8")
        line = next(line for line in text.splitlines() if line.startswith("date:"))
        written = line.removeprefix("date:").strip()
        instant = written.strip('"')
        assert (written != instant) == (relative in quoted)
        date = result.episode(relative).date
        assert date == datetime.fromisoformat(instant) and date.utcoffset() is not None

        other = instant if relative in quoted else f'"{instant}"'
        flipped = tmp_path / relative
        flipped.parent.mkdir(parents=True, exist_ok=True)
        flipped.write_text(text.replace(line, f"date: {other}", 1), encoding="utf-8")
        show = corpus_show(tmp_path, rows[relative].show)
        episode, _ = parse_episode_file(flipped, show)
        assert episode is not None and episode.date == date, relative


def test_translations_share_the_english_transistor_id(result: Result) -> None:
    for number in (1, 100, 160, 189, 230, 242, 244):
        ids = {e.transistor_id for e in result.episodes["edt"] if e.number == number}
        assert len(ids) == 1 and None not in ids


def test_every_episode_has_a_url_on_the_site_and_sorted_newest_first(result: Result) -> None:
    for episodes in result.episodes.values():
        assert all(e.url == "https://www.example.org/" + e.permalink for e in episodes)
        keys = [(e.date, e.number or -1) for e in episodes]
        assert keys == sorted(keys, reverse=True)
