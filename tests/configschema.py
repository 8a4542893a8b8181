"""The JSON Schema of config.yaml as an editor applies it, to compare with the checker's verdict.

Editors (yaml-language-server) and check-jsonschema read YAML 1.2: ``no`` is text, not false,
and a date stays text. :func:`editor_load` reads a file the same way (ruamel.yaml, timestamps
as text, as check-jsonschema configures it), so the schema is tested on what editors see.
"""

from __future__ import annotations

import io
import subprocess
import sys
from functools import lru_cache
from typing import Any

import jsonschema
import ruamel.yaml

from podfeed.config.schema import config_schema
from podfeed.problems import Problem

# What the schema must refuse whenever the checker reports it: a misspelt (or secret) key, and
# a value of the wrong type.
SCHEMA_REFUSES = frozenset({"config-unknown-key", "config-secret", "config-wrong-type"})


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    """The check-jsonschema command (a test dependency), as a user or pre-commit runs it."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def editor_load(text: str) -> Any:
    """YAML 1.2 as editors read it. :raises ruamel.yaml.YAMLError: not loadable that way."""
    yaml = ruamel.yaml.YAML(typ="safe", pure=True)

    class Constructor(ruamel.yaml.SafeConstructor):
        pass

    yaml.Constructor = Constructor
    constructors = yaml.constructor.yaml_constructors
    constructors["tag:yaml.org,2002:timestamp"] = constructors["tag:yaml.org,2002:str"]
    return _string_keys(yaml.load(io.StringIO(text)), {})


def _string_keys(data: Any, done: dict[int, Any]) -> Any:
    """JSON's keys are text (``1: x`` is the key ``"1"``); shared (aliased) nodes once each."""
    if id(data) in done:
        return done[id(data)]
    if isinstance(data, dict):
        out: Any = {}
        done[id(data)] = out
        out.update({str(k): _string_keys(v, done) for k, v in data.items()})
        return out
    if isinstance(data, list):
        items: list[Any] = []
        done[id(data)] = items
        items.extend(_string_keys(v, done) for v in data)
        return items
    return data


def schema_errors(text: str) -> list[str]:
    """What the schema says about a config text (empty: valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator().iter_errors(editor_load(text))
    ]


def assert_schema_agrees(text: str, loaded: bool, problems: list[Problem]) -> None:
    """A config the checker loads is valid for the schema; one with a misspelt key or a wrong
    type is not (when editors can read the YAML at all, e.g. without duplicate keys)."""
    if loaded:
        assert schema_errors(text) == [], text
        return
    if not SCHEMA_REFUSES & {p.code for p in problems}:
        return
    try:
        data = editor_load(text)
    except ruamel.yaml.YAMLError:
        return
    assert not validator().is_valid(data), (text, [p.code for p in problems])
