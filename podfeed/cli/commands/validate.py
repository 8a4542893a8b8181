"""``podfeed validate``: check any podcast feed, file or URL, ours or anyone's."""

from __future__ import annotations

import click

from podfeed.cli import outcomes
from podfeed.cli.console import Console
from podfeed.cli.options import choice_option, format_option, strict_option, verbosity_options

__all__ = ["VALIDATE_PROFILES", "validate_command"]

# podfeed.validate.base.PROFILES, named here so the CLI starts without importing the validator
# (tests/test_validate_cli.py checks that they agree).
VALIDATE_PROFILES = ("podcast", "rss")


def _rule_ids(rules_list: str | None) -> list[str] | None:
    """``--rules a,b`` -> ``["a", "b"]``; none given, or an unknown id, is a usage error.

    Checked once every option is parsed, so that click reports its own usage errors first.
    """
    rules = [r.strip() for r in rules_list.split(",") if r.strip()] if rules_list else None
    if rules == []:
        raise click.BadParameter("no rule id given", param_hint="--rules")
    if rules is not None:
        from podfeed.validate.targets import unknown_rules

        unknown = unknown_rules(rules)
        if unknown:
            raise click.BadParameter(
                f"unknown rule id {', '.join(map(repr, unknown))}; the rule ids are listed in "
                "docs/validate-rules.md",
                param_hint="--rules",
            )
    return rules


@click.command("validate")
@verbosity_options
@click.argument("targets", nargs=-1, required=True, metavar="PATH_OR_URL...")
@format_option
@strict_option("Treat warnings as errors: exit 1 when any feed has one.")
@click.option(
    "--rules",
    "rules_list",
    metavar="LIST",
    help="Only these rule ids, comma-separated (see docs/validate-rules.md).",
)
@choice_option(
    "--profile",
    choices=VALIDATE_PROFILES,
    default="podcast",
    help="podcast: everything, Apple's and Podcasting 2.0's requirements included; rss: "
    "RSS 2.0 and the namespaces' own definitions only (blogs, conformance suites).",
)
@click.option(
    "--fetch-artwork",
    is_flag=True,
    help="Also fetch the artwork's first bytes: format, pixel size, square, colour space.",
)
@click.option(
    "--check-media",
    is_flag=True,
    help="Also ask each enclosure's server (HEAD, or a 2-byte ranged GET): reachable, "
    "redirects, length, type, byte ranges.",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="With --check-media: check N enclosures spread over the feed instead of all.",
)
def validate_command(
    targets: tuple[str, ...],
    fmt: str,
    strict: bool,
    rules_list: str | None,
    profile: str,
    fetch_artwork: bool,
    check_media: bool,
    sample: int | None,
) -> None:
    """Check podcast RSS feeds (files or URLs, ours or anyone's) before submitting them.

    Each problem names the rule id, its level, the line and the element or item, what is wrong,
    how to fix it and the requirement it comes from (RSS 2.0, Apple Podcasts, Podcasting 2.0).
    Exit 0 without errors, 1 with errors (or warnings under --strict), 2 when a feed cannot be
    read or fetched.

    \b
    Example:
        podfeed validate feeds/edt/en.xml
        podfeed validate https://feeds.example.com/show.xml --fetch-artwork --format json
        podfeed validate feeds/*/*.xml --rules enclosure-type,item-guid-duplicate --strict
        podfeed validate blog.xml --profile rss
        podfeed validate https://feeds.example.com/show.xml --check-media --sample 20
    """
    from podfeed.validate.targets import validate_targets

    console = Console.start(fmt)
    rules = _rule_ids(rules_list)
    with console.progress() as progress:
        run = validate_targets(
            targets,
            rules=rules,
            fetch_artwork=fetch_artwork,
            check_media=check_media,
            sample=sample,
            profile="rss" if profile == "rss" else "podcast",
            progress=progress,
        )
    console.finish(outcomes.validate(run, strict=strict))
