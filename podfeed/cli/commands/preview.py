"""``podfeed preview``: static HTML pages showing each feed as a listener would see it."""

from __future__ import annotations

from pathlib import Path

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.options import (
    config_option,
    format_option,
    langs_option,
    output_option,
    shows_option,
    verbosity_options,
)

__all__ = ["preview_command"]


@click.command("preview")
@verbosity_options
@config_option
@format_option
@output_option(
    "out_dir",
    folder=True,
    default="preview",
    help="Folder for the HTML pages (one per feed, plus index.html).",
)
@shows_option
@langs_option
def preview_command(
    config_path: Path, fmt: str, out_dir: Path, shows: tuple[str, ...], langs: tuple[str, ...]
) -> None:
    """Write static HTML pages showing each feed as a listener would see it in an app.

    The feeds are built in memory from podfeed.lock (no network, nothing else written): artwork,
    show text, every episode with date, duration, an audio player and the show notes, links to
    the other languages, and the validation findings.

    \b
    Example:
        podfeed preview -o preview && open preview/index.html
    """
    from podfeed.build import BuildOptions, build
    from podfeed.cli.preview_pages import write_previews

    console = Console.start(fmt)
    config = console.load_config(config_path)
    options = BuildOptions(offline=True, dry_run=True, preview=True, shows=shows, langs=langs)
    with console.progress() as progress, console.stopping():
        try:
            result = build(config, options, progress=progress)
            pages = write_previews(
                {f.path: f.data for f in result.feeds},
                out_dir,
                problems_by_feed={f.path: result.problems_for(f) for f in result.feeds},
            )
        except OSError as exc:
            message = f"Error: could not write the preview to {out_dir}: {exc.strerror}"
            click.echo(message, err=True)
            raise click.exceptions.Exit(1) from exc
    console.finish(outcomes.preview(result, pages, out_dir))
