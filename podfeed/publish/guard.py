"""The publishing guard: a feed on disk is not replaced by one that would hurt its listeners.

A moved folder or a broken ``episodes:`` pattern would otherwise empty a live feed, and an episode
given a new guid is listed a second time by every app. So before a build writes, each changed feed
is compared with the one on disk (:func:`compare_with_disk`, through
:func:`podfeed.publish.diff.compare`): dropping many items (``guard-shrink``) or changing the guid
of an episode that stays (``guard-guid-change``) is refused, unless the user allows it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from podfeed.config.model import GuardConfig
from podfeed.problems import GuardError, Level, Problem, error, warning
from podfeed.publish.diff import (
    FeedDiff,
    GuidChange,
    UnreadableFeedError,
    compare,
    describe,
    diff_feeds,
    label,
)
from podfeed.publish.files import read_existing
from podfeed.publish.result import BuildResult

__all__ = ["CONFIG_SECTION", "GuardPolicy", "compare_with_disk", "guard"]

# The config.yaml section that holds the guard's settings; named in the hints of its problems.
CONFIG_SECTION = "guard"

_MAX_LISTED = 5  # items named in one guard message


@dataclass(frozen=True)
class GuardPolicy:
    """When the guard refuses to replace a feed.

    Dropping more than ``max_drop_items`` items (when set) or more than ``max_drop_share`` of the
    items on disk is refused unless ``allow_shrink``; exactly at a limit is allowed. Any guid
    change of an episode that stays is refused unless ``allow_guid_change``.

    :raises ValueError: a negative or non-finite limit.
    """

    max_drop_items: int | None = None
    max_drop_share: float = 0.2
    allow_shrink: bool = False
    allow_guid_change: bool = False

    def __post_init__(self) -> None:
        if self.max_drop_items is not None and self.max_drop_items < 0:
            raise ValueError(f"max_drop_items must be 0 or more, not {self.max_drop_items}")
        if not math.isfinite(self.max_drop_share) or self.max_drop_share < 0:
            raise ValueError(f"max_drop_share must be 0 or more, not {self.max_drop_share}")

    @classmethod
    def of(
        cls, config: GuardConfig, *, allow_shrink: bool = False, allow_guid_change: bool = False
    ) -> GuardPolicy:
        """The configured policy; the command line can only allow more."""
        return cls(
            max_drop_items=config.max_drop_items,
            max_drop_share=config.max_drop_share,
            allow_shrink=allow_shrink or config.allow_shrink,
            allow_guid_change=allow_guid_change or config.allow_guid_change,
        )


def compare_with_disk(
    result: BuildResult,
    policy: GuardPolicy,
    *,
    on_disk: Mapping[Path, bytes | None],
    kept: Collection[Path] = (),
    describe_changes: bool = False,
    refuse: bool = True,
) -> None:
    """Mark each feed of ``result`` changed or not against the file on disk, and apply the guard.

    ``on_disk`` holds files already read during this build (the others are read here); the
    guard is not asked about feeds in ``kept``, which hold every item of the file on disk, nor
    about a withheld feed (it replaces nothing). ``describe_changes`` fills each changed feed's
    ``diff`` (``build --check``). The guard's refusals are added to ``result.problems``.

    :raises GuardError: ``refuse`` and a feed would lose too many items or change an item's
        guid; nothing may be written then.
    """
    refusals: list[Problem] = []
    for f in result.feeds:
        old = on_disk[f.path] if f.path in on_disk else read_existing(f.path)
        f.changed = old != f.data
        if not f.changed:
            continue
        if describe_changes:
            f.diff = describe(diff_feeds(old, f.data))
            if old is None:  # every channel field is "new": say so once
                f.diff = ["+ new feed", *(x for x in f.diff if not x.startswith("~ channel"))]
        if f.path not in kept and not f.withheld:
            refusals.extend(guard(old, f.data, policy=policy, path=str(f.path)))
    result.problems.extend(p for p in refusals if p.level is not Level.ERROR)
    errors = [p for p in refusals if p.level is Level.ERROR]
    if errors and refuse:
        raise GuardError(
            "the publishing guard refused to replace "
            + ", ".join(sorted({p.file or "?" for p in errors}))
            + "; no feed was written",
            [*result.problems, *errors],
        )
    result.problems.extend(errors)


def guard(old: bytes | None, new: bytes, *, policy: GuardPolicy, path: str) -> list[Problem]:
    """Why ``new`` must not replace ``old`` at ``path``: error problems ``guard-shrink`` and
    ``guard-guid-change`` (empty when it may).

    No feed on disk never blocks. A feed on disk that cannot be read gives one warning,
    ``guard-unreadable-old``, and does not block: there is nothing an app could have read from it.

    :raises BuildError: the new feed itself cannot be read.
    """
    if old is None:
        return []
    try:
        diff, old_count = compare(old, new)
    except UnreadableFeedError as exc:
        return [
            warning(
                "guard-unreadable-old",
                f"the feed on disk cannot be read, so it cannot be compared: {exc}; "
                "it will be replaced",
                file=path,
                hint="check that this path holds the feed podfeed wrote and not another file",
            )
        ]
    problems = []
    if not policy.allow_shrink:
        problems.extend(_shrink(diff, old_count, policy, path))
    if not policy.allow_guid_change and diff.guid_changes:
        problems.append(_guid_change(diff.guid_changes, path))
    return problems


def _shrink(diff: FeedDiff, old_count: int, policy: GuardPolicy, path: str) -> list[Problem]:
    dropped = len(diff.removed)  # guid changes are not drops: the episode stays
    if dropped == 0:  # also covers an old feed without items
        return []
    limits = []
    if policy.max_drop_items is not None and dropped > policy.max_drop_items:
        limits.append(f"more than {policy.max_drop_items} item(s)")
    # Exact fractions: 2 of 10 is exactly 20% and within a 0.2 limit, whatever floats say.
    if Fraction(dropped, old_count) > Fraction(str(policy.max_drop_share)):
        limits.append(f"more than {_percent(Fraction(str(policy.max_drop_share)))} of the items")
    if not limits:
        return []
    return [
        error(
            "guard-shrink",
            f"refusing to replace the feed: it would drop {dropped} of its {old_count} items "
            f"({_percent(Fraction(dropped, old_count))}), {' and '.join(limits)}: "
            f"{_listed(_quoted(item.title, item.key) for item in diff.removed)}",
            file=path,
            hint=(
                "if a folder moved or the `episodes:` patterns changed, fix that; if the "
                "episodes were removed on purpose, run again with --allow-shrink, or set "
                f"`{CONFIG_SECTION}.allow_shrink: true` (or raise `{CONFIG_SECTION}.max_drop_share`"
                f" / `{CONFIG_SECTION}.max_drop_items`) in config.yaml"
            ),
        )
    ]


def _guid_change(changes: Sequence[GuidChange], path: str) -> Problem:
    by = {"enclosure": "same audio URL", "link": "same link", "title": "same title"}
    return error(
        "guard-guid-change",
        f"refusing to replace the feed: {len(changes)} episode(s) that stay would get a new "
        "guid, and podcast apps would list them twice: "
        + _listed(
            f"{_quoted(c.title, c.new_guid)} ({c.old_guid or '(none)'} → "
            f"{c.new_guid or '(none)'}, {by.get(c.match, c.match)})"
            for c in changes
        ),
        file=path,
        hint=(
            "keep the guids already published (the host's guid, or the permalink it was derived "
            "from); if the change is intended, run again with --allow-guid-change or set "
            f"`{CONFIG_SECTION}.allow_guid_change: true` in config.yaml"
        ),
    )


def _listed(labels: Iterable[str]) -> str:
    names = list(labels)
    shown = "; ".join(names[:_MAX_LISTED])
    if len(names) > _MAX_LISTED:
        shown += f"; and {len(names) - _MAX_LISTED} more"
    return shown


def _quoted(title: str, key: str) -> str:
    return '"' + label(title, key) + '"'


def _percent(share: Fraction) -> str:
    """``Fraction(1, 3)`` -> ``33%``; a share that rounds to a whole percent loses no digits."""
    value = float(share * 100)
    return f"{value:.0f}%" if value == round(value) else f"{value:.1f}%"
