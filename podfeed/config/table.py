"""Every key of ``config.yaml`` as data: its type, default, choices, description and example.

This table is the one source of truth for the configuration. The checker
(:mod:`podfeed.config.checker`) takes from it the keys it knows (an unknown key is an error with
a did-you-mean), which are required, their defaults, their choices and what a wrong type is
called in its messages; :mod:`podfeed.config.schema` turns it into the JSON Schema editors use;
:mod:`podfeed.config.reference` into ``docs/configuration.md``. Adding a key is one entry here,
one field in :mod:`podfeed.config.model` and, unless its type is already handled generically,
one line in the checker.

A :class:`ValueType` says what kind of value a key holds: the phrase that completes the
checker's "expected …, got …" and the JSON Schema fragment for it. The fragments describe the
values the checker accepts as YAML 1.2 (what editors parse) reads them: a checker that forgives
more (``title: 2024`` is the text ``2024``) must never be contradicted by the schema; where the
checker needs the whole file (a ``default_language`` among the show's ``languages``), the schema
is looser, never stricter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from podfeed.config.lists import APPLE_CATEGORIES

__all__ = ["SHOW", "TOP", "Key", "Section", "ValueType"]

# Regular expressions shared by the checker (Python ``re``) and the schema (ECMA-262): written
# in the subset both read alike (explicit character classes, no inline flags).
SLUG_PATTERN = r"[a-z0-9][a-z0-9_-]*"
EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s.]+"
# BCP 47 language tag, the subset feeds use: language, optional script, region, variants.
BCP47_PATTERN = (
    r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
)
DURATION_PATTERN = r"(\s*\d+\s*[smhdw])+\s*"
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Quoted booleans the checker forgives (YAML 1.1 already reads the bare words as booleans).
TRUE_WORDS = ("true", "yes", "on", "y", "1")
FALSE_WORDS = ("false", "no", "off", "n", "0")


def any_case(word: str) -> str:
    """A regular expression matching ``word`` in any letter case (``no`` -> ``[Nn][Oo]``).

    >>> any_case("no1")
    '[Nn][Oo]1'
    """
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def _words(words: tuple[str, ...]) -> str:
    """A schema pattern for one of ``words``, any case, blanks around allowed."""
    return r"^\s*(" + "|".join(any_case(w) for w in words) + r")\s*$"


@dataclass(frozen=True)
class ValueType:
    """A kind of value: what the checker calls it and the JSON Schema fragment for it.

    ``params`` are the settings the checker's converter for ``name`` takes (a minimum, the
    fields of a template): kept here so that the checker and the schema read the same numbers.
    """

    name: str
    expected: str
    schema: Mapping[str, Any]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Key:
    """One key: its type, whether it is required, its default and what the docs say about it.

    ``default`` is the value the model gets when the key is absent (``None``: none, or one
    that depends on other keys, then ``default_text`` says which). ``keys`` are the keys of a
    section (a mapping, or each item of a list of mappings).
    """

    name: str
    type: ValueType
    description: str
    required: bool = False
    default: Any = None
    default_text: str | None = None
    example: Any = None
    keys: Section | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        choices: tuple[str, ...] = self.type.params.get("choices", ())
        return choices


@dataclass(frozen=True)
class Section:
    """The keys of one mapping, in the order the docs list them."""

    title: str
    path: str
    keys: tuple[Key, ...]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.keys)

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def sections(self) -> Iterator[Section]:
        """This section and every section below it, depth first."""
        yield self
        for key in self.keys:
            if key.keys is not None:
                yield from key.keys.sections()


# ------------------------------------------------------------------------------------------
# Value types

# Text as written: ``copyright: 2024`` is the text ``2024``, so numbers and booleans are text too.
_TEXTUAL: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_LANGUAGE_REF = {"$ref": "#/$defs/language"}
_URL_SCHEMA = {"type": "string", "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]"}

TEXT = ValueType("text", "text", {**_TEXTUAL, "pattern": r"\S"})
BOOLEAN = ValueType(
    "boolean",
    "true or false",
    {
        "anyOf": [
            {"type": "boolean"},
            {"type": "string", "pattern": _words(TRUE_WORDS + FALSE_WORDS)},
        ]
    },
)
MAPPING = ValueType("mapping", "a mapping (key: value lines)", {"type": "object"})


def whole(minimum: int) -> ValueType:
    return ValueType(
        "whole",
        "a whole number",
        {"type": "integer", "minimum": minimum},
        {"minimum": minimum},
    )


def seconds(*, positive: bool) -> ValueType:
    bound = {"exclusiveMinimum": 0} if positive else {"minimum": 0}
    return ValueType(
        "seconds", "a number of seconds", {"type": "number", **bound}, {"positive": positive}
    )


SHARE = ValueType(
    "share",
    "a share between 0 and 1 (0.2 = 20%)",
    {"type": "number", "minimum": 0, "maximum": 1},
)
DURATION = ValueType(
    "duration",
    "seconds or a duration such as 7d",
    {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": rf"^\s*(\d+|{DURATION_PATTERN})\s*$"},
        ]
    },
)
URL = ValueType("url", "text", _URL_SCHEMA)
BASE_URL = ValueType("base-url", "text", _URL_SCHEMA)  # trailing slash dropped
SITE_URL = ValueType("site-url", "text", _URL_SCHEMA)  # trailing slash added
IMAGE = ValueType("image", "text", _URL_SCHEMA)  # http:// is a warning
EMAIL = ValueType("email", "text", {"type": "string", "pattern": rf"^\s*{EMAIL_PATTERN}\s*$"})
SLUG = ValueType(
    "slug", "text", {"type": ["string", "integer", "boolean"], "pattern": f"^{SLUG_PATTERN}$"}
)
TIMEZONE = ValueType(
    "timezone",
    "text",
    {"type": "string", "examples": ["UTC", "America/Los_Angeles", "Europe/Berlin"]},
)
LANGUAGE = ValueType("language", "text", _LANGUAGE_REF)
LANGUAGE_LIST = ValueType(
    "languages",
    "a list of language codes, e.g. [en, de]",
    {"type": "array", "items": _LANGUAGE_REF, "minItems": 1, "uniqueItems": True},
)
LANGUAGE_TAGS = ValueType(
    "language-tags",
    "a mapping (key: value lines)",
    {
        "type": "object",
        "propertyNames": _LANGUAGE_REF,
        "additionalProperties": {"type": "string", "pattern": f"^{BCP47_PATTERN}$"},
    },
)
LOCALIZED = ValueType(
    "localized",
    "text",
    {
        "anyOf": [
            TEXT.schema,
            {"type": "object", "minProperties": 1, "additionalProperties": TEXT.schema},
        ]
    },
)
_CATEGORY_NAMES = [
    *APPLE_CATEGORIES,
    *(f"{name} > {sub}" for name, subs in APPLE_CATEGORIES.items() for sub in subs),
]
CATEGORIES = ValueType(
    "categories",
    "a list of categories, e.g. [Technology, Business > Management]",
    {
        "type": "array",
        "items": {
            "anyOf": [
                {"type": "string", "examples": _CATEGORY_NAMES},
                {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [
                            {"type": ["string", "null"]},
                            {"type": "array", "items": {"type": "string"}},
                        ]
                    },
                },
            ]
        },
    },
)
# What the checker calls a wrong item of ``categories``, and a wrong subcategory in one.
CATEGORY_EXPECTED = "a category name or {Category: Subcategory}"
SUBCATEGORY_EXPECTED = "a subcategory or a list of them"
ALLOW_EMPTY = ValueType(
    "allow-empty",
    "true, false or a list of language codes",
    {"anyOf": [*BOOLEAN.schema["anyOf"], {"type": "array", "items": _LANGUAGE_REF}]},
)
GLOBS = ValueType(
    "globs",
    "a glob pattern or a list of them",
    {"anyOf": [TEXT.schema, {"type": "array", "items": TEXT.schema, "minItems": 1}]},
)
URLS = ValueType("urls", "text", {"anyOf": [_URL_SCHEMA, {"type": "array", "items": _URL_SCHEMA}]})
SHOWS = ValueType(
    "shows",
    "a list of shows (lines starting with '- id: ...')",
    {"type": "array", "minItems": 1},
)


def choice(*choices: str) -> ValueType:
    """One of ``choices``, any case (``Serial`` is ``serial``)."""
    return ValueType(
        "choice",
        "text",
        {"anyOf": [{"enum": list(choices)}, {"type": "string", "pattern": _words(choices)}]},
        {"choices": choices},
    )


def template(fields: tuple[str, ...], required: tuple[str, ...] = ()) -> ValueType:
    """A ``str.format`` template using only ``fields`` and always ``required``."""
    schema: dict[str, Any] = {**_TEXTUAL}
    if required:
        schema["allOf"] = [{"pattern": "\\{" + name + "\\}"} for name in required]
    return ValueType("template", "text", schema, {"fields": fields, "required": required})


# ------------------------------------------------------------------------------------------
# The keys

HTTP = Section(
    "Network settings",
    "http",
    (
        Key("timeout", seconds(positive=True), "Seconds to wait for a server.", default=10.0),
        Key(
            "concurrency",
            whole(1),
            "Requests in flight at once, for every show together.",
            default=8,
        ),
        Key(
            "retries",
            whole(0),
            "Attempts after a failure that may pass (a timeout, a lost connection, 5xx, 429), "
            "each after a random wait of up to 0.5 s, 1 s, 2 s, ... 8 s, or what a 429's "
            "`Retry-After` asks. A name that does not resolve, or a refused connection, is tried "
            "twice and then not again in that run.",
            default=10,
        ),
        Key(
            "max_retry_after",
            seconds(positive=False),
            "The longest `Retry-After` honoured, in seconds.",
            default=30.0,
        ),
        Key("max_bytes", whole(1), "The largest response read, in bytes.", default=50_000_000),
        Key(
            "retry_budget",
            seconds(positive=False),
            "Seconds within which every retry of one run must happen: a host that keeps failing "
            "costs a bounded time.",
            default=60.0,
        ),
    ),
)

GUARD = Section(
    "The publishing guard",
    "guard",
    (
        Key(
            "max_drop_share",
            SHARE,
            "Refuse when more than this share of a feed's items would disappear.",
            default=0.2,
        ),
        Key(
            "max_drop_items",
            whole(0),
            "Refuse when more than this many items would disappear.",
            default_text="no count limit",
        ),
        Key(
            "allow_shrink",
            BOOLEAN,
            "Let a feed lose more items than the limits allow (the build flag `--allow-shrink`).",
            default=False,
        ),
        Key(
            "allow_guid_change",
            BOOLEAN,
            "Let an item that stays change its guid (the build flag `--allow-guid-change`). "
            "A changed guid makes apps show an episode twice, so it is refused unless allowed.",
            default=False,
        ),
    ),
)

PING = Section(
    "Who `podfeed ping` notifies",
    "ping",
    (
        Key(
            "websub",
            URLS,
            "A WebSub hub URL or a list of them.",
            example="https://pubsubhubbub.appspot.com/",
        ),
        Key(
            "podcastindex",
            URL,
            "The Podcast Index pubnotify endpoint.",
            example="https://api.podcastindex.org/api/1.0/hub/pubnotify",
        ),
    ),
)

OWNER = Section(
    "The show's owner",
    "shows[N].owner",
    (
        Key("name", TEXT, "The owner's name.", required=True),
        Key("email", EMAIL, "Apple sends ownership mail there.", required=True),
    ),
)

TRANSISTOR = Section(
    "Where the audio lives",
    "shows[N].transistor",
    (
        Key(
            "feed_url",
            URL,
            "The show's own Transistor RSS feed: one request per build finds every episode's "
            "audio.",
            example="https://feeds.transistor.fm/my-show",
        ),
        Key(
            "share_url",
            BASE_URL,
            "Transistor's share pages.",
            default="https://share.transistor.fm",
        ),
        Key("api_url", BASE_URL, "The Transistor API.", default="https://api.transistor.fm/v1"),
        Key(
            "show_id",
            TEXT,
            "The API's show id. The API key is read only from the `TRANSISTOR_API_KEY` "
            "environment variable; a key in this file is refused.",
        ),
        Key(
            "language",
            LANGUAGE,
            "The language the Transistor show publishes: only that language's items reuse "
            "Transistor's guids; the others keep guids derived from their permalinks, so they "
            "never change.",
            default_text="`default_language`",
        ),
    ),
)

YOUTUBE = Section(
    "Video links",
    "shows[N].youtube",
    (
        Key(
            "check", BOOLEAN, "`true` confirms that each video exists (via oEmbed).", default=False
        ),
        Key(
            "oembed_url",
            URL,
            "YouTube's oEmbed endpoint.",
            default="https://www.youtube.com/oembed",
        ),
    ),
)

SHOW = Section(
    "Per show",
    "shows[N]",
    (
        Key(
            "id",
            SLUG,
            "A slug (`[a-z0-9][a-z0-9_-]*`), unique among the shows; used in paths and URLs.",
            required=True,
            example="edt",
        ),
        Key(
            "title",
            LOCALIZED,
            "Text for every language, or a mapping `language: text`. A language missing from "
            "the mapping uses the default language's text (with a warning).",
            required=True,
        ),
        Key(
            "description",
            LOCALIZED,
            "Text for every language, or a mapping `language: text`, as for `title`.",
            required=True,
        ),
        Key("author", TEXT, "The `itunes:author`.", default_text="the owner's name"),
        Key(
            "owner",
            MAPPING,
            "`name` and `email` (Apple sends ownership mail there).",
            required=True,
            keys=OWNER,
        ),
        Key(
            "image",
            IMAGE,
            "The show artwork: an absolute `https://` URL (`http://` is accepted with a warning).",
            required=True,
            example="https://example.org/artwork.jpg",
        ),
        Key(
            "categories",
            CATEGORIES,
            "A list of Apple Podcasts categories: `Technology`, `Business > Management`, "
            "`{Business: Management}` or `{Business: [Management, Marketing]}`. Names are "
            "checked against Apple's list (case and `and`/`&` are forgiven). Apple only uses "
            "the first; without any, `check` warns.",
            example=["Technology", "Business > Management"],
        ),
        Key(
            "explicit",
            BOOLEAN,
            "`true`/`false` (`yes`/`no` also accepted).",
            default=False,
        ),
        Key("type", choice("episodic", "serial"), "The show type Apple shows.", default="episodic"),
        Key("copyright", TEXT, "Optional text."),
        Key(
            "site_url",
            SITE_URL,
            "The site's absolute URL; a trailing `/` is added when missing.",
            required=True,
            example="https://example.org/",
        ),
        Key("link", URL, "The channel `<link>`.", default_text="`site_url`"),
        Key(
            "episode_url",
            template(("site_url", "permalink", "lang", "show"), ("permalink",)),
            "Template of an episode page URL with the fields `{site_url}`, `{permalink}` "
            "(required), `{lang}` and `{show}`.",
            default="{site_url}{permalink}",
        ),
        Key(
            "feed_url",
            template(("show", "lang", "site_url")),
            "Template of the public URL of each feed (`atom:link rel=self`, `podcast:guid`) "
            "with `{show}`, `{lang}` (required when the show has several languages) and "
            "`{site_url}`. It must give an absolute URL; change it only with care, the feed's "
            "guid derives from it.",
            required=True,
            example="https://example.org/feeds/{show}/{lang}.xml",
        ),
        Key(
            "episodes",
            GLOBS,
            "A glob pattern or a list of them, relative to the site folder. Absolute paths and "
            "`..` leaving the site folder are refused.",
            required=True,
            example="episodes/*/*/episode.md",
        ),
        Key(
            "languages",
            LANGUAGE_LIST,
            "ISO 639-1 codes in lower case. Quote Norwegian: `'no'` (YAML reads a bare `no` "
            "as false).",
            required=True,
            example=["en", "de"],
        ),
        Key(
            "default_language",
            LANGUAGE,
            "The language of episode files without `lang:`. One of `languages`.",
            default_text="the first of `languages`",
        ),
        Key(
            "language_tags",
            LANGUAGE_TAGS,
            "Mapping `language: BCP 47 tag` for the feed's `<language>`.",
            example={"pt": "pt-BR"},
        ),
        Key(
            "timezone",
            TIMEZONE,
            "IANA time zone for episode dates written without one.",
            default="UTC",
            example="America/Los_Angeles",
        ),
        Key(
            "locked",
            BOOLEAN,
            "`true`/`false`: writes `podcast:locked` (other hosts may not import the show). "
            "Unset: no tag.",
        ),
        Key(
            "apple_verify",
            TEXT,
            "The Apple Podcasts ownership token, written as `podcast:txt "
            'purpose="applepodcastsverify"`.',
        ),
        Key(
            "missing_audio",
            choice("warning", "error"),
            "How an episode whose audio cannot be resolved is reported.",
            default="warning",
        ),
        Key(
            "allow_empty",
            ALLOW_EMPTY,
            "`true`, or a list of languages, whose feed may have no items. By default a feed "
            "that would have no items is an error (`feed-empty`, exit 1) naming the cause (no "
            "lock entry, no audio, no episode in that language): Apple and the other "
            "directories refuse a feed without episodes, so it is never written unnoticed.",
            default_text="`false`",
            example=["pt"],
        ),
        Key("transistor", MAPPING, "Where the show's audio lives.", keys=TRANSISTOR),
        Key("youtube", MAPPING, "Video links.", keys=YOUTUBE),
    ),
)

TOP = Section(
    "Top level",
    "",
    (
        Key(
            "output",
            template(("show", "lang")),
            "Where feeds are written, relative to the config file, with `{show}` and `{lang}`; "
            "`{lang}` is required when a show has several languages and `{show}` when there "
            "are several shows.",
            default="feeds/{show}/{lang}.xml",
        ),
        Key("lock", TEXT, "The lock file, relative to the config file.", default="podfeed.lock"),
        Key(
            "max_age",
            DURATION,
            "How old a lock entry may be before an online build re-resolves it: whole seconds "
            "(`604800`) or a duration such as `7d`, `12h`, `30m`, `45s`, `2w` or `1d12h`.",
            default=7 * 86400,
            default_text="`7d`",
        ),
        Key(
            "site_dir",
            TEXT,
            "The folder holding the site (the episode files), relative to the config file.",
            default=".",
        ),
        Key("http", MAPPING, "Network settings, all optional.", keys=HTTP),
        Key(
            "guard",
            MAPPING,
            "The publishing guard, checked before a feed on disk is replaced.",
            keys=GUARD,
        ),
        Key(
            "ping",
            MAPPING,
            "Who `podfeed ping` notifies after publishing (nobody by default).",
            keys=PING,
        ),
        Key("shows", SHOWS, "A non-empty list of shows.", required=True, keys=SHOW),
    ),
)
