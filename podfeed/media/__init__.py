"""The resolve stage: each episode's audio (Transistor) and video (YouTube), remembered in the lock.

In: every selected show's episodes (their Transistor share ids and YouTube ids) and the lock as
committed. Out: the :class:`~podfeed.model.Media` each share id is published with, the lock as it
should now be, and the problems (an id nobody could resolve, a host that did not answer). A
build without network, or ``--offline``, uses what the lock has; an episode is never dropped
because Transistor did not answer.

- :mod:`podfeed.media.shows`: every show at once, in one HTTP session; what a missing or empty
  lock means; how ``podfeed resolve`` ends;
- :mod:`podfeed.media.resolve`: one show: the lock first, then Transistor's show feed, its share
  pages and API, then YouTube;
- :mod:`podfeed.media.transistor` and :mod:`podfeed.media.youtube`: what those hosts answer;
- :mod:`podfeed.media.http`: the one HTTP client (limits, retries with jitter, a retry budget);
- :mod:`podfeed.media.lock`: the lock file, read and written canonically.
"""

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
