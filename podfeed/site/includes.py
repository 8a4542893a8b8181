"""Include tags in an episode's body, and the audio and video they name.

Jekyll episode pages embed their players with Liquid includes: ``{% include transistor.html
id="cea47899" title="..." %}`` names the Transistor share id (the audio), ``{% include
youtube.html id="..." %}`` the YouTube video, which ``video:`` in the front matter may name
too. Older files use ``{% include soundcloud.html %}``, which gives no audio podfeed can
publish. :func:`read_media` applies those rules and reports what is missing or unusable; a
placeholder or malformed video id means "no video", never a broken link.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from podfeed.config.model import Show
from podfeed.problems import Level, Problem, warning
from podfeed.site.text import clip, strip_xml_invalid

__all__ = ["MediaIds", "classify_youtube", "read_media"]

# `{% include transistor.html id="cea47899" title="#189 ..." %}`; args stop at the next `{` so
# a body full of unterminated tags is still scanned in linear time.
_INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<name>[\w-]+)\.html(?P<args>(?:[^%{]|%(?!\}))*)-?%\}")
_INCLUDE_ARG = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)
_TRANSISTOR_ID = re.compile(r"[0-9a-fA-F]{8}")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = frozenset({"youtube.com", "youtube-nocookie.com", "music.youtube.com"})
_YOUTUBE_PATHS = ("embed", "shorts", "live", "v")


@dataclass
class MediaIds:
    """What the body (and ``video:``) name: the Transistor share id and the YouTube id."""

    transistor_id: str | None = None
    transistor_title: str | None = None
    transistor_line: int | None = None
    youtube_id: str | None = None


def read_media(
    body: str,
    body_line: int,
    video: str | None,
    video_line: int | None,
    *,
    file: str,
    show: Show,
    problems: list[Problem],
) -> MediaIds:
    """The ids the body's includes and ``video:`` give, reporting each unusable one.

    ``body`` starts on file line ``body_line``; ``video`` is the ``video:`` text as written (or
    ``None``) and ``video_line`` its line.
    """
    media = MediaIds()
    includes = list(_find_includes(body, body_line))
    _transistor(media, includes, body_line, file, show, problems)
    _youtube(media, includes, video, video_line, file, show, problems)
    return media


def _audio_level(show: Show) -> Level:
    return Level.ERROR if show.missing_audio == "error" else Level.WARNING


def _transistor(
    media: MediaIds,
    includes: list[_Include],
    body_line: int,
    file: str,
    show: Show,
    problems: list[Problem],
) -> None:
    transistor = [inc for inc in includes if inc.name == "transistor"]
    for include in transistor:
        share_id = include.args.get("id", "")
        if not _TRANSISTOR_ID.fullmatch(share_id):
            problems.append(
                Problem(
                    _audio_level(show),
                    "transistor-id-invalid",
                    f"transistor include id {clip(share_id)!r} is not an 8-character hex "
                    "share id; it gives no audio",
                    file,
                    include.line,
                    "copy the id from the episode's share link https://share.transistor.fm/s/<id>",
                )
            )
            continue
        if media.transistor_id is None:
            media.transistor_id = share_id.lower()
            media.transistor_title = strip_xml_invalid(include.args.get("title", "")) or None
            media.transistor_line = include.line
        elif share_id.lower() != media.transistor_id:
            problems.append(
                warning(
                    "transistor-multiple",
                    f"a second transistor include names {share_id!r}; the first "
                    f"({media.transistor_id!r}, line {media.transistor_line}) is used",
                    file,
                    include.line,
                    hint="keep one transistor include per episode",
                )
            )
    if media.transistor_id is not None:
        return
    soundcloud = next((inc for inc in includes if inc.name == "soundcloud"), None)
    if soundcloud is not None:
        problems.append(
            Problem(
                _audio_level(show),
                "soundcloud-audio",
                "the audio is a SoundCloud include, not Transistor: the episode has no "
                "Transistor audio and will not be published with an enclosure",
                file,
                soundcloud.line,
                "upload the episode to Transistor and add "
                '{% include transistor.html id="<share id>" %}',
            )
        )
    elif not transistor:
        problems.append(
            Problem(
                _audio_level(show),
                "no-audio",
                "the body has no {% include transistor.html %}: the episode has no audio and "
                "will not be published with an enclosure",
                file,
                body_line,
                'add {% include transistor.html id="<share id>" %} to the body',
                group=f"episodes of {show.id} without a transistor include: no audio, no enclosure",
            )
        )


def _youtube(
    media: MediaIds,
    includes: list[_Include],
    video: str | None,
    video_line: int | None,
    file: str,
    show: Show,
    problems: list[Problem],
) -> None:
    include = next((inc for inc in includes if inc.name == "youtube"), None)
    from_include = None
    if include is not None:
        from_include = _youtube_value(
            include.args.get("id", ""), "youtube include id", include.line, file, show, problems
        )
    from_video = None
    if video is not None:
        from_video = _youtube_value(video, "video:", video_line, file, show, problems)
    if from_include and from_video and from_include != from_video:
        problems.append(
            warning(
                "youtube-mismatch",
                f"video: names {from_video!r} but the youtube include names "
                f"{from_include!r}; the include is used",
                file,
                video_line,
                hint="make video: and the include name the same video",
            )
        )
    media.youtube_id = from_include or from_video


def _youtube_value(
    value: str, what: str, line: int | None, file: str, show: Show, problems: list[Problem]
) -> str | None:
    video_id, code = _classify_youtube_cached(value)
    if code == "youtube-placeholder":
        problems.append(
            warning(
                code,
                f"{what} {clip(value)!r} is a placeholder, not a video; no video link",
                file,
                line,
                hint="put the 11-character YouTube id there, or remove it",
                group=f"episodes of {show.id} whose video is a placeholder: no video link",
            )
        )
    elif code is not None:
        problems.append(
            warning(
                code,
                f"{what} {clip(value)!r} is not a YouTube video link or id; no video link",
                file,
                line,
                hint="use https://youtu.be/<11-character id>",
                group=f"episodes of {show.id} whose video is not a YouTube link: no video link",
            )
        )
    return video_id


class _Include(NamedTuple):
    """One ``{% include name.html key=value ... %}`` tag: its name, arguments and file line."""

    name: str
    args: dict[str, str]
    line: int


def _find_includes(body: str, first_line: int) -> Iterator[_Include]:
    """Liquid ``{% include name.html key="value" %}`` tags in the body with their file lines."""
    line, position = first_line, 0
    for match in _INCLUDE.finditer(body):
        line += body.count("\n", position, match.start())
        position = match.start()
        args = {arg["key"]: _arg_value(arg) for arg in _INCLUDE_ARG.finditer(match["args"])}
        yield _Include(match["name"].lower(), args, line)


def _arg_value(arg: re.Match[str]) -> str:
    """The value of one include argument, whichever way it was quoted."""
    double, single, bare = arg.group("dq", "sq", "bare")
    if double is not None:
        return str(double)
    return str(single) if single is not None else str(bare)


def classify_youtube(value: str) -> tuple[str | None, str | None]:
    """``(video id, None)`` for a usable YouTube link or id, else ``(None, problem code)``.

    Placeholders (empty, ``url``, ``https://youtu.be/``, an id with ``url`` glued on) give
    ``youtube-placeholder``; anything else that is not an 11-character id is ``youtube-invalid``.

    >>> classify_youtube("https://youtu.be/ImbRcqDHYV0")
    ('ImbRcqDHYV0', None)
    >>> classify_youtube("https://www.youtube.com/watch?v=ImbRcqDHYV0&t=3")
    ('ImbRcqDHYV0', None)
    >>> classify_youtube("vtrnskZPA9Murl")
    (None, 'youtube-placeholder')
    >>> classify_youtube("https://youtu.be/function (...args) {")
    (None, 'youtube-invalid')
    """
    text = value.strip()
    if any(ch.isspace() for ch in text):
        return None, "youtube-invalid"
    candidate = _youtube_candidate(text)
    if candidate is None:
        return None, "youtube-invalid"
    if _YOUTUBE_ID.fullmatch(candidate):
        return candidate, None
    if candidate == "" or candidate.lower().endswith("url"):
        return None, "youtube-placeholder"
    return None, "youtube-invalid"


# The same video is named in every language's file of an episode.
_classify_youtube_cached = functools.lru_cache(maxsize=4096)(classify_youtube)


def _youtube_candidate(text: str) -> str | None:
    """The id part of a YouTube URL, the text itself when it is no URL, ``None`` for other sites."""
    looks_like_url = "/" in text or text.lower().startswith(("youtu", "www."))
    if not looks_like_url:
        return text
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be":
        return segments[0] if segments else ""
    if host not in _YOUTUBE_HOSTS:
        return None
    if segments[:1] == ["watch"]:
        return parse_qs(parts.query).get("v", [""])[0]
    if len(segments) >= 2 and segments[0] in _YOUTUBE_PATHS:
        return segments[1]
    return "" if not segments else None
