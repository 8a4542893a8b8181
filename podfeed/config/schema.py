"""The JSON Schema (draft 2020-12) of ``config.yaml``, made from the table of keys.

Editors with YAML language support (VS Code's YAML extension, JetBrains IDEs, Neovim through
yaml-language-server) read it to complete key names, show each key's description and mark a
misspelt key or a wrong type while typing. ``podfeed schema`` prints it; a copy ships in the
package (``podfeed/config/schema.json``, kept equal by a test) so that the URL
``podfeed init`` writes serves the schema of the version that wrote the file.

The schema is as strict as the table can say without the rest of the file: unknown keys and
wrong types are refused; what needs other keys (a ``default_language`` among the show's
``languages``, a time zone that exists) is left to ``podfeed check``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from podfeed import __version__
from podfeed.config.lists import LANGUAGES
from podfeed.config.table import TOP, Key, Section

__all__ = ["DRAFT", "SCHEMA_FILE", "config_schema", "schema_text", "schema_url", "shipped_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Where the shipped copy lives, in the package and in the repository.
SCHEMA_FILE = "podfeed/config/schema.json"
# The project's repository, as the User-Agent names it (podfeed/media/http.py). A placeholder
# until the repository is published there: see docs/configuration.md, "Editor support".
_RAW_BASE = "https://raw.githubusercontent.com/podfeed/podfeed"


def schema_url(version: str = __version__) -> str:
    """The URL of the schema that ``version`` ships: its file at the release tag ``v<version>``."""
    return f"{_RAW_BASE}/v{version}/{SCHEMA_FILE}"


def config_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (same input, same dict: the output is deterministic)."""
    return {
        "$schema": DRAFT,
        "$id": schema_url(),
        "title": "podfeed configuration (config.yaml)",
        "description": (
            "Shows, their languages and where their episode files are; see "
            "docs/configuration.md. Checked in full by `podfeed check`."
        ),
        **_object(TOP),
        "$defs": {
            "language": {
                "description": "An ISO 639-1 language code in lower case.",
                "enum": list(LANGUAGES),
            }
        },
    }


def schema_text() -> str:
    """The schema as ``podfeed schema`` prints it and the package ships it."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema() -> str:
    """The copy in the installed package."""
    return resources.files("podfeed.config").joinpath("schema.json").read_text(encoding="utf-8")


def _object(section: Section) -> dict[str, Any]:
    required = [key.name for key in section if key.required]
    return {
        "type": "object",
        "properties": {key.name: _key(key) for key in section},
        **({"required": required} if required else {}),
        "additionalProperties": False,
    }


def _key(key: Key) -> dict[str, Any]:
    if key.keys is None:
        schema = dict(key.type.schema)
    elif key.type.name == "shows":
        schema = {**key.type.schema, "items": _object(key.keys)}
    else:
        schema = _object(key.keys)
    schema = {"description": _description(key), **schema}
    if key.default is not None:
        schema["default"] = key.default
    if key.example is not None:
        schema["examples"] = [key.example, *schema.get("examples", [])]
    # An optional key may be written empty (``feed_url: null``): the checker reads it as absent.
    return schema if key.required else _or_null(schema)


def _description(key: Key) -> str:
    text = key.description
    if key.default_text is not None:
        text += f" Default: {key.default_text}."
    return text


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**schema, "type": [*kind, "null"]}
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    rest: dict[str, Any] = {
        k: schema[k] for k in ("description", "default", "examples") if k in schema
    }
    inner = {k: value for k, value in schema.items() if k not in rest}
    return {**rest, "anyOf": [inner, {"type": "null"}]}
