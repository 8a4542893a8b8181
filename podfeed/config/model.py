"""The checked configuration as frozen dataclasses (what ``load_config`` returns).

Kept apart from the loader so that every layer can import the shapes without the validation code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from podfeed.problems import Problem

DEFAULT_SHARE_URL = "https://share.transistor.fm"
DEFAULT_API_URL = "https://api.transistor.fm/v1"
DEFAULT_YOUTUBE_OEMBED_URL = "https://www.youtube.com/oembed"


@dataclass(frozen=True)
class Category:
    """An Apple Podcasts category with an optional subcategory (``Business > Management``)."""

    name: str
    sub: str | None = None


@dataclass(frozen=True)
class Owner:
    name: str
    email: str


@dataclass(frozen=True)
class TransistorConfig:
    """Where the show's audio lives. ``feed_url`` is the show's own Transistor RSS feed."""

    feed_url: str | None = None
    share_url: str = DEFAULT_SHARE_URL
    api_url: str = DEFAULT_API_URL
    show_id: str | None = None  # Transistor API show id, only used with TRANSISTOR_API_KEY
    language: str | None = None  # the language of the Transistor show; default: default_language


@dataclass(frozen=True)
class YoutubeConfig:
    check: bool = False
    oembed_url: str = DEFAULT_YOUTUBE_OEMBED_URL


@dataclass(frozen=True)
class HttpConfig:
    timeout: float = 10.0
    concurrency: int = 8
    retries: int = 10
    max_retry_after: float = 30.0
    max_bytes: int = 50_000_000
    retry_budget: float = 60.0  # seconds within which every retry of one run must happen


@dataclass(frozen=True)
class GuardConfig:
    """The publishing guard: how much a rebuilt feed may shrink, and whether guids may change."""

    max_drop_share: float = 0.2
    max_drop_items: int | None = None
    allow_shrink: bool = False
    allow_guid_change: bool = False


@dataclass(frozen=True)
class PingConfig:
    """Who is told after publishing (off unless configured)."""

    websub: tuple[str, ...] = ()
    podcastindex: str | None = None


@dataclass(frozen=True)
class Show:
    """One podcast: its channel data, where its episode files are, and its languages.

    ``title`` and ``description`` map every language to its text (a single string in the YAML
    file is used for all languages). ``episodes`` are glob patterns relative to ``root``.
    ``episode_url`` and ``feed_url`` are templates with ``{site_url}``, ``{permalink}``,
    ``{show}`` and ``{lang}``.
    """

    id: str
    title: dict[str, str]
    description: dict[str, str]
    author: str
    owner: Owner
    image: str
    site_url: str
    feed_url: str
    episodes: tuple[str, ...]
    languages: tuple[str, ...]
    default_language: str
    timezone: str
    root: Path
    categories: tuple[Category, ...] = ()
    explicit: bool = False
    type: str = "episodic"
    copyright: str | None = None
    link: str | None = None
    episode_url: str = "{site_url}{permalink}"
    language_tags: dict[str, str] = field(default_factory=dict)
    locked: bool | None = None
    apple_verify: str | None = None
    missing_audio: str = "warning"  # "warning" or "error"
    allow_empty: tuple[str, ...] = ()  # languages whose feed may have no items
    transistor: TransistorConfig = field(default_factory=TransistorConfig)
    youtube: YoutubeConfig = field(default_factory=YoutubeConfig)

    def language_tag(self, lang: str) -> str:
        """The ``<language>`` value for a language (``pt`` may be published as ``pt-BR``)."""
        return self.language_tags.get(lang, lang)

    def reuses_host_guid(self, lang: str) -> bool:
        """Whether items in ``lang`` take Transistor's guid (the Transistor show's language).

        Translations share the English audio's share id; giving them the English item's guid
        would tie their identity to another feed's episode, and it would change the day the
        translation gets audio of its own. Only the language Transistor publishes reuses it.
        """
        return lang == (self.transistor.language or self.default_language)

    def feed_url_for(self, lang: str) -> str:
        return self.feed_url.format(show=self.id, lang=lang, site_url=self.site_url)

    def episode_url_for(self, permalink: str, lang: str) -> str:
        return self.episode_url.format(
            site_url=self.site_url, permalink=permalink.lstrip("/"), lang=lang, show=self.id
        )


@dataclass(frozen=True)
class Config:
    """The whole file: shows plus settings shared by every command."""

    path: Path
    shows: tuple[Show, ...]
    output: str = "feeds/{show}/{lang}.xml"
    lock: str = "podfeed.lock"
    max_age: int = 7 * 24 * 3600  # seconds before a lock entry is stale
    http: HttpConfig = field(default_factory=HttpConfig)
    guard: GuardConfig = field(default_factory=GuardConfig)
    ping: PingConfig = field(default_factory=PingConfig)
    # Warnings found while loading (errors raise ConfigError instead), for the CLI to report.
    problems: tuple[Problem, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        return self.root / self.lock

    def show(self, show_id: str) -> Show:
        for show in self.shows:
            if show.id == show_id:
                return show
        raise KeyError(show_id)
