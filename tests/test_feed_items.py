"""Items are written as text, byte for byte as feedgen's entries wrote them.

podfeed used to fill a feedgen ``FeedEntry`` per episode (feedgen's setters, its podcast
extension and podfeed's own entry extension) and let ``rss_str`` write it. That path is kept
here as the reference: for any episode and media, the feed podfeed renders now must be exactly
the bytes the reference renders, or both must refuse the input.

The reference computes what goes into an item from the episode's and the media's fields itself
(the rules in DESIGN.md §4 and the README), not with podfeed's helpers: the description falls
back from the summary to the front-matter description, the title, then the permalink; the notes
end with a link to the video in the feed's language; the guid is the host's or a UUIDv5 of the
permalink; tags and guests are cleaned and de-duplicated without regard to case. A change to any
of those rules in podfeed fails the comparison, not only a change of serialisation.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import pytest
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from podfeed.feed.extension import ITUNES_NS, PODCAST_NS, PodfeedExtension
from podfeed.feed.items import FeedItem, Person, _rfc2822_utc
from podfeed.feed.rss import _fill_channel, newest_first, render_feed, render_parts
from podfeed.model import Episode, Media, Transcript
from podfeed.problems import BuildError
from podfeed.site import strip_xml_invalid
from tests.test_feed import HOST, make_show

# --- The reference: podfeed's item path through feedgen, as it was. --------------------------


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = lxml.etree.SubElement(
        parent, tag, {k: strip_xml_invalid(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = strip_xml_invalid(text)
    return element


@dataclass(frozen=True)
class ContentLink:
    """A ``podcast:contentLink``, as podfeed's former entry extension took it."""

    href: str
    text: str


@dataclass(frozen=True)
class ItemExtras:
    """What podfeed's former entry extension wrote into one ``<item>``."""

    explicit: bool
    image: str | None = None
    episode: int | None = None
    persons: tuple[Person, ...] = ()
    transcripts: tuple[Transcript, ...] = ()
    content_links: tuple[ContentLink, ...] = ()


class ReferenceEntryExtension(BaseEntryExtension):
    """podfeed's former ``PodfeedEntryExtension``: the podcast: tags after feedgen's own."""

    def __init__(self) -> None:
        self.extras: ItemExtras | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, entry: Any) -> Any:
        extras = self.extras
        assert extras is not None
        if extras.image:
            _sub(entry, f"{{{ITUNES_NS}}}image", href=extras.image)
        _sub(entry, f"{{{ITUNES_NS}}}explicit", "true" if extras.explicit else "false")
        if extras.episode is not None:
            _sub(entry, f"{{{PODCAST_NS}}}episode", str(extras.episode))
        for person in extras.persons:
            _sub(entry, f"{{{PODCAST_NS}}}person", person.name, role=person.role)
        for transcript in extras.transcripts:
            attrs = {"url": transcript.url, "type": transcript.type}
            if transcript.language:
                attrs["language"] = transcript.language
            if transcript.rel:
                attrs["rel"] = transcript.rel
            _sub(entry, f"{{{PODCAST_NS}}}transcript", **attrs)
        for link in extras.content_links:
            _sub(entry, f"{{{PODCAST_NS}}}contentLink", link.text, href=link.href)
        return entry


# podfeed's namespace for episode guids, as its docstring derives it.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://podfeed.invalid/episode-guid")

# The notes' link to the video, in the feed's language; English for any other language.
WATCH_ON_YOUTUBE = {
    "en": "Watch on YouTube",
    "de": "Auf YouTube ansehen",
    "es": "Ver en YouTube",
    "fr": "Regarder sur YouTube",
    "it": "Guarda su YouTube",
    "pt": "Assista no YouTube",
}


def clean(text: str) -> str:
    return strip_xml_invalid(text).strip()


def expected_description(episode: Episode) -> str:
    """The first of summary, description, title and permalink with any text left once cleaned."""
    texts = (episode.summary, episode.description, episode.title, episode.permalink)
    return next((clean(text) for text in texts if clean(text)), "")


def youtube_url(episode: Episode) -> str | None:
    if episode.youtube_id is None:
        return None
    return f"https://www.youtube.com/watch?v={episode.youtube_id}"


def expected_notes(episode: Episode, lang: str) -> str:
    """The show notes, then a paragraph linking to the video (when there is one)."""
    parts = [episode.notes_html.strip()] if episode.notes_html.strip() else []
    video = youtube_url(episode)
    if video:
        label = WATCH_ON_YOUTUBE.get(lang.split("-")[0].lower(), WATCH_ON_YOUTUBE["en"])
        parts.append(f'<p><a href="{html.escape(video)}">{html.escape(label)}</a></p>')
    return "\n".join(parts)


def expected_guid(item: FeedItem) -> str:
    """The host's guid, else a UUIDv5 of the permalink without surrounding slashes."""
    published = clean(item.media.guid or "")
    if published:
        return published
    permalink = item.episode.permalink.strip().strip("/")
    if not permalink:
        raise ValueError("an episode without a permalink has no stable guid")
    return str(uuid.uuid5(GUID_NAMESPACE, permalink))


def unique_words(texts: Iterable[str]) -> list[str]:
    """Each text once (the first spelling), whitespace collapsed, empty ones left out."""
    seen: dict[str, str] = {}
    for raw in texts:
        text = " ".join(strip_xml_invalid(raw).split())
        if text:
            seen.setdefault(text.casefold(), text)
    return list(seen.values())


def expected_persons(guests: Iterable[str], host: str) -> tuple[Person, ...]:
    host_key = " ".join(host.split()).casefold()
    return tuple(
        Person(name=name, role="host" if name.casefold() == host_key else "guest")
        for name in unique_words(guests)
    )


def is_artwork(url: str | None) -> bool:
    """Apple takes JPEG and PNG artwork from an absolute http(s) URL."""
    if not url:
        return False
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and parts.path.lower().endswith((".jpg", ".jpeg", ".png"))
    )


def _reference_fill_item(fe: Any, show: Any, lang: str, item: FeedItem) -> None:
    episode, media = item.episode, item.media
    title = strip_xml_invalid(episode.title)
    fe.title(title)
    fe.link(href=strip_xml_invalid(episode.url))
    fe.guid(expected_guid(item), permalink=False)
    fe.pubDate(episode.date.astimezone(UTC))
    fe.description(expected_description(episode))
    notes = expected_notes(episode, lang)
    if notes:
        fe.content(strip_xml_invalid(notes))
    tags = unique_words(episode.tags)
    if tags:
        fe.category([{"term": tag} for tag in tags])
    fe.enclosure(strip_xml_invalid(media.url), str(media.length), strip_xml_invalid(media.type))
    itunes = fe.podcast
    itunes.itunes_title(title)
    if media.duration:
        itunes.itunes_duration(str(media.duration))
    if episode.number is not None and episode.number > 0:
        itunes.itunes_episode(episode.number)
    itunes.itunes_episode_type("full")
    video = youtube_url(episode)
    fe.podfeed.extras = ItemExtras(
        explicit=show.explicit,
        image=episode.image if is_artwork(episode.image) else None,
        episode=episode.number,
        persons=expected_persons(episode.guests, show.author),
        transcripts=media.transcripts,
        content_links=(ContentLink(href=video, text="YouTube"),) if video else (),
    )


def reference_render(show: Any, lang: str, items: Sequence[FeedItem]) -> bytes:
    """``render_feed`` as it was: every item through a feedgen ``FeedEntry``."""
    ordered = newest_first(items)
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podfeed", PodfeedExtension, ReferenceEntryExtension, atom=False)
    try:
        _fill_channel(fg, show, lang, ordered, ())
        for item in ordered:
            _reference_fill_item(fg.add_entry(order="append"), show, lang, item)
        return bytes(fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True))
    except ValueError as exc:
        raise BuildError(str(exc)) from exc


# --- Random episodes and media. ---------------------------------------------------------------

# Text with what XML forbids (controls, U+FFFE, lone surrogates), markup, CDATA ends and
# entities mixed into ordinary letters, and what libxml2 escapes in text or in attributes only
# (carriage returns; line feeds, tabs and quotes in attributes).
_AWKWARD = [
    "\x00", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800", "]]>", "<b>", "&amp;", "&", '"', "'",
    ">", "\r", "\r\n", "\n", "\t", "\u2028", "\U0001f399",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.text(max_size=12), st.sampled_from(_AWKWARD), st.just(" ")), max_size=6
).map("".join)
words = st.sampled_from(["ai", "AI", "Ai", " cloud ", "Cloud", "", "  ", "edge\x00", "éé", "ÉÉ"])
urls = st.one_of(
    st.just(""),
    st.sampled_from(["https://x.org/a.jpg", "https://x.org/b.PNG?s=1", "http://x/c.gif"]),
    texts,
)
# Any offset the episode file was written with (the item date is written in UTC).
moments = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)),
    st.integers(-14 * 60, 14 * 60),
)
numbers = st.one_of(st.none(), st.integers(-3, 3), st.integers(-(10**9), 10**9))
transcripts = st.builds(
    Transcript,
    url=urls,
    type=st.sampled_from(["text/vtt", "application/srt", "text/plain\x00"]),
    language=st.one_of(st.none(), st.just(""), st.sampled_from(["en", "de"])),
    rel=st.one_of(st.none(), st.just(""), st.just("captions")),
)


@st.composite
def feed_items(draw: Any, index: int) -> FeedItem:
    # An empty permalink leaves an item without description when the other texts are empty too
    # (such an item needs the host's guid: without it there is no item guid, an error tested
    # below).
    permalink = draw(
        st.sampled_from([f"episode-{index}"] * 6 + [" / ", ""]) | texts.map(f"{{}}-{index}".format)
    )
    episode = Episode(
        path=Path(f"/site/episodes/{index}/episode.md"),
        source=f"episodes/{index}/episode.md",
        show="edt",
        lang="en",
        number=draw(numbers),
        title=draw(texts),
        permalink=permalink,
        url=draw(urls),
        date=draw(moments),
        summary=draw(texts),
        description=draw(texts),
        notes_html=draw(texts),
        tags=tuple(draw(st.lists(words, max_size=6))),
        guests=tuple(draw(st.lists(st.one_of(words, st.just(HOST), st.just(HOST.upper()))))),
        image=draw(st.one_of(st.none(), urls)),
        youtube_id=draw(st.one_of(st.none(), st.sampled_from(["ImbRcqDHYV0", "a&b<c>"]))),
    )
    media = Media(
        url=draw(urls),
        length=draw(st.integers(0, 10**10)),
        type=draw(st.sampled_from(["audio/mpeg", "audio/x-m4a", "video/mp4", "", "audio/\x01mp3"])),
        duration=draw(st.sampled_from([None, 0, 1, 59, 3600, 86399, 10**6] * 3 + [-1])),
        guid=draw(
            texts.map("g{}".format)
            if not permalink.strip(" /")
            else st.one_of(st.none(), st.just(""), texts)
        ),
        transcripts=tuple(draw(st.lists(transcripts, max_size=2))),
    )
    return FeedItem(episode, media)


@st.composite
def feeds(draw: Any) -> list[FeedItem]:
    count = draw(st.integers(1, 4))
    return [draw(feed_items(index)) for index in range(count)]


def _outcome(render: Any) -> bytes | type[BaseException]:
    """The bytes rendered, or the kind of error raised instead."""
    try:
        return bytes(render())
    except BuildError:
        return BuildError


# --- The properties. --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=feeds(), explicit=st.booleans(), lang=st.sampled_from(["en", "de", "pt"]))
def test_items_are_the_bytes_feedgen_wrote(
    items: list[FeedItem], explicit: bool, lang: str
) -> None:
    show = make_show(explicit=explicit)
    expected = _outcome(lambda: reference_render(show, lang, items))
    assert _outcome(lambda: render_feed(show, lang, items)) == expected


def test_the_reference_renders_a_plain_feed() -> None:
    """The reference is not vacuous: on ordinary input it renders, as podfeed does."""
    item = FeedItem(
        Episode(
            path=Path("/e.md"), source="e.md", show="edt", lang="en", number=7, title="T",
            permalink="t", url="https://x.org/t", date=datetime(2024, 1, 2, tzinfo=UTC),
            summary="S", description="D", notes_html="<p>N ]]> &amp;</p>", tags=("a", "A"),
        ),
        Media(url="https://m.org/t.mp3", length=5, type="audio/mpeg", duration=61),
    )  # fmt: skip
    data = reference_render(make_show(), "en", [item])
    assert b"<category>a</category>" in data
    assert b"<content:encoded>&lt;p&gt;N ]]&gt; &amp;amp;&lt;/p&gt;</content:encoded>" in data
    assert render_feed(make_show(), "en", [item]) == data


@pytest.mark.parametrize(
    ("changes", "media_changes"),
    [
        # A negative duration: feedgen's itunes_duration() refused it; so does podfeed.
        ({}, {"duration": -1}),
        # No title, description, notes or video, but a host guid: feedgen's rss_entry refused it.
        ({"title": "\x00", "summary": "", "description": "", "permalink": ""}, {"guid": "g"}),
        # No permalink and no host guid: no stable guid.
        ({"permalink": " / "}, {}),
    ],
)
def test_what_feedgen_refused_is_still_refused(
    changes: dict[str, Any], media_changes: dict[str, Any]
) -> None:
    episode = Episode(
        path=Path("/e.md"), source="e.md", show="edt", lang="en", number=1, title="T",
        permalink="t", url="", date=datetime(2024, 1, 2, tzinfo=UTC), summary="S",
        description="", notes_html="",
    )  # fmt: skip
    item = FeedItem(
        replace(episode, **changes),
        replace(Media(url="u", length=1, type="audio/mpeg"), **media_changes),
    )
    with pytest.raises(BuildError):
        reference_render(make_show(), "en", [item])
    with pytest.raises(BuildError):
        render_feed(make_show(), "en", [item])


@given(items=feeds(), data=st.data())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parts_cut_the_new_items_as_before(items: list[FeedItem], data: Any) -> None:
    """render_parts (incremental builds) gives the head, tail and chosen items of the feed."""
    show = make_show()
    try:
        whole = render_feed(show, "en", items)
    except BuildError:
        return
    ordered = newest_first(items)
    only = data.draw(st.lists(st.integers(0, len(ordered) - 1), unique=True).map(sorted))
    parts = render_parts(show, "en", ordered, only)
    everything = render_parts(show, "en", ordered, range(len(ordered)))
    assert everything.head + b"".join(everything.items) + everything.tail == whole
    assert parts.head == everything.head and parts.tail == everything.tail
    assert parts.items == tuple(everything.items[i] for i in only)


@given(
    moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    offset=st.integers(-23 * 60, 23 * 60),
)
@example(moment=datetime(999, 3, 7, 8, 5, 9), offset=0)
def test_pub_date_text_is_feedgens(moment: datetime, offset: int) -> None:
    """The same text as feedgen's locale-switching formatter, years below 1000 included."""
    utc = moment.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)
    assert _rfc2822_utc(utc) == formatRFC2822(utc)
