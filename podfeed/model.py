"""Plain data passed between the layers: files -> Episode -> Media -> feed.

Frozen dataclasses only; no behaviour beyond small derived values, and one accelerator: an
episode crosses a process or a file as its compact state (:func:`episode_state`: its short
fields, and its long texts in one encoded payload), and one read back from the cache or from a
worker process decodes its long texts on first use (:meth:`Episode.__getattr__`), which no
caller can tell apart from a plain one.
"""

from __future__ import annotations

import dataclasses
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

__all__ = [
    "LAZY_FIELDS",
    "Episode",
    "EpisodeState",
    "LazyTexts",
    "Media",
    "Transcript",
    "episode_from_state",
    "episode_state",
    "keep_texts_in",
]

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


# --- an episode as it travels: between processes, and into and out of the cache -----------------


class Slices(Protocol):
    """Bytes, or something that gives slices of bytes (a file read on demand)."""

    def __len__(self) -> int: ...

    def __getitem__(self, part: slice, /) -> bytes: ...


class LazyTexts:
    """An episode's texts payload still elsewhere: a part of some bytes, or of a file.

    Read only when the texts are decoded or the episode is pickled (it pickles as the plain
    ``bytes``), so that 18,000 cached episodes hold none of their 100 MB of notes in memory.
    """

    __slots__ = ("buffer", "length", "offset")

    def __init__(self, buffer: Slices, offset: int, length: int) -> None:
        self.buffer = buffer
        self.offset = offset
        self.length = length

    def __bytes__(self) -> bytes:
        return bytes(self.buffer[self.offset : self.offset + self.length])

    def __len__(self) -> int:
        return self.length

    def __reduce__(self) -> tuple[Any, ...]:
        return (bytes, (bytes(self),))


# An episode as it travels: its short fields, and its long texts in one payload.
EpisodeState = tuple[tuple[Any, ...], bytes]

_SHORT_FIELDS = tuple(
    f.name for f in dataclasses.fields(Episode) if f.name != "path" and f.name not in LAZY_FIELDS
)


def episode_state(episode: Episode) -> EpisodeState:
    """The episode's short fields, and its long texts (:data:`LAZY_FIELDS`: notes, summary,
    description) as UTF-8 bytes in one payload that :func:`episode_from_state` leaves encoded
    until they are read. An episode thawed and not yet read gives its payload back without
    decoding it.

    A parsing worker sends each episode as its state: the parent writes the payload to the
    cache as it is and sends it on to the render workers without decoding it. Text goes as
    bytes for another reason too: pickling a non-ASCII ``str`` makes CPython keep a UTF-8 copy
    inside that ``str`` for as long as it lives (80 MB of notes in the other languages at 3,000
    episodes, kept by the parent until the end).
    """
    state = episode.__dict__
    lazy = state.get("_lazy")
    if lazy is not None and lazy[0] is _decode_texts:
        payload = bytes(lazy[1])
    else:
        payload = _encode_texts([getattr(episode, name) for name in LAZY_FIELDS])
    return tuple([state[name] for name in _SHORT_FIELDS]), payload


def episode_from_state(frozen: tuple[tuple[Any, ...], bytes | LazyTexts], path: Path) -> Episode:
    """The episode :func:`episode_state` gave ``frozen`` for, found at ``path`` (its long
    texts decoded on first use; the payload may still be in a file).

    :raises ValueError: ``frozen`` is damaged (then a cache entry is a miss).
    """
    short, payload = frozen
    _check_texts(payload)
    episode = Episode.__new__(Episode)
    state = episode.__dict__  # frozen: fill the new instance's dict directly
    state.update(zip(_SHORT_FIELDS, short, strict=True))
    state["path"] = path
    state["_lazy"] = (_decode_texts, payload)
    return episode


def keep_texts_in(episode: Episode, buffer: Slices, offset: int, length: int) -> None:
    """Let ``episode``, if it holds its texts still encoded in memory, read them from ``length``
    bytes at ``offset`` in ``buffer`` (the same bytes, written to a file) and drop them from
    memory. Texts already decoded, or already read from elsewhere, stay as they are."""
    state = episode.__dict__
    lazy = state.get("_lazy")
    if lazy is not None and lazy[0] is _decode_texts and isinstance(lazy[1], bytes):
        state["_lazy"] = (_decode_texts, LazyTexts(buffer, offset, length))


_LENGTHS = struct.Struct(f"<{len(LAZY_FIELDS)}Q")


def _encode_texts(texts: list[str]) -> bytes:
    parts = [text.encode("utf-8", "surrogatepass") for text in texts]
    return _LENGTHS.pack(*map(len, parts)) + b"".join(parts)


def _decode_texts(payload: bytes | LazyTexts) -> list[str]:
    """The texts :func:`_encode_texts` put in ``payload`` (their byte lengths, then them)."""
    data = payload if isinstance(payload, bytes) else bytes(payload)
    texts = []
    start = _LENGTHS.size
    for length in _LENGTHS.unpack_from(data):
        texts.append(data[start : start + length].decode("utf-8", "surrogatepass"))
        start += length
    return texts


def _check_texts(payload: object) -> None:
    """Raise ``ValueError`` unless ``payload`` is what :func:`_encode_texts` makes (a damaged
    cache entry is a miss when it is read, not an error when a text is first used)."""
    buffer: Slices
    if isinstance(payload, bytes):
        buffer, offset, length = payload, 0, len(payload)
    elif isinstance(payload, LazyTexts):
        buffer, offset, length = payload.buffer, payload.offset, payload.length
    else:
        raise ValueError("damaged episode texts")
    if length < _LENGTHS.size or offset + length > len(buffer):
        raise ValueError("damaged episode texts")
    lengths = _LENGTHS.unpack(buffer[offset : offset + _LENGTHS.size])
    if _LENGTHS.size + sum(lengths) != length:
        raise ValueError("damaged episode texts")
