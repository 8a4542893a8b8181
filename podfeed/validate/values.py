"""Value types of the feed vocabulary: what a text or attribute value must look like.

Each :class:`ValueType` is a name people understand ("a whole number from 1 to 144"), an
example, and a check that says why a value is wrong, or that it is fine. A check may also
return a :class:`Verdict` at warning level: the value is accepted by readers but not in the
form the specifications recommend (an e-mail address without a name, the hour 24 for
midnight). :mod:`podfeed.validate.vocabulary` names one type per element and attribute.

Most types are RSS 2.0's, judged by the generic element-value and attribute-value rules. The
types of Apple's and Podcasting 2.0's values (a duration, an episode type, ``podcast:locked``...)
are judged by the rule the table names for them, in that rule's words: ``fix`` says how to
write the value (``{name}`` stands for the element), and a verdict may carry a fix of its own
(a suggestion).

>>> INTEGER_NONNEGATIVE.check("12.0").reason
'is not a whole number'
>>> CONTACT.check("jo@example.com (Jo)") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.entities import html5

import langcodes

from podfeed.config.lists import LANGUAGES, suggest_language
from podfeed.problems import Level

__all__ = [
    "APPLE_LANGUAGE",
    "BOOLEAN",
    "BYTES",
    "CLOUD_PROTOCOL",
    "CONTACT",
    "DAY",
    "DURATION",
    "EMAIL",
    "EPISODE_DECIMAL",
    "EPISODE_NUMBER",
    "EPISODE_TYPE",
    "EXPLICIT",
    "EXPLICIT_OLD",
    "FORM_NAME",
    "HOUR",
    "IMAGE_HEIGHT",
    "IMAGE_URL",
    "IMAGE_WIDTH",
    "INTEGER_NONNEGATIVE",
    "INTEGER_POSITIVE",
    "KEYWORDS",
    "LANGUAGE",
    "LOCKED",
    "MIME_TYPE",
    "PORT",
    "SEASON",
    "SHOW_TYPE",
    "UUID",
    "YES_NO",
    "ValueType",
    "Verdict",
    "markup_in_text",
]


@dataclass(frozen=True)
class Verdict:
    """Why a value is wrong (``level`` None: at the element's rule level) or merely unusual;
    ``fix``: how to fix this value, when it says more than the type's fix (a suggestion)."""

    reason: str
    level: Level | None = None
    fix: str | None = None


@dataclass(frozen=True)
class ValueType:
    """A named kind of value with its check (None: the value is fine), and, for a type a
    dedicated rule judges, how that rule says to fix a value (``{name}``: the element)."""

    name: str
    example: str
    check: Callable[[str], Verdict | None]
    fix: str | None = None

    def advice(self, name: str) -> str:
        """How to fix a wrong value of element ``name``: the type's own fix, or the type's
        name and example."""
        if self.fix is not None:
            return self.fix.format(name=name)
        return f"Write {self.name}, e.g. <{name}>{self.example}</{name}>."


def _integer(low: int, high: int | None, *, name: str, example: str) -> ValueType:
    def check(value: str) -> Verdict | None:
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            return Verdict("is not a whole number")
        number = int(text)
        if number < low or (high is not None and number > high):
            return Verdict(f"is not {name.removeprefix('a ')}")
        return None

    return ValueType(name, example, check)


INTEGER_NONNEGATIVE = _integer(0, None, name="a whole number", example="42")
INTEGER_POSITIVE = _integer(1, None, name="a whole number above 0", example="60")
PORT = _integer(1, 65535, name="a port number from 1 to 65535", example="80")
# RSS 2.0, <image>: "Maximum value for width is 144, default value is 88"; height 400 and 31.
IMAGE_WIDTH = _integer(1, 144, name="a whole number from 1 to 144", example="88")
IMAGE_HEIGHT = _integer(1, 400, name="a whole number from 1 to 400", example="31")


def _hour(value: str) -> Verdict | None:
    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > 24:
        return Verdict("is not an hour from 0 to 23")
    if int(text) == 24:
        # RSS 0.91 numbered the hours 1 to 24; RSS 2.0 says 0 to 23 (GMT), and 24 is midnight.
        return Verdict("is 24, an old way to write midnight", Level.WARNING)
    return None


HOUR = ValueType("an hour from 0 to 23 (GMT)", "0", _hour)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY = ValueType(
    "a day name (Monday ... Sunday)",
    "Saturday",
    lambda value: None if value.strip() in _DAYS else Verdict("is not one of " + ", ".join(_DAYS)),
)


def _enumeration(name: str, values: tuple[str, ...], *, fold: bool) -> ValueType:
    allowed = {v.lower() if fold else v for v in values}

    def check(value: str) -> Verdict | None:
        text = value.strip().lower() if fold else value.strip()
        return None if text in allowed else Verdict(f"is not {' or '.join(values)}")

    return ValueType(name, values[0], check)


BOOLEAN = _enumeration("true or false", ("true", "false"), fold=False)
# Apple: "Specifying any value other than Yes has no effect" (itunes:block, itunes:complete).
YES_NO = _enumeration("Yes or No", ("Yes", "No"), fold=True)
# RSS 2.0, <cloud>: the procedure-call protocols a cloud can use.
CLOUD_PROTOCOL = _enumeration(
    "xml-rpc, soap or http-post", ("xml-rpc", "soap", "http-post"), fold=False
)

# <textInput><name>: "The name of the text object in the text input area" - an HTML form
# control name, which readers put in a query string: a letter, then letters, digits, - _ : .
_FORM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]*")
FORM_NAME = ValueType(
    "a form field name (a letter, then letters, digits, - _ : .)",
    "q",
    lambda value: None if _FORM_NAME.fullmatch(value.strip()) else Verdict("is not a form name"),
)

# --- e-mail contacts (managingEditor, webMaster, item author) ----------------------------------

_ADDRESS = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_ADDRESS_FIRST = re.compile(rf"({_ADDRESS})(?:\s*\((?P<name>[^()]*)\))?")
_ANYWHERE = re.compile(_ADDRESS)
_ANGLE = re.compile(rf"[^<>()]*<\s*{_ADDRESS}\s*>")
_COMMA = re.compile(rf"[^,()<>@]+,\s*{_ADDRESS}")


def _contact(value: str) -> Verdict | None:
    """RSS 2.0 asks for an e-mail address; the RSS Best Practices Profile recommends
    ``jo@example.com (Jo Doe)``. A ``mailto:`` URI (RFC 2368) is an address too."""
    text = value.strip()
    if text.lower().startswith("mailto:"):
        return None
    match = _ADDRESS_FIRST.fullmatch(text)
    if match is not None:
        if not (match.group("name") or "").strip():
            return Verdict("has no name after the address", Level.WARNING)
        return None
    if _ANGLE.fullmatch(text) or _COMMA.fullmatch(text):
        return Verdict("is not in the form address (Name)", Level.WARNING)
    # RSS 2.0 asks for an address, but hosts write a name alone and every reader shows it:
    # warnings, so that a feed Apple takes does not fail here.
    if _ANYWHERE.search(text) is None:
        return Verdict("has no e-mail address", Level.WARNING)
    return Verdict("does not start with the e-mail address", Level.WARNING)


CONTACT = ValueType("an e-mail address and a name", "jo@example.com (Jo Doe)", _contact)

# --- language ------------------------------------------------------------------------------

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


@functools.lru_cache(maxsize=64)
def _language(value: str) -> Verdict | None:
    """RSS 2.0 <language>: a language code as W3C defines them (RFC 1766, now BCP 47), checked
    against the IANA registry by langcodes; Apple's stricter two-letter rule is apple-language."""
    text = value.strip()
    if not _LANGUAGE_TAG.fullmatch(text) or not langcodes.tag_is_valid(text):
        return Verdict("is not a language code")
    return None


LANGUAGE = ValueType("a language code such as en or en-us", "en-us", _language)

# --- image URLs ----------------------------------------------------------------------------

_IMAGE_EXTENSION = re.compile(r"\.([A-Za-z0-9]{2,5})$")


def _image_url(value: str) -> Verdict | None:
    """RSS 2.0 <image><url>: "the URL of a GIF, JPEG or PNG image". Only a path whose
    extension names another format is reported (many image URLs have no extension)."""
    path = value.strip().split("?", 1)[0].split("#", 1)[0]
    match = _IMAGE_EXTENSION.search(path.rsplit("/", 1)[-1])
    if match and match.group(1).lower() not in ("gif", "jpg", "jpeg", "png"):
        return Verdict(f"names a .{match.group(1)} file, not GIF, JPEG or PNG", Level.WARNING)
    return None


IMAGE_URL = ValueType(
    "the URL of a GIF, JPEG or PNG image", "https://example.com/logo.png", _image_url
)

# --- itunes:keywords -------------------------------------------------------------------------


def _keywords(value: str) -> Verdict | None:
    """Comma-separated words; sentence punctuation means prose was pasted in."""
    if re.search(r"[.;!?]\s*$|[.;!?]\s", value.strip()):
        return Verdict("reads like a sentence, not a list of words", Level.WARNING)
    return None


KEYWORDS = ValueType("comma-separated keywords", "science, space, rockets", _keywords)

# --- HTML in plain text --------------------------------------------------------------------

_TAG_START = re.compile(r"<[A-Za-z/!?]")
_REFERENCE = re.compile(r"&(#[0-9]*;?|#[xX][0-9A-Fa-f]*;?|[A-Za-z][A-Za-z0-9]*;?)")


def markup_in_text(value: str) -> str | None:
    """What makes a plain-text value look like HTML to a reader that renders it, or None.

    A tag start (``<b``, ``</``) or a character reference that HTML would decode (``&amp;``,
    ``&#38;``, ``&omega``); ``AT&T`` and ``Fish & Chips`` are plain text.

    >>> markup_in_text("AT&T and M&S"), markup_in_text("alpha&omega"), markup_in_text("<b>x</b>")
    (None, "a character reference '&omega'", 'HTML markup')
    """
    if _TAG_START.search(value):
        return "HTML markup"
    for match in _REFERENCE.finditer(value):
        name = match.group(1)
        if name.startswith("#") or name in html5 or (name + ";") in html5:
            return f"a character reference {match.group(0)!r}"
    return None


# --- Apple's and Podcasting 2.0's values, each judged by its own rule ----------------------------
# Each is read without the spaces around it (value-whitespace reports those).


def _pattern(name: str, example: str, pattern: str, reason: str, fix: str) -> ValueType:
    compiled = re.compile(pattern)
    return ValueType(
        name,
        example,
        lambda value: None if compiled.fullmatch(value.strip()) else Verdict(reason),
        fix,
    )


def _one_of(name: str, values: tuple[str, ...], reason: str, fix: str, *, empty: bool) -> ValueType:
    """Compared without regard to case (Apple documents lower case, some hosts write "Full");
    ``empty``: an empty value is fine (it means the default)."""

    def check(value: str) -> Verdict | None:
        text = value.strip().lower()
        return None if text in values or (empty and not text) else Verdict(reason)

    return ValueType(name, values[0], check, fix)


# Seconds (fractions tolerated: readers accept them), M:SS / MM:SS, or H:MM:SS / HH:MM:SS.
DURATION = _pattern(
    "seconds, MM:SS or HH:MM:SS",
    "1801",
    r"[0-9]+(?:\.[0-9]+)?|[0-9]+:[0-5][0-9]|[0-9]+:[0-5][0-9]:[0-5][0-9]",
    "is not seconds, MM:SS or HH:MM:SS",
    "Write the length in whole seconds, e.g. <itunes:duration>1801</itunes:duration>.",
)
# Empty means the default (full), as Apple documents: itunes-episode-type says so once for
# the whole feed, not once per item.
EPISODE_TYPE = _one_of(
    "full, trailer or bonus",
    ("full", "trailer", "bonus"),
    "is not one of full, trailer, bonus",
    "Write full (a normal episode), trailer or bonus.",
    empty=True,
)
SHOW_TYPE = _one_of(
    "episodic or serial",
    ("episodic", "serial"),
    "is not episodic or serial",
    "Write episodic (newest first) or serial (oldest first).",
    empty=False,
)
LOCKED = _one_of(
    "yes or no",
    ("yes", "no"),
    "is not yes or no",
    "Write <podcast:locked>yes</podcast:locked> to stop other hosts importing the feed, or no.",
    empty=False,
)


def _positive(value: str) -> Verdict | None:
    text = value.strip()
    if re.fullmatch(r"[0-9]+", text) and int(text) > 0:
        return None
    return Verdict("is not a positive whole number")


EPISODE_NUMBER = ValueType(
    "a positive whole number", "3", _positive, "Write the number only, e.g. <{name}>3</{name}>."
)
EPISODE_DECIMAL = _pattern(
    "a number (decimals allowed)",
    "3",
    r"[0-9]+(?:\.[0-9]+)?",
    "is not a number",
    'Write the number only (e.g. 3 or 315.5); put a label in the display="" attribute.',
)
SEASON = _pattern(
    "a whole number",
    "2",
    r"[0-9]+",
    "is not a whole number",
    'Write the season number only; put a label in the name="" attribute.',
)
UUID = _pattern(
    "a UUID",
    "9b024349-ccf0-5f69-a609-6b82873eab3c",
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "is not a UUID",
    "Use the UUIDv5 of the feed URL (namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6, URL "
    "without https:// and trailing slashes), or the guid Podcast Index assigned.",
)
# itunes:email is a bare address, unlike RSS 2.0's contacts (CONTACT).
EMAIL = _pattern(
    "an e-mail address",
    "jane@example.com",
    r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}",
    "is not an email address",
    "Write only the address, e.g. <itunes:email>jane@example.com</itunes:email>.",
)
# Apple documents true and false; these older values are still read (apple-explicit-deprecated).
EXPLICIT_OLD = {"yes": "true", "explicit": "true", "no": "false", "clean": "false"}
EXPLICIT = _one_of(
    "true or false",
    ("true", "false", *EXPLICIT_OLD),
    "is not true or false",
    "Write <itunes:explicit>true</itunes:explicit> or <itunes:explicit>false</itunes:explicit>.",
    empty=False,
)
BYTES = _pattern(
    "a whole number of bytes",
    "24986112",
    r"[0-9]+",
    "is not a whole number of bytes",
    "Write the file size in bytes, digits only (e.g. 24986112).",
)
MIME_TYPE = _pattern(
    "a MIME type",
    "audio/mpeg",
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?",
    "is not a MIME type",
    'Write a MIME type such as "audio/mpeg" (MP3) or "audio/x-m4a" (M4A).',
)

_APPLE_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(-[A-Za-z0-9]{1,8})*")


def _apple_language(value: str) -> Verdict | None:
    """Apple: an ISO 639 code, optionally with a region (en, en-us, pt-BR)."""
    text = value.strip()
    match = _APPLE_LANGUAGE_TAG.fullmatch(text)
    if match is not None and match.group(1).lower() in LANGUAGES:
        return None
    suggestion = suggest_language(text) if text else None
    return Verdict(
        "is not an ISO 639 language code",
        fix=(f"Did you mean {suggestion!r}? " if suggestion else "")
        + "Use a two-letter code with an optional region: en, en-us, pt-BR.",
    )


APPLE_LANGUAGE = ValueType("an ISO 639 language code", "en", _apple_language)
