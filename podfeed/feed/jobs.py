"""The feeds a build makes: one job per show and language, and why a feed would have no items.

In: the resolved site (:class:`~podfeed.media.shows.SiteMedia`). Out: a :class:`FeedPlan`: each
feed's :class:`~podfeed.feed.render.FeedJob` (its items newest first, each episode with the media
as that feed publishes it, and where the feed goes), and a ``feed-empty`` problem for each feed
that would have no items, naming the cause.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from podfeed.config.model import Config, Show
from podfeed.feed.items import FeedItem
from podfeed.feed.render import FeedJob
from podfeed.feed.rss import newest_first
from podfeed.media.shows import ShowMedia, SiteMedia
from podfeed.model import Episode, Media
from podfeed.problems import Level, Problem, error, info

__all__ = ["FEED_EMPTY", "FeedPlan", "empty_feed_problems", "feed_path", "plan_feeds"]

FEED_EMPTY = "feed-empty"


def feed_path(config: Config, show: Show, lang: str, output_dir: Path | None) -> Path:
    """Where the feed of ``show`` in ``lang`` goes: under ``output_dir`` (``--output-dir``)
    when given, else where the configuration's ``output`` template says."""
    if output_dir is not None:
        return output_dir / show.id / f"{lang}.xml"
    return config.root / config.output.format(show=show.id, lang=lang)


@dataclass
class FeedPlan:
    """The feeds of a build, in order, and what is known of them before they are rendered."""

    jobs: list[FeedJob] = field(default_factory=list)
    empty: dict[Path, Problem] = field(default_factory=dict)  # feeds without items, and why
    episodes: dict[tuple[str, str], int] = field(default_factory=dict)  # per (show, lang)

    def problems(self, job: FeedJob, found: list[Problem]) -> list[Problem]:
        """The problems to report about ``job``'s feed, given what checking it ``found``.

        The validator's ``feed-empty`` says the same about a feed without items as the plan's
        does; the plan's names the show, the language and the cause, so that one is reported.
        """
        empty = self.empty.get(job.path)
        if empty is None:
            return found
        return [*(p for p in found if p.code != FEED_EMPTY), empty]

    def withheld(self, job: FeedJob) -> bool:
        """Whether ``job``'s feed is never written: it would have no items, and the show does
        not allow that."""
        empty = self.empty.get(job.path)
        return empty is not None and empty.level is Level.ERROR

    def dated_after(self, now: datetime) -> bool:
        """Whether some feed has an item dated after ``now``."""
        return any(job.dated_after(now) for job in self.jobs)


def plan_feeds(config: Config, site: SiteMedia, output_dir: Path | None) -> FeedPlan:
    """One :class:`FeedJob` per selected show and language, in the configuration's order."""
    plan = FeedPlan()
    published = functools.cache(_media_for)  # one object per media and kind of feed
    for part in site.shows:
        by_lang: dict[str, list[Episode]] = defaultdict(list)  # one pass, not one per language
        for ep in part.episodes:
            by_lang[ep.lang].append(ep)
        for lang in part.langs:
            host_guids = part.show.reuses_host_guid(lang)
            items = newest_first(
                FeedItem(ep, published(part.media[ep.transistor_id], host_guids))
                for ep in by_lang[lang]
                if ep.transistor_id and ep.transistor_id in part.media
            )
            plan.episodes[(part.show.id, lang)] = len(by_lang[lang])
            siblings = [other for other in part.show.languages if other != lang]
            path = feed_path(config, part.show, lang, output_dir)
            plan.jobs.append(FeedJob(part.show, lang, items, siblings, path))
            if not items:
                plan.empty[path] = _empty_feed(path, part.show, lang, by_lang[lang], site)
    return plan


def _media_for(media: Media, host_guids: bool) -> Media:
    """The media as this feed publishes it: Transistor's guid only in the Transistor language.

    Translations share the English audio's share id; the English item's guid is not theirs
    (see :meth:`Show.reuses_host_guid`), so they keep the guid derived from their permalink.
    """
    return media if host_guids or media.guid is None else replace(media, guid=None)


def empty_feed_problems(
    path: Path, part: ShowMedia, lang: str, episodes: Sequence[Episode], site: SiteMedia
) -> list[Problem]:
    """``feed-empty`` for a feed in which no episode of ``episodes`` has known audio (what
    `podfeed check` says of a feed a build would find empty); no problem otherwise."""
    if any(ep.transistor_id in part.media for ep in episodes if ep.transistor_id):
        return []
    return [_empty_feed(path, part.show, lang, episodes, site)]


def _empty_feed(
    path: Path, show: Show, lang: str, episodes: Sequence[Episode], site: SiteMedia
) -> Problem:
    """A feed that would have no items: an error (the feed is not written) unless the show
    allows it (``allow_empty``); the message names the cause, the group folds one show's feeds
    that are empty for the same cause into one line."""
    count = f"{len(episodes)} episode{'' if len(episodes) == 1 else 's'}"
    with_id = sum(1 for ep in episodes if ep.transistor_id)
    if not episodes:
        cause = f"no episode file of {show.id} is in '{lang}'"
        group_cause = "no episode file is in their language"
        hint = "add episode files in that language, or remove it from the show's `languages`"
    elif not with_id:
        cause = f"none of the {count} in '{lang}' has a Transistor include (no audio)"
        group_cause = "no episode has a Transistor include"
        hint = 'add {% include transistor.html id="<share id>" %} to the episodes'
    elif not site.lock_existed or not site.resolved:
        cause = f"the lock gives the audio of none of the {count} in '{lang}'"
        group_cause = "the lock gives no episode's audio"
        hint = "run `podfeed resolve` where Transistor is reachable, then commit podfeed.lock"
    else:
        cause = f"the audio of none of the {count} in '{lang}' is known (see audio-missing)"
        group_cause = "no episode's audio is known"
        hint = "check the Transistor ids of these episodes and run `podfeed resolve`"
    allowed = lang in show.allow_empty
    if allowed:
        return info(
            FEED_EMPTY,
            f"the feed has no items ({cause}); written because the show allows it (allow_empty)",
            str(path),
            group=f"feeds of {show.id} have no items (allow_empty): {group_cause}",
        )
    return error(
        FEED_EMPTY,
        f"the feed would have no items: {cause}; Apple Podcasts and other directories reject "
        "a feed without episodes, so it was not written",
        str(path),
        hint=f"{hint}; or, if the feed may stay empty, list its language under the show's "
        "`allow_empty`",
        group=f"feeds of {show.id} would have no items and were not written: {group_cause}",
    )
