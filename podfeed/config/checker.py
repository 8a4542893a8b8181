"""Load and check ``config.yaml`` into frozen dataclasses, reporting every problem in one pass.

A configuration mistake should cost one edit, not one CI run per mistake: the whole file is
checked, every problem names the key path (``shows[0].languages[2]``) and the line in the file,
and says what was expected (and, for typos, what was probably meant). Unknown keys are errors,
not warnings: a misspelt key that is silently ignored loses the data it held.

The keys, their types, defaults and choices come from :mod:`podfeed.config.table` (which also
gives the JSON Schema and ``docs/configuration.md``); this module walks a file through them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from podfeed.config import table
from podfeed.config import values as v
from podfeed.config import vocabulary as w
from podfeed.config.model import (
    Config,
    GuardConfig,
    HttpConfig,
    Owner,
    PingConfig,
    Show,
    TransistorConfig,
    YoutubeConfig,
)
from podfeed.config.source import KeyPath, SourceMap, compose, yaml_problem
from podfeed.config.table import SHOW, TOP, Key, Section, ValueType
from podfeed.problems import ConfigError, Level, Problem, error, sort_problems

__all__ = [
    "CONVERTERS",
    "PLACEHOLDER",
    "converter",
    "load_config",
    "parse_config",
    "parse_config_text",
    "read_config",
]

SAMPLE = {"show": "show", "lang": "en", "permalink": "episode", "site_url": "https://example.org/"}

# The converter of each value type the table uses for keys that need nothing but their own
# value. The types missing here (sections, texts per language, lists of shows) depend on other
# keys and are walked below by name.
CONVERTERS: dict[str, Callable[..., Any]] = {
    "text": v.as_text,
    "boolean": v.as_bool,
    "whole": v.as_whole,
    "seconds": v.as_seconds,
    "share": v.as_share,
    "duration": v.as_duration,
    "url": v.as_url,
    "urls": v.as_urls,
    "base-url": v.as_base_url,
    "site-url": v.as_site_url,
    "image": v.as_image,
    "email": v.as_email,
    "slug": v.as_slug,
    "choice": v.as_choice,
    "template": v.as_template,
    "globs": v.as_globs,
    "timezone": v.as_timezone,
    "language": w.as_language,
    "languages": w.as_languages,
    "categories": w.as_categories,
}


def converter(value_type: ValueType) -> v.Converter[Any]:
    """The checker's converter for a type of the table, with the type's settings."""
    return partial(CONVERTERS[value_type.name], **value_type.params)


def load_config(path: Path) -> Config:
    """Read and check a configuration file.

    Warnings (e.g. a language falling back to the default text) are kept in
    ``Config.problems`` for the caller to show.

    :raises ConfigError: the file cannot be read, is not YAML, or has at least one error; the
        exception's ``problems`` holds every problem found, not just the first.
    """
    config, problems = read_config(path)
    if config is None:
        errors = [p for p in problems if p.level is Level.ERROR]
        if len(errors) == 1 and errors[0].message.startswith(str(path)):
            message = errors[0].message  # the file as a whole: missing, not UTF-8, not YAML
        else:
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            message = f"{path}: {count} in the configuration"
        raise ConfigError(message, problems)
    return config


def read_config(path: Path) -> tuple[Config | None, list[Problem]]:
    """Like :func:`load_config`, but returns ``(None, problems)`` instead of raising."""
    file = str(path)
    if path.is_dir():
        return None, [
            error(
                "config-unreadable",
                f"{file}: is a folder, not a configuration file",
                file,
                hint="pass the YAML file itself, e.g. --config config.yaml",
            )
        ]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                "config-unreadable",
                f"{file}: no such file",
                file,
                hint="create it (podfeed init writes a starting one) or pass --config",
            )
        ]
    except OSError as exc:
        return None, [error("config-unreadable", f"{file}: cannot be read ({exc.strerror})", file)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                "config-unreadable",
                f"{file}: is not UTF-8 text (byte {exc.start})",
                file,
                line,
                hint="save the file as UTF-8",
            )
        ]
    return parse_config_text(text, path=path)


def parse_config_text(text: str, *, path: Path) -> tuple[Config | None, list[Problem]]:
    """Parse YAML text and check it; ``path`` is where it came from (for messages and roots)."""
    file = str(path)
    try:
        node, data = compose(text)
    except yaml.YAMLError as exc:
        return None, [yaml_problem(exc, file, text)]
    if node is None:
        return None, [
            error(
                "config-empty",
                f"{file}: the configuration is empty",
                file,
                hint="a configuration needs at least a 'shows:' list",
            )
        ]
    return parse_config(data, path=path, source=SourceMap.from_node(node))


def parse_config(
    data: object, *, path: Path, source: SourceMap | None = None
) -> tuple[Config | None, list[Problem]]:
    """Check already-loaded YAML data; the core of :func:`load_config`.

    Pure apart from one look at the disk: that ``site_dir`` is an existing folder.

    ``source`` maps key paths to lines (see :meth:`SourceMap.from_node`); without it problems
    carry no line. Returns ``(None, problems)`` when any problem is an error, otherwise the
    config (its warnings also in ``Config.problems``) and the warnings.
    """
    checker = v.Checker(str(path), source or SourceMap())
    for key_path, _line in checker.source.duplicates:
        checker.error(
            "config-duplicate-key",
            key_path,
            "key given twice; YAML keeps only the last one",
            hint="remove or merge the duplicate",
        )
    config = _config(checker, data, path)
    problems = sort_problems(checker.problems)
    # A placeholder is an error in what would be published, not in the configuration's shape:
    # the configuration loads, and the commands that publish report it (exit 1).
    if config is None or any(p.level is Level.ERROR and p.code != PLACEHOLDER for p in problems):
        return None, problems
    return replace(config, problems=tuple(problems)), problems


# --------------------------------------------------------------------------------------------
# Sections


def _config(ck: v.Checker, data: object, path: Path) -> Config | None:
    if data is None:
        ck.error("config-empty", (), "the configuration is empty")
        return None
    if not isinstance(data, dict):
        ck.error(
            "config-not-mapping",
            (),
            f"expected a mapping of settings (output:, shows:, ...), got {v.kind(data)}",
        )
        return None
    v.check_keys(ck, data, TOP.names, ())
    top = _simple(ck, data, (), TOP)
    http = _section(ck, data, (), TOP["http"])
    guard = _section(ck, data, (), TOP["guard"])
    ping = _section(ck, data, (), TOP["ping"])
    root = path.parent / top["site_dir"]
    if not root.is_dir():
        ck.error("config-missing-site-dir", ("site_dir",), f"folder '{root}' does not exist")
    shows = v.read_key(
        ck, data, "shows", (), lambda c, value, at: _shows(c, value, at, root), required=True
    )
    if shows:
        _check_output(ck, top["output"], shows)
        _check_feed_urls(ck, shows)
    if shows is None or any(p.level is Level.ERROR and p.code != PLACEHOLDER for p in ck.problems):
        return None
    return Config(
        path=path,
        shows=shows,
        output=top["output"],
        lock=top["lock"],
        max_age=top["max_age"],
        http=HttpConfig(**http) if http else HttpConfig(),
        guard=GuardConfig(**guard) if guard else GuardConfig(),
        ping=PingConfig(websub=ping["websub"] or (), podcastindex=ping["podcastindex"])
        if ping
        else PingConfig(),
    )


def _simple(
    ck: v.Checker,
    mapping: dict[Any, Any],
    at: KeyPath,
    section: Section,
    *,
    exclude: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The keys of ``section`` that need nothing but their own value (not a nested section,
    not in ``exclude``), each converted by its type's converter; an absent (or null) key takes
    the table's default."""
    return {
        key.name: v.or_default(
            v.read_key(ck, mapping, key.name, at, converter(key.type), required=key.required),
            key.default,
        )
        for key in section
        if key.keys is None and key.name not in exclude
    }


def _section(ck: v.Checker, parent: dict[Any, Any], at: KeyPath, key: Key) -> dict[str, Any] | None:
    """A nested mapping of simple keys (``http:``, ``owner:``, …) as a dict of checked values;
    ``None`` when it is absent (an error if required) or not a mapping (reported)."""
    assert key.keys is not None, f"the table gives the keys of {key.name}"
    value = v.read_key(ck, parent, key.name, at, v.as_mapping, required=key.required)
    if value is None:
        return None
    where = (*at, key.name)
    v.check_keys(ck, value, key.keys.names, where)
    return _simple(ck, value, where, key.keys)


def _check_output(ck: v.Checker, output: str, shows: tuple[Show, ...]) -> None:
    """Every feed needs a file of its own: two feeds on one path would overwrite each other."""
    if len(shows) > 1 and "{show}" not in output:
        ck.error("config-bad-template", ("output",), "must contain {show}: there are several shows")
    if any(len(s.languages) > 1 for s in shows) and "{lang}" not in output:
        ck.error(
            "config-bad-template", ("output",), "must contain {lang}: a show has several languages"
        )


def _check_feed_urls(ck: v.Checker, shows: tuple[Show, ...]) -> None:
    seen: dict[str, str] = {}
    for index, show in enumerate(shows):
        urls = {show.feed_url_for(lang): lang for lang in show.languages}
        clash = next((url for url in urls if url in seen), None)
        if clash is not None:
            ck.error(
                "config-duplicate-feed-url",
                ("shows", index, "feed_url"),
                f"the '{urls[clash]}' feed has the same URL as the {seen[clash]} feed: {clash}",
                hint="put {show} and {lang} in feed_url",
            )
        seen.update({url: f"'{show.id}' '{lang}'" for url, lang in urls.items()})


def _shows(ck: v.Checker, value: object, at: KeyPath, root: Path) -> tuple[Show, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, table.SHOWS.expected, value)
        return None
    if not value:
        ck.error("config-empty-value", at, "at least one show is needed")
        return None
    shows: list[Show] = []
    ids: set[str] = set()
    for index, item in enumerate(value):
        show = _show(ck, item, (*at, index), root)
        if show is None:
            continue
        if show.id in ids:
            ck.error("config-duplicate-show-id", (*at, index, "id"), f"'{show.id}' is used twice")
        ids.add(show.id)
        shows.append(show)
    return tuple(shows) if len(shows) == len(value) else None


# Show keys whose check needs other keys of the show (its languages, its site URL): walked by
# name in _show, as are the nested sections; every other show key is simple (see _simple).
_SHOW_DEPENDENT = (
    "title",
    "description",
    "default_language",
    "episode_url",
    "feed_url",
    "language_tags",
    "allow_empty",
)


def _show(ck: v.Checker, value: object, at: KeyPath, root: Path) -> Show | None:
    mapping = v.as_mapping(ck, value, at)
    if mapping is None:
        return None
    v.check_keys(ck, mapping, SHOW.names, at)
    before = ck.error_count()
    simple = _simple(ck, mapping, at, SHOW, exclude=_SHOW_DEPENDENT)
    languages: tuple[str, ...] = simple["languages"] or ()
    default_language = w.as_default_language(ck, mapping, at, languages)
    site_url = simple["site_url"]

    def read(name: str, convert: v.Converter[Any]) -> Any:
        return v.read_key(ck, mapping, name, at, convert, required=SHOW[name].required)

    def localized(c: v.Checker, value: object, where: KeyPath) -> dict[str, str] | None:
        return w.as_localized(c, value, where, languages, default_language)

    title = read("title", localized)
    description = read("description", localized)
    owner = _section(ck, mapping, at, SHOW["owner"])
    if "categories" not in mapping:
        ck.warning(
            "config-no-category",
            at,
            "no categories; Apple Podcasts requires one",
            hint="add e.g. 'categories: [Technology]'",
        )
    episode_url = read("episode_url", lambda c, val, p: _episode_url(c, val, p, site_url))
    feed_url = read("feed_url", lambda c, val, p: _feed_url(c, val, p, site_url, languages))
    language_tags = read(
        "language_tags", lambda c, val, p: w.as_language_tags(c, val, p, languages)
    )
    allow_empty = read("allow_empty", lambda c, val, p: w.as_allow_empty(c, val, p, languages))
    transistor = _section(ck, mapping, at, SHOW["transistor"])
    youtube = _section(ck, mapping, at, SHOW["youtube"])
    if ck.error_count() > before:
        return None
    _check_placeholders(ck, mapping, at)
    if (  # each None below has reported an error already; this narrows the types
        simple["id"] is None
        or title is None
        or description is None
        or owner is None
        or owner["name"] is None
        or owner["email"] is None
        or simple["image"] is None
        or site_url is None
        or feed_url is None
        or simple["episodes"] is None
        or default_language is None
    ):
        return None
    host_language = (transistor or {}).get("language")
    if host_language and host_language not in languages:
        ck.error(
            "config-bad-language",
            (*at, "transistor", "language"),
            f"'{host_language}' is not one of this show's languages ({', '.join(languages)})",
            hint="name the language the Transistor show publishes in",
        )
        return None
    return Show(
        title=title,
        description=description,
        author=v.or_default(simple["author"], owner["name"]),
        owner=Owner(**owner),
        feed_url=feed_url,
        languages=languages,
        default_language=default_language,
        root=root,
        categories=v.or_default(simple["categories"], ()),
        link=v.or_default(simple["link"], site_url),
        episode_url=v.or_default(episode_url, SHOW["episode_url"].default),
        language_tags=v.or_default(language_tags, {}),
        allow_empty=v.or_default(allow_empty, ()),
        transistor=TransistorConfig(**transistor) if transistor else TransistorConfig(),
        youtube=YoutubeConfig(**youtube) if youtube else YoutubeConfig(),
        **{name: simple[name] for name in _SHOW_AS_IS},
    )


# Simple show keys that go to the model as the checker (with the table's default) gave them.
_SHOW_AS_IS = (
    "id",
    "image",
    "site_url",
    "episodes",
    "timezone",
    "explicit",
    "type",
    "copyright",
    "locked",
    "apple_verify",
    "missing_audio",
)


# What `podfeed init` writes for a value the site did not give (see podfeed/site/init.py).
_PLACEHOLDER_HOSTS = ("://example.com/", "://example.com")
_PLACEHOLDER_KEYS: tuple[KeyPath, ...] = (
    ("title",),
    ("description",),
    ("author",),
    ("owner", "name"),
    ("owner", "email"),
    ("image",),
    ("site_url",),
    ("feed_url",),
)
# Placeholders that would be published as the show's identity: a feed titled "TODO" or owned by
# TODO@example.com must not reach a directory, so these are errors for the build (the
# configuration still loads: `check` and `init`'s next steps work while they are being filled).
_PLACEHOLDER_ERRORS: frozenset[KeyPath] = frozenset(
    {("title",), ("description",), ("owner", "name"), ("owner", "email")}
)
PLACEHOLDER = "config-placeholder"


def _is_placeholder(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.upper().startswith("TODO") or any(
        text.startswith(("https" + host, "http" + host)) for host in _PLACEHOLDER_HOSTS
    )


def _check_placeholders(ck: v.Checker, mapping: dict[Any, Any], at: KeyPath) -> None:
    """Report the values `podfeed init` left for the user: they would be published as they are.

    A feed with ``TODO@example.com`` as the owner's address, or example.com artwork, is valid
    XML, so nothing else would notice before Apple or a listener does. One problem per show
    and level names every such key (init leaves several: one cause, one line), at the first.
    """
    found: dict[bool, list[tuple[KeyPath, str]]] = {True: [], False: []}
    for keys in _PLACEHOLDER_KEYS:
        value: object = mapping
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        texts = value.values() if isinstance(value, dict) else [value]
        placeholder = next((t for t in texts if _is_placeholder(t)), None)
        if isinstance(placeholder, str):
            found[keys in _PLACEHOLDER_ERRORS].append((keys, placeholder))
    name = mapping.get("id")
    show = f"show {name}" if isinstance(name, str) else "the show"
    for is_error, entries in found.items():
        if not entries:
            continue
        values = ", ".join(f"{'.'.join(map(str, k))} {v!r}" for k, v in entries)
        count = "a placeholder" if len(entries) == 1 else f"{len(entries)} placeholders"
        text = f"{show} still has {count} podfeed init wrote: {values}"
        if is_error:
            text += "; a directory would publish it as the show's own"
        report = ck.error if is_error else ck.warning
        report(
            PLACEHOLDER,
            (*at, *entries[0][0]),
            text,
            hint="replace each with the show's real value (podfeed init marks them TODO)",
        )


def _episode_url(ck: v.Checker, value: object, at: KeyPath, site_url: str | None) -> str | None:
    template = converter(SHOW["episode_url"].type)(ck, value, at)
    return _absolute(ck, template, at, site_url, "start it with {site_url} or https://")


def _feed_url(
    ck: v.Checker, value: object, at: KeyPath, site_url: str | None, languages: tuple[str, ...]
) -> str | None:
    # The table's fields; {lang} is required only when the show has several languages.
    fields = SHOW["feed_url"].type.params["fields"]
    required = ("lang",) if len(languages) > 1 else ()
    template = v.as_template(ck, value, at, fields=fields, required=required)
    hint = "write the public address of the feed, e.g. https://example.org/feeds/{lang}.xml"
    return _absolute(ck, template, at, site_url, hint)


def _absolute(
    ck: v.Checker, template: str | None, at: KeyPath, site_url: str | None, hint: str
) -> str | None:
    """``template`` when a sample of it is an absolute URL (else reported, ``None``)."""
    if template is None:
        return None
    sample = template.format(**{**SAMPLE, "site_url": site_url or SAMPLE["site_url"]})
    if not v.is_absolute_url(sample):
        ck.error(
            "config-bad-url", at, f"does not give an absolute URL (e.g. '{sample}')", hint=hint
        )
        return None
    return str(template)
