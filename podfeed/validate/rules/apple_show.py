"""Apple Podcasts' show-level requirements: description, language, artwork, explicit, owner, author.

Pass::

    <description>Up to 4000 bytes</description><language>en-us</language>
    <itunes:image href="https://example.com/art.jpg"/><itunes:explicit>false</itunes:explicit>
    <itunes:author>Jane Doe</itunes:author>
    <itunes:owner><itunes:name>Jane</itunes:name><itunes:email>jane@example.com</itunes:email>
    </itunes:owner>

Fail: a 5000-byte description (apple-description-length), ``<language>english</language>``
(apple-language), no ``itunes:image`` (apple-image), ``href="...art.gif"`` (apple-image-format:
an error; ``href=".../art.php"`` a warning, ``href=".../<hash>"`` nothing),
``<itunes:explicit>maybe</itunes:explicit>`` (apple-explicit), ``yes``/``no``/``clean``
(apple-explicit-deprecated), no ``itunes:owner`` (apple-owner),
``<itunes:email>jane</itunes:email>`` (apple-owner-email), no ``itunes:author`` (apple-author).

Under the ``rss`` profile only the checks of values present run (apple-explicit on a value,
apple-explicit-deprecated, apple-owner-email); the rest are Apple's directory requirements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from podfeed.config.lists import LANGUAGES, suggest_language
from podfeed.problems import Level
from podfeed.validate.base import ITUNES_NS, PODCAST_ONLY, Children, Feed, Finding, RuleSet, child
from podfeed.validate.base import text as text_of
from podfeed.validate.rules import sources

RULES = RuleSet()

DESCRIPTION_LENGTH = RULES.rule(
    "apple-description-length",
    Level.ERROR,
    "the show <description> must be at most 4000 bytes",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
LANGUAGE = RULES.rule(
    "apple-language",
    Level.ERROR,
    "the channel needs a <language> with an ISO 639 code (optionally with a region: en-us)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
IMAGE = RULES.rule(
    "apple-image",
    Level.ERROR,
    "the show needs <itunes:image href=...> (an itunes:image without href is attribute-missing)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
IMAGE_FORMAT = RULES.rule(
    "apple-image-format",
    Level.ERROR,
    "artwork must be JPEG or PNG: a .gif/.webp/... URL is an error, another extension a "
    "warning; a URL without one is judged with --fetch-artwork",
    sources.APPLE_ARTWORK,
    PODCAST_ONLY,
)
EXPLICIT = RULES.rule(
    "apple-explicit",
    Level.ERROR,
    "the show needs <itunes:explicit> true or false",
    sources.APPLE_RSS,
)
EXPLICIT_DEPRECATED = RULES.rule(
    "apple-explicit-deprecated",
    Level.WARNING,
    "itunes:explicit yes/no/clean/explicit are still read but Apple documents true/false",
    sources.APPLE_RSS,
)
OWNER = RULES.rule(
    "apple-owner",
    Level.WARNING,
    "the show should have <itunes:owner> (with <itunes:email>: Apple contacts the owner there)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
OWNER_EMAIL = RULES.rule(
    "apple-owner-email",
    Level.ERROR,
    "<itunes:email> must be an email address",
    sources.APPLE_RSS,
)
AUTHOR = RULES.rule(
    "apple-author",
    Level.WARNING,
    "the show should name its <itunes:author>",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)

_I = f"{{{ITUNES_NS}}}"
_MAX_DESCRIPTION_BYTES = 4000
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(-[A-Za-z0-9]{1,8})*$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}$")
_EXPLICIT = {"true", "false"}
_EXPLICIT_OLD = {"yes": "true", "explicit": "true", "no": "false", "clean": "false"}
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
# Image formats Apple does not take, by the extension a URL's path ends in.
_OTHER_IMAGES = (".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".heic", ".heif", ".avif")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_IMAGE = f"{_I}image"
_EXPLICIT_TAG = f"{_I}explicit"


@RULES.check(DESCRIPTION_LENGTH, "channel")
def check_description_length(feed: Feed, kids: Children) -> Iterator[Finding]:
    description = kids.first("description")
    size = len((kids.text("description") or "").encode("utf-8"))
    if description is not None and size > _MAX_DESCRIPTION_BYTES:
        yield Finding(
            description.sourceline,
            f"the show <description> is {size} bytes long (at most {_MAX_DESCRIPTION_BYTES})",
            "Shorten the show description; put the long version on the website.",
        )


@RULES.check(LANGUAGE, "channel")
def check_language(feed: Feed, kids: Children) -> Iterator[Finding]:
    language = kids.first("language")
    if language is None:
        yield Finding(
            kids.element.sourceline,
            "the channel has no <language>",
            "Add <language> with the spoken language's ISO 639 code, e.g. <language>en</language>.",
        )
        return
    value = (kids.text("language") or "").strip()
    match = _LANGUAGE_TAG.match(value)
    if match is None or match.group(1).lower() not in LANGUAGES:
        suggestion = suggest_language(value) if value else None
        fix = f"Did you mean {suggestion!r}? " if suggestion else ""
        yield Finding(
            language.sourceline,
            f"<language> {value!r} is not an ISO 639 language code",
            fix + "Use a two-letter code with an optional region: en, en-us, pt-BR.",
        )


@RULES.check(IMAGE, "channel")
def check_channel_image(feed: Feed, kids: Children) -> Iterator[Finding]:
    if not kids.all(_IMAGE):
        yield Finding(
            kids.element.sourceline,
            "the channel has no <itunes:image>",
            'Add <itunes:image href="https://.../artwork.jpg"/> (square JPEG or PNG, '
            "1400-3000 px).",
            podcast_only=True,
        )


@RULES.check(IMAGE_FORMAT, "channel", "item")
def check_image_format(feed: Feed, kids: Children) -> Iterator[Finding]:
    """Judge artwork by the extension its URL's path ends in (``art.jpg?v=3`` is a JPEG).

    A path without an extension (hosts serve ``.../variants/<hash>/<hash>``) tells nothing:
    nothing is said offline, and ``--fetch-artwork`` reads the file's header instead.
    """
    for image in kids.all(_IMAGE):
        href = (image.get("href") or "").strip()
        if not href:
            continue
        try:
            path = urlsplit(href).path.lower()
        except ValueError:
            continue
        extension = _EXTENSION.search(path.rsplit("/", 1)[-1])
        if extension is None or path.endswith(_IMAGE_EXTENSIONS):
            continue
        known = extension.group(0) in _OTHER_IMAGES
        yield Finding(
            image.sourceline,
            f"<itunes:image href={href!r}> is a {extension.group(0)} file; Apple takes JPEG or "
            "PNG only"
            if known
            else f"<itunes:image href={href!r}> ends in {extension.group(0)}, not .jpg, .jpeg "
            "or .png",
            "Serve the artwork as JPEG or PNG with a matching file extension (.jpg, .png).",
            level=None if known else Level.WARNING,
            group="artwork is not JPEG or PNG" if known else "artwork extension is not .jpg/.png",
        )


def _explicit_findings(kids: Children, required: bool) -> Iterator[Finding]:
    found = kids.first(_EXPLICIT_TAG)
    if found is None:
        if required:
            yield Finding(
                kids.element.sourceline,
                "the channel has no <itunes:explicit>",
                "Add <itunes:explicit>false</itunes:explicit> (or true).",
                podcast_only=True,
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


@RULES.check(EXPLICIT, "channel")
def check_channel_explicit(feed: Feed, kids: Children) -> Iterator[Finding]:
    yield from _explicit_findings(kids, required=True)


@RULES.check(EXPLICIT, "item")
def check_item_explicit(feed: Feed, kids: Children) -> Iterator[Finding]:
    yield from _explicit_findings(kids, required=False)


@RULES.check(EXPLICIT_DEPRECATED, "channel", "item")
def check_deprecated_explicit(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.first(_EXPLICIT_TAG)
    value = (kids.text(_EXPLICIT_TAG) or "").strip()
    if found is not None and value.lower() in _EXPLICIT_OLD:
        better = _EXPLICIT_OLD[value.lower()]
        yield Finding(
            found.sourceline,
            f"<itunes:explicit> {value!r} is an old value",
            f"Write <itunes:explicit>{better}</itunes:explicit>.",
        )


@RULES.check(OWNER, "channel")
def check_owner(feed: Feed, kids: Children) -> Iterator[Finding]:
    # An owner without <itunes:email> is element-missing (the vocabulary table requires it).
    if kids.first(f"{_I}owner") is None:
        yield Finding(
            kids.element.sourceline,
            "the channel has no <itunes:owner>",
            "Add <itunes:owner><itunes:name>NAME</itunes:name><itunes:email>EMAIL"
            "</itunes:email></itunes:owner>.",
        )


@RULES.check(OWNER_EMAIL, "channel")
def check_owner_email(feed: Feed, kids: Children) -> Iterator[Finding]:
    email = child(kids.first(f"{_I}owner"), f"{_I}email")
    value = (text_of(email) or "").strip()
    if email is not None and not _EMAIL.match(value):
        yield Finding(
            email.sourceline,
            f"<itunes:email> {value!r} is not an email address",
            "Write only the address, e.g. <itunes:email>jane@example.com</itunes:email>.",
        )


@RULES.check(AUTHOR, "channel")
def check_author(feed: Feed, kids: Children) -> Iterator[Finding]:
    author = kids.first(f"{_I}author")
    if author is None or not (kids.text(f"{_I}author") or "").strip():
        yield Finding(
            kids.element.sourceline if author is None else author.sourceline,
            "the channel has no <itunes:author>" if author is None else "<itunes:author> is empty",
            "Add <itunes:author> with the people or group who make the show.",
        )
