"""``podfeed build``: write one RSS feed per show and language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.options import (
    config_option,
    format_option,
    langs_option,
    output_option,
    shows_option,
    strict_option,
    verbosity_options,
)

__all__ = ["build_command"]


@click.command("build")
@verbosity_options
@config_option
@format_option
@strict_option("Treat warnings as errors: with any, exit 1 and write nothing (no feed, no lock).")
@output_option(
    "output_dir",
    folder=True,
    help="Write feeds to DIR/<show>/<lang>.xml instead of the configured `output`.",
)
@click.option("--offline", is_flag=True, help="Use only podfeed.lock; never touch the network.")
@click.option("--frozen", is_flag=True, help="Fail if podfeed.lock would change (for CI).")
@click.option("--refresh", is_flag=True, help="Re-resolve every lock entry, stale or not.")
@click.option("--dry-run", is_flag=True, help="Build and report, but write nothing.")
@click.option(
    "--check",
    "check",
    is_flag=True,
    help="Write nothing; exit 1 if the feeds on disk differ from what would be written, "
    "listing the items added, removed and changed.",
)
@click.option(
    "--allow-shrink", is_flag=True, help="Let a feed lose more items than the guard allows."
)
@click.option(
    "--allow-guid-change",
    is_flag=True,
    help="Let an item that stays change its guid (apps will show it twice).",
)
@shows_option
@langs_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and render everything again (ignore .podfeed-cache/; the output is the same).",
)
def build_command(config_path: Path, fmt: str, no_cache: bool, **flags: Any) -> None:
    """Write one RSS feed per show and language.

    Audio enclosures come from podfeed.lock; an online build refreshes what is new or stale from
    Transistor first. Feeds and the lock are written atomically and only when every feed was
    built; unchanged files are not touched.

    \b
    Before a feed on disk is replaced, the publishing guard refuses a rebuild that would drop
    more than 20% of its items or change the guid of an item that stays. A feed that would
    have no items is an error and is not written (unless the show's allow_empty lists it).

    \b
    Exit codes: 0 no errors; 1 errors (a broken episode file, a feed without items, a missing
    lock offline, warnings under --strict), a refused or failed build, or --check finding
    stale feeds; 2 an invalid configuration, a corrupt lock, or a lock --frozen would change.

    \b
    Example:
        podfeed build --offline
        podfeed build --frozen --strict --format github
        podfeed build --offline --check      # CI: did someone forget to rebuild?
        podfeed build --show edt --lang de -o public/feeds
    """
    from podfeed.build import BuildOptions, build

    console = Console.start(fmt)
    config = console.load_config(config_path)
    # Every other option is named as the field of BuildOptions it sets.
    options = BuildOptions(cache=not no_cache, **flags)
    lock_existed = config.lock_path.exists()
    with console.progress() as progress, console.stopping():
        result = build(config, options, progress=progress)
    outcome = outcomes.build(result, options, lock=config.lock_path, lock_existed=lock_existed)
    console.finish(outcome)
