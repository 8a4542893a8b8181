"""The ``podfeed`` command group: the options that come before a command, and the commands."""

from __future__ import annotations

import click

from podfeed import DISTRIBUTION, __version__
from podfeed.cli.commands import COMMANDS
from podfeed.cli.options import remember_verbosity
from podfeed.runtime import tune_for_batch

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "-V", "--version", prog_name=DISTRIBUTION, message="%(prog)s %(version)s"
)
@click.option("-q", "--quiet", is_flag=True, help="No progress, and no info-level problems.")
@click.option("-v", "--verbose", is_flag=True, help="Log each step with its duration.")
def main(quiet: bool, verbose: bool) -> None:
    """Build Apple-ready podcast RSS feeds, one per show and language, from episode files.

    \b
    Example:
        podfeed check               # read every episode, report problems
        podfeed build --offline     # write feeds/<show>/<lang>.xml from podfeed.lock

    Shell completion (bash, zsh, fish): eval "$(_PODFEED_COMPLETE=bash_source podfeed)".
    """
    remember_verbosity(quiet=quiet, verbose=verbose)
    tune_for_batch()


for command in COMMANDS:
    main.add_command(command)
