"""The feed vocabulary as data: where each element may appear, how often, what it holds.

One :class:`Spec` per (parent, element) pair of RSS 2.0, Apple's itunes namespace, the
Podcasting 2.0 namespace, ``atom:link`` and ``content:encoded``: how many times it may appear
in that parent, whether the parent needs it, its value type, its attributes (required ones and
their value types), Apple's length limits, and the document that says so. The generic rules
in :mod:`podfeed.validate.rules.vocabulary` walk a feed against this table (duplicates,
unknown and misplaced elements, missing children and attributes, wrong values), so a new
element or limit is one line here, not a new loop; the W3C Feed Validator and podcastparser
describe feeds the same way (one entry per element with its allowed children and value type).

Where a dedicated rule already judges an element's presence or value (a date, a duration, a
URL, Apple's categories), the entry names that rule in ``value_rule`` / ``presence_rule`` and
the generic rules leave that aspect to it, so each mistake is reported once.

>>> spec("channel", "ttl").value.name
'a whole number above 0'
>>> [s.name for s in children_of("image") if s.required]
['url', 'title', 'link']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from podfeed.validate.base import ATOM_NS, CONTENT_NS, ITUNES_NS, PODCAST_NS, qualified_tag
from podfeed.validate.rules import sources
from podfeed.validate.values import (
    BOOLEAN,
    CLOUD_PROTOCOL,
    CONTACT,
    DAY,
    FORM_NAME,
    HOUR,
    IMAGE_HEIGHT,
    IMAGE_URL,
    IMAGE_WIDTH,
    INTEGER_NONNEGATIVE,
    INTEGER_POSITIVE,
    KEYWORDS,
    LANGUAGE,
    PORT,
    YES_NO,
    ValueType,
)

__all__ = [
    "APPLE_TEXT_LIMIT",
    "CORE_PARENTS",
    "TABLE",
    "Attr",
    "Spec",
    "children_of",
    "parents_of",
    "spec",
]

_I, _P, _A, _C = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}", f"{{{ATOM_NS}}}", f"{{{CONTENT_NS}}}"
# Apple: "Tag values are limited to 255 characters unless otherwise specified above."
APPLE_TEXT_LIMIT = 255
_RSS = sources.RSS


@dataclass(frozen=True)
class Attr:
    """An attribute an element has: its value type, whether the element needs it, and the
    dedicated rules that judge its value (``rule``) or its absence (``presence_rule``) instead
    of the generic ones (None: attribute-value, attribute-missing)."""

    name: str
    value: ValueType | None = None
    required: bool = False
    rule: str | None = None
    presence_rule: str | None = None


@dataclass(frozen=True)
class Spec:
    """One element in one parent.

    ``max_count``: how many times it may appear in one parent (None: any number).
    ``required``: the parent needs it (reported by ``presence_rule`` or element-missing).
    ``value``: the type of its text (None: any text); ``value_rule`` names a dedicated rule
    that checks the value instead, ``podcast_value_rule`` one that does so in the ``podcast``
    profile only (Apple's stricter rule for the same value). ``text``: False for elements that
    hold only attributes or child elements. ``attrs``: the attributes it has;
    ``open_attrs``: others are allowed too.
    ``max_length`` and ``length_unit``: a limit on the text (``apple_limit``: Apple's, so the
    ``rss`` profile leaves it out). ``plain``: plain text, no HTML (html-in-text).
    ``tokens``: a keyword or number Apple compares as written, so spaces around it are
    reported (value-whitespace). ``unique``: the same value twice in one parent is an error.
    """

    parent: str
    tag: str
    source: str
    max_count: int | None = 1
    required: bool = False
    presence_rule: str | None = None
    value: ValueType | None = None
    value_rule: str | None = None
    podcast_value_rule: str | None = None
    text: bool = True
    attrs: tuple[Attr, ...] = ()
    open_attrs: bool = False
    max_length: int | None = None
    length_unit: str = "characters"
    apple_limit: bool = False
    plain: bool = False
    tokens: bool = False
    unique: bool = False
    attr_names: frozenset[str] = field(init=False, repr=False, compare=False)
    # Whether any check reads the text beyond "is it empty" (most elements: none does).
    reads_value: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attr_names", frozenset(a.name for a in self.attrs))
        reads_value = (
            self.value is not None
            or self.tokens
            or self.plain
            or self.unique
            or (self.max_length is not None and self.value_rule is None)
        )
        object.__setattr__(self, "reads_value", reads_value)

    @property
    def name(self) -> str:
        """How messages write the element: ``itunes:image``, ``title``."""
        return qualified_tag(self.tag)

    @property
    def where(self) -> str:
        """The parent as messages write it."""
        return qualified_tag(self.parent)


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


_APPLE_TEXT = {"max_length": APPLE_TEXT_LIMIT, "apple_limit": True, "plain": True}
_ITUNES = sources.APPLE_RSS


def _itunes_common() -> tuple[_Entry, ...]:
    """itunes: tags a show and an episode both have."""
    return (
        _e(f"{_I}title", source=_ITUNES, **_APPLE_TEXT),
        _e(f"{_I}author", source=_ITUNES, **_APPLE_TEXT),
        _e(f"{_I}subtitle", source=_ITUNES, **_APPLE_TEXT),
        _e(f"{_I}summary", source=_ITUNES, max_length=4000, apple_limit=True),
        _e(f"{_I}keywords", source=_ITUNES, value=KEYWORDS, **_APPLE_TEXT),
        _e(
            f"{_I}image",
            source=_ITUNES,
            text=False,
            attrs=(Attr("href", required=True, rule="url-syntax"),),
        ),
        _e(f"{_I}explicit", source=_ITUNES, value_rule="apple-explicit", tokens=True),
        _e(f"{_I}block", source=_ITUNES, value=YES_NO, tokens=True),
    )


def _podcast_common() -> tuple[_Entry, ...]:
    """Podcasting 2.0 tags a show and an episode both have (only those whose count is fixed
    or whose attributes matter here; the rest are left to their own rules)."""
    return (
        _e(
            f"{_P}person",
            source=sources.podcast_tag("person"),
            max_count=None,
            open_attrs=True,
            value_rule="podcast-person",
        ),
        _e(f"{_P}location", source=sources.podcast_tag("location"), open_attrs=True),
        _e(f"{_P}license", source=sources.podcast_tag("license"), open_attrs=True),
        _e(f"{_P}txt", source=sources.podcast_tag("txt"), max_count=None, open_attrs=True),
        _e(f"{_P}images", source=sources.podcast_tag("images"), open_attrs=True, text=False),
        _e(
            f"{_P}value",
            source=sources.podcast_tag("value"),
            max_count=None,
            open_attrs=True,
            text=False,
        ),
    )


TABLE: tuple[Spec, ...] = (
    *_specs(
        "channel",
        _RSS + "#requiredChannelElements",
        _e("title", required=True, presence_rule="rss-channel-elements", **_APPLE_TEXT),
        _e("link", required=True, presence_rule="rss-channel-elements", value_rule="url-syntax"),
        _e(
            "description",
            required=True,
            presence_rule="rss-channel-elements",
            max_length=4000,
            length_unit="bytes",
            apple_limit=True,
            value_rule="apple-description-length",
        ),
        _e(
            "language",
            value=LANGUAGE,
            podcast_value_rule="apple-language",
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
        *_itunes_common(),
        _e(
            f"{_I}category",
            source=sources.APPLE_CATEGORIES,
            max_count=None,
            text=False,
            attrs=(
                Attr("text", required=True, rule="apple-category", presence_rule="apple-category"),
            ),
        ),
        _e(f"{_I}owner", source=_ITUNES, text=False),
        _e(f"{_I}type", source=_ITUNES, value_rule="itunes-type", tokens=True),
        _e(f"{_I}new-feed-url", source=sources.APPLE_MOVE, value_rule="itunes-new-feed-url"),
        _e(f"{_I}complete", source=_ITUNES, value=YES_NO, tokens=True),
        _e(f"{_P}guid", source=sources.podcast_tag("guid"), value_rule="podcast-guid-format"),
        _e(
            f"{_P}locked",
            source=sources.podcast_tag("locked"),
            value_rule="podcast-locked",
            attrs=(Attr("owner"),),
        ),
        _e(
            f"{_P}funding",
            source=sources.podcast_tag("funding"),
            max_count=None,
            attrs=(
                Attr("url", required=True, rule="podcast-funding", presence_rule="podcast-funding"),
            ),
        ),
        _e(f"{_P}medium", source=sources.podcast_tag("medium")),
        _e(f"{_P}trailer", source=sources.podcast_tag("trailer"), max_count=None, open_attrs=True),
        _e(f"{_P}podroll", source=sources.podcast_tag("podroll"), text=False),
        _e(f"{_P}updateFrequency", source=sources.podcast_tag("update-frequency"), open_attrs=True),
        _e(
            f"{_P}liveItem",
            source=sources.podcast_tag("live-item"),
            max_count=None,
            open_attrs=True,
            text=False,
        ),
        *_podcast_common(),
    ),
    *_specs(
        "item",
        _RSS + "#hrelementsOfLtitemgt",
        _e("title", presence_rule="item-title", **_APPLE_TEXT),
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
            attrs=(
                Attr("url", required=True, rule="enclosure-url", presence_rule="enclosure-url"),
                Attr(
                    "length",
                    required=True,
                    rule="enclosure-length",
                    presence_rule="enclosure-length",
                ),
                Attr("type", required=True, rule="enclosure-type", presence_rule="enclosure-type"),
            ),
        ),
        _e(
            "guid",
            value_rule="item-guid-permalink",
            source=sources.RSS_GUID,
            attrs=(Attr("isPermaLink", BOOLEAN),),
        ),
        _e("pubDate", value_rule="rss-date", source=_RSS + "#ltpubdategtSubelementOfLtitemgt"),
        _e(
            "source",
            source=_RSS + "#ltsourcegtSubelementOfLtitemgt",
            attrs=(Attr("url", required=True, rule="url-syntax"),),
        ),
        _e(f"{_C}encoded", source=sources.RSS_CONTENT_ENCODED),
        *_itunes_common(),
        _e(f"{_I}duration", source=_ITUNES, value_rule="itunes-duration", tokens=True),
        _e(f"{_I}episode", source=_ITUNES, value_rule="itunes-episode-number", tokens=True),
        _e(f"{_I}season", source=_ITUNES, value_rule="itunes-episode-number", tokens=True),
        _e(f"{_I}episodeType", source=_ITUNES, value_rule="itunes-episode-type", tokens=True),
        _e(f"{_I}isClosedCaptioned", source=_ITUNES, value=YES_NO, tokens=True),
        _e(f"{_I}order", source=_ITUNES, value=INTEGER_NONNEGATIVE, tokens=True),
        _e(
            f"{_P}transcript",
            source=sources.podcast_tag("transcript"),
            max_count=None,
            text=False,
            attrs=(
                Attr(
                    "url",
                    required=True,
                    rule="podcast-transcript",
                    presence_rule="podcast-transcript",
                ),
                Attr(
                    "type",
                    required=True,
                    rule="podcast-transcript",
                    presence_rule="podcast-transcript",
                ),
                Attr("language", LANGUAGE),
                Attr("rel"),
            ),
        ),
        _e(
            f"{_P}chapters",
            source=sources.podcast_tag("chapters"),
            text=False,
            attrs=(
                Attr(
                    "url", required=True, rule="podcast-chapters", presence_rule="podcast-chapters"
                ),
                Attr(
                    "type", required=True, rule="podcast-chapters", presence_rule="podcast-chapters"
                ),
            ),
        ),
        _e(
            f"{_P}soundbite",
            source=sources.podcast_tag("soundbite"),
            max_count=None,
            open_attrs=True,
        ),
        _e(
            f"{_P}season",
            source=sources.podcast_tag("season"),
            value_rule="podcast-season",
            open_attrs=True,
        ),
        _e(
            f"{_P}episode",
            source=sources.podcast_tag("episode"),
            value_rule="podcast-episode",
            open_attrs=True,
        ),
        _e(
            f"{_P}alternateEnclosure",
            source=sources.podcast_tag("alternate-enclosure"),
            max_count=None,
            text=False,
            open_attrs=True,
        ),
        _e(
            f"{_P}contentLink",
            source=sources.podcast_tag("content-link"),
            max_count=None,
            open_attrs=True,
        ),
        _e(
            f"{_P}socialInteract",
            source=sources.podcast_tag("social-interact"),
            max_count=None,
            open_attrs=True,
        ),
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
        _e(f"{_I}name", **_APPLE_TEXT),
        _e(f"{_I}email", required=True, value_rule="apple-owner-email"),
    ),
    *_specs(
        f"{_I}category",
        sources.APPLE_CATEGORIES,
        _e(
            f"{_I}category",
            max_count=None,
            text=False,
            attrs=(
                Attr("text", required=True, rule="apple-category", presence_rule="apple-category"),
            ),
        ),
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
# Parents whose un-namespaced children RSS 2.0 lists completely: any other un-namespaced
# child is an element RSS does not define (namespaced ones are extensions, allowed anywhere).
CORE_PARENTS = frozenset({"channel", "item", "image", "textInput", "skipHours", "skipDays"})


def spec(parent: str, tag: str) -> Spec | None:
    """The entry for ``tag`` (Clark notation) inside ``parent``, or None."""
    return _BY_KEY.get((parent, tag))


def children_of(parent: str) -> tuple[Spec, ...]:
    """Every entry whose parent is ``parent``, in table order."""
    return _BY_PARENT.get(parent, ())


def parents_of(tag: str) -> tuple[str, ...]:
    """The parents the table allows ``tag`` in (empty: an element it does not know)."""
    return _PARENTS_OF.get(tag, ())


def core_names(parent: str) -> Iterable[str]:
    """The un-namespaced element names allowed in ``parent`` (for "did you mean")."""
    return [s.tag for s in children_of(parent) if not s.tag.startswith("{")]
