"""preview: a static page per feed showing what a listener would see, safe against hostile feeds.

Unit tests read the page back with lxml.html and check its structure (what a browser would build),
not only substrings. The browser tests at the end load the pages of the bundled example in
Debian's headless chromium; they skip when chromium is not installed.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from podfeed.cli.preview_pages import CSP, render_preview, write_previews
from podfeed.problems import Problem, error, info, warning

NAMESPACES = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:podcast="https://podcastindex.org/namespace/1.0"'
)


def item_xml(
    title: str = "Episode one",
    *,
    notes: str = "<p>Notes</p>",
    enclosure: str = "https://media.example.org/1.mp3",
    extra: str = "",
) -> str:
    """One <item>; ``notes`` is HTML, escaped into content:encoded as in a real feed."""
    return (
        f"<item><title>{escape_xml(title)}</title>"
        "<link>https://example.org/ep/1</link>"
        "<pubDate>Thu, 07 Mar 2024 08:00:00 -0800</pubDate>"
        f"<content:encoded>{escape_xml(notes)}</content:encoded>"
        f'<enclosure url="{escape_xml(enclosure)}" length="1" type="audio/mpeg"/>'
        "<itunes:duration>3723</itunes:duration><itunes:episode>189</itunes:episode>"
        '<podcast:contentLink href="https://www.youtube.com/watch?v=ImbRcqDHYV0">YouTube'
        f"</podcast:contentLink>{extra}</item>"
    )


def feed_xml(*items: str, language: str = "en", channel_extra: str = "") -> bytes:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {NAMESPACES}><channel>'
        "<title>My Show</title><link>https://example.org/</link>"
        "<description>About the show.</description>"
        f"<language>{language}</language><itunes:author>Ann Author</itunes:author>"
        '<itunes:image href="https://example.org/art.png"/>'
        '<itunes:category text="Technology"/>'
        '<itunes:category text="Business"><itunes:category text="Management"/></itunes:category>'
        '<atom:link href="https://example.org/feeds/show/de.xml" rel="alternate" hreflang="de"'
        ' type="application/rss+xml"/>'
        f"{channel_extra}{''.join(items)}</channel></rss>"
    )
    return body.encode("utf-8")


def escape_xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def dom(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def texts(page: str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in dom(page).xpath(xpath)]


HOSTILE_NOTES = """
<p onclick="steal()">Hello <b onmouseover="steal()">there</b></p>
<script>console.error("xss-script")</script>
<img src="x" onerror="console.error('xss-img')">
<img src="http://insecure.example.org/a.png" alt="insecure">
<img src="https://example.org/ok.png" alt="fine">
<svg onload="steal()"><circle r="1"/></svg>
<iframe src="https://evil.example.org/"></iframe>
<style>body{display:none}</style>
<a href="javascript:steal()">js link</a>
<a href=" JaVaScRiPt:steal()">mixed case</a>
<a href="data:text/html;base64,PHNjcmlwdD4=">data link</a>
<a href="https://example.org/safe" target="_blank" style="color:red">safe link</a>
<form action="https://evil.example.org/"><input name="q"><button formaction="x">go</button></form>
<object data="x.swf"></object><embed src="x.swf">
<meta http-equiv="refresh" content="0;url=https://evil.example.org/">
<base href="https://evil.example.org/">
"""


# --- hostile input --------------------------------------------------------------------------------


def test_hostile_show_notes_lose_every_script_handler_and_dangerous_url() -> None:
    page = render_preview(feed_xml(item_xml(notes=HOSTILE_NOTES)))
    tree = dom(page)

    for tag in ("script", "iframe", "svg", "object", "embed", "form", "input", "base"):
        assert tree.xpath(f"//{tag}") == [], tag
    assert tree.xpath("//meta[@http-equiv='refresh']") == []
    handlers = [(e.tag, a) for e in tree.iter() for a in e.attrib if a.lower().startswith("on")]
    assert handlers == []
    urls = [v for e in tree.iter() for a, v in e.attrib.items() if a in ("href", "src", "action")]
    assert not [u for u in urls if not re.match(r"(https?:|mailto:|data:,$|[a-z]{2}\.html$)", u)]
    assert "xss-" not in page and "steal()" not in page


def test_hostile_notes_keep_their_harmless_text_and_safe_parts() -> None:
    notes = dom(render_preview(feed_xml(item_xml(notes=HOSTILE_NOTES)))).xpath(
        "//details[@class='notes']"
    )[0]

    assert "Hello there" in " ".join(notes.text_content().split())
    assert [a.get("href") for a in notes.xpath(".//a[@href]")] == ["https://example.org/safe"]
    assert [a.text for a in notes.xpath(".//a")] == [
        "js link",
        "mixed case",
        "data link",
        "safe link",
    ]
    # Only https images: anything else would be blocked by the CSP (a console error) or leak.
    assert [i.get("src") for i in notes.xpath(".//img[@src]")] == ["https://example.org/ok.png"]
    assert all(a.get("style") is None and a.get("target") is None for a in notes.xpath(".//a"))


def test_a_javascript_enclosure_page_link_or_content_link_becomes_no_link() -> None:
    item = item_xml(enclosure="javascript:steal()").replace(
        "https://example.org/ep/1", "javascript:steal()"
    )
    page = render_preview(feed_xml(item, channel_extra="<image><url>javascript:x()</url></image>"))

    assert "javascript:" not in page
    assert dom(page).xpath("//audio") == []
    assert texts(page, "//p[@class='noaudio']") == [
        "No playable enclosure: apps cannot play this episode."
    ]


def test_entities_in_the_feed_are_never_expanded() -> None:
    feed = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        b'<!ENTITY big "BIGBIGBIG">]><rss version="2.0"><channel><title>A &xxe; &big;</title>'
        b"</channel></rss>"
    )
    page = render_preview(feed)

    assert "root:" not in page and "BIGBIGBIG" not in page
    assert texts(page, "//h1") == ["A &xxe; &big;"]


def test_titles_and_every_channel_text_are_escaped() -> None:
    title = 'Tom & Jerry <b>bold</b> "quoted" </h3><script>x</script>'
    feed = feed_xml(item_xml(title=title)).replace(
        b"<title>My Show</title>", b"<title>Show &lt;i&gt;x&lt;/i&gt; &amp; co</title>"
    )
    page = render_preview(feed)

    assert texts(page, "//article//h3") == [title]
    assert texts(page, "//header//h1") == ["Show <i>x</i> & co"]
    assert texts(page, "//title") == ["Show <i>x</i> & co"]
    assert dom(page).xpath("//article//h3//b | //h1//i | //script") == []


# --- what the page shows --------------------------------------------------------------------------


def test_the_page_shows_the_show_like_an_app() -> None:
    page = render_preview(feed_xml(item_xml()))
    tree = dom(page)

    assert tree.xpath("//img[@class='artwork']/@src") == ["https://example.org/art.png"]
    assert texts(page, "//header//h1") == ["My Show"]
    assert texts(page, "//p[@class='author']") == ["Ann Author"]
    assert texts(page, "//p[@class='description']") == ["About the show."]
    assert texts(page, "//ul[@class='chips']/li") == ["Technology", "Business / Management"]
    assert texts(page, "//header//p[@class='meta']") == ["Language: en · 1 episode"]


def test_each_episode_shows_date_duration_number_player_notes_and_links() -> None:
    page = render_preview(feed_xml(item_xml()))
    (article,) = dom(page).xpath("//article[@class='episode']")

    # The date is the feed's own calendar day (08:00 at -0800), as an ISO date.
    assert " ".join(article.xpath(".//p[@class='meta']")[0].text_content().split()) == (
        "2024-03-07 · 1:02:03 · Episode 189"
    )
    (audio,) = article.xpath(".//audio")
    assert dict(audio.attrib) == {
        "controls": "",
        "preload": "none",
        "src": "https://media.example.org/1.mp3",
    }
    assert article.xpath(".//details[@class='notes']/p/text()") == ["Notes"]
    assert [(a.text, a.get("href")) for a in article.xpath(".//ul[@class='links']//a")] == [
        ("Episode page", "https://example.org/ep/1"),
        ("Watch on YouTube", "https://www.youtube.com/watch?v=ImbRcqDHYV0"),
    ]


@pytest.mark.parametrize(
    ("duration", "shown"),
    [("59", "0:00:59"), ("3600", "1:00:00"), ("29:05", "0:29:05"), ("10:00:00", "10:00:00")],
)
def test_durations_are_shown_as_hours_minutes_seconds(duration: str, shown: str) -> None:
    item = item_xml().replace("<itunes:duration>3723", f"<itunes:duration>{duration}")

    assert shown in texts(render_preview(feed_xml(item)), "//article//p[@class='meta']")[0]


def test_every_episode_is_shown_in_feed_order() -> None:
    items = [item_xml(title=f"Episode {n}") for n in (3, 2, 1)]

    page = render_preview(feed_xml(*items))

    assert texts(page, "//article//h3") == ["Episode 3", "Episode 2", "Episode 1"]
    assert len(dom(page).xpath("//audio")) == 3


def test_a_feed_without_episodes_says_so() -> None:
    page = render_preview(feed_xml())

    assert texts(page, "//p[@class='empty']")[-1] == "This feed has no episodes."


def test_the_page_is_self_contained_html5_with_charset_lang_and_csp() -> None:
    page = render_preview(feed_xml(item_xml(), language="pt-BR"))
    tree = dom(page)

    assert page.startswith('<!DOCTYPE html>\n<html lang="pt-BR">')
    assert tree.xpath("//head/meta[1]/@charset") == ["utf-8"]
    assert tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]
    assert CSP == (
        "default-src 'none'; img-src https: data:; media-src https:; style-src 'unsafe-inline'"
    )
    assert tree.xpath("//link[@rel='stylesheet'] | //script") == []
    assert tree.xpath("//link/@href") == ["data:,"]


def test_the_page_parses_as_html5_without_errors() -> None:
    """html5lib is not installed; libxml2's strict HTML parser fails on mismatched tags."""
    page = render_preview(feed_xml(item_xml(notes=HOSTILE_NOTES), item_xml(title="b")))
    parser = lxml.html.HTMLParser(recover=False)

    lxml.html.document_fromstring(page, parser=parser)
    assert [str(e) for e in parser.error_log] == []


# --- languages and findings -----------------------------------------------------------------------


def test_sibling_previews_and_the_feeds_alternate_languages_are_linked() -> None:
    page = render_preview(
        feed_xml(item_xml()), siblings={"fr": "fr.html", "de": "de.html", "en": "en.html"}
    )
    links = dom(page).xpath("//nav[@class='langs']//a")

    assert [(a.text, a.get("href")) for a in links] == [
        ("de", "de.html"),
        ("de feed", "https://example.org/feeds/show/de.xml"),
        ("fr", "fr.html"),
    ]
    assert texts(page, "//nav[@class='langs']/strong") == ["en"]


def test_a_sibling_href_with_a_script_scheme_is_not_linked() -> None:
    page = render_preview(feed_xml(), siblings={"fr": "javascript:steal()"})

    assert "javascript:" not in page


def test_no_siblings_means_no_language_bar() -> None:
    feed = feed_xml().replace(b'hreflang="de"', b"")
    assert dom(render_preview(feed)).xpath("//nav") == []


def test_problems_are_listed_sorted_with_level_code_place_and_message() -> None:
    problems: list[Problem] = [
        warning("item-no-duration", "no <duration> & more", "en.xml", 40),
        error("channel-no-image", "the show has no artwork", "en.xml", 3, hint="set image:"),
        info("lock-stale", "1 lock entry is stale"),
    ]
    page = render_preview(feed_xml(item_xml()), problems=problems)
    rows = dom(page).xpath("//section[@class='findings']//tbody/tr")

    assert [[td.text or "" for td in row] for row in rows] == [
        ["info", "", "", "1 lock entry is stale"],
        ["error", "", "en.xml:3", "the show has no artwork"],
        ["warning", "", "en.xml:40", "no <duration> & more"],
    ]
    assert [row[1].text_content() for row in rows] == [
        "lock-stale",
        "channel-no-image",
        "item-no-duration",
    ]
    assert texts(page, "//tbody/tr/td[4]/span") == ["fix: set image:"]
    assert texts(page, "//section[@class='findings']/h2") == ["Validation findings (3)"]


def test_findings_from_several_episode_files_name_their_file_not_only_the_line() -> None:
    # A feed's findings come from many episode files: "line 24" alone does not say where.
    problems = [
        warning("no-audio", "no audio", "briefs/edw-1/de/episode.md", 29),
        warning("no-audio", "no audio", "briefs/edw-12/de/episode.md", 27),
        warning("lock-stale", "stale", "podfeed.lock"),
    ]
    page = render_preview(feed_xml(), problems=problems)

    assert texts(page, "//section[@class='findings']//tbody/tr/td[3]") == [
        "briefs/edw-1/de/episode.md:29",
        "briefs/edw-12/de/episode.md:27",
        "podfeed.lock",
    ]
    assert texts(page, "//section[@class='findings']//thead/tr/th[3]") == ["Where"]


def test_an_unreadable_feed_still_gives_a_page_with_its_findings() -> None:
    page = render_preview(b"<rss><channel>", problems=[error("xml-syntax", "broken", "x.xml", 1)])

    assert texts(page, "//h1") == ["Unreadable feed"]
    assert "not well-formed XML" in texts(page, "//p[@class='noaudio']")[0]
    assert texts(page, "//tbody/tr/td[2]") == ["xml-syntax"]


def test_rendering_is_deterministic() -> None:
    feed = feed_xml(item_xml(notes=HOSTILE_NOTES), item_xml(title="b"))
    problems = [warning("b", "m2", "f", 2), warning("a", "m1", "f", 1)]

    first = render_preview(feed, problems=problems, siblings={"de": "de.html", "fr": "fr.html"})
    second = render_preview(
        feed, problems=problems[::-1], siblings={"fr": "fr.html", "de": "de.html"}
    )

    assert first.encode() == second.encode()


# --- write_previews -------------------------------------------------------------------------------


def test_write_previews_writes_a_page_per_feed_beside_its_show_and_an_index(
    tmp_path: Path,
) -> None:
    feeds_dir = tmp_path / "feeds"
    feeds = {
        feeds_dir / "edt" / "en.xml": feed_xml(item_xml(title="English")),
        feeds_dir / "edt" / "de.xml": feed_xml(item_xml(title="Deutsch"), language="de"),
        feeds_dir / "edw" / "en.xml": feed_xml(item_xml(title="Brief")),
    }
    problems = {feeds_dir / "edt" / "de.xml": [warning("x-code", "a finding")]}
    out = tmp_path / "preview"

    written = write_previews(feeds, out, problems_by_feed=problems)

    assert written == [
        out / "edt/de.html",
        out / "edt/en.html",
        out / "edw/en.html",
        out / "index.html",
    ]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "edt", "edt/de.html", "edt/en.html", "edw", "edw/en.html", "index.html"
    ]  # fmt: skip
    de = (out / "edt/de.html").read_text("utf-8")
    assert texts(de, "//article//h3") == ["Deutsch"]
    assert texts(de, "//tbody/tr/td[2]") == ["x-code"]
    assert dom(de).xpath("//nav//a[not(@rel)]/@href") == ["en.html"]
    assert dom((out / "edw/en.html").read_text("utf-8")).xpath("//nav//a[not(@rel)]") == []
    index = (out / "index.html").read_text("utf-8")
    assert dom(index).xpath("//li/a/@href") == ["edt/de.html", "edt/en.html", "edw/en.html"]
    assert texts(index, "//li/span") == [
        "edt/de · 1 finding",
        "edt/en · 0 findings",
        "edw/en · 0 findings",
    ]


def test_write_previews_twice_gives_the_same_bytes_and_touches_nothing(tmp_path: Path) -> None:
    feeds = {tmp_path / "f" / "s" / "en.xml": feed_xml(item_xml())}
    out = tmp_path / "p"
    write_previews(feeds, out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*.html")}

    write_previews(feeds, out)

    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*.html")} == before
    assert not list(out.rglob("*.tmp"))


# --- in a real browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
REPO = Path(__file__).resolve().parent.parent
# Console messages of the page: chromium logs them as "...:INFO:CONSOLE:<line>] "<text>"..."
# (older builds: "CONSOLE(<line>)"), whatever their level; uncaught exceptions start with Uncaught.
_CONSOLE = re.compile(r"CONSOLE[:(]|Uncaught")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless chromium with the network closed to everything but loopback."""
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # Artwork and notes point at real hosts; a test must never reach them.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if _CONSOLE.search(line)]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[functools.partial[str]]:
    """Serve a folder on 127.0.0.1; yields ``url(folder, path)``."""
    servers: list[ThreadingHTTPServer] = []

    def url(folder: Path, path: str) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/{path}"

    yield functools.partial(url)
    for server in servers:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def example_previews(tmp_path: Path) -> tuple[Path, dict[Path, bytes]]:
    """The bundled example built offline (the README's first command), then previewed."""
    feeds_dir = tmp_path / "feeds"
    build = subprocess.run(
        [sys.executable, "-m", "podfeed", "build", "--offline", "-o", str(feeds_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr + build.stdout
    feeds = {path: path.read_bytes() for path in sorted(feeds_dir.glob("*/*.xml"))}
    assert len(feeds) >= 2
    out = tmp_path / "preview"
    write_previews(feeds, out)
    return out, feeds


def _episode_titles(feed: bytes) -> list[str]:
    return [t.strip() for t in etree.fromstring(feed).xpath("/rss/channel/item/title/text()")]


@needs_chromium
def test_every_example_page_loads_in_chromium_without_console_errors_and_shows_every_episode(
    tmp_path: Path, serve: functools.partial[str], example_previews: tuple[Path, dict[Path, bytes]]
) -> None:
    out, feeds = example_previews
    for path, feed in feeds.items():
        page = f"{path.parent.name}/{path.stem}.html"
        run = _chromium(tmp_path, "--dump-dom", serve(out, page))

        assert run.returncode == 0, run.stderr
        assert _console_lines(run.stderr) == [], page
        shown = dom(run.stdout)
        titles = _episode_titles(feed)
        assert titles, path
        assert [" ".join(h.text_content().split()) for h in shown.xpath("//article//h3")] == titles
        assert len(shown.xpath("//article//audio[@controls][@preload='none'][@src]")) == len(titles)
        assert shown.xpath("/html/@lang") == [etree.fromstring(feed).findtext("channel/language")]


@needs_chromium
def test_hostile_notes_run_nothing_in_chromium(
    tmp_path: Path, serve: functools.partial[str]
) -> None:
    """Had any script or handler survived, it would log to the console (or the CSP would)."""
    items = [item_xml(title=f"Episode {n}", notes=HOSTILE_NOTES) for n in range(5)]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.html").write_text(render_preview(feed_xml(*items)), "utf-8")

    run = _chromium(tmp_path, "--dump-dom", serve(tmp_path / "site", "page.html"))

    assert run.returncode == 0, run.stderr
    assert _console_lines(run.stderr) == []
    shown = dom(run.stdout)
    assert [h.text for h in shown.xpath("//article//h3")] == [f"Episode {n}" for n in range(5)]
    assert len(shown.xpath("//audio")) == 5
    assert shown.xpath("//script | //iframe") == []


@needs_chromium
def test_the_console_check_does_see_errors(tmp_path: Path, serve: functools.partial[str]) -> None:
    """Guards the two tests above: on this chromium, a console error is visible on stderr."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "bad.html").write_text(
        "<!DOCTYPE html><title>bad</title><script>console.error('seen'); missing();</script>"
    )

    run = _chromium(tmp_path, "--dump-dom", serve(tmp_path / "site", "bad.html"))

    lines = _console_lines(run.stderr)
    assert any("seen" in line for line in lines)
    assert any("Uncaught" in line and "missing" in line for line in lines)


@needs_chromium
def test_a_screenshot_of_the_example_page_is_a_real_picture(
    tmp_path: Path, serve: functools.partial[str], example_previews: tuple[Path, dict[Path, bytes]]
) -> None:
    out, _ = example_previews
    shot = tmp_path / "en.png"

    run = _chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", serve(out, "edt/en.html")
    )

    assert run.returncode == 0, run.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    # A blank 1200x2000 page compresses to a few kB; text, cards and a player do not.
    assert len(data) > 40_000
