"""Steps the CLI still takes for the core, so that each command stays one call.

Each belongs with its stage and is here only until the stage offers it: :func:`ping_site` (the
targets from the configuration, the feeds worth pinging, the pings) with ``ping``; the
problems :func:`stale_feeds` (``build --check``) and :func:`unused_only_ids`
(``resolve --only``) with the build. None of them prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from podfeed.problems import Problem, error, warning

if TYPE_CHECKING:
    from podfeed.build import BuildResult, SiteMedia
    from podfeed.config.model import Config

__all__ = ["PingRun", "ping_site", "stale_feeds", "unused_only_ids"]


@dataclass(frozen=True)
class PingRun:
    """``targets`` hubs and endpoints told about each of ``feeds``; the feeds left out
    (``skipped``) and the pings that failed, as problems. No targets: nothing was done."""

    targets: int = 0
    feeds: Sequence[str] = ()
    skipped: Sequence[Problem] = ()
    failed: Sequence[Problem] = ()

    @property
    def sent(self) -> int:
        return len(self.feeds) * self.targets


def ping_site(config: Config, shows: Sequence[str]) -> PingRun:
    """Ping the configured targets about the built feeds of the selected shows.

    :raises ConfigError: an unknown ``--show`` (only when there is a target to ping).
    """
    from podfeed.build import select_shows
    from podfeed.feed.jobs import feed_path
    from podfeed.media.http import Http
    from podfeed.publish.ping import PingTarget, ping, pingable

    targets = [PingTarget("websub", url) for url in config.ping.websub]
    if config.ping.podcastindex:
        targets.append(PingTarget("podcastindex", config.ping.podcastindex))
    if not targets:
        return PingRun()
    feeds = [
        (show.feed_url_for(lang), feed_path(config, show, lang, None))
        for show in select_shows(config, shows)
        for lang in show.languages
    ]
    feed_urls, skipped = pingable(feeds)
    with Http(config.http) as http:
        failed = ping(feed_urls, targets, http=http)
    return PingRun(len(targets), feed_urls, skipped, failed)


def stale_feeds(result: BuildResult) -> list[Problem]:
    """``build --check``: each feed on disk that differs is an error, so CI annotates the file."""
    return [
        error(
            "feed-stale",
            "the feed on disk differs from what `podfeed build` would write (the items "
            "added, removed and changed are listed with the feed)",
            f.path,
            hint="run `podfeed build` and commit the feeds",
        )
        for f in result.feeds
        if f.changed and not f.withheld  # its feed-empty error says why it is not written
    ]


def unused_only_ids(site: SiteMedia, only: Sequence[str]) -> list[Problem]:
    """``--only`` ids no selected episode uses: a typo would otherwise resolve nothing, silently."""
    used = {
        media_id
        for show in site.shows
        for ep in show.episodes
        for media_id in (ep.transistor_id, ep.youtube_id)
        if media_id
    }
    return [
        warning(
            "resolve-unknown-id",
            f"--only {media_id}: no episode of the selected shows uses this id; nothing was "
            "resolved for it",
            hint="copy the id from the episode's transistor or youtube include",
        )
        for media_id in dict.fromkeys(only)
        if media_id not in used
    ]
