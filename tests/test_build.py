"""`podfeed build` / `podfeed resolve` end to end: the bundled example against a loopback
Transistor, and the real corpus (all six languages, three shows) from a complete lock.

Request counts come from the local server's own counters.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import CliRunner
from lxml import etree

from podfeed.cli import main
from podfeed.problems import LockError
from tests.server import Server, feed_route, make_feed
from tests.sites import make_corpus_site

ROOT_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"


def run(site: Path, *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def online_example(repo: Path, tmp_path: Path, transistor_server: Server) -> Path:
    """The bundled example, its Transistor feed served by the loopback server."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(repo / "episodes", site / "episodes")
    shutil.copy(repo / "podfeed.lock", site / "podfeed.lock")
    config = (repo / "config.yaml").read_text()
    config = re.sub(
        r"feed_url: https://feeds\.transistor\.fm/\S+",
        f"feed_url: {transistor_server.url('/feed')}\n"
        f"      share_url: {transistor_server.base_url}",
        config,
    )
    config += "\nhttp:\n  retries: 0\n  timeout: 2\n"
    (site / "config.yaml").write_text(config)
    real = "https://op3.dev/e/media.transistor.fm/cea47899/4f0e1a2b.mp3?src=feed"
    transistor_server.route(
        "/feed", feed_route(make_feed({"cea47899": real}, durations={"cea47899": 1744}))
    )
    return site


def test_an_online_build_takes_enclosure_and_guid_from_the_show_feed(
    online_example: Path, transistor_server: Server
) -> None:
    code, out, _ = run(online_example, "build", "--format", "text")
    assert code == 0, out
    assert transistor_server.count("/feed") == 1
    lock = json.loads((online_example / "podfeed.lock").read_text())
    entry = lock["media"]["cea47899"]
    assert entry["source"] == "feed" and entry["checked"]
    assert entry["guid"] == "00000000-0000-4000-8000-000000000000"
    guids = {}
    for lang in ("en", "de"):
        parsed = feedparser.parse((online_example / "feeds" / "edt" / f"{lang}.xml").read_bytes())
        (item,) = parsed.entries
        guids[lang] = item.id
        # The enclosure URL is kept exactly as the show publishes it (analytics prefix and all).
        assert item.enclosures[0].href.startswith("https://op3.dev/e/media.transistor.fm/cea47899/")
        assert item.itunes_duration == "1744"
    # Guid continuity: the English feed (the Transistor show's language) keeps the guid Transistor
    # published, so apps see no duplicate; the German translation shares the audio but not the
    # episode identity: its guid comes from its own permalink.
    assert guids["en"] == "00000000-0000-4000-8000-000000000000"
    assert guids["de"] != guids["en"]


def test_a_warm_build_costs_one_conditional_request_and_changes_nothing(
    online_example: Path, transistor_server: Server
) -> None:
    assert run(online_example, "build")[0] == 0
    lock_text = (online_example / "podfeed.lock").read_text()
    feeds = {p: p.read_bytes() for p in (online_example / "feeds").rglob("*.xml")}
    code, out, _ = run(online_example, "build", "--frozen", "--format", "text")
    assert code == 0, out
    assert transistor_server.count("/feed") == 2
    last = transistor_server.requests_to("/feed")[-1]
    assert last.headers.get("if-none-match") == '"v1"'
    assert (online_example / "podfeed.lock").read_text() == lock_text
    assert {p: p.read_bytes() for p in feeds} == feeds


def test_frozen_fails_when_the_lock_would_change_and_writes_nothing(
    online_example: Path,
) -> None:
    before = (online_example / "podfeed.lock").read_bytes()
    code, _, err = run(online_example, "build", "--frozen")
    assert code == 2
    assert "what the lock records would change (--frozen)" in err
    assert (online_example / "podfeed.lock").read_bytes() == before
    assert not (online_example / "feeds").exists()


def test_frozen_does_not_fail_when_a_refresh_finds_every_entry_unchanged(
    online_example: Path, transistor_server: Server
) -> None:
    """A lock entry goes stale after max_age and an online build asks Transistor again; when
    the answers are the same, only check times would move: --frozen lets that pass and leaves
    the committed lock alone (CI would otherwise fail every week until someone commits)."""
    from podfeed.build import BuildOptions, build
    from podfeed.config import load_config

    assert run(online_example, "resolve")[0] == 0
    lock = online_example / "podfeed.lock"
    resolved = lock.read_bytes()
    checked = datetime.fromisoformat(json.loads(resolved)["media"]["cea47899"]["checked"])
    config = load_config(online_example / "config.yaml")
    later = checked + timedelta(days=30)  # every entry is stale by then
    requests = transistor_server.total
    result = build(config, BuildOptions(frozen=True, check=True), now=later)
    assert transistor_server.total > requests  # it did ask again
    assert not result.lock_changed
    assert lock.read_bytes() == resolved
    # A real change in what Transistor says still fails --frozen.
    changed = make_feed({"cea47899": "https://media.transistor.fm/cea47899/new.mp3"})
    transistor_server.route("/feed", feed_route(changed, etag='"v2"'))
    with pytest.raises(LockError, match="what the lock records would change"):
        build(config, BuildOptions(frozen=True, check=True), now=later)


def test_resolve_updates_the_lock_then_an_offline_frozen_build_passes(
    online_example: Path, transistor_server: Server
) -> None:
    code, out, _ = run(online_example, "resolve", "--format", "text")
    assert code == 0, out
    assert "podfeed.lock: updated" in out
    assert not (online_example / "feeds").exists()
    requests = transistor_server.total
    code, out, _ = run(online_example, "build", "--offline", "--frozen", "--format", "text")
    assert code == 0, out
    assert transistor_server.total == requests  # offline: not one request


def test_resolve_exits_1_when_transistor_is_unreachable_and_the_lock_keeps_what_it_had(
    online_example: Path, transistor_server: Server
) -> None:
    before = (online_example / "podfeed.lock").read_bytes()
    transistor_server.stop()
    code, out, _ = run(online_example, "resolve", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert [(p["code"], p["level"], p["file"]) for p in doc["problems"]] == [
        ("media-unreachable", "error", "podfeed.lock")
    ]
    assert doc["problems"][0]["message"].startswith("show edt: 1 lock entry was not refreshed")
    assert (online_example / "podfeed.lock").read_bytes() == before
    assert doc["summary"]["lock_written"] is False


def test_resolve_without_a_lock_and_without_transistor_claims_no_file(
    online_example: Path, transistor_server: Server
) -> None:
    (online_example / "podfeed.lock").unlink()
    transistor_server.stop()
    code, out, _ = run(online_example, "resolve", "--format", "text")
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("      -  error    podfeed.lock does not exist, and Transistor")
    assert "podfeed.lock: not written (nothing was resolved); " in out
    assert "created" not in out
    assert not (online_example / "podfeed.lock").exists()
    # Nobody listens there: the feed and then the share page are each tried twice at most.
    requests = re.search(r"not written \(nothing was resolved\); (\d+) HTTP requests", out)
    assert requests is not None and int(requests.group(1)) <= 4


def test_resolve_shows_only_what_resolving_found_unless_verbose(
    online_example: Path, transistor_server: Server
) -> None:
    episode = online_example / "episodes" / "edt-189" / "en" / "episode.md"
    episode.write_text(episode.read_text().replace("image: thumbnail.png", "image: art.bmp"))
    code, out, _ = run(online_example, "resolve", "--format", "text")
    assert code == 0, out
    assert "image-format" not in out
    assert "1 other problem in the episode files and the configuration not shown" in out
    code, out, _ = run(online_example, "-v", "resolve", "--format", "text")
    assert "image-format" in out


def test_transistor_unreachable_keeps_the_lock_and_still_builds(
    online_example: Path, transistor_server: Server
) -> None:
    transistor_server.stop()
    code, out, _ = run(online_example, "build", "--format", "text")
    assert code == 0, out
    assert "media-unreachable" in out
    parsed = feedparser.parse((online_example / "feeds" / "edt" / "en.xml").read_bytes())
    assert parsed.entries[0].enclosures[0].href == "https://media.transistor.fm/cea47899.mp3"


# --- the real corpus: every language, every show ---------------------------------------------


@pytest.fixture
def corpus_site(corpus: Path, tmp_path: Path) -> Path:
    """A config over the real corpus and a complete lock for every Transistor id it uses."""
    return make_corpus_site(corpus, tmp_path / "site")


def test_the_corpus_builds_twelve_feeds_parsed_back_by_two_parsers(corpus_site: Path) -> None:
    code, out, _ = run(corpus_site, "build", "--offline", "--format", "json")
    doc = json.loads(out)
    # The legacy edt-1/episode.md repeats edt-1/en: a duplicate error, so exit 1;
    # the feeds are still written (one bad file does not take down the others).
    assert code == 1
    errors = [p for p in doc["problems"] if p["level"] == "error"]
    assert {p["code"] for p in errors} == {"duplicate-episode"}
    # The show allows the four brief feeds without audio to stay empty: said, and written.
    allowed = [p["file"] for p in doc["problems"] if p["code"] == "feed-empty"]
    assert sorted(allowed) == [f"feeds/edw/{lang}.xml" for lang in ("de", "fr", "it", "pt")]
    assert {p["level"] for p in doc["problems"] if p["code"] == "feed-empty"} == {"info"}
    items = {(f["show"], f["lang"]): f["items"] for f in doc["summary"]["feeds"]}
    assert len(items) == 12
    assert items[("edt", "en")] == 7 and items[("edt", "pt")] == 5
    # Briefs: only the files that carry a Transistor include have audio.
    assert items[("edw", "en")] == 2 and items[("edw", "es")] == 1 and items[("edw", "de")] == 0
    for (show, lang), count in items.items():
        path = corpus_site / "feeds" / show / f"{lang}.xml"
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        assert parsed.feed.language == ("pt-BR" if (show, lang) == ("edt", "pt") else lang)
        assert len(parsed.entries) == count
        with path.open("rb") as fh:
            podcast = podcastparser.parse(str(path), fh)
        assert len(podcast["episodes"]) == count
        published = [e["published"] for e in podcast["episodes"]]
        assert published == sorted(published, reverse=True), "newest first"
        guids = [e["guid"] for e in podcast["episodes"]]
        assert len(set(guids)) == len(guids)
        for episode in podcast["episodes"]:
            assert episode["enclosures"][0]["url"].startswith("https://media.transistor.fm/")
            assert episode["total_time"] >= 1500
        tree = etree.parse(str(path))
        hreflangs = tree.xpath("//*[local-name()='link'][@rel='alternate']/@hreflang")
        assert len(hreflangs) == 5 and lang not in hreflangs


def test_the_corpus_builds_byte_identical_twice(corpus_site: Path, tmp_path: Path) -> None:
    run(corpus_site, "build", "--offline", "-o", str(tmp_path / "a"))
    run(corpus_site, "build", "--offline", "-o", str(tmp_path / "b"))
    a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.xml"))
    assert len(a) == 12
    for rel in a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
