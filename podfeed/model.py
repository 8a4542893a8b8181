"""Plain data passed between the layers: files -> Episode -> Media -> feed.

Frozen dataclasses only; no behaviour beyond small derived values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Episode:
    """One episode file of one show in one language, parsed and checked.

    ``path`` is the file as found (for messages); ``source`` is the path relative to the config
    folder, which is what problems name. Text fields hold exactly what was written (YAML dates in
    ``title:`` stay text). ``date`` is timezone-aware.
    """

    path: Path
    source: str
    show: str
    lang: str
    number: int | None
    title: str
    permalink: str
    url: str
    date: datetime
    summary: str
    description: str
    tags: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    image: str | None = None
    transistor_id: str | None = None
    transistor_title: str | None = None
    transistor_line: int | None = None
    youtube_id: str | None = None
    notes_html: str = ""
    layout: str | None = None

    @property
    def youtube_url(self) -> str | None:
        if self.youtube_id is None:
            return None
        return f"https://www.youtube.com/watch?v={self.youtube_id}"


@dataclass(frozen=True)
class Transcript:
    """A ``podcast:transcript`` entry: url, MIME type, optional language and rel (captions)."""

    url: str
    type: str
    language: str | None = None
    rel: str | None = None


@dataclass(frozen=True)
class Media:
    """What the audio host says about one share id: the enclosure and what goes with it."""

    url: str
    length: int
    type: str
    duration: int | None = None
    guid: str | None = None
    transcripts: tuple[Transcript, ...] = field(default_factory=tuple)
