"""The checker's working parts: the problem collector, and one converter per kind of value.

Each converter takes the collector, the value as YAML gave it and its key path, and returns the
checked value, or ``None`` after reporting why it is not one (with the key path and the line).
Which converter a key gets, the numbers it checks against and the phrase a wrong type is
called by come from the table (:mod:`podfeed.config.table`), through :func:`converter`.
"""

from __future__ import annotations

import difflib
import re
import string
import zoneinfo
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from podfeed.config import table
from podfeed.config.source import KeyPath, SourceMap, path_key
from podfeed.problems import Level, Problem, error, warning

T = TypeVar("T")
Converter = Callable[["Checker", object, KeyPath], T | None]

SLUG = re.compile(table.SLUG_PATTERN)
EMAIL = re.compile(table.EMAIL_PATTERN)
DURATION = re.compile(table.DURATION_PATTERN)
DURATION_PART = re.compile(r"(\d+)\s*([smhdw])")
# Keys that hold credentials. Credentials in a committed file leak; podfeed reads them only from
# the environment, so such a key is refused outright (never echoed back in the message).
SECRET_KEY = re.compile(r"api[_-]?key|apikey|secret|password|passwd|token", re.IGNORECASE)
TRUE_WORDS = frozenset(table.TRUE_WORDS)
FALSE_WORDS = frozenset(table.FALSE_WORDS)


# --------------------------------------------------------------------------------------------
# The checker: collects problems, knows lines


def _dotted(key_path: KeyPath) -> str:
    """``('shows', 0, 'languages', 2)`` → ``shows[0].languages[2]``."""
    out = ""
    for key in key_path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


@dataclass
class Checker:
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
        self.error("config-wrong-type", key_path, f"expected {expected}, got {kind(value)}")


def kind(value: object) -> str:
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


def suggest(word: str, choices: Collection[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def check_keys(ck: Checker, mapping: dict[Any, Any], allowed: Collection[str], at: KeyPath) -> None:
    """Unknown keys are errors (a typo would silently drop what it holds); secrets are refused."""
    for key in mapping:
        name = str(key)
        child = (*at, path_key(key))
        if SECRET_KEY.search(name):
            ck.error(
                "config-secret",
                child,
                "credentials are never read from the configuration file; the Transistor API key "
                "is read only from the TRANSISTOR_API_KEY environment variable",
                hint="delete this key (and rotate the key if the file was ever committed)",
            )
        elif name not in allowed:
            guess = suggest(name, allowed)
            text = f"unknown key; did you mean '{guess}'?" if guess else "unknown key"
            ck.error("config-unknown-key", child, text, hint=f"known keys: {', '.join(allowed)}")


def read_key(
    ck: Checker,
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


def or_default(value: T | None, default: T) -> T:
    return default if value is None else value


# --------------------------------------------------------------------------------------------
# Scalar converters: each returns None after reporting a problem


def as_mapping(ck: Checker, value: object, at: KeyPath) -> dict[Any, Any] | None:
    if isinstance(value, dict):
        return value
    ck.wrong_type(at, table.MAPPING.expected, value)
    return None


def as_text(ck: Checker, value: object, at: KeyPath) -> str | None:
    """Text exactly as written: ``copyright: 2024`` is the text ``2024``, not a number."""
    if isinstance(value, str):
        if not value.strip():
            ck.error("config-empty-value", at, "must not be empty")
            return None
        return value
    if isinstance(value, bool | int | float | date):
        return ck.source.raw.get(at, str(value))
    ck.wrong_type(at, table.TEXT.expected, value)
    return None


def as_bool(ck: Checker, value: object, at: KeyPath) -> bool | None:
    """``true``/``false``; quoted ``"yes"``/``"no"`` too (YAML 1.1 already reads bare yes/no)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    ck.wrong_type(at, table.BOOLEAN.expected, value)
    return None


def as_whole(ck: Checker, value: object, at: KeyPath, minimum: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        ck.wrong_type(at, table.whole(minimum).expected, value)
        return None
    if value < minimum:
        ck.error("config-out-of-range", at, f"must be at least {minimum}, got {value}")
        return None
    return value


def as_seconds(ck: Checker, value: object, at: KeyPath, *, positive: bool) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        ck.wrong_type(at, table.seconds(positive=positive).expected, value)
        return None
    if value < 0 or (positive and value == 0):
        limit = "more than 0" if positive else "at least 0"
        ck.error("config-out-of-range", at, f"must be {limit}, got {value}")
        return None
    return float(value)


def as_choice(ck: Checker, value: object, at: KeyPath, choices: tuple[str, ...]) -> str | None:
    text = as_text(ck, value, at)
    if text is None:
        return None
    if text.strip().lower() in choices:
        return text.strip().lower()
    guess = suggest(text.strip().lower(), choices)
    extra = f"; did you mean '{guess}'?" if guess else ""
    ck.error(
        "config-invalid-value",
        at,
        f"'{text}' is not one of {', '.join(choices)}{extra}",
    )
    return None


def as_duration(ck: Checker, value: object, at: KeyPath) -> int | None:
    """Seconds as a whole number, or text like ``7d``, ``12h``, ``30m``, ``1d12h``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return as_whole(ck, value, at, 0)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if DURATION.fullmatch(text):
            return sum(int(n) * table.UNIT_SECONDS[unit] for n, unit in DURATION_PART.findall(text))
        ck.error(
            "config-invalid-value",
            at,
            f"'{value}' is not a duration",
            hint="give seconds (604800) or a number with a unit: s, m, h, d or w (7d, 12h, 30m)",
        )
        return None
    ck.wrong_type(at, table.DURATION.expected, value)
    return None


def as_url(ck: Checker, value: object, at: KeyPath) -> str | None:
    """An absolute ``http(s)://`` URL with a host."""
    text = as_text(ck, value, at)
    if text is None:
        return None
    text = text.strip()
    if not is_absolute_url(text):
        ck.error(
            "config-bad-url",
            at,
            f"'{text}' is not an absolute http(s) URL",
            hint="write the full address, starting with https://",
        )
        return None
    return text


def is_absolute_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


def as_base_url(ck: Checker, value: object, at: KeyPath) -> str | None:
    """A service base URL; the trailing slash is dropped so paths can be appended with '/'."""
    url = as_url(ck, value, at)
    return url.rstrip("/") if url is not None else None


def as_site_url(ck: Checker, value: object, at: KeyPath) -> str | None:
    """The site URL always ends with ``/`` so ``{site_url}{permalink}`` joins cleanly."""
    url = as_url(ck, value, at)
    return url if url is None or url.endswith("/") else url + "/"


def as_image(ck: Checker, value: object, at: KeyPath) -> str | None:
    url = as_url(ck, value, at)
    if url is not None and url.startswith("http://"):
        ck.warning(
            "config-insecure-url",
            at,
            "artwork is served over http; Apple Podcasts requires https",
            hint="serve the image over https and change the URL",
        )
    return url


def as_email(ck: Checker, value: object, at: KeyPath) -> str | None:
    text = as_text(ck, value, at)
    if text is not None and not EMAIL.fullmatch(text.strip()):
        ck.error("config-bad-email", at, f"'{text}' is not an email address")
        return None
    return text.strip() if text is not None else None


def as_slug(ck: Checker, value: object, at: KeyPath) -> str | None:
    text = as_text(ck, value, at)
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


def as_template(
    ck: Checker,
    value: object,
    at: KeyPath,
    *,
    fields: tuple[str, ...],
    required: tuple[str, ...] = (),
) -> str | None:
    """A ``str.format`` template using only ``fields``, and all of ``required``."""
    text = as_text(ck, value, at)
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
            guess = suggest(name, fields)
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


def as_glob(ck: Checker, value: object, at: KeyPath) -> str | None:
    """A pattern relative to the site folder that cannot reach outside it."""
    text = as_text(ck, value, at)
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


def as_timezone(ck: Checker, value: object, at: KeyPath) -> str | None:
    text = as_text(ck, value, at)
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


def as_share(ck: Checker, value: object, at: KeyPath) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        ck.wrong_type(at, table.SHARE.expected, value)
        return None
    return float(value)


def as_globs(ck: Checker, value: object, at: KeyPath) -> tuple[str, ...] | None:
    """One glob pattern or a non-empty list of them."""
    if isinstance(value, str):
        pattern = as_glob(ck, value, at)
        return None if pattern is None else (pattern,)
    if not isinstance(value, list):
        ck.wrong_type(at, table.GLOBS.expected, value)
        return None
    if not value:
        ck.error("config-empty-value", at, "at least one pattern is needed")
        return None
    patterns = [as_glob(ck, item, (*at, index)) for index, item in enumerate(value)]
    valid = tuple(p for p in patterns if p is not None)
    return valid if len(valid) == len(patterns) else None


def as_urls(ck: Checker, value: object, at: KeyPath) -> tuple[str, ...] | None:
    """One URL or a list of them; the valid ones go on (each wrong one is reported)."""
    items = value if isinstance(value, list) else [value]
    urls = []
    for index, item in enumerate(items):
        url = as_url(ck, item, (*at, index) if isinstance(value, list) else at)
        if url:
            urls.append(url)
    return tuple(urls)
