"""The configuration reference in Markdown, made from the table of keys.

``docs/configuration.md`` holds it between two marker lines; a test keeps it equal to what
:func:`reference` gives. After changing the table, rewrite it with::

    python -m podfeed.config.reference docs/configuration.md
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from podfeed.config.table import SHOW, TOP, Key, Section

__all__ = ["BEGIN", "END", "reference", "replace_reference"]

BEGIN = "<!-- BEGIN reference: generated from podfeed/config/table.py, do not edit -->"
END = "<!-- END reference -->"


def reference() -> str:
    """Every section and key, in the table's order: top level, per show, then nested ones."""
    parts = [_section(TOP, "Top level"), _section(SHOW, "Per show (`shows[N]`)")]
    for outer in (TOP, SHOW):
        for key in outer:
            if key.keys is not None and key.keys is not SHOW:
                parts.append(_section(key.keys, f"`{key.keys.path}`: {key.keys.title.lower()}"))
    return "\n".join(parts)


def replace_reference(document: str) -> str:
    """``document`` with the text between the markers replaced by :func:`reference`.

    :raises ValueError: the markers are missing.
    """
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END, start)
    return document[:start] + "\n" + reference() + "\n" + document[end:]


def _section(section: Section, heading: str) -> str:
    lines = [f"### {heading}", ""]
    lines += [_item(key, section) for key in section]
    return "\n".join(lines) + "\n"


def _item(key: Key, section: Section) -> str:
    name = f"`{key.name}`" + (" (required)" if key.required else "")
    text = f"- {name}: {key.description}"
    if key.keys is not None and key.keys is not SHOW:
        text += f" Keys: {', '.join(f'`{k}`' for k in key.keys.names)} (below)."
    elif key.keys is SHOW:
        text += " Each show's keys are listed below."
    if key.choices:
        text += f" One of {', '.join(f'`{c}`' for c in key.choices)}."
    default = key.default_text or (_value(key.default) if key.default is not None else None)
    if default is not None:
        text += f" Default: {default}."
    if key.example is not None:
        text += f" Example: `{key.name}: {_yaml(key.example)}`."
    return text


def _value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{_yaml(value)}`"


def _yaml(value: Any) -> str:
    """A value as it is written in ``config.yaml`` (flow style for lists and mappings)."""
    if isinstance(value, str):
        return value
    text = yaml.safe_dump(value, default_flow_style=True, width=1000, allow_unicode=True)
    return text.removesuffix("\n").removesuffix("...").strip()


def main(argv: list[str]) -> int:
    """Rewrite the reference in each Markdown file named (``docs/configuration.md``)."""
    for name in argv:
        path = Path(name)
        path.write_text(replace_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
