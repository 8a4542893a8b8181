"""The explicit registry of rules: every module listed here, in the order rules are documented.

Adding a rule: declare it in a module's :class:`~podfeed.validate.base.RuleSet` and bind the
function that checks it to the scopes it runs at (or name it in the vocabulary table), add the
module to ``_MODULES`` if it is new, add tests and a line in docs/validate-rules.md. Rule ids are
never renamed or reused.
"""

from __future__ import annotations

from podfeed.validate.base import Check, Rule
from podfeed.validate.rules import (
    apple_categories,
    apple_episode,
    apple_show,
    artwork,
    dates,
    enclosures,
    guids,
    media,
    mistakes,
    podcast_episode,
    podcast_show,
    rss_structure,
    show_notes,
    urls,
    vocabulary,
    xml_doc,
)

__all__ = ["CHECKS", "NETWORK_RULE_IDS", "RULES", "WELL_FORMED"]

_MODULES = (
    xml_doc,
    rss_structure,
    vocabulary,
    dates,
    urls,
    enclosures,
    guids,
    apple_show,
    apple_categories,
    apple_episode,
    podcast_show,
    podcast_episode,
    mistakes,
    show_notes,
    artwork,  # declarations only: the checks need the network (validate/artwork.py)
    media,  # declarations only: the checks need the network (validate/media_check.py)
)

WELL_FORMED = xml_doc.WELL_FORMED
# The ids only the network checks report (--fetch-artwork, --check-media).
NETWORK_RULE_IDS = artwork.NETWORK_RULE_IDS | media.NETWORK_RULE_IDS


def _registry() -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for module in _MODULES:
        for rule in module.RULES:
            if rule.id in registry:
                raise RuntimeError(f"rule id {rule.id!r} is declared twice")
            registry[rule.id] = rule
    return registry


RULES: dict[str, Rule] = _registry()
CHECKS: tuple[Check, ...] = (
    *(check for module in _MODULES for check in module.RULES.checks),
    *vocabulary.table_checks(RULES),
)
