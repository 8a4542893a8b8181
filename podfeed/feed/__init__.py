"""The feed stage: one feed's bytes from a show, its episodes and their media.

In: a :class:`~podfeed.config.model.Show`, a language and its items (each an
:class:`~podfeed.model.Episode` with the :class:`~podfeed.model.Media` it is published with).
Out: the RSS 2.0 document as bytes, deterministic (the same inputs give the same bytes), and,
for a build, its problems as ``podfeed validate`` finds them in those bytes.

- :mod:`podfeed.feed.rss`: the document (the channel by feedgen, the items in it, cut at them);
- :mod:`podfeed.feed.items`: one ``<item>`` as text, byte for byte what feedgen wrote;
- :mod:`podfeed.feed.extension`: the feedgen extension for what feedgen cannot write;
- :mod:`podfeed.feed.jobs`: the feeds a build makes (one job per show and language), and why
  a feed would have no items;
- :mod:`podfeed.feed.render`: one feed rendered and checked, in full or reusing the items of
  its last render;
- :mod:`podfeed.feed.workers`: rendering in worker processes;
- :mod:`podfeed.feed.batch`: every feed of a build, from the feed cache where it can.

Only the document's names are imported here: a render worker imports this package, and needs
neither the build's planning nor the media stage.
"""

from podfeed.feed.items import EPISODE_GUID_NAMESPACE, FeedItem, episode_guid
from podfeed.feed.rss import (
    PODCAST_GUID_NAMESPACE,
    FeedParts,
    newest_first,
    podcast_guid,
    render_feed,
    render_parts,
    split_feed,
)

__all__ = [
    "EPISODE_GUID_NAMESPACE",
    "PODCAST_GUID_NAMESPACE",
    "FeedItem",
    "FeedParts",
    "episode_guid",
    "newest_first",
    "podcast_guid",
    "render_feed",
    "render_parts",
    "split_feed",
]
