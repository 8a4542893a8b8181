"""``podfeed check``: read every episode file and report problems (no network)."""

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

__all__ = ["check_command"]


@click.command("check")
@verbosity_options
@config_option
@format_option
@strict_option("Treat warnings as errors: exit 1 when there is any.")
@shows_option
@click.option("--no-cache", is_flag=True, help="Parse every file again (ignore .podfeed-cache/).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def check_command(
    config_path: Path,
    fmt: str,
    strict: bool,
    shows: tuple[str, ...],
    no_cache: bool,
    files: tuple[Path, ...],
) -> None:
    """Read every episode file of every configured show and report problems (no network).

    Prints each problem with its file, line, what is wrong and how to fix it, then the number of
    episodes per show and language. Reads the lock too (never the network), so it reports what
    a build would: a missing lock, episodes without audio, feeds that would have no items.

    \b
    Exit codes: 0 no errors; 1 errors (or warnings under --strict); 2 an invalid configuration
    or a corrupt lock.

    With FILES, only those episode files are read (as the pre-commit hook passes the files a
    commit changes); other files given are skipped, and the config file among them means
    every episode.

    \b
    Example:
        podfeed check -c config.yaml --format github --strict
        podfeed check episodes/edt-190/*/episode.md
    """
    from podfeed.check import check_site

    console = Console.start(fmt)
    config = console.load_config(config_path)
    with console.progress() as progress, console.stopping():
        result = check_site(
            config,
            shows=shows,
            strict=strict,
            use_cache=not no_cache,
            progress=progress,
            files=files or None,
        )
    console.finish(outcomes.check(result))
