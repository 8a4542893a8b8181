"""Plain data passed between the layers: files -> Episode -> Media -> feed.

Frozen dataclasses only; no behaviour beyond small derived values, and one accelerator: an
episode read back from the cache or from a worker process decodes its long texts on first use
(:meth:`Episode.__getattr__`), which no caller can tell apart from a plain one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Episode fields that may be left encoded until first read (see Episode.__getattr__): they have
# no default, so that the class holds no attribute of that name to answer in their place.
LAZY_FIELDS = ("summary", "description", "notes_html")


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
    notes_html: str
    tags: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    image: str | None = None
    transistor_id: str | None = None
    transistor_title: str | None = None
    transistor_line: int | None = None
    youtube_id: str | None = None
    layout: str | None = None
    image_line: int | None = None

    if not TYPE_CHECKING:  # (hidden from type checkers: any other name is still an error)

        def __getattr__(self, name: str) -> Any:
            """The long texts (:data:`LAZY_FIELDS`) of an episode read back from the cache or
            from a worker, decoded on first use.

            Only called for an attribute the instance does not hold. A rebuild of a large show
            reads 18,000 episodes and renders a handful: decoding every episode's notes,
            summary and description (80 MB) was a third of its time. ``_lazy`` is
            ``(decode, payload)``; ``decode(payload)`` gives those fields' values.
            """
            state = self.__dict__
            lazy = state.get("_lazy")
            if lazy is None or name not in LAZY_FIELDS:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            decode, payload = lazy
            state.update(zip(LAZY_FIELDS, decode(payload), strict=True))
            del state["_lazy"]
            return state[name]

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
