"""The configuration: ``config.yaml`` in, a checked :class:`~podfeed.config.model.Config` out.

- :mod:`~podfeed.config.table` — every key as data (type, default, choices, description);
- :mod:`~podfeed.config.checker` — loads a file and checks it against the table, every problem
  with its key path and line (:mod:`~podfeed.config.source`, :mod:`~podfeed.config.values`
  and :mod:`~podfeed.config.vocabulary` are its parts);
- :mod:`~podfeed.config.model` — the checked configuration as frozen dataclasses;
- :mod:`~podfeed.config.schema` and :mod:`~podfeed.config.reference` — the JSON Schema and the
  Markdown reference, both made from the table;
- :mod:`~podfeed.config.lists` — the language codes and Apple's categories values are checked
  against (the validator reads them too); :mod:`~podfeed.config.yamlmarks` — where a YAML
  mistake was made (for this file and for episode front matter).
"""

from podfeed.config.checker import load_config, parse_config, parse_config_text, read_config
from podfeed.config.source import SourceMap
from podfeed.config.table import SHOW, TOP

# The known keys of each section, as the checker knows them (kept for callers of the former
# single-module podfeed.config).
TOP_KEYS = TOP.names
SHOW_KEYS = SHOW.names
HTTP_KEYS = TOP["http"].keys.names if TOP["http"].keys else ()
GUARD_KEYS = TOP["guard"].keys.names if TOP["guard"].keys else ()
PING_KEYS = TOP["ping"].keys.names if TOP["ping"].keys else ()

__all__ = [
    "GUARD_KEYS",
    "HTTP_KEYS",
    "PING_KEYS",
    "SHOW_KEYS",
    "TOP_KEYS",
    "SourceMap",
    "load_config",
    "parse_config",
    "parse_config_text",
    "read_config",
]
