"""The feed vocabulary as data: where each element may appear, how often, what it holds.

One :class:`Spec` per (parent, element) pair of RSS 2.0, Apple's itunes namespace, the
Podcasting 2.0 namespace, ``atom:link`` and ``content:encoded``: how many times it may appear
in that parent, whether the parent needs it, its value type, its attributes (required ones and
their value types), Apple's length limits, and the document that says so. The generic rules
in :mod:`podfeed.validate.rules.vocabulary` walk a feed against this table (duplicates,
unknown and misplaced elements, missing children and attributes, wrong values), so a new
element or limit is one line here, not a new loop; the W3C Feed Validator and podcastparser
describe feeds the same way (one entry per element with its allowed children and value type).

An entry can also name the rule that judges one aspect of it instead of the generic ones, so
each mistake is reported once, in that rule's words:

- ``value_rule`` with a ``value`` type: the walk judges the first such element by the type and
  reports under that rule (``itunes-duration``, ``podcast-locked``...); ``value_rule`` alone:
  a rule of its own judges the value (a date, a URL, a length in bytes), the walk leaves it;
- ``need``: the parent needs the element, and a dedicated rule says so (``apple-image``,
  ``item-title``...); ``required`` alone: element-missing does;
- an :class:`Attr`'s ``rule`` / ``presence_rule``: the same for an attribute's value and its
  absence (``enclosure-length``, ``podcast-transcript``...).

>>> spec("channel", "ttl").value.name
'a whole number above 0'
>>> [s.name for s in children_of("image") if s.required]
['url', 'title', 'link']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from podfeed.validate.entries import Attr, Need, Spec
from podfeed.validate.rules import sources
from podfeed.validate.values import (
    APPLE_LANGUAGE,
    BOOLEAN,
    BYTES,
    CLOUD_PROTOCOL,
    CONTACT,
    DAY,
    DURATION,
    EMAIL,
    EPISODE_DECIMAL,
    EPISODE_NUMBER,
    EPISODE_TYPE,
    EXPLICIT,
    FORM_NAME,
    HOUR,
    IMAGE_HEIGHT,
    IMAGE_URL,
    IMAGE_WIDTH,
    INTEGER_NONNEGATIVE,
    INTEGER_POSITIVE,
    KEYWORDS,
    LANGUAGE,
    LOCKED,
    MIME_TYPE,
    PORT,
    SEASON,
    SHOW_TYPE,
    UUID,
    YES_NO,
    ValueType,
)
from podfeed.validate.xmltree import ATOM_NS, CONTENT_NS, ITUNES_NS, PODCAST_NS

__all__ = [
    "APPLE_TEXT_LIMIT",
    "BARE_ITUNES",
    "CORE_PARENTS",
    "PARENTS",
    "TABLE",
    "Attr",
    "Need",
    "Spec",
    "children_of",
    "needed_in",
    "parents_of",
    "spec",
]

_I, _P, _A, _C = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}", f"{{{ATOM_NS}}}", f"{{{CONTENT_NS}}}"
# Apple: "Tag values are limited to 255 characters unless otherwise specified above."
APPLE_TEXT_LIMIT = 255
_RSS = sources.RSS


_Entry = tuple[str, dict[str, Any]]


def _specs(parent: str, source: str, *entries: _Entry) -> list[Spec]:
    """The entries of one parent; an entry's own ``source`` overrides the parent's."""
    specs = []
    for tag, options in entries:
        fields = dict(options)
        specs.append(Spec(parent, tag, str(fields.pop("source", source)), **fields))
    return specs


def _e(tag: str, **options: Any) -> _Entry:
    return tag, options


def _i(name: str, **options: Any) -> _Entry:
    """An itunes: element, documented in Apple's guide unless ``source`` says otherwise."""
    return _e(f"{_I}{name}", **{"source": _ITUNES, **options})


def _p(name: str, **options: Any) -> _Entry:
    """A Podcasting 2.0 element, documented in its own page of the namespace's docs."""
    page = re.sub(r"(?<=[a-z])([A-Z])", r"-\1", name).lower()  # liveItem: live-item.md
    return _e(f"{_P}{name}", **{"source": sources.podcast_tag(page), **options})


def _judged(
    name: str, rule: str, missing: str, value: ValueType | None = None, **more: Any
) -> Attr:
    """A required attribute whose absence and value one dedicated rule judges."""
    return Attr(name, value, True, rule, rule, missing, **more)


_APPLE_TEXT = {"max_length": APPLE_TEXT_LIMIT, "apple_limit": True, "plain": True}
_ITUNES = sources.APPLE_RSS
_MANY = {"max_count": None, "open_attrs": True}
_EXPLICIT = {"value": EXPLICIT, "value_rule": "apple-explicit", "tokens": True}
_CHANNEL_EXPLICIT = Need(
    "apple-explicit", "Add <itunes:explicit>false</itunes:explicit> (or true).", podcast_only=True
)
_GUID = (
    'Add <guid isPermaLink="false">...</guid> with a value that never changes (apps use it to '
    "know which episodes they have already shown)."
)
_TRANSCRIPT = 'Write <podcast:transcript url="https://.../transcript.vtt" type="text/vtt"/>.'
_CHAPTERS = (
    'Write <podcast:chapters url="https://.../chapters.json" type="application/json+chapters"/>.'
)


# itunes:category, in the channel and (a subcategory) in itself.
_CATEGORY = _i(
    "category",
    source=sources.APPLE_CATEGORIES,
    max_count=None,
    text=False,
    attrs=(Attr("text", required=True, rule="apple-category", presence_rule="apple-category"),),
)


def _itunes_common(**needs: Need) -> tuple[_Entry, ...]:
    """itunes: tags a show and an episode both have; ``needs``: what the parent needs, by name."""
    return (
        _i("title", **_APPLE_TEXT),
        _i("author", **_APPLE_TEXT),
        _i("subtitle", **_APPLE_TEXT),
        _i("summary", max_length=4000, apple_limit=True),
        _i("keywords", value=KEYWORDS, **_APPLE_TEXT),
        _i(
            "image",
            text=False,
            attrs=(Attr("href", required=True, rule="url-syntax"),),
            need=needs.get("image"),
        ),
        _i("explicit", **_EXPLICIT, need=needs.get("explicit")),
        _i("block", value=YES_NO, tokens=True),
    )


def _podcast_common() -> tuple[_Entry, ...]:
    """Podcasting 2.0 tags a show and an episode both have (only those whose count is fixed
    or whose attributes matter here; the rest are left to their own rules)."""
    return (
        _p("person", **_MANY, value_rule="podcast-person"),
        _p("location", open_attrs=True),
        _p("license", open_attrs=True),
        _p("txt", **_MANY),
        _p("images", open_attrs=True, text=False),
        _p("value", **_MANY, text=False),
    )


def _rss_channel(tag: str) -> Need:
    return Need(
        "rss-channel-elements",
        f"Add <{tag}> to <channel>; RSS 2.0 requires it.",
        f"Fill in <{tag}>.",
    )


TABLE: tuple[Spec, ...] = (
    *_specs(
        "channel",
        _RSS + "#requiredChannelElements",
        _e("title", required=True, need=_rss_channel("title"), **_APPLE_TEXT),
        _e("link", required=True, need=_rss_channel("link"), value_rule="url-syntax"),
        _e(
            "description",
            required=True,
            need=_rss_channel("description"),
            max_length=4000,
            length_unit="bytes",
            apple_limit=True,
            value_rule="apple-description-length",
        ),
        _e(
            "language",
            value=LANGUAGE,
            podcast_value=APPLE_LANGUAGE,
            podcast_value_rule="apple-language",
            need=Need(
                "apple-language",
                "Add <language> with the spoken language's ISO 639 code, e.g. "
                "<language>en</language>.",
            ),
            source=_RSS + "#optionalChannelElems",
        ),
        _e("copyright", source=_RSS + "#optionalChannelElems", **_APPLE_TEXT),
        _e("managingEditor", value=CONTACT, source=_RSS + "#optionalChannelElems", plain=True),
        _e("webMaster", value=CONTACT, source=_RSS + "#optionalChannelElems", plain=True),
        _e("pubDate", value_rule="rss-date", source=_RSS + "#optionalChannelElems"),
        _e("lastBuildDate", value_rule="rss-date", source=_RSS + "#optionalChannelElems"),
        _e("category", max_count=None, attrs=(Attr("domain"),), source=_RSS + "#syndic8"),
        _e("generator", source=_RSS + "#optionalChannelElems"),
        _e("docs", value_rule="url-syntax", source=_RSS + "#optionalChannelElems"),
        _e(
            "cloud",
            text=False,
            source=_RSS + "#ltcloudgtSubelementOfLtchannelgt",
            attrs=(
                Attr("domain", required=True),
                Attr("port", PORT, required=True),
                Attr("path", required=True),
                Attr("registerProcedure", required=True),
                Attr("protocol", CLOUD_PROTOCOL, required=True),
            ),
        ),
        _e("ttl", value=INTEGER_POSITIVE, source=_RSS + "#ltttlgtSubelementOfLtchannelgt"),
        _e("image", text=False, source=_RSS + "#ltimagegtSubelementOfLtchannelgt"),
        _e("rating", source=_RSS + "#optionalChannelElems"),
        _e("textInput", text=False, source=_RSS + "#lttextinputgtSubelementOfLtchannelgt"),
        _e("skipHours", text=False, source=sources.RSS_SKIP_HOURS),
        _e("skipDays", text=False, source=sources.RSS_SKIP_DAYS),
        _e("item", max_count=None, text=False, source=_RSS + "#hrelementsOfLtitemgt"),
        _e(
            f"{_A}link",
            max_count=None,
            text=False,
            source=sources.RSS_ATOM_SELF,
            attrs=(
                Attr("href", required=True, rule="url-syntax"),
                Attr("rel"),
                Attr("type"),
                Attr("hreflang"),
                Attr("title"),
                Attr("length", INTEGER_NONNEGATIVE),
            ),
        ),
        *_itunes_common(
            image=Need(
                "apple-image",
                'Add <itunes:image href="https://.../artwork.jpg"/> (square JPEG or PNG, '
                "1400-3000 px).",
                podcast_only=True,
            ),
            explicit=_CHANNEL_EXPLICIT,
        ),
        _CATEGORY,
        _i(
            "owner",
            text=False,
            need=Need(
                "apple-owner",
                "Add <itunes:owner><itunes:name>NAME</itunes:name><itunes:email>EMAIL"
                "</itunes:email></itunes:owner>.",
            ),
        ),
        _i("type", value=SHOW_TYPE, value_rule="itunes-type", tokens=True),
        _i("new-feed-url", source=sources.APPLE_MOVE, value_rule="itunes-new-feed-url"),
        _i("complete", value=YES_NO, tokens=True),
        _p("guid", value=UUID, value_rule="podcast-guid-format"),
        _p("locked", value=LOCKED, value_rule="podcast-locked", attrs=(Attr("owner"),)),
        _p(
            "funding",
            max_count=None,
            attrs=(
                _judged(
                    "url",
                    "podcast-funding",
                    'Write <podcast:funding url="https://...">Support the show</podcast:funding>.',
                ),
            ),
        ),
        _p("medium"),
        _p("trailer", **_MANY),
        _p("podroll", text=False),
        _p("updateFrequency", open_attrs=True),
        _p("liveItem", **_MANY, text=False),
        *_podcast_common(),
    ),
    *_specs(
        "item",
        _RSS + "#hrelementsOfLtitemgt",
        _e(
            "title",
            need=Need("item-title", "Give every episode a <title>.", "Fill in the episode title."),
            **_APPLE_TEXT,
        ),
        _e("link", value_rule="url-syntax"),
        _e(
            "description",
            max_length=4000,
            length_unit="bytes",
            value_rule="item-description-length",
        ),
        _e("author", value=CONTACT, source=_RSS + "#ltauthorgtSubelementOfLtitemgt", plain=True),
        _e(
            "category",
            max_count=None,
            attrs=(Attr("domain"),),
            source=_RSS + "#ltcategorygtSubelementOfLtitemgt",
        ),
        _e("comments", value_rule="url-syntax", source=_RSS + "#ltcommentsgtSubelementOfLtitemgt"),
        _e(
            "enclosure",
            max_count=None,  # enclosure-multiple reports a second one, as a warning
            text=False,
            source=sources.RSS_ENCLOSURE,
            need=Need(
                "item-enclosure-missing",
                'Add <enclosure url="https://..." length="BYTES" type="audio/mpeg"/>; '
                "directories skip episodes without one.",
            ),
            attrs=(
                _judged(
                    "url", "enclosure-url", "Set url to the media file's full https:// address."
                ),
                _judged(
                    "length",
                    "enclosure-length",
                    "Set length to the file size in bytes (the Content-Length of the media URL).",
                    BYTES,
                    empty_is_value=True,
                ),
                _judged(
                    "type",
                    "enclosure-type",
                    'Set type to the file\'s MIME type, e.g. type="audio/mpeg" for MP3.',
                    MIME_TYPE,
                ),
            ),
        ),
        _e(
            "guid",
            value_rule="item-guid-permalink",
            need=Need("item-guid-missing", _GUID, _GUID, what="guid"),
            source=sources.RSS_GUID,
            attrs=(Attr("isPermaLink", BOOLEAN),),
        ),
        _e(
            "pubDate",
            value_rule="rss-date",
            need=Need(
                "item-pubdate-missing",
                "Add <pubDate>Thu, 07 Mar 2024 08:00:00 +0000</pubDate> with the release date.",
            ),
            source=_RSS + "#ltpubdategtSubelementOfLtitemgt",
        ),
        _e(
            "source",
            source=_RSS + "#ltsourcegtSubelementOfLtitemgt",
            attrs=(Attr("url", required=True, rule="url-syntax"),),
        ),
        _e(f"{_C}encoded", source=sources.RSS_CONTENT_ENCODED),
        *_itunes_common(),
        _i("duration", value=DURATION, value_rule="itunes-duration", tokens=True),
        _i("episode", value=EPISODE_NUMBER, value_rule="itunes-episode-number", tokens=True),
        _i("season", value=EPISODE_NUMBER, value_rule="itunes-episode-number", tokens=True),
        _i("episodeType", value=EPISODE_TYPE, value_rule="itunes-episode-type", tokens=True),
        _i("isClosedCaptioned", value=YES_NO, tokens=True),
        _i("order", value=INTEGER_NONNEGATIVE, tokens=True),
        _p(
            "transcript",
            max_count=None,
            text=False,
            attrs=(
                _judged("url", "podcast-transcript", _TRANSCRIPT),
                _judged("type", "podcast-transcript", _TRANSCRIPT),
                Attr("language", LANGUAGE),
                Attr("rel"),
            ),
        ),
        _p(
            "chapters",
            text=False,
            attrs=(
                _judged("url", "podcast-chapters", _CHAPTERS),
                _judged("type", "podcast-chapters", _CHAPTERS),
            ),
        ),
        _p("soundbite", **_MANY),
        _p("season", value=SEASON, value_rule="podcast-season", open_attrs=True),
        _p("episode", value=EPISODE_DECIMAL, value_rule="podcast-episode", open_attrs=True),
        _p("alternateEnclosure", **_MANY, text=False),
        _p("contentLink", **_MANY),
        _p("socialInteract", **_MANY),
        *_podcast_common(),
    ),
    *_specs(
        "image",
        _RSS + "#ltimagegtSubelementOfLtchannelgt",
        _e("url", required=True, value=IMAGE_URL),
        _e("title", required=True, plain=True),
        _e("link", required=True, value_rule="url-syntax"),
        _e("width", value=IMAGE_WIDTH),
        _e("height", value=IMAGE_HEIGHT),
        _e("description", plain=True),
    ),
    *_specs(
        "textInput",
        _RSS + "#lttextinputgtSubelementOfLtchannelgt",
        _e("title", required=True, plain=True),
        _e("description", required=True, plain=True),
        _e("name", required=True, value=FORM_NAME),
        _e("link", required=True, value_rule="url-syntax"),
    ),
    *_specs(
        "skipHours",
        sources.RSS_SKIP_HOURS,
        _e("hour", required=True, max_count=24, value=HOUR, unique=True),
    ),
    *_specs(
        "skipDays",
        sources.RSS_SKIP_DAYS,
        _e("day", required=True, max_count=7, value=DAY, unique=True),
    ),
    *_specs(
        f"{_I}owner",
        _ITUNES,
        _i("name", **_APPLE_TEXT),
        _i("email", required=True, value=EMAIL, value_rule="apple-owner-email"),
    ),
    *_specs(
        f"{_I}category",
        sources.APPLE_CATEGORIES,
        _CATEGORY,
    ),
    *_specs(
        f"{_P}alternateEnclosure",
        sources.podcast_tag("alternate-enclosure"),
        _e(f"{_P}source", max_count=None, text=False, open_attrs=True),
        _e(f"{_P}integrity", text=False, open_attrs=True),
    ),
)

_BY_KEY: dict[tuple[str, str], Spec] = {(s.parent, s.tag): s for s in TABLE}
_BY_PARENT: dict[str, tuple[Spec, ...]] = {}
for _spec in TABLE:
    _BY_PARENT[_spec.parent] = (*_BY_PARENT.get(_spec.parent, ()), _spec)
_PARENTS_OF: dict[str, tuple[str, ...]] = {}
for _spec in TABLE:
    _PARENTS_OF[_spec.tag] = (*_PARENTS_OF.get(_spec.tag, ()), _spec.parent)
# The entries whose absence is reported (required, or needed by a rule), by parent.
_NEEDED = {
    parent: tuple(s for s in specs if s.required or s.need is not None)
    for parent, specs in _BY_PARENT.items()
}
# The tags whose own children the table lists (channel, item, image, itunes:owner...).
PARENTS = frozenset(_BY_PARENT)
# itunes tags that are sometimes written without a prefix (RSS 2.0 has no such element):
# wrong-namespace reports them, not element-unknown.
BARE_ITUNES = frozenset(
    {"duration", "explicit", "episodeType", "subtitle", "summary", "keywords", "owner"}
)
# Parents whose un-namespaced children RSS 2.0 lists completely: any other un-namespaced
# child is an element RSS does not define (namespaced ones are extensions, allowed anywhere).
CORE_PARENTS = frozenset({"channel", "item", "image", "textInput", "skipHours", "skipDays"})


def spec(parent: str, tag: str) -> Spec | None:
    """The entry for ``tag`` (Clark notation) inside ``parent``, or None."""
    return _BY_KEY.get((parent, tag))


def children_of(parent: str) -> tuple[Spec, ...]:
    """Every entry whose parent is ``parent``, in table order."""
    return _BY_PARENT.get(parent, ())


def needed_in(parent: str) -> tuple[Spec, ...]:
    """The entries of ``parent`` whose absence is reported, in table order."""
    return _NEEDED.get(parent, ())


def parents_of(tag: str) -> tuple[str, ...]:
    """The parents the table allows ``tag`` in (empty: an element it does not know)."""
    return _PARENTS_OF.get(tag, ())


def core_names(parent: str) -> Iterable[str]:
    """The un-namespaced element names allowed in ``parent`` (for "did you mean")."""
    return [s.tag for s in children_of(parent) if not s.tag.startswith("{")]
