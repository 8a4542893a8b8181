"""``podfeed validate``'s core: check any podcast RSS feed against RSS 2.0, Apple Podcasts and
Podcasting 2.0 requirements, and return :class:`~podfeed.problems.Problem` values.

>>> problems = validate_bytes(b"<rss version='2.0'><channel>", source="feed.xml")
>>> [(p.code, p.line) for p in problems]
[('xml-well-formed', 1)]
"""

from __future__ import annotations

from podfeed.validate.base import Rule
from podfeed.validate.engine import validate_bytes, validate_file
from podfeed.validate.incremental import (
    FeedCheck,
    ItemVerdict,
    check_clock,
    check_feed,
    check_pieces,
)
from podfeed.validate.rules import RULES

__all__ = [
    "RULES",
    "FeedCheck",
    "ItemVerdict",
    "Rule",
    "check_clock",
    "check_feed",
    "check_pieces",
    "validate_bytes",
    "validate_file",
]
