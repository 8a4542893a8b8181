"""Text made safe to show: in XML (:func:`strip_xml_invalid`) and in a message (:func:`clip`).

Every text an episode file gives (front-matter values, include arguments, rendered notes) ends
up in a feed, where one character XML 1.0 forbids makes the whole feed ill-formed; and values
quoted in problem messages are clipped so that one long value does not flood the report.
"""

from __future__ import annotations

import re

__all__ = ["clip", "strip_xml_invalid"]

# XML 1.0 "Char": #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_xml_invalid(text: str) -> str:
    """Remove what XML 1.0 forbids: C0 controls but \\t \\n \\r, U+FFFE, U+FFFF, surrogates.

    lxml refuses such text and a feed containing it is not XML at all, so one stray control
    character in one episode would break the whole feed.

    >>> strip_xml_invalid("a\\x00b\\x0bc\\td\\ufffe\u00e9 \U0001f399")
    'abc\\td\u00e9 \U0001f399'
    """
    if text.isprintable() or _is_xml_clean(text):  # every forbidden character is unprintable
        return text
    return _XML_INVALID.sub("", text)


# The forbidden characters below U+0080 (all C0 controls but tab, line feed, carriage return).
_FORBIDDEN_C0 = bytes(code for code in range(0x20) if code not in b"\t\n\r")


def _is_xml_clean(text: str) -> bool:
    """True when ``text`` certainly has nothing to strip; ``False`` means "scan it".

    Nearly all text is clean, and these C-level passes cost a fraction of the regex scan (which
    visits every character in Python's regex engine): a lone surrogate cannot be encoded, a C0
    control survives into the UTF-8 bytes as itself, and U+FFFE and U+FFFF are searched for.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    if len(data.translate(None, _FORBIDDEN_C0)) != len(data):
        return False
    return text.isascii() or ("\ufffe" not in text and "\uffff" not in text)


def clip(text: str, limit: int = 80) -> str:
    """``text`` for a message: at most ``limit`` characters, ending with ``...`` when cut.

    >>> clip("a" * 100, 10)
    'aaaaaaa...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."
