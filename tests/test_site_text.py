"""Text made safe for XML and for messages (podfeed/site/text.py)."""

from __future__ import annotations

import pytest

from podfeed.site.text import clip, strip_xml_invalid
from tests.test_notes import is_xml_char

# Python stores a string as 1, 2 or 4 bytes a character, and the quick test for "nothing to strip"
# takes a different route for ASCII, other text and lone surrogates: every route is checked.
WIDTHS = {"ascii": "plain", "latin-1": "caf\u00e9", "bmp": "it\u2019s", "astral": "\U0001f399"}


@pytest.mark.parametrize("sample", WIDTHS.values(), ids=WIDTHS.keys())
def test_strip_xml_invalid_agrees_with_the_definition_for_every_special_character(
    sample: str,
) -> None:
    specials = [*range(0x100), *range(0xD7F0, 0xE010), *range(0xFFB0, 0x10000), 0x10FFFF]
    for code in specials:
        text = f"{sample}\n{chr(code)} {sample}"
        expected = "".join(c for c in text if is_xml_char(c))
        assert strip_xml_invalid(text) == expected, hex(code)


def test_strip_xml_invalid_keeps_clean_text_as_it_is() -> None:
    text = "Caf\u00e9\t\u2019s\r\n\u00a0\ufffd\U0001f399"
    assert strip_xml_invalid(text) is text


def test_strip_xml_invalid_removes_exactly_what_xml_forbids() -> None:
    candidates = [chr(c) for c in range(0x20)] + ["\ud800", "\udfff", "\ufffe", "\uffff"]
    allowed = [
        "\t",
        "\n",
        "\r",
        " ",
        "\x7f",
        "\x85",
        "\ufffd",
        "\ue000",
        "\U0001f399",
        "\U0010ffff",
    ]
    assert strip_xml_invalid("".join(candidates + allowed)) == "\t\n\r" + "".join(allowed)


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("short") == "short"
    assert clip("x" * 80) == "x" * 80
    assert clip("x" * 81) == "x" * 77 + "..."
