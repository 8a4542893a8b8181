"""The commands as a user runs them, on the bundled example (copied to a temporary folder)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import CliRunner

from podfeed import __version__
from podfeed.cli import main


@pytest.fixture
def example(repo: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled example: config.yaml, episodes/ and podfeed.lock."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(repo / "config.yaml", site / "config.yaml")
    shutil.copy(repo / "podfeed.lock", site / "podfeed.lock")
    shutil.copytree(repo / "episodes", site / "episodes")
    return site


def run(site: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(site)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help_for_every_command() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output == f"podfeed-cli {__version__}\n"
    for command in main.commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Example" in result.output, f"{command} --help has no example"


def test_check_reads_the_example_without_errors(example: Path) -> None:
    code, out, _ = run(example, "check", "--format", "text")
    assert code == 0
    assert "edt: en 1, de 1" in out
    assert "2 episodes; 0 errors" in out


BROKEN_EPISODE = "---\ntitle: [unclosed\nlang: en\n---\nNotes.\n"


def test_check_given_files_reads_only_those_and_skips_the_rest(example: Path) -> None:
    broken = example / "episodes" / "edt-190" / "en" / "episode.md"
    broken.parent.mkdir(parents=True)
    broken.write_text(BROKEN_EPISODE, encoding="utf-8")
    (example / "notes.md").write_text("# not an episode\n", encoding="utf-8")
    de = "episodes/edt-189/de/episode.md"
    code, out, _ = run(example, "check", "--format", "json", de, "notes.md")
    doc = json.loads(out)
    problems = [p for p in doc["problems"] if p["level"] != "info"]  # the lock is stale: an info
    assert (code, doc["summary"]["episodes"], problems) == (0, {"edt": {"en": 0, "de": 1}}, [])
    assert doc["summary"]["skipped"] == ["notes.md"]
    code, out, _ = run(example, "check", "--format", "json", "episodes/edt-190/en/episode.md", de)
    doc = json.loads(out)
    assert code == 1
    assert {p["file"] for p in doc["problems"] if p["level"] != "info"} == {
        "episodes/edt-190/en/episode.md"
    }


def test_check_given_the_config_reads_every_episode(example: Path) -> None:
    code, out, _ = run(example, "check", "--format", "json", "config.yaml")
    doc = json.loads(out)
    assert (code, doc["summary"]["total"], doc["summary"]["skipped"]) == (0, 2, [])


def test_the_config_path_can_come_from_the_environment(example: Path) -> None:
    (example / "config.yaml").rename(example / "podcast.yaml")
    runner = CliRunner(env={"PODFEED_CONFIG": str(example / "podcast.yaml")})
    result = runner.invoke(main, ["check", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "2 episodes" in result.stdout


def test_check_json_is_a_stable_document(example: Path) -> None:
    code, out, _ = run(example, "check", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["version"] == 1
    assert doc["summary"]["episodes"] == {"edt": {"de": 1, "en": 1}}
    assert doc["counts"]["error"] == 0


def test_build_offline_writes_one_feed_per_language(example: Path) -> None:
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert code == 0, out
    for lang in ("en", "de"):
        path = example / "feeds" / "edt" / f"{lang}.xml"
        assert f"feeds/edt/{lang}.xml  1 item" in out
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.feed.language == lang
        (entry,) = parsed.entries
        assert entry.enclosures[0].href == "https://media.transistor.fm/cea47899.mp3"
        assert entry.enclosures[0].type == "audio/mpeg"
        # The two languages write the same instant in two date formats.
        assert entry.published_parsed[:6] == (2024, 3, 7, 8, 0, 0)
        with path.open("rb") as fh:
            podcast = podcastparser.parse(str(path), fh)
        (episode,) = podcast["episodes"]
        assert episode["total_time"] == 1740
        assert episode["enclosures"][0]["file_size"] > 0
        assert episode["published"] == 1709798400


def test_build_is_deterministic_and_does_not_rewrite_unchanged_feeds(example: Path) -> None:
    assert run(example, "build", "--offline")[0] == 0
    feeds = sorted((example / "feeds").rglob("*.xml"))
    first = {p: p.read_bytes() for p in feeds}
    for p in feeds:
        os.utime(p, (1_000_000, 1_000_000))
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert code == 0
    assert "(unchanged)" in out and "(written)" not in out
    for p in feeds:
        assert p.read_bytes() == first[p]
        assert p.stat().st_mtime == 1_000_000


def test_build_to_another_output_folder(example: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "public"
    code, _, _ = run(example, "build", "--offline", "-o", str(out_dir), "--lang", "de")
    assert code == 0
    assert [p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.xml")] == ["edt/de.xml"]


def test_a_failed_build_leaves_previous_feeds_untouched(example: Path) -> None:
    en = example / "feeds" / "edt" / "en.xml"
    en.parent.mkdir(parents=True)
    en.write_bytes(b"<rss>previous</rss>")
    (example / "feeds" / "edt" / "de.xml").mkdir()  # the German feed cannot be written
    code, _, err = run(example, "build", "--offline")
    assert code == 1
    assert "could not write" in err
    assert en.read_bytes() == b"<rss>previous</rss>"


def test_unknown_show_or_language_is_a_usage_error(example: Path) -> None:
    code, _, err = run(example, "build", "--offline", "--show", "nope")
    assert code == 2
    assert "unknown show 'nope'" in err
    code, _, err = run(example, "build", "--offline", "--lang", "xx")
    assert code == 2
    assert "unknown language 'xx'" in err


def test_a_bad_config_exits_2_and_names_the_key(example: Path) -> None:
    config = example / "config.yaml"
    config.write_text(config.read_text().replace("languages: [en, de]", "languages: [en, ger]"))
    code, out, err = run(example, "check", "--format", "text")
    assert code == 2
    assert "shows[0].languages[1]" in out + err
    assert "'de'" in out + err


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "check")
    assert code == 2
    assert "config.yaml" in out + err


def test_github_format_prints_annotations(example: Path) -> None:
    episode = example / "episodes" / "edt-189" / "en" / "episode.md"
    episode.write_text(
        episode.read_text().replace(
            'video: "https://youtu.be/ImbRcqDHYV0"', 'video: "https://youtu.be/url"'
        )
    )
    code, out, _ = run(example, "check", "--format", "github")
    assert code == 0
    assert "::warning file=episodes/edt-189/en/episode.md,line=" in out


def test_strict_turns_warnings_into_errors_and_writes_nothing(example: Path) -> None:
    episode = example / "episodes" / "edt-189" / "de" / "episode.md"
    episode.write_text(
        episode.read_text().replace(
            '{% include transistor.html id="cea47899"', '{% include soundcloud.html id="x"'
        )
    )
    code, out, _ = run(example, "build", "--offline", "--strict", "--format", "text")
    assert code == 1
    assert not (example / "feeds").exists()
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert code == 1  # the German feed would have no items left: an error, not written
    assert "feeds/edt/de.xml  0 items, 2 warnings  (not written: no items)" in out
    assert "feeds/edt/en.xml  1 item, 0 warnings  (written)" in out
    assert "feed-empty" in out
    assert not (example / "feeds" / "edt" / "de.xml").exists()


def test_check_flag_reports_stale_feeds_and_writes_nothing(example: Path) -> None:
    code, out, _ = run(example, "build", "--offline", "--check", "--format", "text")
    assert code == 1
    assert "feeds/edt/en.xml  1 item, 0 warnings  (differs)" in out
    assert "+ added: Parallel Works AI Workload Automation" in out
    assert not (example / "feeds").exists()
    assert run(example, "build", "--offline")[0] == 0
    code, out, _ = run(example, "build", "--offline", "--check", "--format", "text")
    assert code == 0, out
    assert "(up to date)" in out and "(differs)" not in out
    # Someone edits an episode and forgets to rebuild: --check names the item and the field.
    episode = example / "episodes" / "edt-189" / "en" / "episode.md"
    episode.write_text(episode.read_text().replace("## The Future of HPC", "## What comes next"))
    code, out, _ = run(example, "build", "--offline", "--check", "--format", "text")
    assert code == 1
    assert "~ changed: Parallel Works AI Workload Automation (content:encoded)" in out


def test_a_feed_that_would_lose_every_episode_is_not_replaced(example: Path) -> None:
    assert run(example, "build", "--offline")[0] == 0
    en = example / "feeds" / "edt" / "en.xml"
    before = en.read_bytes()
    (example / "episodes" / "edt-189" / "en" / "episode.md").unlink()
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert code == 1
    assert "feed-empty" in out
    assert "feeds/edt/en.xml  0 items, 1 warning  (not written: no items)" in out
    assert en.read_bytes() == before
    # The empty feed was rendered (and staged) while the other rendered: gone again.
    assert sorted(p.name for p in en.parent.iterdir()) == ["de.xml", "en.xml"]
    # Letting the guard through does not publish a feed without episodes: only the show can.
    assert run(example, "build", "--offline", "--allow-shrink")[0] == 1
    assert en.read_bytes() == before
    config = example / "config.yaml"
    text = config.read_text().replace("    languages:", "    allow_empty: [en]\n    languages:", 1)
    config.write_text(text)
    code, out, _ = run(example, "build", "--offline", "--allow-shrink", "--format", "text")
    assert code == 0, out
    assert en.read_bytes() != before
    assert feedparser.parse(en.read_bytes()).entries == []


def test_the_guard_refuses_a_changed_guid(example: Path) -> None:
    assert run(example, "build", "--offline")[0] == 0
    de = example / "feeds" / "edt" / "de.xml"
    before = de.read_bytes()
    # The host's guid appears in the lock: the published guid would change.
    lock = example / "podfeed.lock"
    lock.write_text(lock.read_text().replace('"guid": null', '"guid": "4b9b3a1e-0000-4000-8000-1"'))
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert code == 1
    assert "guard-guid-change" in out
    assert de.read_bytes() == before
    assert run(example, "build", "--offline", "--allow-guid-change")[0] == 0


def test_preview_writes_one_page_per_feed_and_an_index(example: Path) -> None:
    episode = example / "episodes" / "edt-189" / "de" / "episode.md"
    episode.write_text(episode.read_text().replace("youtu.be/ImbRcqDHYV0", "youtu.be/url"))
    code, out, _ = run(example, "preview", "-o", "public/preview", "--format", "text")
    assert code == 0, out
    pages = sorted(p.relative_to(example).as_posix() for p in (example / "public").rglob("*.html"))
    assert pages == [
        "public/preview/edt/de.html",
        "public/preview/edt/en.html",
        "public/preview/index.html",
    ]
    page = (example / "public" / "preview" / "edt" / "de.html").read_text()
    assert "Parallele Arbeiten KI Workload-Automatisierung" in page
    assert "youtube-placeholder" in page  # the findings about its episodes are on the page
    assert "youtube-placeholder" not in (example / "public/preview/edt/en.html").read_text()
    assert not (example / "feeds").exists()  # preview writes no feed


def test_preview_with_a_broken_episode_writes_its_pages_and_shows_the_guard_there(
    example: Path,
) -> None:
    # A second English episode, built and published; then its file breaks.
    second = example / "episodes" / "edt-190" / "en" / "episode.md"
    second.parent.mkdir(parents=True)
    text = (example / "episodes" / "edt-189" / "en" / "episode.md").read_text()
    second.write_text(text.replace("number: 189", "number: 190").replace("EDT189", "EDT190"))
    assert run(example, "build", "--offline")[0] == 0
    broken = re.sub(r'(?m)^title: ".*"$', 'title: "never closed', second.read_text(), count=1)
    second.write_text(broken)
    code, out, err = run(example, "preview", "--format", "text")
    assert code == 1  # the broken file
    assert "yaml-invalid" in out
    assert "guard" not in err and "--offline" not in out + err
    page = (example / "preview" / "edt" / "en.html").read_text()
    assert "guard-shrink" in page  # what a build would refuse, shown where it matters
    assert (example / "preview" / "index.html").is_file()


def test_ping_notifies_the_configured_hub_and_pubnotify(example: Path, transistor_server) -> None:  # type: ignore[no-untyped-def]
    from tests.server import Reply

    transistor_server.route("/hub", Reply(204), method="POST")
    transistor_server.route("/pubnotify", Reply(200, b'{"status":"true"}'))
    config = example / "config.yaml"
    config.write_text(
        config.read_text()
        + f"\nping:\n  websub: {transistor_server.url('/hub')}\n"
        + f"  podcastindex: {transistor_server.url('/pubnotify')}\n"
    )
    code, out, _ = run(example, "ping", "--format", "text")
    assert code == 0, out  # nothing built yet: nothing worth pinging
    assert "0 of 0 pings accepted; 2 feeds not pinged" in out
    assert "ping-skipped" in out and transistor_server.total == 0
    assert run(example, "build", "--offline")[0] == 0
    code, out, _ = run(example, "ping", "--format", "text")
    assert code == 0, out
    assert "4 of 4 pings accepted" in out
    assert transistor_server.count("/hub", method="POST") == 2
    notified = sorted(r.arg("url") or "" for r in transistor_server.requests_to("/pubnotify"))
    assert notified == [
        "https://www.embracingdigital.org/feeds/edt/de.xml",
        "https://www.embracingdigital.org/feeds/edt/en.xml",
    ]


def test_ping_exits_1_when_every_hub_is_unreachable_and_skips_empty_feeds(
    example: Path,
) -> None:
    de = example / "episodes" / "edt-189" / "de" / "episode.md"
    de.write_text(de.read_text().replace('transistor.html id="cea47899"', 'soundcloud.html id="x"'))
    config = example / "config.yaml"
    text = config.read_text().replace("    languages:", "    allow_empty: [de]\n    languages:", 1)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config.write_text(
        text + f"\nping:\n  websub: [http://127.0.0.1:{port}/a, http://127.0.0.1:{port}/b]\n"
    )
    assert run(example, "build", "--offline")[0] == 0  # de.xml has no items (allowed)
    code, out, _ = run(example, "ping", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"] == {"sent": 2, "failed": 2, "skipped": 1}
    assert sorted((p["code"], p["level"], p["file"]) for p in doc["problems"]) == [
        ("ping-failed", "error", None),
        ("ping-failed", "error", None),
        ("ping-skipped", "warning", "feeds/edt/de.xml"),
    ]


def test_ping_without_targets_says_what_to_configure(example: Path) -> None:
    code, out, _ = run(example, "ping")
    assert code == 0
    assert "nothing to ping" in out


def test_progress_goes_to_stderr_as_log_lines_and_quiet_hides_it(example: Path) -> None:
    code, out, err = run(example, "-v", "build", "--offline", "--format", "text")
    assert code == 0
    assert "podfeed: reading edt episodes (2) done in" in err
    assert "podfeed: building feeds (2) done in" in err
    assert "podfeed:" not in out  # stdout stays clean for --format json
    code, out, err = run(example, "-q", "build", "--offline", "--format", "text")
    assert code == 0
    assert err == ""
    assert "lock-stale" not in out  # infos are hidden with -q
    assert "feeds/edt/en.xml" in out


def test_json_output_is_one_document_even_with_progress(example: Path) -> None:
    code, out, _ = run(example, "-v", "build", "--offline", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [f["lang"] for f in doc["summary"]["feeds"]] == ["en", "de"]


def test_check_and_build_share_the_cache_and_no_cache_gives_the_same_answer(example: Path) -> None:
    code, first, _ = run(example, "check", "--format", "json")
    assert code == 0
    assert (example / ".podfeed-cache").is_dir()
    code, cached, _ = run(example, "check", "--format", "json")
    assert cached == first
    code, fresh, _ = run(example, "check", "--no-cache", "--format", "json")
    assert fresh == first
    assert run(example, "build", "--offline")[0] == 0
    built = (example / "feeds" / "edt" / "en.xml").read_bytes()
    shutil.rmtree(example / "feeds")
    assert run(example, "build", "--offline", "--no-cache")[0] == 0
    assert (example / "feeds" / "edt" / "en.xml").read_bytes() == built


# --- what a demanding user tries ---------------------------------------------------------------


def test_every_command_prints_one_json_document_even_when_it_stops_early(example: Path) -> None:
    for args in (
        ["ping"],  # nothing to ping
        ["build", "--offline", "--show", "nope"],  # a usage error raised by the core
        ["check", "-c", "missing.yaml"],
    ):
        code, out, _ = run(example, *args, "--format", "json")
        doc = json.loads(out)
        assert doc["version"] == 1, args
        assert (code == 0) == (doc["counts"]["error"] == 0), args
    code, out, err = run(example, "build", "--offline", "--show", "nope", "--format", "json")
    assert code == 2
    assert [p["code"] for p in json.loads(out)["problems"]] == ["config-error"]
    assert "unknown show 'nope'" in err


def test_a_command_stopping_error_is_a_github_annotation_too(example: Path) -> None:
    code, out, _ = run(example, "build", "--offline", "--lang", "xx", "--format", "github")
    assert code == 2
    assert out.startswith("::error title=config-error::unknown language 'xx'")


def test_build_check_annotates_each_stale_feed_for_ci(example: Path) -> None:
    code, out, _ = run(example, "build", "--offline", "--check", "--format", "github")
    assert code == 1
    assert "::error file=feeds/edt/en.xml,title=feed-stale::" in out
    assert "::error file=feeds/edt/de.xml,title=feed-stale::" in out
    assert run(example, "build", "--offline")[0] == 0
    code, out, _ = run(example, "build", "--offline", "--check", "--format", "json")
    assert code == 0
    assert json.loads(out)["counts"]["error"] == 0


def test_quiet_hides_infos_even_when_the_guard_refuses(example: Path) -> None:
    assert run(example, "build", "--offline")[0] == 0
    lock = example / "podfeed.lock"  # the host's guid appears: the published guid would change
    lock.write_text(lock.read_text().replace('"guid": null', '"guid": "4b9b3a1e-0000-4000-8000-1"'))
    code, out, _ = run(example, "-q", "build", "--offline", "--format", "text")
    assert code == 1
    assert "guard-guid-change" in out
    assert "lock-stale" not in out


def test_quiet_and_verbose_also_work_after_the_command_name(example: Path) -> None:
    code, out, err = run(example, "build", "-q", "--offline", "--format", "text")
    assert code == 0, err
    assert err == ""
    assert "lock-stale" not in out
    code, _, err = run(example, "check", "-v", "--format", "text")
    assert code == 0
    assert "podfeed: reading edt episodes (2) done in" in err
    code, _, err = run(example, "-v", "check", "-q", "--format", "text")
    assert err == ""  # -q wins wherever it is


def test_verbose_logs_the_steps_of_check_validate_and_preview(example: Path) -> None:
    _, _, err = run(example, "-v", "check", "--format", "text")
    assert "podfeed: reading edt episodes (2) done in" in err
    _, _, err = run(example, "-v", "preview", "--format", "text")
    assert "podfeed: building feeds (2) done in" in err
    assert run(example, "build", "--offline")[0] == 0
    _, out, err = run(example, "-v", "validate", "feeds/edt/en.xml", "feeds/edt/de.xml")
    assert "podfeed: validating feeds (2) done in" in err
    assert "podfeed:" not in out


def test_validate_rules_without_any_id_is_a_usage_error(example: Path) -> None:
    assert run(example, "build", "--offline")[0] == 0
    code, _, err = run(example, "validate", "feeds/edt/en.xml", "--rules", " , ")
    assert code == 2
    assert "no rule id given" in err


def test_resolve_only_an_id_no_episode_uses_says_so(example: Path) -> None:
    code, out, _ = run(example, "resolve", "--only", "cea4789", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert [p["message"] for p in doc["problems"] if p["code"] == "resolve-unknown-id"] == [
        "--only cea4789: no episode of the selected shows uses this id; nothing was resolved for it"
    ]
    code, _, _ = run(example, "resolve", "--only", "cea4789", "--strict", "--format", "json")
    assert code == 1
    config = example / "config.yaml"  # Transistor on a port nobody listens on: no network
    config.write_text(
        re.sub(
            r"feed_url: https://feeds\.transistor\.fm/\S+",
            "feed_url: http://127.0.0.1:9/feed\n      share_url: http://127.0.0.1:9",
            config.read_text(),
        )
    )
    code, out, _ = run(example, "resolve", "--only", "cea47899", "--format", "json")
    assert "resolve-unknown-id" not in out


def test_paths_are_resolved_from_the_config_file_not_the_working_directory(
    example: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = str(example / "config.yaml")
    code, out, _ = run(elsewhere, "build", "--offline", "-c", config, "--format", "text")
    assert code == 0, out
    assert (example / "feeds" / "edt" / "en.xml").is_file()
    assert (example / ".podfeed-cache").is_dir()
    assert list(elsewhere.iterdir()) == []  # no feed, cache, lock or run lock here
    code, out, _ = run(elsewhere, "build", "--offline", "--check", "-c", config)
    assert code == 0, out


def test_offline_without_a_lock_says_so_first_and_writes_no_empty_feed(example: Path) -> None:
    (example / "podfeed.lock").unlink()
    code, out, _ = run(example, "build", "--offline", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    (first,) = [p for p in doc["problems"] if p["root"]]
    assert (first["code"], first["level"], first["file"]) == (
        "lock-missing",
        "error",
        "podfeed.lock",
    )
    assert "podfeed resolve" in first["hint"]
    empty = [p for p in doc["problems"] if p["code"] == "feed-empty"]
    assert [(p["level"], p["file"]) for p in empty] == [
        ("error", "feeds/edt/de.xml"),
        ("error", "feeds/edt/en.xml"),
    ]
    assert all("lock" in p["message"] for p in empty)
    assert not (example / "feeds").exists()
    # In text, the missing lock is the first problem line, and each cause is one line.
    code, out, _ = run(example, "build", "--offline", "--format", "text")
    assert out.splitlines()[:2] == [
        "podfeed.lock",
        "      -  error    podfeed.lock does not exist: offline, every episode's audio comes "
        "from it, so no feed can have items  (lock-missing)",
    ]
    assert out.count("(feed-empty)") == 1 and out.count("(audio-missing)") == 1
    # -v lists every episode's problem again.
    code, out, _ = run(example, "-v", "build", "--offline", "--format", "text")
    assert out.count("(audio-missing)") == 2 and out.count("(feed-empty)") == 2


def test_check_reads_the_lock_and_says_what_a_build_would(example: Path) -> None:
    (example / "podfeed.lock").unlink()
    code, out, _ = run(example, "check", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert [p["code"] for p in doc["problems"] if p["root"]] == ["lock-missing"]
    assert {p["code"] for p in doc["problems"]} >= {"audio-missing", "feed-empty"}
    assert not (example / "feeds").exists() and not (example / "podfeed.lock").exists()


def test_an_output_path_that_is_a_folder_is_named_as_written(example: Path) -> None:
    (example / "feeds" / "edt" / "en.xml").mkdir(parents=True)
    code, _, err = run(example, "build", "--offline", "--format", "text")
    assert code == 1
    assert "could not write feeds/edt/en.xml: it is a folder, not a file" in err
    assert ".tmp" not in err
    assert sorted(p.name for p in (example / "feeds" / "edt").iterdir()) == ["en.xml"]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("check", "exit 1 when there is any"),
        ("build", "write nothing (no feed, no lock)"),
        ("resolve", "still written to the lock"),
        ("validate", "when any feed has one"),
    ],
)
def test_each_command_says_what_its_own_strict_does(command: str, says: str) -> None:
    text = " ".join(CliRunner().invoke(main, [command, "--help"]).stdout.split())
    strict = text[text.index("--strict Treat warnings as errors") :]
    assert says in strict[: strict.index(" --", 2)]
