"""Load and check ``config.yaml`` into frozen dataclasses, reporting every problem in one pass.

A configuration mistake should cost one edit, not one CI run per mistake: the whole file is
checked, every problem names the key path (``shows[0].languages[2]``) and the line in the file,
and says what was expected (and, for typos, what was probably meant). Unknown keys are errors,
not warnings: a misspelt key that is silently ignored loses the data it held.

Configuration reference
=======================

Top level
---------
``output``
    Where feeds are written, relative to the config file. A template with ``{show}`` and
    ``{lang}``; ``{lang}`` is required when a show has several languages and ``{show}`` when
    there are several shows. Default ``feeds/{show}/{lang}.xml``.
``lock``
    The lock file, relative to the config file. Default ``podfeed.lock``.
``max_age``
    How old a lock entry may be before an online build re-resolves it: whole seconds
    (``604800``) or a duration such as ``7d``, ``12h``, ``30m``, ``45s``, ``2w`` or ``1d12h``.
    Default ``7d``.
``site_dir``
    The folder holding the site (the episode files), relative to the config file. Default ``.``.
``http``
    Network settings, all optional: ``timeout`` (seconds, default 10), ``concurrency``
    (parallel requests, default 8), ``retries`` (default 3), ``max_retry_after`` (the longest
    ``Retry-After`` honoured, seconds, default 30), ``max_bytes`` (largest response read,
    default 50000000).
``guard``
    The publishing guard, checked before a feed on disk is replaced: ``max_drop_share``
    (refuse when more than this share of the items would disappear, default ``0.2``),
    ``max_drop_items`` (refuse when more than this many would disappear; default: no count
    limit), ``allow_shrink`` and ``allow_guid_change`` (default ``false``; the same as the
    build flags ``--allow-shrink`` / ``--allow-guid-change``). A changed guid makes apps show
    an episode twice, so it is refused unless allowed.
``ping``
    Who ``podfeed ping`` notifies after publishing (nothing by default): ``websub`` (a hub URL
    or a list of them, e.g. ``https://pubsubhubbub.appspot.com/``) and ``podcastindex`` (the
    pubnotify endpoint, ``https://api.podcastindex.org/api/1.0/hub/pubnotify``).
``shows``
    A non-empty list of shows (below).

Per show (``shows[N]``)
-----------------------
``id`` (required)
    A slug (``[a-z0-9][a-z0-9_-]*``), unique among the shows; used in paths and URLs.
``title``, ``description`` (required)
    Text for every language, or a mapping ``language: text``. A language missing from the
    mapping uses the default language's text (with a warning).
``author``
    The ``itunes:author``. Default: the owner's name.
``owner`` (required)
    ``name`` and ``email`` (Apple sends ownership mail there).
``image`` (required)
    The show artwork: an absolute ``https://`` URL (``http://`` is accepted with a warning).
``categories``
    A list of Apple Podcasts categories: ``Technology``, ``Business > Management``,
    ``{Business: Management}`` or ``{Business: [Management, Marketing]}``. Names are checked
    against Apple's list (case and ``and``/``&`` are forgiven). Apple only uses the first.
``explicit``
    ``true``/``false`` (``yes``/``no`` also accepted). Default ``false``.
``type``
    ``episodic`` (default) or ``serial``.
``copyright``
    Optional text.
``site_url`` (required)
    The site's absolute URL; a trailing ``/`` is added when missing.
``link``
    The channel ``<link>``. Default ``site_url``.
``episode_url``
    Template of an episode page URL with the fields ``{site_url}``, ``{permalink}`` (required),
    ``{lang}`` and ``{show}``. Default ``{site_url}{permalink}``.
``feed_url`` (required)
    Template of the public URL of each feed (``atom:link rel=self``, ``podcast:guid``) with
    ``{show}``, ``{lang}`` (required when the show has several languages) and ``{site_url}``.
    It must give an absolute URL; change it only with care, the feed's guid derives from it.
``episodes`` (required)
    A glob pattern or a list of them, relative to the site folder (``episodes/*/*/episode.md``).
    Absolute paths and ``..`` leaving the site folder are refused.
``languages`` (required)
    ISO 639-1 codes in lower case (``[en, de]``). Quote Norwegian: ``'no'`` (YAML reads a
    bare ``no`` as false).
``default_language``
    The language of episode files without ``lang:``. One of ``languages``; default the first.
``language_tags``
    Mapping ``language: BCP 47 tag`` for the feed's ``<language>`` (``pt: pt-BR``).
``timezone``
    IANA time zone (``America/Los_Angeles``) for episode dates written without one.
    Default ``UTC``.
``locked``
    ``true``/``false``: writes ``podcast:locked`` (other hosts may not import the show). Unset:
    no tag.
``apple_verify``
    The Apple Podcasts ownership token, written as ``podcast:txt purpose="applepodcastsverify"``.
``missing_audio``
    ``warning`` (default) or ``error``: how an episode whose audio cannot be resolved is reported.
``transistor``
    ``feed_url`` (the show's own Transistor RSS feed), ``share_url`` (default
    ``https://share.transistor.fm``), ``api_url`` (default ``https://api.transistor.fm/v1``),
    ``show_id`` (the API's show id), ``language`` (the language the Transistor show publishes;
    default ``default_language``: only that language's items reuse Transistor's guids, the
    others keep guids derived from their permalinks, so they never change). The API key is read
    only from the ``TRANSISTOR_API_KEY`` environment variable; a key in this file is refused.
``youtube``
    ``check`` (``true`` to confirm each video exists via oEmbed, default ``false``) and
    ``oembed_url`` (default ``https://www.youtube.com/oembed``).
"""

from __future__ import annotations

import difflib
import re
import string
import zoneinfo
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from podfeed.config_model import (
    DEFAULT_API_URL,
    DEFAULT_SHARE_URL,
    DEFAULT_YOUTUBE_OEMBED_URL,
    Category,
    Config,
    GuardConfig,
    HttpConfig,
    Owner,
    PingConfig,
    Show,
    TransistorConfig,
    YoutubeConfig,
)
from podfeed.errors import ConfigError
from podfeed.problems import Level, Problem, error, sort_problems, warning
from podfeed.vocab import (
    APPLE_CATEGORIES,
    LANGUAGES,
    canonical_category,
    canonical_subcategory,
    suggest_category,
    suggest_language,
    suggest_subcategory,
)
from podfeed.yamlmarks import opened_at

__all__ = [
    "SourceMap",
    "load_config",
    "parse_config",
    "parse_config_text",
    "read_config",
]

Key = str | int
KeyPath = tuple[Key, ...]
T = TypeVar("T")
Converter = Callable[["_Checker", object, KeyPath], T | None]

DEFAULT_OUTPUT = "feeds/{show}/{lang}.xml"
DEFAULT_LOCK = "podfeed.lock"
DEFAULT_MAX_AGE = 7 * 24 * 3600
DEFAULT_TIMEZONE = "UTC"

TOP_KEYS = ("output", "lock", "max_age", "site_dir", "http", "guard", "ping", "shows")
GUARD_KEYS = ("max_drop_share", "max_drop_items", "allow_shrink", "allow_guid_change")
PING_KEYS = ("websub", "podcastindex")
HTTP_KEYS = ("timeout", "concurrency", "retries", "max_retry_after", "max_bytes", "retry_budget")
SHOW_KEYS = (
    "id",
    "title",
    "description",
    "author",
    "owner",
    "image",
    "categories",
    "explicit",
    "type",
    "copyright",
    "site_url",
    "link",
    "episode_url",
    "feed_url",
    "episodes",
    "languages",
    "default_language",
    "language_tags",
    "timezone",
    "locked",
    "apple_verify",
    "missing_audio",
    "allow_empty",
    "transistor",
    "youtube",
)
OWNER_KEYS = ("name", "email")
TRANSISTOR_KEYS = ("feed_url", "share_url", "api_url", "show_id", "language")
YOUTUBE_KEYS = ("check", "oembed_url")

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# BCP 47 language tag, the subset feeds use: language, optional script, region, variants.
BCP47 = re.compile(
    r"[a-z]{2,3}(-[a-z]{4})?(-(?:[a-z]{2}|[0-9]{3}))?(-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*",
    re.IGNORECASE,
)
DURATION = re.compile(r"(\s*\d+\s*[smhdw])+\s*")
DURATION_PART = re.compile(r"(\d+)\s*([smhdw])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Keys that hold credentials. Credentials in a committed file leak; podfeed reads them only from
# the environment, so such a key is refused outright (never echoed back in the message).
SECRET_KEY = re.compile(r"api[_-]?key|apikey|secret|password|passwd|token", re.IGNORECASE)
TRUE_WORDS = frozenset({"true", "yes", "on", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "n", "0"})
SAMPLE = {"show": "show", "lang": "en", "permalink": "episode", "site_url": "https://example.org/"}
_NODE_BUDGET = 100_000  # stop mapping lines on absurd (alias-bomb) documents


# --------------------------------------------------------------------------------------------
# Public API


def load_config(path: Path) -> Config:
    """Read and check a configuration file.

    Warnings (e.g. a language falling back to the default text) are kept in
    ``Config.problems`` for the caller to show.

    :raises ConfigError: the file cannot be read, is not YAML, or has at least one error; the
        exception's ``problems`` holds every problem found, not just the first.
    """
    config, problems = read_config(path)
    if config is None:
        errors = [p for p in problems if p.level is Level.ERROR]
        if len(errors) == 1 and errors[0].message.startswith(str(path)):
            message = errors[0].message  # the file as a whole: missing, not UTF-8, not YAML
        else:
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            message = f"{path}: {count} in the configuration"
        raise ConfigError(message, problems)
    return config


def read_config(path: Path) -> tuple[Config | None, list[Problem]]:
    """Like :func:`load_config`, but returns ``(None, problems)`` instead of raising."""
    file = str(path)
    if path.is_dir():
        return None, [
            error(
                "config-unreadable",
                f"{file}: is a folder, not a configuration file",
                file,
                hint="pass the YAML file itself, e.g. --config config.yaml",
            )
        ]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                "config-unreadable",
                f"{file}: no such file",
                file,
                hint="create it (podfeed init writes a starting one) or pass --config",
            )
        ]
    except OSError as exc:
        return None, [error("config-unreadable", f"{file}: cannot be read ({exc.strerror})", file)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                "config-unreadable",
                f"{file}: is not UTF-8 text (byte {exc.start})",
                file,
                line,
                hint="save the file as UTF-8",
            )
        ]
    return parse_config_text(text, path=path)


def parse_config_text(text: str, *, path: Path) -> tuple[Config | None, list[Problem]]:
    """Parse YAML text and check it; ``path`` is where it came from (for messages and roots)."""
    file = str(path)
    try:
        node, data = _compose(text)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(exc, file, text)]
    if node is None:
        return None, [
            error(
                "config-empty",
                f"{file}: the configuration is empty",
                file,
                hint="a configuration needs at least a 'shows:' list",
            )
        ]
    return parse_config(data, path=path, source=SourceMap.from_node(node))


def parse_config(
    data: object, *, path: Path, source: SourceMap | None = None
) -> tuple[Config | None, list[Problem]]:
    """Check already-loaded YAML data; the core of :func:`load_config`.

    Pure apart from one look at the disk: that ``site_dir`` is an existing folder.

    ``source`` maps key paths to lines (see :meth:`SourceMap.from_node`); without it problems
    carry no line. Returns ``(None, problems)`` when any problem is an error, otherwise the
    config (its warnings also in ``Config.problems``) and the warnings.
    """
    checker = _Checker(str(path), source or SourceMap())
    for key_path, _line in checker.source.duplicates:
        checker.error(
            "config-duplicate-key",
            key_path,
            "key given twice; YAML keeps only the last one",
            hint="remove or merge the duplicate",
        )
    config = _config(checker, data, path)
    problems = sort_problems(checker.problems)
    # A placeholder is an error in what would be published, not in the configuration's shape:
    # the configuration loads, and the commands that publish report it (exit 1).
    if config is None or any(p.level is Level.ERROR and p.code != PLACEHOLDER for p in problems):
        return None, problems
    return replace(config, problems=tuple(problems)), problems


# --------------------------------------------------------------------------------------------
# YAML: parse once, keep the node tree for line numbers


@dataclass
class SourceMap:
    """Where each key path sits in the file, and scalar values exactly as written.

    Lines are 1-based: the key's line for a mapping entry, the item's line for a list item.
    """

    lines: dict[KeyPath, int] = field(default_factory=dict)
    raw: dict[KeyPath, str] = field(default_factory=dict)
    duplicates: list[tuple[KeyPath, int]] = field(default_factory=list)

    def line(self, key_path: KeyPath) -> int | None:
        """The line of ``key_path``, or of its nearest ancestor that has one (a missing key)."""
        for end in range(len(key_path), 0, -1):
            found = self.lines.get(key_path[:end])
            if found is not None:
                return found
        return None

    @classmethod
    def from_node(cls, node: Node) -> SourceMap:
        source = cls()
        source._walk(node, (), set(), [0])
        return source

    def _walk(self, node: Node, key_path: KeyPath, active: set[int], budget: list[int]) -> None:
        budget[0] += 1
        if budget[0] > _NODE_BUDGET or id(node) in active:
            return
        if isinstance(node, ScalarNode):
            self.raw[key_path] = str(node.value)
            return
        active.add(id(node))
        if isinstance(node, MappingNode):
            self._walk_mapping(node, key_path, active, budget)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*key_path, index)] = item.start_mark.line + 1
                self._walk(item, (*key_path, index), active, budget)
        active.discard(id(node))

    def _walk_mapping(
        self, node: MappingNode, key_path: KeyPath, active: set[int], budget: list[int]
    ) -> None:
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = _key_of(key_node)
            if key is None:
                continue
            child = (*key_path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append((child, line))
            seen.add(key)
            self.lines[child] = line
            self._walk(value_node, child, active, budget)


def _key_of(node: Node) -> Key | None:
    """The key-path element of a key node, built as YAML builds the key (``1:`` is ``1``)."""
    if not isinstance(node, ScalarNode):
        return None
    try:
        value = SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError):
        value = node.value
    return _path_key(value)


def _path_key(key: object) -> Key:
    """Key-path element of a mapping key: always text (whole numbers are list indexes)."""
    return str(key)


def _compose(text: str) -> tuple[Node | None, object]:
    """Parse once: the node tree (for lines) and the data built from it (safe types only)."""
    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _yaml_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    opened = opened_at(text, exc) if isinstance(exc, yaml.MarkedYAMLError) else None
    if opened is not None:
        # An unclosed quote or bracket is noticed lines later: report it where it was opened.
        context = f"{context or 'reading'} that starts on line {opened.line + 1}"
        context += f"; the parser gave up on line {line}"
        line = opened.line + 1
    detail = f"{what} ({context})" if context else str(what)
    return error(
        "config-yaml-syntax",
        f"{file}: not valid YAML: {detail}",
        file,
        line,
        hint="check indentation and quote values that contain ': ' or start with '{', '[' or '*'",
    )


# --------------------------------------------------------------------------------------------
# The checker: collects problems, knows lines


def _dotted(key_path: KeyPath) -> str:
    """``('shows', 0, 'languages', 2)`` → ``shows[0].languages[2]``."""
    out = ""
    for key in key_path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


@dataclass
class _Checker:
    file: str
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)

    def error(self, code: str, key_path: KeyPath, text: str, hint: str | None = None) -> None:
        self.problems.append(self._make(Level.ERROR, code, key_path, text, hint))

    def warning(self, code: str, key_path: KeyPath, text: str, hint: str | None = None) -> None:
        self.problems.append(self._make(Level.WARNING, code, key_path, text, hint))

    def _make(
        self, level: Level, code: str, key_path: KeyPath, text: str, hint: str | None
    ) -> Problem:
        maker = error if level is Level.ERROR else warning
        return maker(
            code, f"{_dotted(key_path)}: {text}", self.file, self.source.line(key_path), hint
        )

    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.level is Level.ERROR)

    def wrong_type(self, key_path: KeyPath, expected: str, value: object) -> None:
        self.error("config-wrong-type", key_path, f"expected {expected}, got {_kind(value)}")


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, datetime | date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, choices: Collection[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _check_keys(
    ck: _Checker, mapping: dict[Any, Any], allowed: Collection[str], at: KeyPath
) -> None:
    """Unknown keys are errors (a typo would silently drop what it holds); secrets are refused."""
    for key in mapping:
        name = str(key)
        child = (*at, _path_key(key))
        if SECRET_KEY.search(name):
            ck.error(
                "config-secret",
                child,
                "credentials are never read from the configuration file; the Transistor API key "
                "is read only from the TRANSISTOR_API_KEY environment variable",
                hint="delete this key (and rotate the key if the file was ever committed)",
            )
        elif name not in allowed:
            guess = _suggest(name, allowed)
            text = f"unknown key; did you mean '{guess}'?" if guess else "unknown key"
            ck.error("config-unknown-key", child, text, hint=f"known keys: {', '.join(allowed)}")


def _field(
    ck: _Checker,
    mapping: dict[Any, Any],
    key: str,
    at: KeyPath,
    convert: Converter[T],
    *,
    required: bool = False,
) -> T | None:
    """Convert ``mapping[key]``; absent or null is ``None`` (an error when ``required``)."""
    value = mapping.get(key)
    if value is None:
        if required:
            state = "is empty" if key in mapping else "is missing"
            ck.error("config-missing-key", (*at, key), f"required key {state}")
        return None
    return convert(ck, value, (*at, key))


def _or(value: T | None, default: T) -> T:
    return default if value is None else value


# --------------------------------------------------------------------------------------------
# Scalar converters: each returns None after reporting a problem


def _mapping(ck: _Checker, value: object, at: KeyPath) -> dict[Any, Any] | None:
    if isinstance(value, dict):
        return value
    ck.wrong_type(at, "a mapping (key: value lines)", value)
    return None


def _text(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """Text exactly as written: ``copyright: 2024`` is the text ``2024``, not a number."""
    if isinstance(value, str):
        if not value.strip():
            ck.error("config-empty-value", at, "must not be empty")
            return None
        return value
    if isinstance(value, bool | int | float | date):
        return ck.source.raw.get(at, str(value))
    ck.wrong_type(at, "text", value)
    return None


def _bool(ck: _Checker, value: object, at: KeyPath) -> bool | None:
    """``true``/``false``; quoted ``"yes"``/``"no"`` too (YAML 1.1 already reads bare yes/no)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    ck.wrong_type(at, "true or false", value)
    return None


def _whole(ck: _Checker, value: object, at: KeyPath, minimum: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        ck.wrong_type(at, "a whole number", value)
        return None
    if value < minimum:
        ck.error("config-out-of-range", at, f"must be at least {minimum}, got {value}")
        return None
    return value


def _seconds(ck: _Checker, value: object, at: KeyPath, *, positive: bool) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        ck.wrong_type(at, "a number of seconds", value)
        return None
    if value < 0 or (positive and value == 0):
        limit = "more than 0" if positive else "at least 0"
        ck.error("config-out-of-range", at, f"must be {limit}, got {value}")
        return None
    return float(value)


def _choice(ck: _Checker, value: object, at: KeyPath, choices: tuple[str, ...]) -> str | None:
    text = _text(ck, value, at)
    if text is None:
        return None
    if text.strip().lower() in choices:
        return text.strip().lower()
    guess = _suggest(text.strip().lower(), choices)
    extra = f"; did you mean '{guess}'?" if guess else ""
    ck.error(
        "config-invalid-value",
        at,
        f"'{text}' is not one of {', '.join(choices)}{extra}",
    )
    return None


def _duration(ck: _Checker, value: object, at: KeyPath) -> int | None:
    """Seconds as a whole number, or text like ``7d``, ``12h``, ``30m``, ``1d12h``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _whole(ck, value, at, 0)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if DURATION.fullmatch(text):
            return sum(int(n) * UNIT_SECONDS[unit] for n, unit in DURATION_PART.findall(text))
        ck.error(
            "config-invalid-value",
            at,
            f"'{value}' is not a duration",
            hint="give seconds (604800) or a number with a unit: s, m, h, d or w (7d, 12h, 30m)",
        )
        return None
    ck.wrong_type(at, "seconds or a duration such as 7d", value)
    return None


def _url(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """An absolute ``http(s)://`` URL with a host."""
    text = _text(ck, value, at)
    if text is None:
        return None
    text = text.strip()
    if not _is_absolute_url(text):
        ck.error(
            "config-bad-url",
            at,
            f"'{text}' is not an absolute http(s) URL",
            hint="write the full address, starting with https://",
        )
        return None
    return text


def _is_absolute_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


def _base_url(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """A service base URL; the trailing slash is dropped so paths can be appended with '/'."""
    url = _url(ck, value, at)
    return url.rstrip("/") if url is not None else None


def _site_url(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """The site URL always ends with ``/`` so ``{site_url}{permalink}`` joins cleanly."""
    url = _url(ck, value, at)
    return url if url is None or url.endswith("/") else url + "/"


def _image(ck: _Checker, value: object, at: KeyPath) -> str | None:
    url = _url(ck, value, at)
    if url is not None and url.startswith("http://"):
        ck.warning(
            "config-insecure-url",
            at,
            "artwork is served over http; Apple Podcasts requires https",
            hint="serve the image over https and change the URL",
        )
    return url


def _email(ck: _Checker, value: object, at: KeyPath) -> str | None:
    text = _text(ck, value, at)
    if text is not None and not EMAIL.fullmatch(text.strip()):
        ck.error("config-bad-email", at, f"'{text}' is not an email address")
        return None
    return text.strip() if text is not None else None


def _slug(ck: _Checker, value: object, at: KeyPath) -> str | None:
    text = _text(ck, value, at)
    if text is not None and not SLUG.fullmatch(text):
        ck.error(
            "config-invalid-value",
            at,
            f"'{text}' is not a valid show id",
            hint="use lower-case letters, digits, '-' and '_', starting with a letter or digit",
        )
        return None
    return text


# --------------------------------------------------------------------------------------------
# Templates, globs, time zones


def _template(
    ck: _Checker,
    value: object,
    at: KeyPath,
    *,
    fields: tuple[str, ...],
    required: tuple[str, ...] = (),
) -> str | None:
    """A ``str.format`` template using only ``fields``, and all of ``required``."""
    text = _text(ck, value, at)
    if text is None:
        return None
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        ck.error(
            "config-bad-template",
            at,
            f"not a valid template ({exc})",
            hint="fields are written {name}; write a literal brace as {{ or }}",
        )
        return None
    used: set[str] = set()
    ok = True
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in fields or spec or conversion:
            guess = _suggest(name, fields)
            extra = f"; did you mean '{{{guess}}}'?" if guess and name not in fields else ""
            ck.error(
                "config-bad-template",
                at,
                f"'{{{name}}}' is not a field of this template{extra}",
                hint=f"available fields: {', '.join('{' + f + '}' for f in fields)}",
            )
            ok = False
        used.add(name)
    for name in required:
        if ok and name not in used:
            ck.error("config-bad-template", at, f"must contain {{{name}}}")
            ok = False
    return text if ok else None


def _glob(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """A pattern relative to the site folder that cannot reach outside it."""
    text = _text(ck, value, at)
    if text is None:
        return None
    pattern = text.strip().replace("\\", "/")
    if pattern.startswith(("/", "~")) or re.match(r"[A-Za-z]:", pattern):
        ck.error(
            "config-bad-glob",
            at,
            f"'{text}' is an absolute path; episode patterns are relative to the site folder",
            hint="set site_dir for another folder, and write patterns relative to it",
        )
        return None
    if _escapes(pattern):
        ck.error(
            "config-bad-glob",
            at,
            f"'{text}' leaves the site folder with '..'",
            hint="set site_dir to the folder holding the episodes instead",
        )
        return None
    return pattern


def _escapes(pattern: str) -> bool:
    """Whether some match could lie above the root.

    ``**`` counts as zero folders (it may match none), so ``x/**/../..`` is caught although
    ``posixpath.normpath`` would call it ``.``.
    """
    depth = 0
    for part in pattern.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", ".", "**"):
            depth += 1
    return False


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case form for forgiving suggestions."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _timezone(ck: _Checker, value: object, at: KeyPath) -> str | None:
    text = _text(ck, value, at)
    if text is None:
        return None
    name = text.strip()
    if name in _zones().values() or _zone_loads(name):
        return name
    guess = _zones().get(name.lower())
    if guess is None:
        close = difflib.get_close_matches(name.lower(), list(_zones()), n=1, cutoff=0.6)
        guess = _zones()[close[0]] if close else None
    extra = f"; did you mean '{guess}'?" if guess else ""
    ck.error(
        "config-bad-timezone",
        at,
        f"'{name}' is not an IANA time zone{extra}",
        hint="use a name like Europe/Berlin or America/Los_Angeles",
    )
    return None


def _zone_loads(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# --------------------------------------------------------------------------------------------
# Languages


def _language(ck: _Checker, value: object, at: KeyPath) -> str | None:
    """One ISO 639-1 code in lower case, with a suggestion for the usual mistakes."""
    if value is False:
        ck.error(
            "config-bad-language",
            at,
            "YAML read this as false; for Norwegian write 'no' in quotes",
        )
        return None
    text = _text(ck, value, at)
    if text is None:
        return None
    if text in LANGUAGES:
        return text
    guess = suggest_language(text)
    extra = f"; did you mean '{guess}'?" if guess else ""
    hint = "use an ISO 639-1 code such as en, de, es, fr, it, pt"
    if "-" in text or "_" in text:
        hint = "put the region in language_tags, e.g. language_tags: {pt: pt-BR}"
    ck.error("config-bad-language", at, f"'{text}' is not a language code{extra}", hint=hint)
    return None


def _languages(ck: _Checker, value: object, at: KeyPath) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, "a list of language codes, e.g. [en, de]", value)
        return None
    if not value:
        ck.error("config-empty-value", at, "a show needs at least one language")
        return None
    found: list[str] = []
    for index, item in enumerate(value):
        code = _language(ck, item, (*at, index))
        if code is None:
            continue
        if code in found:
            ck.error("config-duplicate-language", (*at, index), f"'{code}' is listed twice")
            continue
        found.append(code)
    # The valid codes go on even when some were wrong (the error is already reported), so that
    # titles and tags are still checked against them in this same pass.
    return tuple(found) or None


def _default_language(
    ck: _Checker, show: dict[Any, Any], at: KeyPath, languages: tuple[str, ...]
) -> str | None:
    if show.get("default_language") is None:
        return languages[0] if languages else None
    value = _field(ck, show, "default_language", at, _language)
    if value is None:
        return None
    if languages and value not in languages:
        ck.error(
            "config-language-not-configured",
            (*at, "default_language"),
            f"'{value}' is not one of the show's languages ({', '.join(languages)})",
        )
        return None
    return value


def _language_tags(
    ck: _Checker, value: object, at: KeyPath, languages: tuple[str, ...]
) -> dict[str, str] | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    tags: dict[str, str] = {}
    for key, tag_value in mapping.items():
        child = (*at, _path_key(key))
        tag = _text(ck, tag_value, child)
        if not isinstance(key, str) or key not in languages:
            ck.error(
                "config-language-not-configured",
                child,
                f"'{key}' is not one of the show's languages ({', '.join(languages)})",
            )
        elif tag is not None and not BCP47.fullmatch(tag):
            ck.error(
                "config-bad-language-tag",
                child,
                f"'{tag}' is not a BCP 47 language tag",
                hint="write language-REGION, e.g. pt-BR or en-US",
            )
        elif tag is not None and tag.split("-")[0].lower() != key:
            ck.error(
                "config-bad-language-tag",
                child,
                f"'{tag}' is not a form of '{key}'",
                hint=f"the tag must start with '{key}-', e.g. {key}-{key.upper()}",
            )
        elif tag is not None:
            tags[key] = tag
    return tags


def _localized(
    ck: _Checker,
    value: object,
    at: KeyPath,
    languages: tuple[str, ...],
    default_language: str | None,
) -> dict[str, str] | None:
    """One text for all languages, or ``lang: text``; gaps take the default language's text."""
    if not isinstance(value, dict):
        text = _text(ck, value, at)
        return None if text is None else dict.fromkeys(languages, text)
    texts: dict[str, str] = {}
    for key, item in value.items():
        child = (*at, _path_key(key))
        text = _text(ck, item, child)
        if not isinstance(key, str) or (languages and key not in languages):
            ck.warning(
                "config-unused-translation",
                child,
                f"'{key}' is not one of the show's languages; this text is not used",
            )
        elif text is not None:
            texts[key] = text
    if default_language is None or not languages:
        return texts
    if default_language not in texts:
        ck.error(
            "config-missing-default-text",
            at,
            f"no text for the default language '{default_language}'",
            hint=f"add '{default_language}: ...' under this key",
        )
        return None
    for lang in languages:
        if lang not in texts:
            ck.warning(
                "config-missing-translation",
                at,
                f"no text for '{lang}'; the '{default_language}' text is used",
                hint=f"add '{lang}: ...' under this key",
            )
            texts[lang] = texts[default_language]
    return {lang: texts[lang] for lang in languages}


# --------------------------------------------------------------------------------------------
# Categories


def _categories(ck: _Checker, value: object, at: KeyPath) -> tuple[Category, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, "a list of categories, e.g. [Technology, Business > Management]", value)
        return None
    found: list[Category] = []
    for index, item in enumerate(value):
        child = (*at, index)
        for name, sub in _category_pairs(ck, item, child):
            category = _category(ck, name, sub, child)
            if category is not None and category not in found:
                found.append(category)
    return tuple(found)


def _category_pairs(ck: _Checker, item: object, at: KeyPath) -> list[tuple[str, str | None]]:
    """``"A > B"``, ``{A: B}``, ``{A: [B, C]}`` and ``{A: null}`` as (name, sub) pairs."""
    if isinstance(item, str):
        parts = [part.strip() for part in item.split(">")]
        if len(parts) > 2:
            ck.error("config-bad-category", at, f"'{item}': Apple categories have one level of sub")
            return []
        return [(parts[0], parts[1] if len(parts) == 2 else None)]
    if not isinstance(item, dict):
        ck.wrong_type(at, "a category name or {Category: Subcategory}", item)
        return []
    pairs: list[tuple[str, str | None]] = []
    for name, subs in item.items():
        if subs is None:
            pairs.append((str(name), None))
        elif isinstance(subs, str):
            pairs.append((str(name), subs))
        elif isinstance(subs, list) and all(isinstance(s, str) for s in subs):
            pairs.extend((str(name), s) for s in subs)
        else:
            ck.wrong_type((*at, _path_key(name)), "a subcategory or a list of them", subs)
    return pairs


def _category(ck: _Checker, name: str, sub: str | None, at: KeyPath) -> Category | None:
    """Check against Apple's list; a difference of case or ``and``/``&`` is corrected."""
    canonical = canonical_category(name)
    if canonical is None:
        guess = suggest_category(name)
        extra = f"; did you mean '{guess}'?" if guess else ""
        ck.error(
            "config-bad-category",
            at,
            f"'{name}' is not an Apple Podcasts category{extra}",
            hint="see https://podcasters.apple.com/support/1691-apple-podcasts-categories",
        )
        return None
    if sub is None:
        return Category(canonical)
    subs = APPLE_CATEGORIES[canonical]
    canonical_sub = canonical_subcategory(canonical, sub)
    if canonical_sub is not None:
        return Category(canonical, canonical_sub)
    if not subs:
        text = f"'{canonical}' has no subcategories"
    else:
        guess = suggest_subcategory(canonical, sub)
        extra = f"; did you mean '{guess}'?" if guess else ""
        text = f"'{sub}' is not a subcategory of '{canonical}'{extra}"
    ck.error(
        "config-bad-category",
        at,
        text,
        hint=f"subcategories of {canonical}: {', '.join(subs) or 'none'}",
    )
    return None


# --------------------------------------------------------------------------------------------
# Sections


def _config(ck: _Checker, data: object, path: Path) -> Config | None:
    if data is None:
        ck.error("config-empty", (), "the configuration is empty")
        return None
    if not isinstance(data, dict):
        ck.error(
            "config-not-mapping",
            (),
            f"expected a mapping of settings (output:, shows:, ...), got {_kind(data)}",
        )
        return None
    _check_keys(ck, data, TOP_KEYS, ())
    output = _or(_field(ck, data, "output", (), _output_template), DEFAULT_OUTPUT)
    lock = _or(_field(ck, data, "lock", (), _text), DEFAULT_LOCK)
    max_age = _or(_field(ck, data, "max_age", (), _duration), DEFAULT_MAX_AGE)
    site_dir = _or(_field(ck, data, "site_dir", (), _text), ".")
    http = _or(_field(ck, data, "http", (), _http), HttpConfig())
    guard = _or(_field(ck, data, "guard", (), _guard), GuardConfig())
    ping = _or(_field(ck, data, "ping", (), _ping), PingConfig())
    root = path.parent / site_dir
    if not root.is_dir():
        ck.error("config-missing-site-dir", ("site_dir",), f"folder '{root}' does not exist")
    shows = _field(ck, data, "shows", (), lambda c, v, p: _shows(c, v, p, root), required=True)
    if shows:
        _check_output(ck, output, shows)
        _check_feed_urls(ck, shows)
    if shows is None or any(p.level is Level.ERROR and p.code != PLACEHOLDER for p in ck.problems):
        return None
    return Config(
        path=path,
        shows=shows,
        output=output,
        lock=lock,
        max_age=max_age,
        http=http,
        guard=guard,
        ping=ping,
    )


def _output_template(ck: _Checker, value: object, at: KeyPath) -> str | None:
    return _template(ck, value, at, fields=("show", "lang"))


def _check_output(ck: _Checker, output: str, shows: tuple[Show, ...]) -> None:
    """Every feed needs a file of its own: two feeds on one path would overwrite each other."""
    if len(shows) > 1 and "{show}" not in output:
        ck.error("config-bad-template", ("output",), "must contain {show}: there are several shows")
    if any(len(s.languages) > 1 for s in shows) and "{lang}" not in output:
        ck.error(
            "config-bad-template", ("output",), "must contain {lang}: a show has several languages"
        )


def _check_feed_urls(ck: _Checker, shows: tuple[Show, ...]) -> None:
    seen: dict[str, str] = {}
    for index, show in enumerate(shows):
        urls = {show.feed_url_for(lang): lang for lang in show.languages}
        clash = next((url for url in urls if url in seen), None)
        if clash is not None:
            ck.error(
                "config-duplicate-feed-url",
                ("shows", index, "feed_url"),
                f"the '{urls[clash]}' feed has the same URL as the {seen[clash]} feed: {clash}",
                hint="put {show} and {lang} in feed_url",
            )
        seen.update({url: f"'{show.id}' '{lang}'" for url, lang in urls.items()})


def _http(ck: _Checker, value: object, at: KeyPath) -> HttpConfig | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, HTTP_KEYS, at)
    base = HttpConfig()
    timeout = _field(ck, mapping, "timeout", at, lambda c, v, p: _seconds(c, v, p, positive=True))
    concurrency = _field(ck, mapping, "concurrency", at, lambda c, v, p: _whole(c, v, p, 1))
    retries = _field(ck, mapping, "retries", at, lambda c, v, p: _whole(c, v, p, 0))
    retry_after = _field(
        ck, mapping, "max_retry_after", at, lambda c, v, p: _seconds(c, v, p, positive=False)
    )
    max_bytes = _field(ck, mapping, "max_bytes", at, lambda c, v, p: _whole(c, v, p, 1))
    budget = _field(
        ck, mapping, "retry_budget", at, lambda c, v, p: _seconds(c, v, p, positive=False)
    )
    return HttpConfig(
        timeout=_or(timeout, base.timeout),
        concurrency=_or(concurrency, base.concurrency),
        retries=_or(retries, base.retries),
        max_retry_after=_or(retry_after, base.max_retry_after),
        max_bytes=_or(max_bytes, base.max_bytes),
        retry_budget=_or(budget, base.retry_budget),
    )


def _share(ck: _Checker, value: object, at: KeyPath) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        ck.wrong_type(at, "a share between 0 and 1 (0.2 = 20%)", value)
        return None
    return float(value)


def _guard(ck: _Checker, value: object, at: KeyPath) -> GuardConfig | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, GUARD_KEYS, at)
    base = GuardConfig()
    share = _field(ck, mapping, "max_drop_share", at, _share)
    items = _field(ck, mapping, "max_drop_items", at, lambda c, v, p: _whole(c, v, p, 0))
    shrink = _field(ck, mapping, "allow_shrink", at, _bool)
    guid = _field(ck, mapping, "allow_guid_change", at, _bool)
    return GuardConfig(
        max_drop_share=_or(share, base.max_drop_share),
        max_drop_items=items,
        allow_shrink=_or(shrink, base.allow_shrink),
        allow_guid_change=_or(guid, base.allow_guid_change),
    )


def _ping(ck: _Checker, value: object, at: KeyPath) -> PingConfig | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, PING_KEYS, at)
    hubs_value = mapping.get("websub")
    hubs: list[str] = []
    if hubs_value is not None:
        items = hubs_value if isinstance(hubs_value, list) else [hubs_value]
        for i, item in enumerate(items):
            where = (*at, "websub", i) if isinstance(hubs_value, list) else (*at, "websub")
            url = _url(ck, item, where)
            if url:
                hubs.append(url)
    index = _field(ck, mapping, "podcastindex", at, _url)
    return PingConfig(websub=tuple(hubs), podcastindex=index)


def _shows(ck: _Checker, value: object, at: KeyPath, root: Path) -> tuple[Show, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, "a list of shows (lines starting with '- id: ...')", value)
        return None
    if not value:
        ck.error("config-empty-value", at, "at least one show is needed")
        return None
    shows: list[Show] = []
    ids: set[str] = set()
    for index, item in enumerate(value):
        show = _show(ck, item, (*at, index), root)
        if show is None:
            continue
        if show.id in ids:
            ck.error("config-duplicate-show-id", (*at, index, "id"), f"'{show.id}' is used twice")
        ids.add(show.id)
        shows.append(show)
    return tuple(shows) if len(shows) == len(value) else None


def _show(ck: _Checker, value: object, at: KeyPath, root: Path) -> Show | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, SHOW_KEYS, at)
    before = ck.error_count()
    show_id = _field(ck, mapping, "id", at, _slug, required=True)
    languages = _or(_field(ck, mapping, "languages", at, _languages, required=True), ())
    default_language = _default_language(ck, mapping, at, languages)

    def localized(c: _Checker, v: object, p: KeyPath) -> dict[str, str] | None:
        return _localized(c, v, p, languages, default_language)

    title = _field(ck, mapping, "title", at, localized, required=True)
    description = _field(ck, mapping, "description", at, localized, required=True)
    owner = _field(ck, mapping, "owner", at, _owner, required=True)
    author = _field(ck, mapping, "author", at, _text)
    image = _field(ck, mapping, "image", at, _image, required=True)
    categories = _field(ck, mapping, "categories", at, _categories)
    if "categories" not in mapping:
        ck.warning(
            "config-no-category",
            at,
            "no categories; Apple Podcasts requires one",
            hint="add e.g. 'categories: [Technology]'",
        )
    explicit = _field(ck, mapping, "explicit", at, _bool)
    show_type = _field(
        ck, mapping, "type", at, lambda c, v, p: _choice(c, v, p, ("episodic", "serial"))
    )
    copyright_ = _field(ck, mapping, "copyright", at, _text)
    site_url = _field(ck, mapping, "site_url", at, _site_url, required=True)
    link = _field(ck, mapping, "link", at, _url)
    episode_url = _field(
        ck, mapping, "episode_url", at, lambda c, v, p: _episode_url(c, v, p, site_url)
    )
    feed_url = _field(
        ck,
        mapping,
        "feed_url",
        at,
        lambda c, v, p: _feed_url(c, v, p, site_url, languages),
        required=True,
    )
    episodes = _field(ck, mapping, "episodes", at, _episodes, required=True)
    language_tags = _field(
        ck, mapping, "language_tags", at, lambda c, v, p: _language_tags(c, v, p, languages)
    )
    timezone = _field(ck, mapping, "timezone", at, _timezone)
    locked = _field(ck, mapping, "locked", at, _bool)
    apple_verify = _field(ck, mapping, "apple_verify", at, _text)
    missing_audio = _field(
        ck, mapping, "missing_audio", at, lambda c, v, p: _choice(c, v, p, ("warning", "error"))
    )
    allow_empty = _field(
        ck, mapping, "allow_empty", at, lambda c, v, p: _allow_empty(c, v, p, languages)
    )
    transistor = _field(ck, mapping, "transistor", at, _transistor)
    youtube = _field(ck, mapping, "youtube", at, _youtube)
    if ck.error_count() > before:
        return None
    _check_placeholders(ck, mapping, at)
    if (  # each None below has reported an error already; this narrows the types
        show_id is None
        or title is None
        or description is None
        or owner is None
        or image is None
        or site_url is None
        or feed_url is None
        or episodes is None
        or default_language is None
    ):
        return None
    if transistor and transistor.language and transistor.language not in languages:
        ck.error(
            "config-bad-language",
            (*at, "transistor", "language"),
            f"'{transistor.language}' is not one of this show's languages ({', '.join(languages)})",
            hint="name the language the Transistor show publishes in",
        )
        return None
    return Show(
        id=show_id,
        title=title,
        description=description,
        author=_or(author, owner.name),
        owner=owner,
        image=image,
        site_url=site_url,
        feed_url=feed_url,
        episodes=episodes,
        languages=languages,
        default_language=default_language,
        timezone=_or(timezone, DEFAULT_TIMEZONE),
        root=root,
        categories=_or(categories, ()),
        explicit=_or(explicit, False),
        type=_or(show_type, "episodic"),
        copyright=copyright_,
        link=_or(link, site_url),
        episode_url=_or(episode_url, "{site_url}{permalink}"),
        language_tags=_or(language_tags, {}),
        locked=locked,
        apple_verify=apple_verify,
        missing_audio=_or(missing_audio, "warning"),
        allow_empty=_or(allow_empty, ()),
        transistor=_or(transistor, TransistorConfig()),
        youtube=_or(youtube, YoutubeConfig()),
    )


def _allow_empty(
    ck: _Checker, value: object, at: KeyPath, languages: tuple[str, ...]
) -> tuple[str, ...] | None:
    """``true`` (every language), ``false``, or the languages whose feed may have no items."""
    if isinstance(value, bool):
        return languages if value else ()
    if not isinstance(value, list):
        ck.wrong_type(at, "true, false or a list of language codes", value)
        return None
    allowed: list[str] = []
    for index, item in enumerate(value):
        code = _language(ck, item, (*at, index))
        if code is not None and languages and code not in languages:
            ck.error(
                "config-language-not-configured",
                (*at, index),
                f"'{code}' is not one of the show's languages ({', '.join(languages)})",
            )
        elif code is not None and code not in allowed:
            allowed.append(code)
    return tuple(allowed)


# What `podfeed init` writes for a value the site did not give (see podfeed/init.py).
_PLACEHOLDER_HOSTS = ("://example.com/", "://example.com")
_PLACEHOLDER_KEYS: tuple[KeyPath, ...] = (
    ("title",),
    ("description",),
    ("author",),
    ("owner", "name"),
    ("owner", "email"),
    ("image",),
    ("site_url",),
    ("feed_url",),
)
# Placeholders that would be published as the show's identity: a feed titled "TODO" or owned by
# TODO@example.com must not reach a directory, so these are errors for the build (the
# configuration still loads: `check` and `init`'s next steps work while they are being filled).
_PLACEHOLDER_ERRORS: frozenset[KeyPath] = frozenset(
    {("title",), ("description",), ("owner", "name"), ("owner", "email")}
)
PLACEHOLDER = "config-placeholder"


def _is_placeholder(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.upper().startswith("TODO") or any(
        text.startswith(("https" + host, "http" + host)) for host in _PLACEHOLDER_HOSTS
    )


def _check_placeholders(ck: _Checker, mapping: dict[Any, Any], at: KeyPath) -> None:
    """Report the values `podfeed init` left for the user: they would be published as they are.

    A feed with ``TODO@example.com`` as the owner's address, or example.com artwork, is valid
    XML, so nothing else would notice before Apple or a listener does. One problem per show
    and level names every such key (init leaves several: one cause, one line), at the first.
    """
    found: dict[bool, list[tuple[KeyPath, str]]] = {True: [], False: []}
    for keys in _PLACEHOLDER_KEYS:
        value: object = mapping
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        texts = value.values() if isinstance(value, dict) else [value]
        placeholder = next((t for t in texts if _is_placeholder(t)), None)
        if isinstance(placeholder, str):
            found[keys in _PLACEHOLDER_ERRORS].append((keys, placeholder))
    name = mapping.get("id")
    show = f"show {name}" if isinstance(name, str) else "the show"
    for is_error, entries in found.items():
        if not entries:
            continue
        values = ", ".join(f"{'.'.join(map(str, k))} {v!r}" for k, v in entries)
        count = "a placeholder" if len(entries) == 1 else f"{len(entries)} placeholders"
        text = f"{show} still has {count} podfeed init wrote: {values}"
        if is_error:
            text += "; a directory would publish it as the show's own"
        report = ck.error if is_error else ck.warning
        report(
            PLACEHOLDER,
            (*at, *entries[0][0]),
            text,
            hint="replace each with the show's real value (podfeed init marks them TODO)",
        )


def _owner(ck: _Checker, value: object, at: KeyPath) -> Owner | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, OWNER_KEYS, at)
    name = _field(ck, mapping, "name", at, _text, required=True)
    email = _field(ck, mapping, "email", at, _email, required=True)
    if name is None or email is None:
        return None
    return Owner(name=name, email=email)


def _episode_url(ck: _Checker, value: object, at: KeyPath, site_url: str | None) -> str | None:
    fields = ("site_url", "permalink", "lang", "show")
    template = _template(ck, value, at, fields=fields, required=("permalink",))
    if template is None:
        return None
    sample = template.format(**{**SAMPLE, "site_url": site_url or SAMPLE["site_url"]})
    if not _is_absolute_url(sample):
        ck.error(
            "config-bad-url",
            at,
            f"does not give an absolute URL (e.g. '{sample}')",
            hint="start it with {site_url} or https://",
        )
        return None
    return template


def _feed_url(
    ck: _Checker, value: object, at: KeyPath, site_url: str | None, languages: tuple[str, ...]
) -> str | None:
    required = ("lang",) if len(languages) > 1 else ()
    template = _template(ck, value, at, fields=("show", "lang", "site_url"), required=required)
    if template is None:
        return None
    sample = template.format(**{**SAMPLE, "site_url": site_url or SAMPLE["site_url"]})
    if not _is_absolute_url(sample):
        ck.error(
            "config-bad-url",
            at,
            f"does not give an absolute URL (e.g. '{sample}')",
            hint="write the public address of the feed, e.g. https://example.org/feeds/{lang}.xml",
        )
        return None
    return template


def _episodes(ck: _Checker, value: object, at: KeyPath) -> tuple[str, ...] | None:
    if isinstance(value, str):
        pattern = _glob(ck, value, at)
        return None if pattern is None else (pattern,)
    if not isinstance(value, list):
        ck.wrong_type(at, "a glob pattern or a list of them", value)
        return None
    if not value:
        ck.error("config-empty-value", at, "at least one pattern is needed")
        return None
    patterns = [_glob(ck, item, (*at, index)) for index, item in enumerate(value)]
    valid = tuple(p for p in patterns if p is not None)
    return valid if len(valid) == len(patterns) else None


def _transistor(ck: _Checker, value: object, at: KeyPath) -> TransistorConfig | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, TRANSISTOR_KEYS, at)
    return TransistorConfig(
        feed_url=_field(ck, mapping, "feed_url", at, _url),
        share_url=_or(_field(ck, mapping, "share_url", at, _base_url), DEFAULT_SHARE_URL),
        api_url=_or(_field(ck, mapping, "api_url", at, _base_url), DEFAULT_API_URL),
        show_id=_field(ck, mapping, "show_id", at, _text),
        language=_field(ck, mapping, "language", at, _language),
    )


def _youtube(ck: _Checker, value: object, at: KeyPath) -> YoutubeConfig | None:
    mapping = _mapping(ck, value, at)
    if mapping is None:
        return None
    _check_keys(ck, mapping, YOUTUBE_KEYS, at)
    return YoutubeConfig(
        check=_or(_field(ck, mapping, "check", at, _bool), False),
        oembed_url=_or(_field(ck, mapping, "oembed_url", at, _url), DEFAULT_YOUTUBE_OEMBED_URL),
    )
