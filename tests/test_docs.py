"""The docs keep the promises the code keeps: every command and config key is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podfeed.cli import main
from podfeed.config import GUARD_KEYS, HTTP_KEYS, PING_KEYS, SHOW_KEYS, TOP_KEYS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`podfeed {command}" in README


@pytest.mark.parametrize("key", [*TOP_KEYS, *SHOW_KEYS])
def test_every_config_key_is_in_the_reference(key: str) -> None:
    reference = README[README.index("## Configuration reference") :]
    assert re.search(rf"`{key}`", reference), key


@pytest.mark.parametrize("key", [*HTTP_KEYS, *GUARD_KEYS, *PING_KEYS])
def test_every_nested_config_key_is_in_the_reference(key: str) -> None:
    assert f"`{key}`" in README[README.index("## Configuration reference") :]


def test_the_readme_starts_with_the_two_fresh_machine_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert "pip install ." in blocks[0] and "podfeed build --offline" in blocks[0]
    assert "pip install '.[test]'" in blocks[1] and "pytest" in blocks[1]
