"""YouTube: the watch URL of an episode's video, and an optional check that the video exists.

The check asks YouTube's oEmbed endpoint, which needs no key: 200 means the video is public,
400/401/403/404 mean it is gone, private or never existed. A network failure says nothing about
the video, so the caller keeps whatever the lock knew before.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from podfeed.media.http import FetchError, Http

__all__ = ["VIDEO_ID_RE", "check_video", "watch_url"]

VIDEO_ID_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")
_MISSING_STATUSES = frozenset({400, 401, 403, 404})


def watch_url(video_id: str) -> str:
    """The one URL form podfeed publishes.

    >>> watch_url("ImbRcqDHYV0")
    'https://www.youtube.com/watch?v=ImbRcqDHYV0'
    """
    if not VIDEO_ID_RE.match(video_id):
        raise ValueError(f"not a YouTube video id: {video_id!r}")
    return f"https://www.youtube.com/watch?v={video_id}"


def check_video(http: Http, oembed_url: str, video_id: str) -> bool:
    """True when YouTube's oEmbed knows the video, False when it says it does not.

    :raises FetchError: the answer says nothing about the video (network, 5xx, 429, other 4xx).
    """
    url = f"{oembed_url}?url={quote(watch_url(video_id), safe='')}&format=json"
    try:
        http.get(url, max_bytes=100_000)
    except FetchError as exc:
        if exc.status in _MISSING_STATUSES:
            return False
        raise
    return True
