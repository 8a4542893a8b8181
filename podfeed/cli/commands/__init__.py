"""The commands, one module each: options -> one core call -> an outcome printed -> exit.

In: the parsed options of one command. Out: its document on stdout, errors and progress on
stderr, its exit code. Each command imports the core it calls when it runs, so that
``podfeed --help`` and a mistyped option answer at once.
"""

from podfeed.cli.commands.build import build_command
from podfeed.cli.commands.check import check_command
from podfeed.cli.commands.init import init_command
from podfeed.cli.commands.ping import ping_command
from podfeed.cli.commands.preview import preview_command
from podfeed.cli.commands.resolve import resolve_command
from podfeed.cli.commands.schema import schema_command
from podfeed.cli.commands.validate import validate_command

__all__ = ["COMMANDS"]

# In the order of the pipeline; `podfeed --help` lists them by name.
COMMANDS = (
    init_command,
    check_command,
    resolve_command,
    build_command,
    validate_command,
    preview_command,
    ping_command,
    schema_command,
)
