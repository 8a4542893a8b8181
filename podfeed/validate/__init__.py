"""``podfeed validate``'s core: check any podcast RSS feed against RSS 2.0, Apple Podcasts and
Podcasting 2.0 requirements, and return :class:`~podfeed.problems.Problem` values.

In: a feed's bytes or file (:func:`validate_bytes`, :func:`validate_file`); with the network,
files and URLs, their artwork and media servers (:mod:`podfeed.validate.targets`). Out: the
problems, sorted by line; never an exception for a broken feed.

Where things are: :mod:`~podfeed.validate.engine` parses a feed once, streaming, and runs the
checks; :mod:`~podfeed.validate.vocabulary` describes every element as data and
:mod:`~podfeed.validate.walk` compares a channel or an item with it; the value types are in
:mod:`~podfeed.validate.values`; the rules (ids, levels, checks) in
:mod:`podfeed.validate.rules`; :mod:`~podfeed.validate.base` is the rule kit and
:mod:`~podfeed.validate.xmltree` reads the XML; :mod:`~podfeed.validate.artwork` and
:mod:`~podfeed.validate.media_check` ask servers; :mod:`~podfeed.validate.incremental` checks a
feed in pieces, for a build that knows which items it rendered before (the build's only way in).

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
