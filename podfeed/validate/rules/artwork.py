"""Apple Podcasts' artwork requirements that need the image itself (``validate --fetch-artwork``).

These rules are declared here so their ids are registered (``--rules``, the docs) like every
other rule, but they have no offline check: reading an image's header needs the network, so
:func:`podfeed.validate.artwork.check_artwork` runs them after the offline engine.

Pass: ``<itunes:image href="https://example.com/art.jpg"/>`` answering a ranged GET with 206 and
a 3000 x 3000 RGB JPEG.

Fail: a 404 (artwork-unreachable), a GIF (artwork-format), PNG bytes behind ``.jpg``
(artwork-extension-mismatch), 1000 x 1000 px (artwork-size), 1400 x 1500 px (artwork-square), a
CMYK JPEG or a greyscale PNG (artwork-colorspace), a server answering ``Range`` with the whole file
(artwork-range).
"""

from __future__ import annotations

from podfeed.problems import Level
from podfeed.validate.base import RuleSet
from podfeed.validate.rules import sources

# Declared only: the checks need the network (see the module docstring).
RULES = RuleSet()
UNREACHABLE = RULES.rule(
    "artwork-unreachable",
    Level.ERROR,
    "the artwork URL must answer (no 4xx/5xx, no network error)",
    sources.APPLE_ARTWORK,
)
FORMAT = RULES.rule(
    "artwork-format",
    Level.ERROR,
    "the artwork must be a JPEG or PNG file (judged by its bytes, not its name)",
    sources.APPLE_ARTWORK,
)
EXTENSION_MISMATCH = RULES.rule(
    "artwork-extension-mismatch",
    Level.WARNING,
    "the URL's extension and the Content-Type must match the image's real format",
    sources.APPLE_ARTWORK,
)
SIZE = RULES.rule(
    "artwork-size",
    Level.ERROR,
    "the artwork must be 1400 to 3000 pixels on each side",
    sources.APPLE_ARTWORK,
)
SQUARE = RULES.rule(
    "artwork-square",
    Level.ERROR,
    "the artwork must be square",
    sources.APPLE_ARTWORK,
)
COLORSPACE = RULES.rule(
    "artwork-colorspace",
    Level.ERROR,
    "the artwork must be RGB: CMYK is an error, greyscale or palette colour a warning",
    sources.APPLE_ARTWORK,
)
RANGE = RULES.rule(
    "artwork-range",
    Level.WARNING,
    "the artwork server should answer HEAD and byte-range requests (206 Partial Content)",
    sources.APPLE,
)

# The ids only the network check reports (tests of the offline engine leave these out).
NETWORK_RULE_IDS = frozenset(rule.id for rule in RULES)
