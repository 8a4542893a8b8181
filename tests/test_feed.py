"""The RSS writer, checked by reading its output back with feedparser, podcastparser and XPath."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedgen.feed
import feedparser
import podcastparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from podfeed import __version__
from podfeed.config.model import Category, Owner, Show
from podfeed.feed import FeedItem, episode_guid, podcast_guid, render_feed
from podfeed.model import Episode, Media, Transcript
from podfeed.problems import BuildError
from podfeed.site import strip_xml_invalid

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
PST = timezone(timedelta(hours=-8))
HOST = "Darren W Pulsipher"
HOST_GUID = "0b2d3a4e-6f70-4c8a-9d1e-2f3a4b5c6d7e"  # as a Transistor feed would publish it


def make_show(**changes: Any) -> Show:
    show = Show(
        id="edt",
        title={"en": "Embracing Digital Transformation", "de": "Digitale Transformation"},
        description={"en": "Signal in the noise.", "de": "Das Signal im Rauschen."},
        author=HOST,
        owner=Owner(name=HOST, email="podcast@example.org"),
        image="https://www.example.org/full-logo.png",
        site_url="https://www.example.org/",
        feed_url="https://www.example.org/feeds/{show}/{lang}.xml",
        episodes=("episodes/edt-*/*/episode.md",),
        languages=("en", "de", "pt"),
        default_language="en",
        timezone="America/Los_Angeles",
        root=Path("/site"),
        categories=(
            Category("Technology"),
            Category("Business", "Management"),
            Category("Business", "Marketing"),
        ),
        explicit=False,
        type="episodic",
        copyright="© Embracing Digital Transformation",
        link="https://show.example.org/",
        language_tags={"pt": "pt-BR"},
        locked=True,
        apple_verify="verify-token-123",
    )
    return replace(show, **changes)


def make_episode(number: int | None, date: datetime, **changes: Any) -> Episode:
    permalink = f"episode-EDT{number}-en"
    episode = Episode(
        path=Path(f"/site/episodes/edt-{number}/en/episode.md"),
        source=f"episodes/edt-{number}/en/episode.md",
        show="edt",
        lang="en",
        number=number,
        title=f"Episode {number}",
        permalink=permalink,
        url=f"https://www.example.org/{permalink}",
        date=date,
        summary=f"Summary of {number}.",
        description=f"Description of {number}.",
        notes_html=f"<p>Notes of {number}.</p>",
    )
    return replace(episode, **changes)


def make_media(number: int | None, **changes: Any) -> Media:
    media = Media(
        url=f"https://media.transistor.fm/a{number}/b{number}.mp3",
        length=10_000_000 + (number or 0),
        type="audio/mpeg",
        duration=1800,
    )
    return replace(media, **changes)


def three_items() -> list[FeedItem]:
    """Three episodes given oldest, newest, middle: the feed must reorder them."""
    e188 = make_episode(
        188, datetime(2024, 2, 29, 12, 30, tzinfo=UTC), image="https://x.org/188.jpg"
    )
    e190 = make_episode(190, datetime(2024, 3, 14, tzinfo=PST), tags=("ai", "AI", "cloud"))
    e189 = make_episode(
        189,
        datetime(2024, 3, 7, tzinfo=PST),
        guests=(HOST, "Jane Doe"),
        youtube_id="ImbRcqDHYV0",
    )
    m189 = make_media(
        189,
        guid=HOST_GUID,
        duration=2712,
        transcripts=(
            Transcript(
                "https://share.example/s/a189/transcription.vtt", "text/vtt", "en", "captions"
            ),
            Transcript("https://share.example/s/a189/transcript.txt", "text/plain"),
        ),
    )
    return [
        FeedItem(e188, make_media(188, duration=None)),
        FeedItem(e190, make_media(190, duration=3725)),
        FeedItem(e189, m189),
    ]


def render(items: list[FeedItem] | None = None, lang: str = "en", **show_changes: Any) -> bytes:
    return render_feed(
        make_show(**show_changes),
        lang,
        three_items() if items is None else items,
        siblings=("en", "de", "pt"),
    )


def xml(feed: bytes) -> Any:
    return etree.fromstring(feed)


def items_of(feed: bytes) -> list[Any]:
    return list(xml(feed).iterfind("channel/item"))


def only(root: Any, path: str) -> Any:
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]


# --- read back by independent parsers -------------------------------------------------------


def test_feedparser_reads_three_items_newest_first_without_complaint() -> None:
    parsed = feedparser.parse(render())

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.language == "en"
    assert parsed.feed.title == "Embracing Digital Transformation"
    assert [e.title for e in parsed.entries] == ["Episode 190", "Episode 189", "Episode 188"]
    assert [e.link for e in parsed.entries] == [
        "https://www.example.org/episode-EDT190-en",
        "https://www.example.org/episode-EDT189-en",
        "https://www.example.org/episode-EDT188-en",
    ]
    assert [e.id for e in parsed.entries] == [
        episode_guid(make_episode(190, datetime(2024, 3, 14, tzinfo=UTC))),
        HOST_GUID,
        episode_guid(make_episode(188, datetime(2024, 2, 29, tzinfo=UTC))),
    ]
    assert [e.published_parsed[:6] for e in parsed.entries] == [
        (2024, 3, 14, 8, 0, 0),
        (2024, 3, 7, 8, 0, 0),
        (2024, 2, 29, 12, 30, 0),
    ]
    first = parsed.entries[0]
    assert first.enclosures[0].href == "https://media.transistor.fm/a190/b190.mp3"
    assert first.enclosures[0].length == "10000190"
    assert first.enclosures[0].type == "audio/mpeg"
    assert first.itunes_duration == "3725"
    assert first.itunes_episode == "190"
    assert first.itunes_episodetype == "full"
    assert [t.term for t in first.tags] == ["ai", "cloud"]


def test_podcastparser_reads_enclosures_durations_guids_and_channel() -> None:
    # podcastparser 0.6.11 maps podcast:* tags only under the old GitHub namespace URI, not the
    # canonical https://podcastindex.org/namespace/1.0 we declare: those are checked by XPath below.
    parsed = podcastparser.parse("https://www.example.org/feeds/edt/en.xml", io.BytesIO(render()))

    assert parsed["title"] == "Embracing Digital Transformation"
    assert parsed["language"] == "en"
    assert parsed["itunes_author"] == HOST
    assert parsed["itunes_owner"] == {"name": HOST, "email": "podcast@example.org"}
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"
    assert parsed["cover_url"] == "https://www.example.org/full-logo.png"
    assert parsed["itunes_categories"] == [["Technology"], ["Business", "Management", "Marketing"]]
    by_number = {e["number"]: e for e in parsed["episodes"]}
    assert sorted(by_number) == [188, 189, 190]
    assert by_number[189]["guid"] == HOST_GUID
    assert by_number[189]["total_time"] == 2712
    assert by_number[190]["total_time"] == 3725
    assert by_number[188]["total_time"] == 0  # unknown: no itunes:duration written
    assert by_number[189]["enclosures"] == [
        {
            "url": "https://media.transistor.fm/a189/b189.mp3",
            "file_size": 10_000_189,
            "mime_type": "audio/mpeg",
        }
    ]
    assert by_number[189]["published"] == int(datetime(2024, 3, 7, 8, tzinfo=UTC).timestamp())
    assert by_number[188]["episode_art_url"] == "https://x.org/188.jpg"
    assert by_number[189]["explicit"] is False


# --- channel ----------------------------------------------------------------------------------


def test_channel_carries_the_rss_basics_for_its_language() -> None:
    channel = only(xml(render()), "/rss/channel")

    assert only(channel, "title/text()") == "Embracing Digital Transformation"
    assert only(channel, "link/text()") == "https://show.example.org/"
    assert only(channel, "description/text()") == "Signal in the noise."
    assert only(channel, "language/text()") == "en"
    assert only(channel, "copyright/text()") == "© Embracing Digital Transformation"
    assert only(channel, "generator/text()") == f"podfeed {__version__}"


def test_channel_link_falls_back_to_the_site_url() -> None:
    assert only(xml(render(link=None)), "/rss/channel/link/text()") == "https://www.example.org/"


def test_german_feed_uses_german_texts_and_links_its_siblings() -> None:
    channel = only(xml(render(lang="de")), "/rss/channel")

    assert only(channel, "title/text()") == "Digitale Transformation"
    assert only(channel, "language/text()") == "de"
    self_link = only(channel, "atom:link[@rel='self']")
    assert self_link.attrib == {
        "href": "https://www.example.org/feeds/edt/de.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    alternates = channel.xpath("atom:link[@rel='alternate']", namespaces=NS)
    assert [(a.get("hreflang"), a.get("href"), a.get("type")) for a in alternates] == [
        ("en", "https://www.example.org/feeds/edt/en.xml", "application/rss+xml"),
        ("pt-BR", "https://www.example.org/feeds/edt/pt.xml", "application/rss+xml"),
    ]


def test_siblings_skip_the_feed_itself_and_repeats() -> None:
    feed = render_feed(make_show(), "en", [], siblings=("de", "en", "de"))

    links = xml(feed).xpath("/rss/channel/atom:link[@rel='alternate']/@hreflang", namespaces=NS)
    assert links == ["de"]


def test_a_region_tag_is_the_language_of_its_feed() -> None:
    assert only(xml(render(lang="pt")), "/rss/channel/language/text()") == "pt-BR"


def test_itunes_channel_tags() -> None:
    channel = only(xml(render()), "/rss/channel")

    assert only(channel, "itunes:author/text()") == HOST
    assert only(channel, "itunes:owner/itunes:name/text()") == HOST
    assert only(channel, "itunes:owner/itunes:email/text()") == "podcast@example.org"
    assert only(channel, "itunes:image/@href") == "https://www.example.org/full-logo.png"
    assert only(channel, "itunes:explicit/text()") == "false"
    assert only(channel, "itunes:type/text()") == "episodic"


def test_itunes_categories_nest_subcategories_in_configured_order() -> None:
    channel = only(xml(render()), "/rss/channel")

    top = channel.xpath("itunes:category", namespaces=NS)
    assert [c.get("text") for c in top] == ["Technology", "Business"]
    assert top[0].xpath("itunes:category", namespaces=NS) == []
    subs = top[1].xpath("itunes:category/@text", namespaces=NS)
    assert subs == ["Management", "Marketing"]


def test_explicit_show_says_true_in_the_channel_and_every_item() -> None:
    root = xml(render(explicit=True))

    assert root.xpath("//itunes:explicit/text()", namespaces=NS) == ["true"] * 4


def test_artwork_with_jpeg_extension_and_query_is_accepted_for_the_show() -> None:
    image = "https://cdn.example.org/Cover.JPEG?v=2"

    assert only(xml(render(image=image)), "/rss/channel/itunes:image/@href") == image


@pytest.mark.parametrize(
    ("feed_url", "expected"),
    [
        # Podcasting 2.0 namespace, docs/tags/guid.md, "Examples"
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("https://podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        # scheme and trailing slashes are not part of the seed
        ("http://podnews.net/rss//", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
    ],
)
def test_podcast_guid_matches_the_namespace_documentation(feed_url: str, expected: str) -> None:
    assert podcast_guid(feed_url) == expected


def test_channel_podcast_guid_is_derived_from_its_own_feed_url() -> None:
    guid_en = only(xml(render(lang="en")), "/rss/channel/podcast:guid/text()")
    guid_de = only(xml(render(lang="de")), "/rss/channel/podcast:guid/text()")

    assert guid_en == podcast_guid("https://www.example.org/feeds/edt/en.xml")
    assert guid_de == podcast_guid("https://www.example.org/feeds/edt/de.xml")
    assert guid_en != guid_de


def test_locked_names_the_owner_and_apple_verification_is_a_txt_tag() -> None:
    channel = only(xml(render()), "/rss/channel")

    locked = only(channel, "podcast:locked")
    assert (locked.text, locked.attrib) == ("yes", {"owner": "podcast@example.org"})
    txt = only(channel, "podcast:txt")
    assert (txt.text, txt.attrib) == ("verify-token-123", {"purpose": "applepodcastsverify"})
    assert only(xml(render(locked=False)), "/rss/channel/podcast:locked/text()") == "no"


def test_unset_locked_and_verification_write_nothing() -> None:
    channel = only(xml(render(locked=None, apple_verify=None)), "/rss/channel")

    assert channel.xpath("podcast:locked | podcast:txt", namespaces=NS) == []


def test_namespaces_are_declared_once_on_the_root() -> None:
    feed = render()
    root = xml(feed)

    assert {k: root.nsmap[k] for k in NS} == NS
    for element in root.iter():
        if element is not root:
            assert element.nsmap == root.nsmap  # inherited, nothing redeclared
    assert feed.count(b"xmlns:podcast=") == 1


# --- items ------------------------------------------------------------------------------------


def test_items_carry_title_link_guid_dates_enclosure_and_itunes_tags() -> None:
    newest, middle, oldest = items_of(render())

    assert only(newest, "title/text()") == "Episode 190"
    assert only(newest, "itunes:title/text()") == "Episode 190"
    assert only(newest, "pubDate/text()") == "Thu, 14 Mar 2024 08:00:00 +0000"
    assert only(newest, "enclosure").attrib == {
        "url": "https://media.transistor.fm/a190/b190.mp3",
        "length": "10000190",
        "type": "audio/mpeg",
    }
    assert only(newest, "itunes:duration/text()") == "3725"
    assert only(newest, "itunes:episode/text()") == "190"
    assert only(newest, "itunes:episodeType/text()") == "full"
    assert only(newest, "itunes:explicit/text()") == "false"
    assert only(newest, "podcast:episode/text()") == "190"
    assert only(middle, "guid/text()") == HOST_GUID
    assert only(middle, "guid/@isPermaLink") == "false"
    assert only(oldest, "pubDate/text()") == "Thu, 29 Feb 2024 12:30:00 +0000"
    assert oldest.xpath("itunes:duration", namespaces=NS) == []


def test_description_is_the_plain_summary_and_notes_go_to_content_encoded() -> None:
    newest = items_of(render())[0]

    assert only(newest, "description/text()") == "Summary of 190."
    assert only(newest, "content:encoded/text()") == "<p>Notes of 190.</p>"


def test_description_falls_back_to_front_matter_description_never_to_html() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), summary="  ")

    item = items_of(render([FeedItem(episode, make_media(1))]))[0]

    assert only(item, "description/text()") == "Description of 1."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"summary": "", "description": ""}, "Episode 1"),
        ({"summary": "\x00", "description": "  ", "title": " \x1f "}, "episode-EDT1-en"),
        ({"summary": "", "description": "", "title": "", "permalink": " /e/1/ "}, "/e/1/"),
    ],
    ids=["title", "permalink", "permalink-as-written"],
)
def test_description_falls_back_to_the_title_then_the_permalink_never_empty(
    changes: dict[str, str], expected: str
) -> None:
    """An item's description is never empty, and never the HTML notes while there is any text:
    summary, else front-matter description, else title, else the permalink as written."""
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), **changes)

    data = render([FeedItem(episode, make_media(1))])

    item = items_of(data)[0]
    assert only(item, "description/text()") == expected
    assert only(item, "content:encoded/text()") == "<p>Notes of 1.</p>"
    (entry,) = feedparser.parse(data).entries
    assert entry.summary == expected


def test_a_video_adds_a_watch_link_to_the_notes_and_a_content_link() -> None:
    middle = items_of(render())[1]

    notes = etree.fromstring(f"<div>{only(middle, 'content:encoded/text()')}</div>")
    assert notes.xpath("//a[text()='Watch on YouTube']/@href") == [
        "https://www.youtube.com/watch?v=ImbRcqDHYV0"
    ]
    link = only(middle, "podcast:contentLink")
    assert (link.get("href"), link.text) == (
        "https://www.youtube.com/watch?v=ImbRcqDHYV0",
        "YouTube",
    )


def test_the_watch_link_speaks_the_language_of_the_feed() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), lang="de", youtube_id="ImbRcqDHYV0")

    item = items_of(render([FeedItem(episode, make_media(1))], lang="de"))[0]

    assert "Auf YouTube ansehen</a>" in only(item, "content:encoded/text()")


def test_the_watch_link_is_english_in_a_language_without_its_own_label() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), lang="ja", youtube_id="a-b_c")

    item = items_of(render([FeedItem(episode, make_media(1))], lang="ja"))[0]

    assert only(item, "content:encoded/text()") == (
        '<p>Notes of 1.</p>\n<p><a href="https://www.youtube.com/watch?v=a-b_c">'
        "Watch on YouTube</a></p>"
    )


def test_without_video_there_is_no_content_link_and_no_watch_paragraph() -> None:
    newest = items_of(render())[0]

    assert newest.xpath("podcast:contentLink", namespaces=NS) == []
    assert "YouTube" not in only(newest, "content:encoded/text()")


def test_only_the_video_link_when_there_are_no_notes() -> None:
    episode = make_episode(
        1, datetime(2024, 1, 1, tzinfo=UTC), notes_html="", youtube_id="ImbRcqDHYV0"
    )
    bare = make_episode(2, datetime(2024, 1, 2, tzinfo=UTC), notes_html="")

    with_video, without = reversed(
        items_of(render([FeedItem(episode, make_media(1)), FeedItem(bare, make_media(2))]))
    )

    assert only(with_video, "content:encoded/text()").startswith("<p><a href=")
    assert without.xpath("content:encoded", namespaces=NS) == []
    assert only(without, "description/text()") == "Summary of 2."


def test_guests_become_persons_and_the_show_author_is_the_host() -> None:
    middle = items_of(render())[1]

    persons = middle.xpath("podcast:person", namespaces=NS)
    assert [(p.text, p.get("role")) for p in persons] == [(HOST, "host"), ("Jane Doe", "guest")]


def test_transcripts_keep_type_language_and_rel() -> None:
    middle = items_of(render())[1]

    transcripts = middle.xpath("podcast:transcript", namespaces=NS)
    assert [t.attrib for t in transcripts] == [
        {
            "url": "https://share.example/s/a189/transcription.vtt",
            "type": "text/vtt",
            "language": "en",
            "rel": "captions",
        },
        {"url": "https://share.example/s/a189/transcript.txt", "type": "text/plain"},
    ]


def test_tags_become_categories_once_each_in_written_order() -> None:
    newest = items_of(render())[0]

    assert newest.xpath("category/text()") == ["ai", "cloud"]


def test_each_item_keeps_its_own_tags_when_items_share_them() -> None:
    """Tags are cleaned once per feed, but each item is deduplicated on its own."""
    day = datetime(2024, 1, 1, tzinfo=UTC)
    newer = make_episode(2, day + timedelta(days=1), tags=("AI", " cloud\x00 ", "ai"))
    older = make_episode(1, day, tags=("ai", "AI", "edge"), guests=("Jane  Doe", HOST))
    items = [FeedItem(newer, make_media(2)), FeedItem(older, make_media(1))]

    first, second = items_of(render(items))

    assert first.xpath("category/text()") == ["AI", "cloud"]
    assert second.xpath("category/text()") == ["ai", "edge"]
    assert second.xpath("podcast:person/@role", namespaces=NS) == ["guest", "host"]


@pytest.mark.parametrize(
    ("image", "written"),
    [
        ("https://x.org/188.jpg", True),
        ("https://x.org/art/Thumb.JPEG?w=1400", True),
        ("https://x.org/thumb.png", True),
        ("https://x.org/thumb.gif", False),
        ("thumbnail.png", False),  # relative: not resolvable by an app
        ("data:image/png;base64,AAAA", False),
        (None, False),
    ],
)
def test_item_artwork_only_for_absolute_jpeg_or_png_urls(image: str | None, written: bool) -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), image=image)

    item = items_of(render([FeedItem(episode, make_media(1))]))[0]

    assert item.xpath("itunes:image/@href", namespaces=NS) == ([image] if written else [])


def test_an_episode_without_number_has_no_episode_tags() -> None:
    episode = make_episode(None, datetime(2024, 1, 1, tzinfo=UTC), permalink="special")

    item = items_of(render([FeedItem(episode, make_media(None))]))[0]

    assert item.xpath("itunes:episode | podcast:episode", namespaces=NS) == []


# --- order ------------------------------------------------------------------------------------


def test_same_date_orders_by_higher_number_then_permalink() -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    items = [
        FeedItem(make_episode(None, day, permalink="b-special"), make_media(None)),
        FeedItem(make_episode(7, day), make_media(7)),
        FeedItem(make_episode(None, day, permalink="a-special"), make_media(None)),
        FeedItem(make_episode(8, day), make_media(8)),
    ]

    links = [only(i, "link/text()") for i in items_of(render(items))]

    assert links == [
        "https://www.example.org/episode-EDT8-en",
        "https://www.example.org/episode-EDT7-en",
        "https://www.example.org/episode-EDTNone-en",
        "https://www.example.org/episode-EDTNone-en",
    ]
    guids = [only(i, "guid/text()") for i in items_of(render(items))[2:]]
    assert guids == [
        episode_guid(make_episode(None, day, permalink="a-special")),
        episode_guid(make_episode(None, day, permalink="b-special")),
    ]


def test_dates_compare_as_instants_across_offsets() -> None:
    # 23:00 in Los Angeles is after 06:00 UTC the next day.
    late_pst = make_episode(1, datetime(2024, 1, 1, 23, tzinfo=PST))
    early_utc = make_episode(2, datetime(2024, 1, 2, 6, tzinfo=UTC))

    feed = render([FeedItem(early_utc, make_media(2)), FeedItem(late_pst, make_media(1))])

    assert [only(i, "title/text()") for i in items_of(feed)] == ["Episode 1", "Episode 2"]
    assert only(xml(feed), "/rss/channel/lastBuildDate/text()") == "Tue, 02 Jan 2024 07:00:00 +0000"


# --- guids ------------------------------------------------------------------------------------


def test_episode_guid_depends_on_the_permalink_only() -> None:
    original = make_episode(189, datetime(2024, 3, 7, tzinfo=PST))
    moved_and_edited = replace(
        original,
        path=Path("/elsewhere/edt-189.md"),
        source="elsewhere/edt-189.md",
        title="Fixed a typo",
        summary="New summary",
        notes_html="<p>rewritten</p>",
        date=datetime(2024, 3, 7, 8, tzinfo=UTC),
        url="https://new-domain.example/episode-EDT189-en",
    )

    assert episode_guid(moved_and_edited) == episode_guid(original)
    assert episode_guid(replace(original, permalink="/episode-EDT189-en/")) == episode_guid(
        original
    )
    assert episode_guid(replace(original, permalink="episode-EDT189-de")) != episode_guid(original)
    assert uuid.UUID(episode_guid(original)).version == 5


def test_episode_guid_is_frozen_across_releases() -> None:
    # A changed value would make every app show every episode twice: this pins the namespace.
    episode = make_episode(189, datetime(2024, 3, 7, tzinfo=PST))

    assert episode_guid(episode) == str(
        uuid.uuid5(uuid.UUID("4487776d-9677-5cf0-acb4-14be7fd681bf"), "episode-EDT189-en")
    )


def test_a_blank_host_guid_falls_back_to_the_permalink_guid() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC))

    item = items_of(render([FeedItem(episode, make_media(1, guid="  "))]))[0]

    assert only(item, "guid/text()") == episode_guid(episode)


def test_an_episode_with_neither_guid_nor_permalink_fails_the_build_by_name() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), permalink="")

    with pytest.raises(BuildError, match=r"'en' feed of show 'edt'.*permalink"):
        render([FeedItem(episode, make_media(1))])


def test_a_show_without_title_fails_the_build_instead_of_writing_bad_rss() -> None:
    with pytest.raises(BuildError, match="title"):
        render([], title={"en": "\x00"}, description={"en": "D"})


def test_episode_without_permalink_has_no_guid() -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), permalink=" / ")

    with pytest.raises(ValueError, match="permalink"):
        episode_guid(episode)


# --- determinism ------------------------------------------------------------------------------


def test_same_inputs_give_identical_bytes_whatever_the_input_order() -> None:
    items = three_items()

    assert render(items) == render(items)
    assert render(items) == render(list(reversed(items)))


def test_last_build_date_is_the_newest_item_date() -> None:
    root = xml(render())

    newest_pubdate = root.xpath("/rss/channel/item[1]/pubDate/text()")[0]
    assert only(root, "/rss/channel/lastBuildDate/text()") == newest_pubdate
    assert newest_pubdate == max(root.xpath("/rss/channel/item/pubDate/text()"), key=_parse_date)


def _parse_date(text: str) -> datetime:
    return datetime.strptime(text, "%a, %d %b %Y %H:%M:%S %z")


class _FrozenClock(datetime):
    """feedgen's clock, stopped at a date no input uses: it must not reach the output."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_no_wall_clock_time_reaches_the_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feedgen.feed, "datetime", _FrozenClock)

    for feed in (render(), render([])):
        assert b"1999" not in feed
        assert b"Dec" not in feed


def test_a_feed_without_items_is_valid_rss_without_last_build_date() -> None:
    feed = render([])
    parsed = feedparser.parse(feed)
    root = xml(feed)

    assert not parsed.bozo
    assert parsed.entries == []
    assert root.xpath("/rss/channel/item | /rss/channel/lastBuildDate") == []
    assert only(root, "/rss/channel/title/text()") == "Embracing Digital Transformation"
    assert only(root, "/rss/channel/podcast:guid/text()") == podcast_guid(
        "https://www.example.org/feeds/edt/en.xml"
    )


# --- hostile text -----------------------------------------------------------------------------


def test_hostile_text_still_gives_well_formed_xml() -> None:
    episode = make_episode(
        1,
        datetime(2024, 1, 1, tzinfo=UTC),
        title="<script>alert(1)</script>\x00 Bell\x07 & co",
        summary="Bad\x1b[31m escape \ufffe\x0b",
        notes_html="<p>end of CDATA ]]> here\x0c</p>",
        tags=("ok\x01", "\x02\x03", "  OK "),
        guests=("Eve\x02",),
    )
    show = make_show(title={"en": "Show\x08"}, description={"en": "D\x00"})

    feed = render_feed(show, "en", [FeedItem(episode, make_media(1))])
    root = xml(feed)
    item = only(root, "/rss/channel/item")

    assert not feedparser.parse(feed).bozo
    assert root.xpath("//script") == []
    assert only(item, "title/text()") == "<script>alert(1)</script> Bell & co"
    assert only(item, "description/text()") == "Bad[31m escape"
    assert only(item, "content:encoded/text()") == "<p>end of CDATA ]]> here</p>"
    assert only(item, "category/text()") == "ok"
    assert only(item, "podcast:person/text()") == "Eve"
    assert only(root, "/rss/channel/title/text()") == "Show"


@given(st.text().filter(lambda text: strip_xml_invalid(text) != ""))
def test_any_title_is_written_as_its_xml_safe_self(title: str) -> None:
    episode = make_episode(1, datetime(2024, 1, 1, tzinfo=UTC), title=title)

    item = items_of(render([FeedItem(episode, make_media(1))]))[0]

    assert (only(item, "title").text or "") == strip_xml_invalid(title)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    datetime(2024, 1, 1, tzinfo=UTC),
                    datetime(2023, 12, 31, 16, tzinfo=PST),  # the same instant
                    datetime(2024, 1, 1, 1, tzinfo=PST),
                ]
            ),
            st.sampled_from([None, 1, 2]),
            st.sampled_from(["a", "b", "c"]),
        ),
        max_size=8,
    )
)
def test_items_are_ordered_newest_first_then_higher_number_then_permalink(
    keys: list[tuple[datetime, int | None, str]],
) -> None:
    """The feed's order is total: equal dates go by number (none last), then by permalink."""
    from podfeed.feed import newest_first

    items = [
        FeedItem(make_episode(number, date, permalink=permalink), make_media(number))
        for date, number, permalink in keys
    ]
    ordered = [(i.episode.date, i.episode.number, i.episode.permalink) for i in newest_first(items)]
    expected = sorted(keys, key=lambda k: k[2])
    expected.sort(key=lambda k: (k[0], -1 if k[1] is None else k[1]), reverse=True)
    assert ordered == expected
