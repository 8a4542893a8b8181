"""Checks of an episode's show notes that a podcaster wants before publishing; they change nothing.

- Machine-translation chatter: sites that translate their notes with a chatbot keep what it
  said besides the translation ("Translate the following to German:", "Sure, I'd be happy to
  help", "Please provide the text you want to translate", and the same in the other
  languages). Listeners see it in every app. The real corpus has it in its de, es, fr, it and
  pt files.
- A link to the episode's own video in the notes: podfeed adds a "Watch on YouTube" link to
  every item with a video, so the listener would see the link twice.

Both scan the Markdown source, so each finding names the line to edit; :func:`check_notes`
turns the findings into problems.
"""

from __future__ import annotations

import re

from podfeed.problems import Problem, warning
from podfeed.site.text import clip

__all__ = ["chatter_lines", "check_notes", "video_link_line"]

# What comes right before a video id in a link to it (youtu.be/ID, watch?v=ID, embed/ID, ...).
_VIDEO_URL_BEFORE = re.compile(
    r"(?:youtu\.be/|youtube\.com/(?:watch\?(?:[^\s\"')]*&)?v=|embed/|shorts/|live/))\Z"
)

# Every pattern below speaks of translating (translate, traduction, Übersetzung, ...): only
# the lines holding one of these stems, found without their first letter so that either case
# is found, are matched against them. Most bodies hold none, and a large site has 18,000.
_STEMS = ("ranslat", "radu", "bersetz")

_LEAD = r"[ \t>#*_\-]*"  # Markdown marks a line may start with
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
    re.IGNORECASE,
)


def check_notes(
    body: str,
    first_line: int,
    youtube_id: str | None,
    *,
    file: str,
    show_id: str,
    problems: list[Problem],
) -> None:
    """Report what the notes should not say: ``body`` starts on file line ``first_line``, and
    ``youtube_id`` is the episode's video (``None`` if it has none)."""
    chatter = chatter_lines(body, first_line)
    if chatter:
        line, text = chatter[0]
        more = f" (and {len(chatter) - 1} more line{'s' * (len(chatter) > 2)})"
        problems.append(
            warning(
                "notes-translation-chatter",
                f"the show notes hold what a translation tool said, not show notes: "
                f"{clip(text)!r}{more if len(chatter) > 1 else ''}; every app shows it",
                file,
                line,
                hint="delete those lines (the tool's prompt or its answer) from the file",
                group=f"episodes of {show_id} whose show notes hold what a translation tool said",
            )
        )
    if youtube_id is not None:
        linked = video_link_line(body, first_line, youtube_id)
        if linked is not None:
            problems.append(
                warning(
                    "youtube-link-twice",
                    f"the show notes link to the episode's video ({youtube_id}), and "
                    "podfeed adds a 'Watch on YouTube' link to it: the item would show the "
                    "link twice",
                    file,
                    linked,
                    hint="remove the link from the show notes (the feed item gets one anyway)",
                )
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
    starts: set[int] = set()
    for stem in _STEMS:
        found = body.find(stem)
        while found >= 0:
            starts.add(body.rfind("\n", 0, found) + 1)
            found = body.find(stem, found + len(stem))
    lines = []
    for start in sorted(starts):
        end = body.find("\n", start)
        text = body[start : end if end >= 0 else len(body)]
        if _CHATTER.match(text):
            lines.append((first_line + body.count("\n", 0, start), text.strip()))
    return lines


def video_link_line(body: str, first_line: int, video_id: str) -> int | None:
    """The file line of the first link in ``body`` to the YouTube video ``video_id``, if any.

    >>> video_link_line("Notes.\\n[Watch](https://youtu.be/ImbRcqDHYV0)\\n", 5, "ImbRcqDHYV0")
    6
    >>> video_link_line("{% include youtube.html id=\\"ImbRcqDHYV0\\" %}\\n", 5, "ImbRcqDHYV0")
    """
    found = body.find(video_id)
    while found >= 0:
        # A link names the id right after one of YouTube's URL forms (the include tag does not).
        after = body[found + len(video_id) : found + len(video_id) + 1]
        linked = _VIDEO_URL_BEFORE.search(body, max(0, found - 80), found)
        longer = bool(after) and (after.isalnum() or after in "_-")  # another, longer id
        if linked and not longer:
            return first_line + body.count("\n", 0, found)
        found = body.find(video_id, found + len(video_id))
    return None
