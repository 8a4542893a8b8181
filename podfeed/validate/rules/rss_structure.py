"""RSS 2.0 structure: an ``<rss version="2.0">`` root, one channel, and the required elements.

Pass::

    <rss version="2.0"><channel>
      <title>Show</title><link>https://example.com/</link><description>About</description>
      <atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
      <item><title>Episode 1</title>...</item>
    </channel></rss>

Fail: ``<feed xmlns="http://www.w3.org/2005/Atom">`` (rss-root), ``<rss version="0.91">``
(rss-version), two ``<channel>`` elements (rss-channel), a channel without ``<link>``
(rss-channel-elements), an item without ``<title>`` (item-title, Apple's rule; RSS 2.0 itself
only needs a title or a description: item-title-or-description), no ``atom:link rel="self"``
(atom-self-link), a channel without items (feed-empty), channel elements after the items
(items-not-last), an ``<image>`` titled otherwise than its channel (image-channel-mismatch),
``<content:encoded>`` with no ``<description>`` before it (item-description-first), a
``<textInput>`` (textinput-ignored).

rss-channel-elements and item-title are reported by the walk over the vocabulary table, which
names them for the channel's ``<title>``, ``<link>`` and ``<description>`` and the item's
``<title>``.
"""

from __future__ import annotations

from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, RSS_ONLY, Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.xmltree import (
    ATOM_NS,
    CONTENT_NS,
    child,
    local_name,
    namespace,
    qualified,
)
from podfeed.validate.xmltree import text as text_of

RULES = RuleSet()
ROOT = RULES.rule("rss-root", Level.ERROR, "the document element must be <rss>", sources.RSS)
VERSION = RULES.rule("rss-version", Level.ERROR, '<rss> must carry version="2.0"', sources.RSS)
CHANNEL = RULES.rule(
    "rss-channel", Level.ERROR, "<rss> must hold exactly one <channel>", sources.RSS
)
CHANNEL_ELEMENTS = RULES.rule(
    "rss-channel-elements",
    Level.ERROR,
    "the channel must have a non-empty <title>, <link> and <description>",
    sources.RSS_CHANNEL,
)
ITEM_TITLE = RULES.rule(
    "item-title",
    Level.ERROR,
    "every episode needs a non-empty <title> (Apple requires it)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
ITEM_CONTENT = RULES.rule(
    "item-title-or-description",
    Level.ERROR,
    "an item needs a <title> or a <description> (the rss profile; podcasts: item-title)",
    sources.RSS_ITEM,
    RSS_ONLY,
)
EMPTY = RULES.rule(
    "feed-empty",
    Level.ERROR,
    "a podcast feed needs at least one <item>: Apple refuses a feed without episodes",
    sources.APPLE,
    PODCAST_ONLY,
)
IMAGE_MISMATCH = RULES.rule(
    "image-channel-mismatch",
    Level.WARNING,
    "the channel <image>'s title and link should be the channel's own (readers show them as one)",
    sources.RSS_PROFILE + "#element-channel-image",
)
ITEMS_LAST = RULES.rule(
    "items-not-last",
    Level.WARNING,
    "the channel's other elements should come before its items (streaming readers stop at "
    "the first item)",
    sources.RSS_PROFILE + "#element-channel-item",
)
DESCRIPTION_FIRST = RULES.rule(
    "item-description-first",
    Level.WARNING,
    "an item with <content:encoded> should have a <description> too, before it (a reader that "
    "knows only one of them may take whichever comes last)",
    sources.RSS_PROFILE + "#namespace-elements-content-encoded",
)
TEXT_INPUT = RULES.rule(
    "textinput-ignored",
    Level.WARNING,
    "<textInput> is ignored by nearly every reader and podcast app; the RSS profile advises "
    "against it",
    sources.RSS_PROFILE + "#element-channel-textinput",
)
ATOM_SELF = RULES.rule(
    "atom-self-link",
    Level.WARNING,
    'the channel should name its own URL in <atom:link rel="self">',
    sources.RSS_ATOM_SELF,
)


@RULES.check(ROOT, "document")
def check_root(feed: Feed) -> Iterator[Finding]:
    root = feed.root
    if root is not None and root.tag != "rss":
        uri = namespace(root)
        where = f" in namespace {uri}" if uri else ""
        yield Finding(
            root.sourceline,
            f"the document element is <{local_name(root)}>{where}, not <rss>",
            'Podcast directories read RSS 2.0: publish an <rss version="2.0"> feed '
            "(Atom and RSS 1.0/RDF feeds are not accepted).",
        )


@RULES.check(VERSION, "document")
def check_version(feed: Feed) -> Iterator[Finding]:
    root = feed.root
    if root is None or root.tag != "rss":
        return
    version = root.get("version")
    if version is None or version.strip() != "2.0":
        shown = "no version attribute" if version is None else f'version="{version}"'
        yield Finding(root.sourceline, f"<rss> has {shown}", 'Write <rss version="2.0" ...>.')


@RULES.check(CHANNEL, "document")
def check_channel(feed: Feed) -> Iterator[Finding]:
    root = feed.root
    if root is None or root.tag != "rss" or feed.channel_count == 1:
        return
    if feed.channel_count == 0:
        yield Finding(root.sourceline, "<rss> has no <channel>", "Put the show in one <channel>.")
    else:
        yield Finding(
            root.sourceline,
            f"<rss> has {feed.channel_count} <channel> elements; readers use only the first",
            "Publish one show per feed: exactly one <channel> under <rss>.",
        )


@RULES.check(ITEM_CONTENT, "item")
def check_item_content(feed: Feed, kids: Children) -> Iterator[Finding]:
    if kids.first("title") is None and kids.first("description") is None:
        yield Finding(
            kids.element.sourceline,
            "the item has neither <title> nor <description>",
            "Give the item a <title> or a <description>; RSS 2.0 requires one of them.",
        )


@RULES.check(EMPTY, "channel")
def check_empty(feed: Feed, kids: Children) -> Iterator[Finding]:
    if not feed.items:
        yield Finding(
            kids.element.sourceline,
            "the channel has no <item>: the feed has no episodes",
            "Publish at least one episode; Apple Podcasts refuses a feed without any.",
        )


@RULES.check(IMAGE_MISMATCH, "channel")
def check_image_mismatch(feed: Feed, kids: Children) -> Iterator[Finding]:
    image = kids.first("image")
    if image is None:
        return
    for tag in ("title", "link"):
        mine, theirs = child(image, tag), kids.first(tag)
        if mine is None or theirs is None:
            continue
        value, expected = _same(text_of(mine)), _same(kids.text(tag))
        if value and expected and value != expected:
            yield Finding(
                mine.sourceline,
                f"<image><{tag}> {value!r} differs from the channel's <{tag}> {expected!r}",
                f"Give <image> the channel's own <{tag}>; readers show the image as the channel's.",
            )


def _same(value: str | None) -> str:
    """A title or link as readers compare them: spaces and a trailing slash do not count."""
    return " ".join((value or "").split()).rstrip("/")


@RULES.check(ITEMS_LAST, "channel")
def check_items_last(feed: Feed, kids: Children) -> Iterator[Finding]:
    first = feed.first_item_line
    if first is None:
        return
    for node in kids.elements:
        if node.tag != "item" and (node.sourceline or 0) > first:
            yield Finding(
                node.sourceline,
                f"<{qualified(node)}> comes after the first <item> (line {first})",
                "Put every channel element before the first <item>.",
            )
            return


@RULES.check(ATOM_SELF, "channel")
def check_atom_self(feed: Feed, kids: Children) -> Iterator[Finding]:
    links = kids.all(f"{{{ATOM_NS}}}link")
    if not any((link.get("rel") or "").strip() == "self" for link in links):
        yield Finding(
            kids.element.sourceline,
            'the channel has no <atom:link rel="self">',
            'Add <atom:link href="FEED URL" rel="self" type="application/rss+xml"/> with '
            'xmlns:atom="http://www.w3.org/2005/Atom" on <rss>.',
        )


@RULES.check(DESCRIPTION_FIRST, "item")
def check_description_first(feed: Feed, kids: Children) -> Iterator[Finding]:
    content = kids.first(f"{{{CONTENT_NS}}}encoded")
    if content is None:
        return
    description = kids.first("description")
    if description is None:
        yield Finding(
            content.sourceline,
            "the item has <content:encoded> but no <description>",
            "Put a summary (or the notes themselves) in <description> as well: it is the element "
            "every reader knows, and apps that read only it show nothing.",
        )
    elif kids.elements.index(description) > kids.elements.index(content):
        yield Finding(
            description.sourceline,
            f"<description> comes after <content:encoded> (line {content.sourceline})",
            "Put <description> before <content:encoded>: a reader that knows only one of them "
            "may take whichever comes last.",
        )


@RULES.check(TEXT_INPUT, "channel")
def check_text_input(feed: Feed, kids: Children) -> Iterator[Finding]:
    node = kids.first("textInput")
    if node is not None:
        yield Finding(
            node.sourceline,
            "the channel has a <textInput>, which readers and podcast apps ignore",
            "Remove <textInput>; link to a search or feedback page from the show's web site.",
        )
