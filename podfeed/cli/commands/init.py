"""``podfeed init``: a commented starting config.yaml from an existing Jekyll site."""

from __future__ import annotations

from pathlib import Path

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.formats import TextReporter
from podfeed.cli.options import output_option, verbosity, verbosity_options

__all__ = ["init_command"]


@click.command("init")
@verbosity_options
@click.argument(
    "site_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
@output_option(
    "output", folder=False, default="config.yaml", help="Where to write the configuration."
)
@click.option("--force", is_flag=True, help="Overwrite an existing configuration file.")
def init_command(site_dir: Path, output: Path, force: bool) -> None:
    """Write a commented starting config.yaml from an existing Jekyll site.

    Reads the site's _config.yml (title, description, author, url, logo, languages, defaultLang)
    and the episode folders it finds; every value it cannot know is marked TODO.

    \b
    Example:
        podfeed init path/to/site/docs -o config.yaml
        podfeed check
    """
    import os

    from podfeed.publish.files import atomic_write
    from podfeed.site.init import jekyll_exclusions, render_config, scan_site

    if output.exists() and not force:
        click.echo(f"Error: {output} exists; use --force to overwrite it", err=True)
        raise click.exceptions.Exit(2)
    # Plain text whatever the terminal or -v: init prints no problems but a site's errors.
    console = Console(TextReporter(), quiet=verbosity().quiet)
    with console.stopping():
        scan = scan_site(site_dir)
    rel = os.path.relpath(site_dir.resolve(), output.resolve().parent)
    atomic_write(output, render_config(scan, site_dir=Path(rel).as_posix()).encode("utf-8"))
    beside = [output, output.parent / "podfeed.lock", output.parent / "preview"]
    click.echo(outcomes.init(scan, output, jekyll_exclusions(scan, site_dir, beside)))
