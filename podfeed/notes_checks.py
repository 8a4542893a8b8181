"""Checks of an episode's show notes that a podcaster wants before publishing; they change nothing.

- Machine-translation chatter: sites that translate their notes with a chatbot keep what it
  said besides the translation ("Translate the following to German:", "Sure, I'd be happy to
  help", "Please provide the text you want to translate", and the same in the other
  languages). Listeners see it in every app. The real corpus has it in its de, es, fr, it and
  pt files.
- A link to the episode's own video in the notes: podfeed adds a "Watch on YouTube" link to
  every item with a video, so the listener would see the link twice.

Both scan the Markdown source, so each finding names the line to edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["chatter_lines", "video_link_line"]

# Cheap first look (substrings of the lower-cased body) before the line patterns run: most
# bodies hold none of them, and the 18,000 files of a large site are read on every cold build.
_HINTS = ("translat", "tradu", "übersetz", "happy to", "provide", "proporciona")

_LEAD = r"^[ \t>#*_\-]*"  # Markdown marks a line may start with
_CHATTER = re.compile(
    _LEAD
    + r"(?:"
    # English: the prompt, the chatbot's politeness, its questions, its announcements
    + r"translate (?:the following|this|that)\b[^\n]*?\bto\b"
    + r"|(?:sure|certainly|of course)[,!.]?[ \t]+(?:i'?d|i can|i will|i'll|here|please)\b"
    + r"|i'?d be (?:happy|glad) to (?:help|assist)"
    + r"|here(?:'s| is) (?:the|a|your) translation"
    + r"|[^\n]*\bplease (?:provide|give me|share|specify)\b[^\n]*\b(?:text|phrase|sentence)"
    + r"|you did(?:n't| not) (?:provide|give)(?: me)? (?:a|any) (?:text|phrase)"
    # German
    + r"|übersetzung(?: ins \w+)?[ \t]*:"
    + r"|(?:hier ist die|gerne,? hier ist die) übersetzung"
    # Spanish
    + r"|tradu(?:zca|ce|cir)\b[^\n]*\b(?:siguiente|al español)"
    + r"|(?:esta es|aquí está|aquí tienes) la traducción"
    + r"|[^\n]*\bproporciona el texto\b"
    # French
    + r"|traduction[ \t]*:"
    + r"|tradui(?:sez|re)\b[^\n]*\bsuivant"
    + r"|voici la traduction"
    # Italian
    + r"|traduzione[ \t]*:"
    + r"|tradu(?:rre|ci)\b[^\n]*\b(?:seguente|in italiano)"
    + r"|ecco la traduzione"
    # Portuguese
    + r"|tradução[ \t]*:"
    + r"|tradu(?:zir|za)\b[^\n]*\b(?:seguinte|para o português|para português)"
    + r"|aqui está a tradução"
    + r")",
    re.IGNORECASE | re.MULTILINE,
)


def chatter_lines(body: str, first_line: int) -> list[tuple[int, str]]:
    """``(file line, text)`` of each line of ``body`` (which starts on ``first_line``) that a
    translation tool wrote rather than the author.

    >>> chatter_lines("Intro.\\n\\nTranslate the following to German: Hallo\\n", 10)
    [(12, 'Translate the following to German: Hallo')]
    >>> chatter_lines("Sure, I'd be happy to assist you in translating a phrase.\\n", 1)
    [(1, "Sure, I'd be happy to assist you in translating a phrase.")]
    >>> chatter_lines("We translate the ideas to practice.\\n", 1)
    []
    """
    lowered = body.lower()
    if not any(hint in lowered for hint in _HINTS) and "sure" not in lowered:
        return []
    return list(_matches(body, first_line))


def _matches(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    line, position = first_line, 0
    for match in _CHATTER.finditer(body):
        line += body.count("\n", position, match.start())
        position = match.start()
        end = body.find("\n", match.start())
        yield line, body[match.start() : end if end >= 0 else len(body)].strip()


def video_link_line(body: str, first_line: int, video_id: str) -> int | None:
    """The file line of the first link in ``body`` to the YouTube video ``video_id``, if any.

    >>> video_link_line("Notes.\\n[Watch](https://youtu.be/ImbRcqDHYV0)\\n", 5, "ImbRcqDHYV0")
    6
    >>> video_link_line("{% include youtube.html id=\\"ImbRcqDHYV0\\" %}\\n", 5, "ImbRcqDHYV0")
    """
    found = re.search(
        r"(?:youtu\.be/|youtube\.com/(?:watch\?(?:[^\s\"')]*&)?v=|embed/|shorts/|live/))"
        + re.escape(video_id)
        + r"(?![\w-])",
        body,
    )
    if found is None:
        return None
    return first_line + body.count("\n", 0, found.start())
