"""``podfeed resolve``: update podfeed.lock from Transistor without building feeds."""

from __future__ import annotations

from pathlib import Path

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.options import (
    config_option,
    format_option,
    shows_option,
    strict_option,
    verbosity_options,
)

__all__ = ["resolve_command"]


@click.command("resolve")
@verbosity_options
@config_option
@format_option
@strict_option(
    "Treat warnings as errors: with any, exit 1 (what was resolved is still written to the lock)."
)
@click.option("--refresh", is_flag=True, help="Re-resolve every entry, not only new or stale ones.")
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="ID",
    help="Only this Transistor share id (repeatable).",
)
@shows_option
def resolve_command(
    config_path: Path,
    fmt: str,
    strict: bool,
    refresh: bool,
    only: tuple[str, ...],
    shows: tuple[str, ...],
) -> None:
    """Update podfeed.lock from Transistor (and YouTube) without building feeds.

    New and stale entries are resolved: the show's Transistor feed first (one conditional
    request), then share pages for ids the feed lacks. Entries that cannot be refreshed are kept.
    Only what resolving found is shown (`-v` adds the episode files' and configuration's
    problems; `podfeed check` lists them).

    \b
    Exit codes: 0 every needed entry resolved; 1 an episode's audio could not be resolved, or
    an entry could not be refreshed (the lock keeps what it had), or a warning under --strict;
    2 an invalid configuration or a corrupt lock.

    \b
    Example:
        podfeed resolve
        podfeed resolve --refresh --only cea47899
    """
    from podfeed.build import update_lock

    console = Console.start(fmt)
    config = console.load_config(config_path)
    lock_existed = config.lock_path.exists()
    with console.stopping():
        site, changed = update_lock(config, shows=shows, refresh=refresh, only=only or None)
    outcome = outcomes.resolve(
        site,
        changed,
        lock=config.lock_path,
        lock_existed=lock_existed,
        only=only,
        strict=strict,
        verbose=console.verbose,
    )
    console.finish(outcome)
