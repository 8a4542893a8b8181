"""What podfeed does not trust: episode files, feeds and servers. End to end through the CLI.

Each test feeds hostile input to a real command and checks that nothing escapes the output
folder, nothing executable reaches a feed or a preview, no secret is shown, and the others
episodes are still published.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from podfeed.cli import main
from podfeed.media.transistor import FeedParseError, parse_feed
from podfeed.problems import BuildError
from podfeed.publish.diff import diff_feeds
from podfeed.safexml import DeclaresEntities, parse_untrusted
from tests.server import Reply, Server

FAKE_KEY = "FAKE-KEY-do-not-print-7c1d2e"


@pytest.fixture
def site(repo: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(repo / "config.yaml", root / "config.yaml")
    shutil.copy(repo / "podfeed.lock", root / "podfeed.lock")
    shutil.copytree(repo / "episodes", root / "episodes")
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_language_that_climbs_out_of_the_output_folder_writes_nothing_there(
    site: Path, tmp_path: Path
) -> None:
    edit(site / "episodes/edt-189/de/episode.md", "lang: de", "lang: ../../../escaped")
    before = files_under(tmp_path)
    code, out, _ = run(site, "build", "--offline", "--format", "text")
    assert code == 1, out  # the German feed is left without items (feed-empty)
    assert "lang-not-configured" in out
    # The build cache (podfeed/cache.py) lives next to the config, inside the site.
    written = {
        p for p in files_under(tmp_path) - before if not p.startswith("site/.podfeed-cache/")
    }
    assert written == {"site/feeds/edt/en.xml", "site/.podfeed-run.lock"}
    assert not any("escaped" in p for p in files_under(tmp_path))


def test_a_permalink_with_dots_or_a_scheme_is_refused(site: Path) -> None:
    edit(
        site / "episodes/edt-189/de/episode.md",
        "permalink: episode-EDT189-de",
        "permalink: ../../etc/passwd",
    )
    edit(
        site / "episodes/edt-189/en/episode.md",
        "permalink: episode-EDT189-en",
        "permalink: javascript:alert(1)",
    )
    code, out, _ = run(site, "check", "--format", "text")
    assert code == 1
    assert out.count("permalink") >= 2
    assert "etc/passwd" not in (site / "feeds").as_posix()


def test_show_ids_cannot_be_paths(site: Path) -> None:
    edit(site / "config.yaml", "  - id: edt", "  - id: ../../edt")
    code, out, err = run(site, "build", "--offline", "--format", "text")
    assert code == 2
    assert "shows[0].id" in out + err


def test_scripts_and_event_handlers_never_reach_the_feed_or_the_preview(site: Path) -> None:
    edit(
        site / "episodes/edt-189/en/episode.md",
        "## The Evolution of High-Performance Computing",
        '<script>alert("feed")</script><img src="x.png" onerror="alert(1)">'
        '<a href="javascript:alert(2)">click</a><iframe src="https://evil.example/"></iframe>\n\n'
        "## The Evolution of High-Performance Computing",
    )
    edit(
        site / "episodes/edt-189/en/episode.md",
        'title: "Parallel Works AI Workload Automation"',
        'title: "Parallel <script>alert(3)</script> Works"',
    )
    assert run(site, "build", "--offline")[0] == 0
    assert run(site, "preview", "-o", "preview")[0] == 0
    for path in (site / "feeds/edt/en.xml", site / "preview/edt/en.html"):
        tree = etree.parse(str(path), etree.HTMLParser()) if path.suffix == ".html" else None
        text = path.read_text(encoding="utf-8")
        if tree is not None:
            assert not tree.xpath("//script | //iframe | //*[@onerror]")
            assert not tree.xpath("//a[starts-with(@href, 'javascript:')]")
        else:
            notes = etree.parse(str(path)).xpath(
                "//content:encoded/text()",
                namespaces={"content": "http://purl.org/rss/1.0/modules/content/"},
            )
            html = "".join(notes)
            assert "<script" not in html and "onerror" not in html
            assert "javascript:" not in html and "<iframe" not in html
        assert "alert(1)" not in text and "alert(2)" not in text


def test_control_characters_are_removed_from_every_text_field(site: Path) -> None:
    edit(
        site / "episodes/edt-189/en/episode.md",
        'title: "Parallel Works AI Workload Automation"',
        'title: "Parallel\\x07 Works\\x1b[31m AI"',
    )
    code, out, _ = run(site, "build", "--offline", "--format", "text")
    assert code == 0, out
    data = (site / "feeds/edt/en.xml").read_bytes()
    etree.fromstring(data)  # well-formed XML 1.0
    assert b"\x07" not in data and b"\x1b" not in data


def test_the_api_key_is_never_printed_logged_or_locked(
    site: Path, transistor_server: Server
) -> None:
    # The feed is gone, the share page has no audio, the API answers with an error that
    # echoes the key: every path where a key could leak is taken.
    transistor_server.route("/feed", Reply(404))
    transistor_server.route(
        "/v1/episodes", Reply(401, f'{{"error": "bad key {FAKE_KEY}"}}'.encode())
    )
    config = site / "config.yaml"
    text = config.read_text()
    text = re.sub(
        r"feed_url: https://feeds\.transistor\.fm/\S+",
        f"feed_url: {transistor_server.url('/feed')}\n"
        f"      share_url: {transistor_server.base_url}\n"
        f"      api_url: {transistor_server.url('/v1')}\n"
        "      show_id: '12345'",
        text,
    )
    config.write_text(text + "\nhttp:\n  retries: 0\n  timeout: 2\n")
    (site / "podfeed.lock").unlink()  # nothing known: the resolver must go all the way to the API
    env = {"TRANSISTOR_API_KEY": FAKE_KEY}
    outputs = []
    for command in (["resolve", "--refresh"], ["-v", "build"], ["build", "--format", "json"]):
        _, out, err = run(site, *command, env=env)
        outputs.append(out + err)
    assert transistor_server.count("/v1/episodes") >= 1  # the API was really asked
    assert all(FAKE_KEY not in text for text in outputs)
    for path in site.rglob("*"):
        if path.is_file():
            assert FAKE_KEY.encode() not in path.read_bytes(), path
    sent = transistor_server.requests_to("/v1/episodes")[0]
    assert sent.headers.get("x-api-key") == FAKE_KEY  # only in the header, to the API


def test_a_key_written_into_the_config_is_refused(site: Path) -> None:
    config = site / "config.yaml"
    edit(config, "    transistor:\n", f"    transistor:\n      api_key: {FAKE_KEY}\n")
    code, out, err = run(site, "check")
    assert code == 2
    assert "TRANSISTOR_API_KEY" in out + err
    assert FAKE_KEY not in out + err


SAFE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=SAFE_TEXT, summary=SAFE_TEXT, body=st.text(max_size=400), tags=st.lists(SAFE_TEXT))
def test_any_episode_text_gives_a_well_formed_feed_or_a_problem(
    site: Path, title: str, summary: str, body: str, tags: list[str]
) -> None:
    """Property: whatever an episode file says, the build ends with feeds or problems, and every
    feed it writes is well-formed XML that feedparser reads without complaint."""
    import feedparser
    import yaml

    front = {
        "title": title,
        "number": 189,
        "permalink": "episode-EDT189-en",
        "lang": "en",
        "date": "2024-03-07T08:00:00.000Z",
        "summary": summary,
        "tags": tags,
    }
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n"
    text += '{% include transistor.html id="cea47899" %}\n\n' + body
    (site / "episodes/edt-189/en/episode.md").write_text(text, encoding="utf-8")
    code, out, err = run(site, "build", "--offline", "--allow-shrink", "--allow-guid-change")
    assert code in (0, 1), out + err
    assert "Traceback" not in out + err
    for path in (site / "feeds").rglob("*.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)


# --- one reader for untrusted XML ---------------------------------------------------------------

_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<rss version="2.0"><channel><title>&b;</title></channel></rss>'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_untrusted_xml_declaring_entities_is_refused_in_any_encoding(encoding: str) -> None:
    # UTF-16 hides "<!ENTITY" from the byte check: the parsed DTD catches it.
    data = _BOMB.replace('version="1.0"?>', f'version="1.0" encoding="{encoding}"?>', 1)
    with pytest.raises(DeclaresEntities):
        parse_untrusted(data.encode(encoding))


def test_untrusted_xml_is_read_without_comments_or_network() -> None:
    root = parse_untrusted(
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/never.dtd">'
        b"<rss><channel><title>A<!-- a comment -->B<?pi x?></title></channel></rss>"
    )
    assert root.findtext("channel/title") == "AB"
    with pytest.raises(etree.XMLSyntaxError):
        parse_untrusted(b"<rss><channel><title>cut short")


def test_the_guard_and_the_transistor_reader_share_the_refusal() -> None:
    with pytest.raises(BuildError, match="declares XML entities"):
        diff_feeds(None, _BOMB.encode())
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(_BOMB.encode(), url="https://feeds.transistor.fm/show")
