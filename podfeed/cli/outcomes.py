"""What each command prints after its core call: the problems, the summary scripts read in
``--format json``, and the closing lines people read (a feed's state, the lock's, the counts).

Pure functions from a core result to an :class:`~podfeed.cli.console.Outcome`; the wording
of every summary line lives here, one function per command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from podfeed.cli.console import Outcome
from podfeed.cli.formats import count_levels, level_summary, plural
from podfeed.problems import strictify

if TYPE_CHECKING:
    from podfeed.build import BuildOptions, BuildResult, FeedOutput, SiteMedia
    from podfeed.check import CheckResult
    from podfeed.publish.ping import PingRun
    from podfeed.site.init import SiteScan
    from podfeed.validate.targets import ValidationRun

__all__ = ["build", "check", "init", "ping", "preview", "resolve", "validate"]


def check(result: CheckResult) -> Outcome:
    """Episodes per show and language, the files skipped, the problem counts."""
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
    return Outcome(result.problems, summary, "\n".join(lines))


def build(result: BuildResult, options: BuildOptions, *, lock: Path, lock_existed: bool) -> Outcome:
    """Each feed with its items, warnings, state and diff; the lock's state; the counts.

    Under ``--check`` each feed that differs from the one on disk is an error too.
    """
    problems = [*result.problems, *result.stale_problems()] if options.check else result.problems
    lines = []
    for f in result.feeds:
        items, warns = plural(f.items, "item"), plural(f.warnings, "warning")
        lines.append(f"{f.path}  {items}, {warns}  ({_feed_state(f, result, options)})")
        lines.extend(f"    {line}" for line in f.diff)
    if lock in result.written:
        lock_state = "updated" if lock_existed else "created (commit it next to the configuration)"
    elif result.lock_changed:
        lock_state = "would change" if options.check or options.dry_run else "not written"
    else:
        lock_state = "unchanged" if lock_existed else "not written (nothing was resolved)"
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
    return Outcome(problems, summary, "\n".join(lines))


def _feed_state(feed: FeedOutput, result: BuildResult, options: BuildOptions) -> str:
    if options.check:
        return "differs" if feed.changed else "up to date"
    if options.dry_run:
        return "would change" if feed.changed else "unchanged"
    if feed.withheld:
        return "not written: no items"
    return "written" if feed.path in result.written else "unchanged"


def resolve(
    site: SiteMedia,
    changed: bool,
    *,
    lock: Path,
    lock_existed: bool,
    only: Sequence[str],
    strict: bool,
    verbose: bool,
) -> Outcome:
    """What resolving found (with ``verbose``, every problem), the lock's state and entries.

    ``--only`` ids no selected episode uses are warnings; ``strict`` makes warnings errors.
    """
    shown = site.problems if verbose else site.resolution
    problems = [*shown, *site.unused_ids(only)]
    problems = strictify(problems) if strict else problems
    entries = len(site.lock.media)
    count = plural(entries, "entry", "entries")
    if changed:
        state = f"{'updated' if lock_existed else 'created'}, {count}"
    elif lock_existed:
        state = f"unchanged, {count}"
    else:
        state = "not written (nothing was resolved)"
    lines = [f"{lock}: {state}; {site.requests} HTTP requests"]
    others = len(site.problems) - len(site.resolution)
    if others and not verbose:
        lines.append(
            f"{plural(others, 'other problem')} in the episode files and the configuration not "
            "shown (`podfeed check` lists them, or -v)"
        )
    lines.append(level_summary(problems))
    summary = {
        "lock_changed": changed,
        "lock_written": changed,
        "entries": entries,
        "requests": site.requests,
    }
    return Outcome(problems, summary, "\n".join(lines))


def validate(run: ValidationRun, *, strict: bool) -> Outcome:
    """The feeds checked and the counts; a feed that could not be read is an error (exit 2)."""
    problems = strictify(run.problems) if strict else run.problems
    readable = len(run.sources) - len(run.unreadable)
    text = f"{plural(readable, 'feed')} checked; {level_summary(problems)}"
    summary = {"feeds": run.sources, "unreadable": run.unreadable}
    return Outcome(
        problems, summary, text, errors=run.unreadable, code=2 if run.unreadable else None
    )


def preview(result: BuildResult, pages: Sequence[Path], out_dir: Path) -> Outcome:
    """The build's problems, and where the pages are."""
    index = next((p for p in pages if p.name == "index.html"), out_dir / "index.html")
    text = f"{len(pages) - 1} preview pages in {out_dir}; open {index}"
    return Outcome(result.problems, {"pages": [str(p) for p in pages]}, text)


def ping(run: PingRun) -> Outcome:
    """Pings accepted of those sent, feeds not pinged; without targets, how to add some."""
    if not run.targets:
        text = "nothing to ping: add a `ping:` section (websub, podcastindex) to the config"
        return Outcome([], {"sent": 0, "failed": 0, "skipped": 0}, text)
    problems = [*run.skipped, *run.failed]
    text = f"{run.sent - len(run.failed)} of {run.sent} pings accepted"
    if run.skipped:
        text += f"; {plural(len(run.skipped), 'feed')} not pinged"
    text += f"; {level_summary(problems)}"
    summary = {"sent": run.sent, "failed": len(run.failed), "skipped": len(run.skipped)}
    return Outcome(problems, summary, text)


def init(scan: SiteScan, output: Path, missing: Sequence[str]) -> str:
    """What was written and learnt, the site files Jekyll would publish, and what comes next."""
    shows = ", ".join(f"{show} ({plural(n, 'file')})" for show, n in scan.episode_counts.items())
    lines = [f"wrote {output}: shows {shows or 'none'}; languages {', '.join(scan.languages)}"]
    lines.extend(f"note: {note}" for note in scan.notes)
    if missing:
        lines.append(
            "note: add to `exclude:` in the site's _config.yml, so that Jekyll does not publish "
            f"them: {', '.join(missing)}"
        )
    lines.append("Next: fill in the values marked TODO, then run `podfeed check`.")
    return "\n".join(lines)
