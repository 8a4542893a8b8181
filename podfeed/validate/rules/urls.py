"""URLs: absolute, well-formed, and https for media.

Pass: ``<link>https://example.com/show</link>``, ``<enclosure url="https://cdn.example.com/1.mp3"``.

Fail: ``<link>/episodes/1</link>`` (url-relative), ``url="https://example.com/ep<1>.mp3"``
(url-syntax: ``<`` must be percent-encoded; a space alone is a warning),
``<link>javascript:alert(1)</link>`` or ``http://www.詹姆斯.com/``
(url-syntax: not a URI RSS allows; an IRI must be percent-encoded),
``url="http://cdn.example.com/1.mp3"``
(media-https), ``<itunes:new-feed-url>feeds.example.com/show</itunes:new-feed-url>``
(itunes-new-feed-url).

Links people follow (``<link>``, ``<comments>``, ``<docs>``, ``<source url>``) may use any
registered scheme (ftp:, mailto:...); an unregistered one (``feed:``) is a warning. Files apps
fetch (enclosures, artwork, transcripts) must be http(s).

Which fields are checked is one table (:data:`_CHANNEL_URLS`, :data:`_ITEM_URLS`); fields whose
own rule already checks the URL (``itunes:new-feed-url``) are left out so one mistake is
reported once. ``podcast:source`` and ``podcast:contentLink`` may use any scheme (ipfs:,
magnet:, ...), so for them only "absolute" and "no spaces" are checked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.xmltree import ATOM_NS, ITUNES_NS, PODCAST_NS, Element, child
from podfeed.validate.xmltree import text as text_of

RULES = RuleSet()
RELATIVE = RULES.rule(
    "url-relative",
    Level.ERROR,
    "links and media URLs must be absolute (apps fetch them without a base URL)",
    sources.RSS_URLS,
)
SYNTAX = RULES.rule(
    "url-syntax",
    Level.ERROR,
    "URLs must be well-formed URIs (http(s) for files apps fetch; a space or an unregistered "
    "scheme is a warning)",
    sources.RSS_URLS,
)
HTTPS = RULES.rule(
    "media-https",
    Level.WARNING,
    "media and artwork should be served over https",
    sources.APPLE,
    PODCAST_ONLY,
)
NEW_FEED_URL = RULES.rule(
    "itunes-new-feed-url",
    Level.ERROR,
    "<itunes:new-feed-url> must be the absolute http(s) URL of the new feed",
    sources.APPLE_MOVE,
)

_Table = tuple[tuple[str, str | None, bool], ...]
# The same table grouped by tag (entries of one tag keep their order): tag -> (attribute, http?).
_Index = dict[str, tuple[tuple[str | None, bool], ...]]
_I, _P, _A = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}", f"{{{ATOM_NS}}}"
# (tag, attribute or None for the text, http only?) for direct children of channel / item.
_COMMON = (
    (f"{_I}image", "href", True),
    (f"{_P}person", "href", True),
    (f"{_P}person", "img", True),
    (f"{_P}contentLink", "href", False),
)
_CHANNEL_URLS = (
    ("link", None, False),
    ("docs", None, False),
    (f"{_A}link", "href", True),
    (f"{_P}funding", "url", True),
    *_COMMON,
)
_ITEM_URLS = (
    ("link", None, False),
    ("enclosure", "url", True),
    ("comments", None, False),
    ("source", "url", False),
    (f"{_P}transcript", "url", True),
    (f"{_P}chapters", "url", True),
    *_COMMON,
)


def _by_tag(table: _Table) -> _Index:
    index: dict[str, list[tuple[str | None, bool]]] = {}
    for tag, attribute, http_only in table:
        index.setdefault(tag, []).append((attribute, http_only))
    return {tag: tuple(entries) for tag, entries in index.items()}


_CHANNEL_INDEX = _by_tag(_CHANNEL_URLS)
_ITEM_INDEX = _by_tag(_ITEM_URLS)
_TABLES = {"channel": _CHANNEL_INDEX, "item": _ITEM_INDEX}
_BAD_CHARACTERS = re.compile(r"[\s\"<>\\^`{|}\x00-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The common case, decided without urlsplit: http(s), an ASCII host name, an optional port and
# nothing that must be percent-encoded. Such a URL is absolute and passes every syntax check.
_PLAIN_HTTP = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][^\s\"<>\\^`{|}\x00-\x1f\x7f-\U0010ffff]*)?\Z"
)
# Schemes that run code where a reader expects a link to follow: never allowed.
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Permanent schemes of the IANA registry that feeds link to (RFC 7595); others get a warning.
_REGISTERED_SCHEMES = frozenset(
    {
        "http",
        "https",
        "ftp",
        "ftps",
        "sftp",
        "mailto",
        "news",
        "nntp",
        "tel",
        "sms",
        "urn",
        "tag",
        "file",
        "gopher",
        "irc",
        "ircs",
        "magnet",
        "ipfs",
        "ipns",
        "geo",
        "xmpp",
        "sip",
        "rtsp",
        "rtmp",
        "spotify",
        "itms",
        "itms-podcasts",
        "podcast",
        "pcast",
        "webcal",
        "bitcoin",
        "lightning",
        "wss",
        "ws",
    }
)


_Url = tuple[Element, str, str, bool]


def _urls(kids: Children, table: _Index) -> list[_Url]:
    """(element, how to name it, value, http only) for every URL field present and non-empty.

    Computed once per element and table: url-relative and url-syntax both read it.
    """
    return kids.memo((_urls, id(table)), lambda _: list(_find_urls(kids, table)))


def _find_urls(kids: Children, table: _Index) -> Iterator[_Url]:
    for node in kids.elements:
        entries = table.get(node.tag)
        if entries is None:
            continue
        for attribute, http_only in entries:
            value = text_of(node) if attribute is None else node.get(attribute)
            if value and value.strip():
                name = _name(node.tag, attribute)
                yield node, name, value.strip(), http_only
    for node in _image_children(kids):
        parent = node.getparent()
        where = "image" if parent is None else str(parent.tag)
        yield node, f"<{where}><{node.tag}>", (text_of(node) or "").strip(), node.tag == "url"
    for node in _sources(kids):
        yield node, "<podcast:source uri>", (node.get("uri") or "").strip(), False


def _image_children(kids: Children) -> Iterator[Element]:
    for parent, tags in (("image", ("url", "link")), ("textInput", ("link",))):
        container = kids.first(parent)
        if container is None:
            continue
        for tag in tags:
            found = child(container, tag)
            if found is not None and (text_of(found) or "").strip():
                yield found


def _sources(kids: Children) -> Iterator[Element]:
    for alternate in kids.all(f"{_P}alternateEnclosure"):
        for source in alternate.iterchildren(f"{_P}source"):
            if (source.get("uri") or "").strip():
                yield source


@functools.lru_cache(maxsize=128)
def _name(tag: str, attribute: str | None) -> str:
    for uri, prefix in ((ITUNES_NS, "itunes"), (PODCAST_NS, "podcast"), (ATOM_NS, "atom")):
        tag = tag.replace(f"{{{uri}}}", f"{prefix}:")
    return f"<{tag} {attribute}>" if attribute else f"<{tag}>"


def _relative(value: str) -> bool:
    return False if _PLAIN_HTTP.match(value) else _relative_by_urlsplit(value)


@functools.lru_cache(maxsize=256)
def _relative_by_urlsplit(value: str) -> bool:
    try:
        return not urlsplit(value).scheme
    except ValueError:
        return False


_Reason = tuple[str, Level | None]


def _syntax_error(value: str, http_only: bool) -> _Reason | None:
    """Why ``value`` (an absolute URL) is malformed, and at what level (None: an error)."""
    return None if _PLAIN_HTTP.match(value) else _urlsplit_syntax_error(value, http_only)


@functools.lru_cache(maxsize=256)
def _urlsplit_syntax_error(value: str, http_only: bool) -> _Reason | None:
    if _BAD_CHARACTERS.search(value):
        return _bad_characters(value, http_only)
    if _NON_ASCII.search(value):
        return (
            "contains non-ASCII characters (an IRI); RSS asks for a URI: percent-encode them, "
            "and write an international host name in its xn-- form",
            None,
        )
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return str(exc), None
    scheme = parts.scheme.lower()
    if http_only and scheme not in ("http", "https"):
        return f"uses the scheme {parts.scheme!r}; apps need http or https", None
    if scheme in _SCRIPT_SCHEMES:
        return f"uses the scheme {parts.scheme!r}, which runs code instead of linking", None
    if scheme not in _REGISTERED_SCHEMES:
        return f"uses the scheme {parts.scheme!r}, which is not registered", Level.WARNING
    if scheme in ("http", "https") and not parts.hostname:
        return "has no host name", None
    return None


def _bad_characters(value: str, http_only: bool) -> _Reason:
    """Spaces alone are a warning: apps and browsers encode them as %20 before they fetch (the
    W3C validator accepts them, and Apple's own sample feed has them), but a strict client may
    refuse the URL. Any other character that must be encoded (quotes, ``<``, a tab...) is an
    error, and so is whatever else is wrong with a URL that also has spaces."""
    if " " in value and not _BAD_CHARACTERS.search(value.replace(" ", "")):
        rest = _urlsplit_syntax_error(value.replace(" ", "%20"), http_only)
        if rest is None or rest[1] is Level.WARNING:
            return (
                "contains spaces (most apps encode them as %20; a strict one fails)",
                Level.WARNING,
            )
        return rest
    found = sorted(set(_BAD_CHARACTERS.findall(value)))
    named = ", ".join(_CHARACTER_NAMES.get(c, repr(c)) for c in found)
    return f"contains {named}: {'it' if len(found) == 1 else 'each'} must be percent-encoded", None


_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\\": "a backslash"}


def _relative_findings(kids: Children, table: _Index) -> Iterator[Finding]:
    for node, name, value, _ in _urls(kids, table):
        if _relative(value):
            yield Finding(
                node.sourceline,
                f"{name} {value!r} is a relative URL",
                "Write the full URL, starting with https://.",
            )


def _syntax_findings(kids: Children, table: _Index) -> Iterator[Finding]:
    for node, name, value, http_only in _urls(kids, table):
        if _relative(value):
            continue
        found = _syntax_error(value, http_only)
        if found:
            reason, level = found
            yield Finding(
                node.sourceline,
                f"{name} {value!r} {reason}",
                "Percent-encode spaces and special characters (a space is %20) and use an "
                + ("http(s) URL." if http_only else "http(s), ftp or mailto URL."),
                level=level,
                group=f"{name} {reason}",
            )


@RULES.check(RELATIVE, "channel", "item")
def check_relative(feed: Feed, kids: Children) -> Iterator[Finding]:
    yield from _relative_findings(kids, _TABLES[kids.element.tag])


@RULES.check(SYNTAX, "channel", "item")
def check_syntax(feed: Feed, kids: Children) -> Iterator[Finding]:
    yield from _syntax_findings(kids, _TABLES[kids.element.tag])


@RULES.check(HTTPS, "channel", "item")
def check_http_media(feed: Feed, kids: Children) -> Iterator[Finding]:
    for tag, attribute in (("enclosure", "url"), (f"{_I}image", "href")):
        for node in kids.all(tag):
            value = (node.get(attribute) or "").strip()
            if value.lower().startswith("http://"):
                yield Finding(
                    node.sourceline,
                    f"{_name(tag, attribute)} {value!r} is served over http",
                    "Serve media and artwork over https (Apple and browsers-based players "
                    "block or warn about http).",
                )


@RULES.check(NEW_FEED_URL, "channel")
def check_new_feed_url(feed: Feed, kids: Children) -> Iterator[Finding]:
    node = kids.first(f"{_I}new-feed-url")
    if node is None:
        return
    value = (text_of(node) or "").strip()
    if not value or _relative(value) or _syntax_error(value, http_only=True) is not None:
        yield Finding(
            node.sourceline,
            f"<itunes:new-feed-url> {value!r} is not an absolute http(s) URL",
            "Write the full URL of the feed's new location, e.g. https://feeds.example.com/show; "
            "remove the tag if the feed has not moved.",
        )
