"""`podfeed validate`'s driver: read feeds from files or URLs and run the rules on each.

Kept apart from the engine (:mod:`podfeed.validate.engine`, pure rules on bytes) because this
part does I/O: a URL is fetched once with the shared HTTP client (size-capped, retried), with
``fetch_artwork`` the artwork headers are read over the network
(:mod:`podfeed.validate.artwork`), and with ``check_media`` each enclosure's server is asked
about the file (:mod:`podfeed.validate.media_check`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from podfeed.config.model import HttpConfig
from podfeed.media.http import FetchError, Http
from podfeed.problems import InputError, Problem, error
from podfeed.progress import NullProgress, Progress
from podfeed.validate.base import Profile
from podfeed.validate.engine import validate_bytes, validate_file
from podfeed.validate.rules import RULES

__all__ = ["MAX_FEED_BYTES", "ValidationRun", "is_url", "unknown_rules", "validate_targets"]

MAX_FEED_BYTES = 200_000_000  # a 10,000-item feed is about 50 MB


@dataclass
class ValidationRun:
    """Problems per source, and sources that could not be read at all (exit code 2)."""

    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def unknown_rules(rules: Collection[str]) -> list[str]:
    return sorted(set(rules) - set(RULES))


def validate_targets(
    targets: Sequence[str],
    *,
    rules: Collection[str] | None = None,
    fetch_artwork: bool = False,
    check_media: bool = False,
    sample: int | None = None,
    profile: Profile = "podcast",
    http_config: HttpConfig | None = None,
    http: Http | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ValidationRun:
    """Validate every file or URL; an unreadable one is recorded, never raised, so the rest run.

    With ``fetch_artwork`` the show artwork and up to 50 distinct episode images are checked
    over the network (only their first bytes are read); with ``check_media`` every item's
    enclosure (or ``sample`` of them, spread over the feed) is asked for with HEAD or a 2-byte
    ranged GET. ``profile`` is validate's profile (``podcast`` or ``rss``).
    """
    progress = progress or NullProgress()
    progress.stage("validating feeds", total=len(targets))
    run = ValidationRun()
    options = _Options(rules, fetch_artwork, check_media, sample, profile, now)
    needs_http = fetch_artwork or check_media or any(is_url(t) for t in targets)
    own = http is None and needs_http
    session = http or (Http(http_config or HttpConfig()) if needs_http else None)
    try:
        for target in targets:
            _validate_one(run, target, session, options)
            progress.advance()
    finally:
        if own and session is not None:
            session.close()
    return run


@dataclass(frozen=True)
class _Options:
    rules: Collection[str] | None
    fetch_artwork: bool
    check_media: bool
    sample: int | None
    profile: Profile
    now: datetime | None


def _validate_one(run: ValidationRun, target: str, session: Http | None, opts: _Options) -> None:
    run.sources.append(target)
    try:
        data = _read(target, session)
    except InputError as exc:
        run.unreadable.append(exc.message)
        # Also a problem, so that --format json lists it and CI shows it as an annotation.
        run.problems.append(
            error(
                "feed-unreadable",
                exc.message,
                target,
                hint="check the path or URL (and the network for a URL), then run again",
            )
        )
        return
    rules = opts.rules
    if data is None:
        problems = validate_file(Path(target), rules=rules, now=opts.now, profile=opts.profile)
    else:
        problems = validate_bytes(
            data, source=target, rules=rules, now=opts.now, profile=opts.profile
        )
    run.problems.extend(problems)
    if session is None or not (opts.fetch_artwork or opts.check_media):
        return
    feed = data if data is not None else Path(target).read_bytes()
    online: list[Problem] = []
    if opts.fetch_artwork:
        from podfeed.validate.artwork import check_artwork

        online += check_artwork(feed, source=target, http=session, items=True)
    if opts.check_media:
        from podfeed.validate.media_check import check_media

        online += check_media(feed, source=target, http=session, sample=opts.sample)
    run.problems.extend(p for p in online if rules is None or p.code in rules)


def _read(target: str, http: Http | None) -> bytes | None:
    """Bytes of a URL; None for a readable local file (streamed later by the validator)."""
    if is_url(target):
        assert http is not None
        try:
            response = http.get(target, max_bytes=MAX_FEED_BYTES)
        except FetchError as exc:
            raise InputError(f"cannot fetch feed {exc}") from exc
        if response.status >= 400:
            raise InputError(f"cannot fetch feed {target}: HTTP {response.status}")
        return response.content
    path = Path(target)
    if not path.is_file():
        reason = "is a folder" if path.is_dir() else "does not exist"
        raise InputError(f"cannot read feed {target}: it {reason}")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"cannot read feed {target}: {exc.strerror}") from exc
    return None
