"""Every command's ``--help`` is the text users, the README and scripts know, to the byte.

The help is written by click from the commands' docstrings and option declarations, spread over
several modules of podfeed/cli/: moving one of them must not change a word. When a change is
intended, rewrite the copies with ``pytest tests/test_cli_help.py --update-golden`` and review
the diff in the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.cli import main

HELP = Path(__file__).parent / "golden" / "help"
COMMANDS = ["", *sorted(main.commands)]


def help_text(command: str) -> str:
    # A fixed width: click wraps the help to the terminal's, read from COLUMNS first.
    runner = CliRunner(env={"COLUMNS": "80"})
    result = runner.invoke(
        main, [*command.split(), "--help"], prog_name="podfeed", catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "podfeed")
def test_help_is_unchanged(command: str, update_golden: bool) -> None:
    path = HELP / f"{('podfeed ' + command).strip().replace(' ', '-')}.txt"
    text = help_text(command)
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"{path} rewritten")
    assert text == path.read_text(encoding="utf-8"), (
        f"`podfeed {command} --help` differs from {path.name}; if intended, rerun with "
        "--update-golden"
    )


def test_every_command_has_a_help_copy() -> None:
    copies = {path.stem for path in HELP.glob("*.txt")}
    assert copies == {f"podfeed-{c}" if c else "podfeed" for c in COMMANDS}
