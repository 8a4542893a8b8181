"""``podfeed ping``: tell WebSub hubs and Podcast Index that the feeds changed."""

from __future__ import annotations

from pathlib import Path

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.options import config_option, format_option, shows_option, verbosity_options

__all__ = ["ping_command"]


@click.command("ping")
@verbosity_options
@config_option
@format_option
@shows_option
def ping_command(config_path: Path, fmt: str, shows: tuple[str, ...]) -> None:
    """Tell WebSub hubs and Podcast Index that the feeds changed (after publishing them).

    Targets come from the `ping:` section of the configuration (nothing is pinged without it).
    Only feeds built with at least one item are pinged (the files under `output`).

    \b
    Exit codes: 0 every ping accepted (or nothing to ping); 1 a ping was refused or its
    target unreachable; 2 an invalid configuration.

    \b
    Example:
        podfeed build && git push && podfeed ping
    """
    from podfeed.publish.ping import ping_site

    console = Console.start(fmt)
    config = console.load_config(config_path)
    with console.stopping():
        run = ping_site(config, shows)
    console.finish(outcomes.ping(run))
