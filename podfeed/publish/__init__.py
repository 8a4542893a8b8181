"""The publish stage: what a build hands over -> the files on disk, all or nothing.

In: each feed a build rendered (its path and bytes) and the lock's new text. Out: the files
written (only those that changed), what changed for a listener (``build --check``), the guard's
refusals, and the build's result; the stamp that lets the next build skip all of it.

- :mod:`podfeed.publish.diff`: what changes for a reader when a feed replaces the one on disk;
- :mod:`podfeed.publish.guard`: the publishing guard (a feed must not drop many items or change
  a guid) and the comparison of every feed with the disk;
- :mod:`podfeed.publish.files`: atomic writes, staging ahead, the lock on a site's run;
- :mod:`podfeed.publish.result`: what a build gives back;
- :mod:`podfeed.publish.stamp`: the build stamp (a no-change offline build replays the last);
- :mod:`podfeed.publish.ping`: telling directories a feed changed (not imported here: it needs
  httpx, which offline builds never import).
"""

from podfeed.publish.diff import FeedDiff, describe, diff_feeds
from podfeed.publish.files import Staging, atomic_write, exclusive, read_existing, write_files
from podfeed.publish.guard import GuardPolicy, compare_with_disk, guard
from podfeed.publish.result import BuildResult, FeedOutput

__all__ = [
    "BuildResult",
    "FeedDiff",
    "FeedOutput",
    "GuardPolicy",
    "Staging",
    "atomic_write",
    "compare_with_disk",
    "describe",
    "diff_feeds",
    "exclusive",
    "guard",
    "read_existing",
    "write_files",
]
