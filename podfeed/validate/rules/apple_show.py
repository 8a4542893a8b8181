"""Apple Podcasts' show-level requirements: description, language, artwork, explicit, owner, author.

Pass::

    <description>Up to 4000 bytes</description><language>en-us</language>
    <itunes:image href="https://example.com/art.jpg"/><itunes:explicit>false</itunes:explicit>
    <itunes:author>Jane Doe</itunes:author>
    <itunes:owner><itunes:name>Jane</itunes:name><itunes:email>jane@example.com</itunes:email>
    </itunes:owner>

Fail: a 5000-byte description (apple-description-length), ``<language>english</language>``
(apple-language), no ``itunes:image`` (apple-image), ``href="...art.gif"`` (apple-image-format),
``<itunes:explicit>maybe</itunes:explicit>`` (apple-explicit), ``yes``/``no``/``clean``
(apple-explicit-deprecated), no owner email (apple-owner), ``<itunes:email>jane</itunes:email>``
(apple-owner-email), no ``itunes:author`` (apple-author).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from podfeed.problems import Level
from podfeed.validate.base import (
    ITUNES_NS,
    Check,
    Children,
    Element,
    Feed,
    Finding,
    Rule,
    child,
)
from podfeed.validate.base import text as text_of
from podfeed.validate.rules import sources
from podfeed.vocab import LANGUAGES, suggest_language

DESCRIPTION_LENGTH = Rule(
    "apple-description-length",
    Level.ERROR,
    "the show <description> must be at most 4000 bytes",
    sources.APPLE_RSS,
)
LANGUAGE = Rule(
    "apple-language",
    Level.ERROR,
    "the channel needs a <language> with an ISO 639 code (optionally with a region: en-us)",
    sources.APPLE_RSS,
)
IMAGE = Rule(
    "apple-image",
    Level.ERROR,
    "the show needs <itunes:image href=...>; every itunes:image needs an href",
    sources.APPLE_RSS,
)
IMAGE_FORMAT = Rule(
    "apple-image-format",
    Level.WARNING,
    "artwork should be a JPEG or PNG whose URL ends in .jpg, .jpeg or .png",
    sources.APPLE_ARTWORK,
)
EXPLICIT = Rule(
    "apple-explicit",
    Level.ERROR,
    "the show needs <itunes:explicit> true or false",
    sources.APPLE_RSS,
)
EXPLICIT_DEPRECATED = Rule(
    "apple-explicit-deprecated",
    Level.WARNING,
    "itunes:explicit yes/no/clean/explicit are still read but Apple documents true/false",
    sources.APPLE_RSS,
)
OWNER = Rule(
    "apple-owner",
    Level.WARNING,
    "the show should have <itunes:owner> with <itunes:email> (Apple contacts the owner there)",
    sources.APPLE_RSS,
)
OWNER_EMAIL = Rule(
    "apple-owner-email",
    Level.ERROR,
    "<itunes:email> must be an email address",
    sources.APPLE_RSS,
)
AUTHOR = Rule(
    "apple-author",
    Level.WARNING,
    "the show should name its <itunes:author>",
    sources.APPLE_RSS,
)

_I = f"{{{ITUNES_NS}}}"
_MAX_DESCRIPTION_BYTES = 4000
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(-[A-Za-z0-9]{1,8})*$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}$")
_EXPLICIT = {"true", "false"}
_EXPLICIT_OLD = {"yes": "true", "explicit": "true", "no": "false", "clean": "false"}
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
_IMAGE = f"{_I}image"
_EXPLICIT_TAG = f"{_I}explicit"


def check_description_length(feed: Feed, channel: Element) -> Iterator[Finding]:
    description = child(channel, "description")
    size = len((text_of(description) or "").encode("utf-8"))
    if description is not None and size > _MAX_DESCRIPTION_BYTES:
        yield Finding(
            description.sourceline,
            f"the show <description> is {size} bytes long (at most {_MAX_DESCRIPTION_BYTES})",
            "Shorten the show description; put the long version on the website.",
        )


def check_language(feed: Feed, channel: Element) -> Iterator[Finding]:
    language = child(channel, "language")
    if language is None:
        yield Finding(
            channel.sourceline,
            "the channel has no <language>",
            "Add <language> with the spoken language's ISO 639 code, e.g. <language>en</language>.",
        )
        return
    value = (text_of(language) or "").strip()
    match = _LANGUAGE_TAG.match(value)
    if match is None or match.group(1).lower() not in LANGUAGES:
        suggestion = suggest_language(value) if value else None
        fix = f"Did you mean {suggestion!r}? " if suggestion else ""
        yield Finding(
            language.sourceline,
            f"<language> {value!r} is not an ISO 639 language code",
            fix + "Use a two-letter code with an optional region: en, en-us, pt-BR.",
        )


def _image_href_findings(kids: Children, required: bool) -> Iterator[Finding]:
    images = kids.all(_IMAGE)
    if not images and required:
        yield Finding(
            kids.element.sourceline,
            "the channel has no <itunes:image>",
            'Add <itunes:image href="https://.../artwork.jpg"/> (square JPEG or PNG, '
            "1400-3000 px).",
        )
    for image in images:
        if not (image.get("href") or "").strip():
            where = "(text is ignored)" if (text_of(image) or "").strip() else ""
            yield Finding(
                image.sourceline,
                f"<itunes:image> has no href attribute {where}".strip(),
                'Put the URL in the href attribute: <itunes:image href="https://..."/>.',
            )


def check_channel_image(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _image_href_findings(feed.children_of(channel), required=True)


def check_item_image(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _image_href_findings(feed.children_of(item), required=False)


def _image_format_findings(kids: Children) -> Iterator[Finding]:
    for image in kids.all(_IMAGE):
        href = (image.get("href") or "").strip()
        if not href:
            continue
        try:
            path = urlsplit(href).path.lower()
        except ValueError:
            continue
        if not path.endswith(_IMAGE_EXTENSIONS):
            yield Finding(
                image.sourceline,
                f"<itunes:image href={href!r}> does not end in .jpg, .jpeg or .png",
                "Serve the artwork as JPEG or PNG with a matching file extension.",
            )


def check_channel_image_format(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _image_format_findings(feed.children_of(channel))


def check_item_image_format(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _image_format_findings(feed.children_of(item))


def _explicit_findings(kids: Children, required: bool) -> Iterator[Finding]:
    found = kids.first(_EXPLICIT_TAG)
    if found is None:
        if required:
            yield Finding(
                kids.element.sourceline,
                "the channel has no <itunes:explicit>",
                "Add <itunes:explicit>false</itunes:explicit> (or true).",
            )
        return
    value = (kids.text(_EXPLICIT_TAG) or "").strip()
    if value.lower() not in _EXPLICIT and value.lower() not in _EXPLICIT_OLD:
        yield Finding(
            found.sourceline,
            f"<itunes:explicit> {value!r} is not true or false",
            "Write <itunes:explicit>true</itunes:explicit> or "
            "<itunes:explicit>false</itunes:explicit>.",
        )


def check_channel_explicit(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _explicit_findings(feed.children_of(channel), required=True)


def check_item_explicit(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _explicit_findings(feed.children_of(item), required=False)


def _deprecated_explicit(kids: Children) -> Iterator[Finding]:
    found = kids.first(_EXPLICIT_TAG)
    value = (kids.text(_EXPLICIT_TAG) or "").strip()
    if found is not None and value.lower() in _EXPLICIT_OLD:
        better = _EXPLICIT_OLD[value.lower()]
        yield Finding(
            found.sourceline,
            f"<itunes:explicit> {value!r} is an old value",
            f"Write <itunes:explicit>{better}</itunes:explicit>.",
        )


def check_channel_explicit_deprecated(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _deprecated_explicit(feed.children_of(channel))


def check_item_explicit_deprecated(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _deprecated_explicit(feed.children_of(item))


def check_owner(feed: Feed, channel: Element) -> Iterator[Finding]:
    owner = child(channel, f"{_I}owner")
    if owner is None:
        yield Finding(
            channel.sourceline,
            "the channel has no <itunes:owner>",
            "Add <itunes:owner><itunes:name>NAME</itunes:name><itunes:email>EMAIL"
            "</itunes:email></itunes:owner>.",
        )
    elif child(owner, f"{_I}email") is None:
        yield Finding(
            owner.sourceline,
            "<itunes:owner> has no <itunes:email>",
            "Add <itunes:email> inside <itunes:owner>.",
        )


def check_owner_email(feed: Feed, channel: Element) -> Iterator[Finding]:
    email = child(child(channel, f"{_I}owner"), f"{_I}email")
    value = (text_of(email) or "").strip()
    if email is not None and not _EMAIL.match(value):
        yield Finding(
            email.sourceline,
            f"<itunes:email> {value!r} is not an email address",
            "Write only the address, e.g. <itunes:email>jane@example.com</itunes:email>.",
        )


def check_author(feed: Feed, channel: Element) -> Iterator[Finding]:
    author = child(channel, f"{_I}author")
    if author is None or not (text_of(author) or "").strip():
        yield Finding(
            channel.sourceline if author is None else author.sourceline,
            "the channel has no <itunes:author>" if author is None else "<itunes:author> is empty",
            "Add <itunes:author> with the people or group who make the show.",
        )


CHECKS = (
    Check(DESCRIPTION_LENGTH, "channel", check_description_length),
    Check(LANGUAGE, "channel", check_language),
    Check(IMAGE, "channel", check_channel_image),
    Check(IMAGE, "item", check_item_image),
    Check(IMAGE_FORMAT, "channel", check_channel_image_format),
    Check(IMAGE_FORMAT, "item", check_item_image_format),
    Check(EXPLICIT, "channel", check_channel_explicit),
    Check(EXPLICIT, "item", check_item_explicit),
    Check(EXPLICIT_DEPRECATED, "channel", check_channel_explicit_deprecated),
    Check(EXPLICIT_DEPRECATED, "item", check_item_explicit_deprecated),
    Check(OWNER, "channel", check_owner),
    Check(OWNER_EMAIL, "channel", check_owner_email),
    Check(AUTHOR, "channel", check_author),
)
RULES = (
    DESCRIPTION_LENGTH,
    LANGUAGE,
    IMAGE,
    IMAGE_FORMAT,
    EXPLICIT,
    EXPLICIT_DEPRECATED,
    OWNER,
    OWNER_EMAIL,
    AUTHOR,
)
