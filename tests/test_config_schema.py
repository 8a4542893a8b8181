"""The JSON Schema of config.yaml: made from the checker's table, valid, shipped, and in agreement
with the checker (every text in test_config.py is also checked against it, see its ``check``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from podfeed.cli import main
from podfeed.config import model, table
from podfeed.config.checker import CONVERTERS, parse_config_text
from podfeed.config.schema import (
    DRAFT,
    SCHEMA_FILE,
    config_schema,
    schema_text,
    schema_url,
    shipped_schema,
)
from tests.configschema import assert_schema_agrees, check_jsonschema, schema_errors

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "config"
CONFIGS = sorted([REPO / "config.yaml", *DATA.glob("*.yaml")])


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = config_schema()
    assert schema["$schema"] == DRAFT
    jsonschema.Draft202012Validator.check_schema(schema)
    result = check_jsonschema("--check-metaschema", str(REPO / SCHEMA_FILE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_podfeed_schema_prints_the_shipped_copy() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == schema_text()
    fix = "run `podfeed schema > podfeed/config/schema.json` and commit it"
    assert (REPO / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text(), fix
    assert shipped_schema() == schema_text(), fix


def test_the_schema_url_names_the_shipped_file_at_the_release_tag() -> None:
    assert schema_url("1.2.3").endswith(f"/v1.2.3/{SCHEMA_FILE}")
    assert config_schema()["$id"] == schema_url()
    assert (REPO / SCHEMA_FILE).is_file()


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_the_bundled_and_test_configs_agree_with_the_checker(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    config, problems = parse_config_text(text, path=path)
    assert_schema_agrees(text, config is not None, problems)


def test_check_jsonschema_accepts_the_bundled_config_and_refuses_a_misspelt_key(
    tmp_path: Path,
) -> None:
    schema = str(REPO / SCHEMA_FILE)
    assert check_jsonschema("--schemafile", schema, str(REPO / "config.yaml")).returncode == 0
    bad = tmp_path / "config.yaml"
    bad.write_text((REPO / "config.yaml").read_text().replace("  timezone:", "  timezon:"))
    result = check_jsonschema("--schemafile", schema, str(bad))
    assert result.returncode == 1
    assert "'timezon' was unexpected" in result.stdout


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"    explicit: false": "    explicit: sometimes"}, "shows/0/explicit"),
        ({"max_age: 604800": "max_age: [7d]"}, "max_age"),
        ({"    languages: [en, de]": "    languages: en"}, "shows/0/languages"),
        ({"    type: episodic": "    type: [episodic]"}, "shows/0/type"),
        ({"  - id: edt": "  - id: edt\n    colour: red"}, "shows/0"),
        ({"shows:": "outptu: x\nshows:"}, ""),
    ],
)
def test_wrong_types_and_misspelt_keys_are_refused_as_the_checker_does(
    change: dict[str, str], where: str
) -> None:
    text = (REPO / "config.yaml").read_text(encoding="utf-8")
    for old, new in change.items():
        assert old in text
        text = text.replace(old, new)
    config, problems = parse_config_text(text, path=REPO / "config.yaml")
    assert config is None
    assert {"config-wrong-type", "config-unknown-key"} & {p.code for p in problems}
    assert [e.split(":")[0] for e in schema_errors(text)] == [where]


def test_editors_complete_languages_categories_and_choices() -> None:
    show = config_schema()["properties"]["shows"]["items"]["properties"]
    assert "pt" in config_schema()["$defs"]["language"]["enum"]
    categories = show["categories"]["items"]["anyOf"][0]["examples"]
    assert "Business > Management" in categories
    assert {"enum": ["episodic", "serial"]} in show["type"]["anyOf"]
    assert show["timezone"]["default"] == "UTC"
    assert "Default: the owner's name." in show["author"]["description"]


def test_every_type_in_the_table_has_a_converter_or_is_walked_by_name() -> None:
    walked = {"mapping", "shows", "localized", "language-tags", "allow-empty"}
    for section in table.TOP.sections():
        for key in section:
            assert key.type.name in CONVERTERS or key.type.name in walked, key.name


@pytest.mark.parametrize(
    ("section", "model_class"),
    [
        (table.TOP["http"].keys, model.HttpConfig),
        (table.TOP["guard"].keys, model.GuardConfig),
        (table.SHOW["transistor"].keys, model.TransistorConfig),
        (table.SHOW["youtube"].keys, model.YoutubeConfig),
        (table.TOP, model.Config),
        (table.SHOW, model.Show),
    ],
)
def test_the_table_defaults_are_the_models_defaults(
    section: table.Section | None, model_class: type
) -> None:
    """Code that builds the model directly (tests, the API) gets what a config file gets."""
    assert section is not None
    defaults = {
        f.name: f.default
        for f in dataclasses.fields(model_class)
        if f.default is not dataclasses.MISSING
    }
    for key in section:
        if key.default is not None and key.name in defaults:
            assert defaults[key.name] == key.default, key.name
