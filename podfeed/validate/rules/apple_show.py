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

apple-language, apple-image, apple-explicit, apple-owner and apple-owner-email are reported by
the walk over the vocabulary table (:mod:`podfeed.validate.vocabulary` names them for the
``<language>``, ``<itunes:image>``, ``<itunes:explicit>`` and ``<itunes:owner>`` entries; the
value types are in :mod:`podfeed.validate.values`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.values import EXPLICIT_OLD
from podfeed.validate.xmltree import ITUNES_NS

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
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
# Image formats Apple does not take, by the extension a URL's path ends in.
_OTHER_IMAGES = (".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".heic", ".heif", ".avif")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_IMAGE = f"{_I}image"


def description_length(kids: Children, whose: str, fix: str) -> Iterator[Finding]:
    """A ``<description>`` over 4000 bytes (Apple counts the bytes as written, spaces too)."""
    description = kids.first("description")
    size = len((kids.text("description") or "").encode("utf-8"))
    if description is not None and size > _MAX_DESCRIPTION_BYTES:
        yield Finding(
            description.sourceline,
            f"the {whose} <description> is {size} bytes long (at most {_MAX_DESCRIPTION_BYTES})",
            fix,
        )


@RULES.check(DESCRIPTION_LENGTH, "channel")
def check_description_length(feed: Feed, kids: Children) -> Iterator[Finding]:
    fix = "Shorten the show description; put the long version on the website."
    return description_length(kids, "show", fix)


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


@RULES.check(EXPLICIT_DEPRECATED, "channel", "item")
def check_deprecated_explicit(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.value(f"{_I}explicit")
    if found is not None and found[1].lower() in EXPLICIT_OLD:
        yield Finding(
            found[0].sourceline,
            f"<itunes:explicit> {found[1]!r} is an old value",
            f"Write <itunes:explicit>{EXPLICIT_OLD[found[1].lower()]}</itunes:explicit>.",
        )


@RULES.check(AUTHOR, "channel")
def check_author(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.value(f"{_I}author")
    if found is None or not found[1]:
        yield Finding(
            kids.element.sourceline if found is None else found[0].sourceline,
            "the channel has no <itunes:author>" if found is None else "<itunes:author> is empty",
            "Add <itunes:author> with the people or group who make the show.",
        )
