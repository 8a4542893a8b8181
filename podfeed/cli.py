"""Command-line interface: parse options, call the core once, render, exit.

Exit codes (one place decides them, see :func:`exit_code`): 0 no errors; 1 error problems (or
warnings with ``--strict``), a refused or failed build; 2 usage errors, a bad configuration, a
corrupt lock, or input that could not be read.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from podfeed import DISTRIBUTION, __version__
from podfeed.config import load_config
from podfeed.config.model import Config
from podfeed.errors import PodfeedError
from podfeed.problems import Level, Problem, error, warning
from podfeed.progress import LogProgress, NullProgress, Progress, RichProgress
from podfeed.report import (
    FORMAT_CHOICES,
    Reporter,
    TextReporter,
    count_levels,
    level_summary,
    make_reporter,
)
from podfeed.runtime import tune_for_batch

if TYPE_CHECKING:
    from podfeed.build import BuildResult, SiteMedia

F = TypeVar("F", bound=Callable[..., Any])


def exit_code(problems: Sequence[Problem]) -> int:
    """0 when nothing is an error, else 1 (``--strict`` has already turned warnings into errors)."""
    return 1 if any(p.level is Level.ERROR for p in problems) else 0


def config_option(func: F) -> F:
    return click.option(
        "-c",
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default="config.yaml",
        show_default=True,
        envvar="PODFEED_CONFIG",
        show_envvar=True,
        help="The podfeed configuration file.",
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMAT_CHOICES),
        default="auto",
        show_default=True,
        help="How problems are printed: text, json, or github annotations "
        "(auto: github under GitHub Actions, else text).",
    )(func)


def strict_option(help: str) -> Callable[[F], F]:
    """``--strict``, with what it does for this command (each does something different)."""

    def decorate(func: F) -> F:
        return click.option("--strict", is_flag=True, help=help)(func)

    return decorate


def _root_settings(ctx: click.Context | None) -> dict[str, bool]:
    root = ctx.find_root() if ctx else None
    if root is None:
        return {}
    if not isinstance(root.obj, dict):
        root.obj = {}
    settings: dict[str, bool] = root.obj
    return settings


def _settings() -> dict[str, bool]:
    """``quiet`` and ``verbose`` wherever they were given; ``-q`` wins over ``-v``."""
    settings = dict(_root_settings(click.get_current_context(silent=True)))
    settings["verbose"] = settings.get("verbose", False) and not settings.get("quiet", False)
    return settings


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and param.name:
        _root_settings(ctx)[param.name] = True


def verbosity_options(func: F) -> F:
    """``-q``/``-v`` after the command name too (``podfeed build -q``), as users type them."""
    func = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Log each step with its duration (same as `podfeed -v`).",
    )(func)
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="No progress, and no info-level problems (same as `podfeed -q`).",
    )(func)


def _reporter(fmt: str) -> Reporter:
    """``-v`` lists every problem; otherwise repeats of one cause are folded (text only)."""
    return make_reporter(fmt, isatty=sys.stdout.isatty(), fold=not _settings().get("verbose"))


def _shown(problems: Sequence[Problem]) -> list[Problem]:
    """What is printed: ``-q`` hides info-level problems (they never change the exit code)."""
    if _settings().get("quiet"):
        return [p for p in problems if p.level is not Level.INFO]
    return list(problems)


def _progress() -> Progress:
    """A bar on a terminal, plain log lines in CI or with -v, nothing with -q (all on stderr)."""
    settings = _settings()
    if settings.get("quiet"):
        return NullProgress()
    stream = sys.stderr
    if settings.get("verbose") or not stream.isatty():
        return LogProgress(stream)
    return RichProgress(stream, color=not os.environ.get("NO_COLOR"))


def _error_code(exc: PodfeedError) -> str:
    """``LockError`` -> ``lock-error``: a stable code for an error that carries no problems."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(exc).__name__).lower()


def _fail(exc: PodfeedError, reporter: Reporter) -> click.exceptions.Exit:
    """Print a command-stopping error (and the problems it carries) and choose its exit code.

    Scripts reading ``--format json`` get one document and CI gets an annotation even when the
    error carries no problems of its own (a lock ``--frozen`` refuses, an unknown ``--show``).
    """
    problems = exc.problems
    if not problems and not isinstance(reporter, TextReporter):
        problems = [error(_error_code(exc), exc.message)]
    if problems:
        click.echo(reporter.document(_shown(problems), {}, level_summary(problems)))
    click.echo(f"Error: {exc.message}", err=True)
    return click.exceptions.Exit(exc.exit_code)


def _load_config(path: Path, reporter: Reporter) -> Config:
    try:
        return load_config(path)
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "-V", "--version", prog_name=DISTRIBUTION, message="%(prog)s %(version)s"
)
@click.option("-q", "--quiet", is_flag=True, help="No progress, and no info-level problems.")
@click.option("-v", "--verbose", is_flag=True, help="Log each step with its duration.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Build Apple-ready podcast RSS feeds, one per show and language, from episode files.

    \b
    Example:
        podfeed check               # read every episode, report problems
        podfeed build --offline     # write feeds/<show>/<lang>.xml from podfeed.lock

    Shell completion (bash, zsh, fish): eval "$(_PODFEED_COMPLETE=bash_source podfeed)".
    """
    ctx.obj = {"quiet": quiet, "verbose": verbose}
    tune_for_batch()


@main.command()
@verbosity_options
@config_option
@format_option
@strict_option("Treat warnings as errors: exit 1 when there is any.")
@click.option("--show", "shows", multiple=True, help="Only this show id (repeatable).")
@click.option("--no-cache", is_flag=True, help="Parse every file again (ignore .podfeed-cache/).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def check(
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

    reporter = _reporter(fmt)
    config = _load_config(config_path, reporter)
    progress = _progress()
    try:
        result = check_site(
            config,
            shows=shows,
            strict=strict,
            use_cache=not no_cache,
            progress=progress,
            files=files or None,
        )
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc
    finally:
        progress.close()
    counts = result.counts()
    lines = [
        f"{show}: " + ", ".join(f"{lang} {n}" for lang, n in langs.items())
        for show, langs in counts.items()
    ]
    total = sum(n for langs in counts.values() for n in langs.values())
    if result.skipped:
        names = ", ".join(str(path) for path in result.skipped)
        lines.append(f"skipped (no show's episodes pattern matches): {names}")
    lines.append(f"{total} episodes; {level_summary(result.problems)}")
    summary = {"episodes": counts, "total": total, "skipped": [str(p) for p in result.skipped]}
    click.echo(reporter.document(_shown(result.problems), summary, "\n".join(lines)))
    sys.exit(exit_code(result.problems))


@main.command()
@verbosity_options
@config_option
@format_option
@strict_option("Treat warnings as errors: with any, exit 1 and write nothing (no feed, no lock).")
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write feeds to DIR/<show>/<lang>.xml instead of the configured `output`.",
)
@click.option("--offline", is_flag=True, help="Use only podfeed.lock; never touch the network.")
@click.option("--frozen", is_flag=True, help="Fail if podfeed.lock would change (for CI).")
@click.option("--refresh", is_flag=True, help="Re-resolve every lock entry, stale or not.")
@click.option("--dry-run", is_flag=True, help="Build and report, but write nothing.")
@click.option(
    "--check",
    "check_only",
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
@click.option("--show", "shows", multiple=True, help="Only this show id (repeatable).")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and render everything again (ignore .podfeed-cache/; the output is the same).",
)
def build(
    config_path: Path,
    fmt: str,
    strict: bool,
    output_dir: Path | None,
    offline: bool,
    frozen: bool,
    refresh: bool,
    dry_run: bool,
    check_only: bool,
    allow_shrink: bool,
    allow_guid_change: bool,
    shows: tuple[str, ...],
    langs: tuple[str, ...],
    no_cache: bool,
) -> None:
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
    from podfeed.build import BuildOptions
    from podfeed.build import build as run_build

    reporter = _reporter(fmt)
    config = _load_config(config_path, reporter)
    options = BuildOptions(
        offline=offline,
        strict=strict,
        frozen=frozen,
        refresh=refresh,
        dry_run=dry_run,
        shows=shows,
        langs=langs,
        output_dir=output_dir,
        check=check_only,
        allow_shrink=allow_shrink,
        allow_guid_change=allow_guid_change,
        cache=not no_cache,
    )
    progress = _progress()
    existed = config.lock_path.exists()
    try:
        result = run_build(config, options, progress=progress)
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc
    finally:
        progress.close()
    problems = [*result.problems, *_stale_feeds(result)] if check_only else result.problems
    lines = []
    for f in result.feeds:
        if check_only:
            state = "differs" if f.changed else "up to date"
        elif dry_run:
            state = "would change" if f.changed else "unchanged"
        elif f.withheld:
            state = "not written: no items"
        else:
            state = "written" if f.path in result.written else "unchanged"
        items = f"{f.items} item{'' if f.items == 1 else 's'}"
        warns = f"{f.warnings} warning{'' if f.warnings == 1 else 's'}"
        lines.append(f"{f.path}  {items}, {warns}  ({state})")
        lines.extend(f"    {line}" for line in f.diff)
    lock = config.lock_path
    if config.lock_path in result.written:
        lock_state = "updated" if existed else "created (commit it next to the configuration)"
    elif result.lock_changed:
        lock_state = "would change" if check_only or dry_run else "not written"
    else:
        lock_state = "unchanged" if existed else "not written (nothing was resolved)"
    lines.append(f"{lock}: {lock_state}; {result.requests} HTTP requests")
    lines.append(level_summary(problems))
    summary = {
        "feeds": [
            {
                "show": f.show,
                "lang": f.lang,
                "path": str(f.path),
                "items": f.items,
                "warnings": f.warnings,
                "changed": f.changed,
                "diff": f.diff,
            }
            for f in result.feeds
        ],
        "lock_changed": result.lock_changed,
        "requests": result.requests,
        "counts": count_levels(problems),
    }
    click.echo(reporter.document(_shown(problems), summary, "\n".join(lines)))
    sys.exit(exit_code(problems))


def _stale_feeds(result: BuildResult) -> list[Problem]:
    """``build --check``: each feed on disk that differs is an error, so CI annotates the file."""
    return [
        error(
            "feed-stale",
            "the feed on disk differs from what `podfeed build` would write (the items "
            "added, removed and changed are listed with the feed)",
            f.path,
            hint="run `podfeed build` and commit the feeds",
        )
        for f in result.feeds
        if f.changed and not f.withheld  # its feed-empty error says why it is not written
    ]


@main.command()
@verbosity_options
@click.argument(
    "site_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default="config.yaml",
    show_default=True,
    help="Where to write the configuration.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing configuration file.")
def init(site_dir: Path, output: Path, force: bool) -> None:
    """Write a commented starting config.yaml from an existing Jekyll site.

    Reads the site's _config.yml (title, description, author, url, logo, languages, defaultLang)
    and the episode folders it finds; every value it cannot know is marked TODO.

    \b
    Example:
        podfeed init path/to/site/docs -o config.yaml
        podfeed check
    """
    import os

    from podfeed.fsutil import atomic_write
    from podfeed.init import jekyll_exclusions, render_config, scan_site

    if output.exists() and not force:
        click.echo(f"Error: {output} exists; use --force to overwrite it", err=True)
        raise click.exceptions.Exit(2)
    try:
        scan = scan_site(site_dir)
    except PodfeedError as exc:
        raise _fail(exc, make_reporter("text", isatty=False)) from exc
    rel = os.path.relpath(site_dir.resolve(), output.resolve().parent)
    atomic_write(output, render_config(scan, site_dir=Path(rel).as_posix()).encode("utf-8"))
    shows = ", ".join(
        f"{show} ({n} file{'' if n == 1 else 's'})" for show, n in scan.episode_counts.items()
    )
    click.echo(f"wrote {output}: shows {shows or 'none'}; languages {', '.join(scan.languages)}")
    for note in scan.notes:
        click.echo(f"note: {note}")
    beside = [output, output.parent / "podfeed.lock", output.parent / "preview"]
    missing = jekyll_exclusions(scan, site_dir, beside)
    if missing:
        click.echo(
            "note: add to `exclude:` in the site's _config.yml, so that Jekyll does not publish "
            f"them: {', '.join(missing)}"
        )
    click.echo("Next: fill in the values marked TODO, then run `podfeed check`.")


@main.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of config.yaml, for editors and validators.

    The same table of keys drives `podfeed check`, this schema and docs/configuration.md.
    Editors with YAML support read it from the `# yaml-language-server: $schema=...` line that
    `podfeed init` writes first; point that line at a local copy to work offline.

    \b
    Example:
        podfeed schema > podfeed.schema.json
        check-jsonschema --schemafile podfeed.schema.json config.yaml
    """
    from podfeed.config.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command()
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
@click.option("--show", "shows", multiple=True, help="Only this show id (repeatable).")
def resolve(
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
    from podfeed.problems import strictify

    reporter = _reporter(fmt)
    config = _load_config(config_path, reporter)
    existed = config.lock_path.exists()
    try:
        site, changed = update_lock(config, shows=shows, refresh=refresh, only=only or None)
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc
    shown = site.problems if _settings().get("verbose") else site.resolution
    problems = [*shown, *_unused_only_ids(site, only)]
    problems = strictify(problems) if strict else problems
    entries = len(site.lock.media)
    noun = "entry" if entries == 1 else "entries"
    if changed:
        state = f"{'updated' if existed else 'created'}, {entries} {noun}"
    elif existed:
        state = f"unchanged, {entries} {noun}"
    else:
        state = "not written (nothing was resolved)"
    lines = [f"{config.lock_path}: {state}; {site.requests} HTTP requests"]
    others = len(site.problems) - len(site.resolution)
    if others and not _settings().get("verbose"):
        lines.append(
            f"{others} other problem{'' if others == 1 else 's'} in the episode files and the "
            "configuration not shown (`podfeed check` lists them, or -v)"
        )
    lines.append(level_summary(problems))
    summary = {
        "lock_changed": changed,
        "lock_written": changed,
        "entries": entries,
        "requests": site.requests,
    }
    click.echo(reporter.document(_shown(problems), summary, "\n".join(lines)))
    sys.exit(exit_code(problems))


def _unused_only_ids(site: SiteMedia, only: Sequence[str]) -> list[Problem]:
    """``--only`` ids no selected episode uses: a typo would otherwise resolve nothing, silently."""
    used = {
        media_id
        for show in site.shows
        for ep in show.episodes
        for media_id in (ep.transistor_id, ep.youtube_id)
        if media_id
    }
    return [
        warning(
            "resolve-unknown-id",
            f"--only {media_id}: no episode of the selected shows uses this id; nothing was "
            "resolved for it",
            hint="copy the id from the episode's transistor or youtube include",
        )
        for media_id in dict.fromkeys(only)
        if media_id not in used
    ]


# podfeed.validate.base.PROFILES, named here so the CLI starts without importing the validator
# (tests/test_validate_cli.py checks that they agree).
VALIDATE_PROFILES = ("podcast", "rss")


@main.command()
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
@click.option(
    "--profile",
    type=click.Choice(VALIDATE_PROFILES),
    default="podcast",
    show_default=True,
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
def validate(
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
    from podfeed.problems import strictify
    from podfeed.validate.targets import unknown_rules, validate_targets

    reporter = _reporter(fmt)
    rules = [r.strip() for r in rules_list.split(",") if r.strip()] if rules_list else None
    if rules == []:
        raise click.BadParameter("no rule id given", param_hint="--rules")
    if rules is not None:
        unknown = unknown_rules(rules)
        if unknown:
            raise click.BadParameter(
                f"unknown rule id {', '.join(map(repr, unknown))}; the rule ids are listed in "
                "docs/validate-rules.md",
                param_hint="--rules",
            )
    progress = _progress()
    try:
        run = validate_targets(
            targets,
            rules=rules,
            fetch_artwork=fetch_artwork,
            check_media=check_media,
            sample=sample,
            profile="rss" if profile == "rss" else "podcast",
            progress=progress,
        )
    finally:
        progress.close()
    problems = strictify(run.problems) if strict else run.problems
    readable = len(run.sources) - len(run.unreadable)
    text = f"{readable} feed{'' if readable == 1 else 's'} checked; {level_summary(problems)}"
    summary = {"feeds": run.sources, "unreadable": run.unreadable}
    click.echo(reporter.document(_shown(problems), summary, text))
    for message in run.unreadable:
        click.echo(f"Error: {message}", err=True)
    sys.exit(2 if run.unreadable else exit_code(problems))


@main.command()
@verbosity_options
@config_option
@format_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="preview",
    show_default=True,
    help="Folder for the HTML pages (one per feed, plus index.html).",
)
@click.option("--show", "shows", multiple=True, help="Only this show id (repeatable).")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
def preview(
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
    from podfeed.build import BuildOptions
    from podfeed.build import build as run_build
    from podfeed.preview import write_previews

    reporter = _reporter(fmt)
    config = _load_config(config_path, reporter)
    options = BuildOptions(offline=True, dry_run=True, preview=True, shows=shows, langs=langs)
    progress = _progress()
    try:
        result = run_build(config, options, progress=progress)
        pages = write_previews(
            {f.path: f.data for f in result.feeds},
            out_dir,
            problems_by_feed={f.path: result.problems_for(f) for f in result.feeds},
        )
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc
    except OSError as exc:
        click.echo(f"Error: could not write the preview to {out_dir}: {exc.strerror}", err=True)
        raise click.exceptions.Exit(1) from exc
    finally:
        progress.close()
    index = next((p for p in pages if p.name == "index.html"), out_dir / "index.html")
    text = f"{len(pages) - 1} preview pages in {out_dir}; open {index}"
    click.echo(reporter.document(_shown(result.problems), {"pages": [str(p) for p in pages]}, text))
    sys.exit(exit_code(result.problems))


@main.command()
@verbosity_options
@config_option
@format_option
@click.option("--show", "shows", multiple=True, help="Only this show id (repeatable).")
def ping(config_path: Path, fmt: str, shows: tuple[str, ...]) -> None:
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
    from podfeed.build import feed_path, select_shows
    from podfeed.media.http import Http
    from podfeed.ping import PingTarget, pingable
    from podfeed.ping import ping as send_pings

    reporter = _reporter(fmt)
    config = _load_config(config_path, reporter)
    targets = [PingTarget("websub", url) for url in config.ping.websub]
    if config.ping.podcastindex:
        targets.append(PingTarget("podcastindex", config.ping.podcastindex))
    if not targets:
        text = "nothing to ping: add a `ping:` section (websub, podcastindex) to the config"
        click.echo(reporter.document([], {"sent": 0, "failed": 0, "skipped": 0}, text))
        sys.exit(0)
    try:
        feeds = [
            (show.feed_url_for(lang), feed_path(config, show, lang, None))
            for show in select_shows(config, shows)
            for lang in show.languages
        ]
    except PodfeedError as exc:
        raise _fail(exc, reporter) from exc
    feed_urls, skipped = pingable(feeds)
    with Http(config.http) as http:
        failed = send_pings(feed_urls, targets, http=http)
    problems = [*skipped, *failed]
    sent = len(feed_urls) * len(targets)
    text = f"{sent - len(failed)} of {sent} pings accepted"
    if skipped:
        text += f"; {len(skipped)} feed{'' if len(skipped) == 1 else 's'} not pinged"
    text += f"; {level_summary(problems)}"
    summary = {"sent": sent, "failed": len(failed), "skipped": len(skipped)}
    click.echo(reporter.document(_shown(problems), summary, text))
    sys.exit(exit_code(problems))
