"""Media resolution: Transistor audio and YouTube links, remembered in the lock file."""

from podfeed.media.http import FetchError
from podfeed.media.lock import FeedState, Lock, LockEntry, VideoState, read_lock, write_lock
from podfeed.media.resolve import Resolution, resolve

__all__ = [
    "FeedState",
    "FetchError",
    "Lock",
    "LockEntry",
    "Resolution",
    "VideoState",
    "read_lock",
    "resolve",
    "write_lock",
]
