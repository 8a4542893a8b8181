"""What the media servers say about each enclosure (``validate --check-media``).

Declared here so their ids are registered (``--rules``, the docs) like every other rule; the
checks need the network, so :func:`podfeed.validate.media_check.check_media` runs them after
the offline engine.

Pass: ``<enclosure url="https://cdn.example.com/1.mp3" length="24986112" type="audio/mpeg"/>``
answering HEAD with 200, ``Content-Length: 24986112``, ``Content-Type: audio/mpeg`` and
``Accept-Ranges: bytes``.

Fail: a 404 or no answer (media-unreachable), six redirects in a row (media-redirects),
``Content-Length: 1000`` (media-length), ``Content-Type: text/html`` (media-type), a server
that answers ``Range: bytes=0-1`` with the whole file (media-range).
"""

from __future__ import annotations

from podfeed.problems import Level
from podfeed.validate.base import RuleSet
from podfeed.validate.rules import sources

# Declared only: the checks need the network (see the module docstring).
RULES = RuleSet()
UNREACHABLE = RULES.rule(
    "media-unreachable",
    Level.ERROR,
    "the enclosure URL must answer (no 4xx/5xx, no network error)",
    sources.APPLE,
)
REDIRECTS = RULES.rule(
    "media-redirects",
    Level.ERROR,
    "the enclosure URL must reach the file in at most 5 redirects",
    sources.APPLE,
)
LENGTH = RULES.rule(
    "media-length",
    Level.WARNING,
    "the server's size of the file (Content-Length, or the Content-Range total) must match "
    "<enclosure length> within 1%",
    sources.RSS_ENCLOSURE,
)
TYPE = RULES.rule(
    "media-type",
    Level.WARNING,
    "the server's Content-Type must name the format <enclosure type> names",
    sources.RSS_ENCLOSURE,
)
RANGE = RULES.rule(
    "media-range",
    Level.ERROR,
    "the media server must answer byte-range requests (Accept-Ranges: bytes, 206 Partial "
    "Content): Apple requires it",
    sources.APPLE,
)

NETWORK_RULE_IDS = frozenset(rule.id for rule in RULES)
