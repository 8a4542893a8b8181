"""`podfeed init`: read an existing Jekyll site and write a commented starting ``config.yaml``.

What is read: ``_config.yml`` (``title``, ``description``, ``author``, ``url`` + ``baseurl``,
``logo``, ``languages`` and ``defaultLang`` of jekyll-multiple-languages-plugin), a ``CNAME``
file (the site's host when ``url`` is absent), and the episode files found under the site.
Episode folders are grouped into shows by the name of their numbered folders (``edt-12`` and
``edw-3`` are two shows), and each group becomes glob patterns (``episodes/edt-*/*/episode.md``).
Nothing is guessed silently: every value the site does not give is written as a clearly marked
placeholder and listed in the returned notes. Each show gets the languages its own folders have
(a show with only English files publishes one feed, not six empty ones). The show with the most
episode files is the site's main show; the site's title and description are its own, so for
every other show they are written as ``TODO`` values, which the build refuses to publish.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from podfeed.config.lists import LANGUAGES
from podfeed.config.schema import schema_url
from podfeed.problems import InputError

_NUMBERED = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z_]*?)[-_]?(?P<number>\d+)$")
_SKIP_DIRS = {"_site", "node_modules", ".git", "vendor", ".jekyll-cache", "assets", "_includes"}


@dataclass
class SiteScan:
    """What was learnt from a site: settings, shows with their globs, and notes for the user."""

    title: str | None = None
    description: str | None = None
    author: str | None = None
    site_url: str | None = None
    logo: str | None = None
    link: str | None = None
    languages: list[str] = field(default_factory=list)
    default_language: str | None = None
    shows: dict[str, list[str]] = field(default_factory=dict)
    legacy: dict[str, list[str]] = field(default_factory=dict)
    episode_counts: dict[str, int] = field(default_factory=dict)
    show_languages: dict[str, list[str]] = field(default_factory=dict)
    main_show: str | None = None
    excluded: list[str] = field(default_factory=list)  # _config.yml's `exclude:` entries
    notes: list[str] = field(default_factory=list)

    def languages_of(self, show: str) -> list[str]:
        return self.show_languages.get(show) or [self.default_language or "en"]


def _load_jekyll_config(site: Path) -> dict[str, Any]:
    path = site / "_config.yml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as YAML: {exc}") from exc
    return data if isinstance(data, dict) else {}


def _site_url(site: Path, jekyll: dict[str, Any]) -> str | None:
    url = jekyll.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        base = jekyll.get("baseurl") or ""
        return url.rstrip("/") + "/" + (str(base).strip("/") + "/" if base else "")
    cname = site / "CNAME"
    if cname.is_file():
        host = cname.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        if host and host[0]:
            return f"https://{host[0].strip()}/"
    return None


def _episode_files(site: Path) -> list[Path]:
    found = []
    for path in sorted(site.rglob("*.md")):
        rel = path.relative_to(site)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if any(_NUMBERED.match(part) for part in rel.parts[:-1]):
            found.append(rel)
    return found


def scan_site(site: Path) -> SiteScan:
    """Learn what a starting config needs from the site folder (no network, no writes)."""
    if not site.is_dir():
        raise InputError(f"{site}: not a folder; give the folder that holds the site")
    jekyll = _load_jekyll_config(site)
    scan = SiteScan()
    for key in ("title", "description", "author"):
        value = jekyll.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            setattr(scan, key, str(value).strip())
    scan.site_url = _site_url(site, jekyll)
    logo = jekyll.get("logo")
    if isinstance(logo, str) and logo:
        scan.logo = logo
    links = jekyll.get("aux_links")
    if isinstance(links, dict):
        # just-the-docs sites list the podcast host among their header links.
        hosted = [v for v in links.values() if isinstance(v, str) and "transistor.fm" in v]
        scan.link = hosted[0] if hosted else None
    langs = jekyll.get("languages")
    if isinstance(langs, list):
        scan.languages = [
            str(x).strip().lower() for x in langs if str(x).strip().lower() in LANGUAGES
        ]
    default = jekyll.get("defaultLang") or jekyll.get("default_lang") or jekyll.get("lang")
    if isinstance(default, str) and default.lower() in LANGUAGES:
        scan.default_language = default.lower()

    excluded = jekyll.get("exclude")
    if isinstance(excluded, list):
        scan.excluded = [str(x) for x in excluded]

    patterns: dict[str, set[str]] = defaultdict(set)
    legacy: dict[str, set[str]] = defaultdict(set)
    langs_seen: set[str] = set()
    show_langs: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for rel in _episode_files(site):
        parts = list(rel.parts)
        show = None
        for i, part in enumerate(parts[:-1]):
            m = _NUMBERED.match(part)
            if m:
                show = m["prefix"].lower()
                parts[i] = f"{m['prefix']}-*" if "-" in part else f"{m['prefix']}*"
                break
        if show is None:
            continue
        counts[show] += 1
        lang_part = parts[-2] if len(parts) >= 2 else ""
        if lang_part.lower() in LANGUAGES:
            langs_seen.add(lang_part.lower())
            show_langs[show].add(lang_part.lower())
            parts[-2] = "*"
            patterns[show].add("/".join(parts))
        else:
            legacy[show].add("/".join(parts))
    if not scan.languages:
        scan.languages = sorted(langs_seen) or ["en"]
        scan.notes.append(
            "_config.yml has no `languages:`; languages were taken from the episode folders"
        )
    if scan.default_language is None or scan.default_language not in scan.languages:
        scan.default_language = "en" if "en" in scan.languages else scan.languages[0]
    order = {lang: i for i, lang in enumerate(scan.languages)}
    for show in sorted(counts):
        if patterns.get(show):
            scan.shows[show] = sorted(patterns[show])
            scan.legacy[show] = sorted(legacy.get(show, ()))
        else:
            scan.shows[show] = sorted(legacy.get(show, ()))
            scan.legacy[show] = []
        scan.episode_counts[show] = counts[show]
        # The site's languages first, in its order; a folder language it does not list after.
        found = sorted(show_langs.get(show, ()), key=lambda lang: (order.get(lang, 99), lang))
        scan.show_languages[show] = found or [scan.default_language]
    if counts:
        scan.main_show = max(sorted(counts), key=lambda show: counts[show])
    if not scan.shows:
        scan.notes.append("no episode files were found (looked for */<name>-<number>/**/*.md)")
    if scan.site_url is None:
        scan.notes.append(
            "the site URL is unknown (no `url:` in _config.yml, no CNAME): set site_url"
        )
    return scan


def jekyll_exclusions(scan: SiteScan, site: Path, paths: list[Path]) -> list[str]:
    """The entries of ``paths`` inside the site that its ``_config.yml`` does not exclude yet.

    Jekyll publishes every file of the site folder that is not excluded: a configuration, a
    lock or a preview inside it would be served on the public site.
    """
    root = site.resolve()
    missing: list[str] = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue  # outside the site: Jekyll never sees it
        name = rel + ("/" if path.suffix == "" else "")
        if rel.startswith((".", "_")) or any(entry.strip("/") == rel for entry in scan.excluded):
            continue  # Jekyll skips dot and underscore names by itself
        missing.append(name)
    return missing


def _q(value: str) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render_config(scan: SiteScan, *, site_dir: str) -> str:
    """The commented ``config.yaml`` text for a scanned site."""
    site_url = scan.site_url or "https://example.com/"
    image = (
        site_url + scan.logo.removeprefix("./").lstrip("/")
        if scan.logo and not scan.logo.startswith(("http://", "https://"))
        else scan.logo or site_url + "artwork.jpg"
    )
    out = [
        # Editors with YAML support read the schema named here: key completion, descriptions,
        # misspelt keys marked while typing (see docs/configuration.md, "Editor support").
        f"# yaml-language-server: $schema={schema_url()}",
        "# podfeed configuration, written by `podfeed init` from the site's _config.yml and the",
        "# episode folders it found. Check every value marked TODO, then run `podfeed check`.",
        "# Every key is described in docs/configuration.md.",
        "",
        "# Folder holding the site, relative to this file.",
        f"site_dir: {_q(site_dir)}",
        "output: feeds/{show}/{lang}.xml",
        "lock: podfeed.lock",
        "max_age: 7d",
        "",
        "shows:",
    ]
    # With no episode files found, one show still makes a config that loads; its pattern is a
    # guess the user must check (an empty `shows:` would only be a config error).
    shows = scan.shows or {"podcast": ["TODO/*/episode.md"]}
    for show, globs in shows.items():
        found = scan.episode_counts.get(show, 0)
        main = show == (scan.main_show or show)
        # The site's own title and description belong to its main show: another show gets them
        # as TODO values, which `check` and `build` refuse until they are the show's own.
        if main:
            title = _q(scan.title or "TODO: the show's title")
            description = _q(scan.description or "TODO: describe the show")
        else:
            title = _q(f"TODO: the title of {show} (the site's is {scan.title or 'unknown'!r})")
            description = _q(f"TODO: describe {show} (the site's description is the main show's)")
        copied = "" if main else "  # TODO: copied from the site; check it is this show's"
        languages = scan.languages_of(show)
        default = scan.default_language if scan.default_language in languages else languages[0]
        out += [
            f"  # Episode files found for this show: {found}."
            + ("" if found else "  TODO: point `episodes:` at them."),
            f"  - id: {show}",
            f"    title: {title}",
            f"    description: {description}",
            f"    author: {_q(scan.author or 'TODO')}{copied if scan.author else ''}",
            "    owner:",
            f"      name: {_q(scan.author or 'TODO')}{copied if scan.author else ''}",
            '      email: "TODO@example.com"  # TODO: Apple sends ownership mail here',
            "    # TODO: Apple wants 1400-3000 px square JPEG/PNG artwork over https.",
            f"    image: {_q(image)}",
            "    categories:",
            '      - Technology  # TODO: Apple\'s category list, e.g. "Business > Management"',
            "    explicit: false",
            "    type: episodic",
            f"    site_url: {_q(site_url)}",
            *(
                [
                    f"    link: {_q(scan.link)}"
                    + (copied or "  # the channel link (the show's home page)")
                ]
                if scan.link
                else []
            ),
            '    episode_url: "{site_url}{permalink}"',
            f'    feed_url: "{site_url}feeds/{{show}}/{{lang}}.xml"',
            "    episodes:",
        ]
        out += [f"      - {_q(g)}" for g in globs]
        for g in scan.legacy.get(show, []):
            out += [
                "      # Older files without a language folder; they repeat episodes that the",
                "      # language folders already have (duplicates are errors), so they are off:",
                f"      # - {_q(g)}",
            ]
        out += [
            f"    languages: [{', '.join(languages)}]"
            + ("  # the language folders found" if languages != scan.languages else ""),
            f"    default_language: {default}",
            "    # Dates without a zone are read in this zone.  TODO: the show's own time zone.",
            "    timezone: UTC",
            "    transistor:",
            "      # TODO: the show's Transistor feed (https://feeds.transistor.fm/<slug>)",
            "      feed_url: null",
        ]
    return "\n".join(out) + "\n"
