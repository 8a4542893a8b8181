"""The field rules: one episode file's front matter and body -> an ``Episode`` and problems.

Real sites are messy (see ``corpus/README.md``): dates in four notations, titles that YAML turns
into dates, placeholder summaries and video ids, legacy files without a language folder, audio on
a host we cannot publish from. The reader never guesses silently: each rule reads one key (or
the body) as written, and reports what it cannot use with the file and the line.

An episode is *not* returned when it cannot be published at all: ``title``/``date``/
``permalink`` are missing or invalid, or its language is not configured (info). Everything else
(no audio, no number, a placeholder summary, a bad video id) is reported and the episode is
still returned, so the feed builder decides; an episode without ``transistor_id`` never gets an
enclosure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

import yaml

from podfeed.config.model import Show
from podfeed.model import Episode
from podfeed.problems import Problem, error, info, warning
from podfeed.site.dates import DateError, parse_date
from podfeed.site.frontmatter import (
    NULL_TAG,
    YAML_TAG,
    Field,
    Parts,
    is_null,
    node_kind,
    node_line,
)
from podfeed.site.includes import read_media
from podfeed.site.notes import join_url, render_notes
from podfeed.site.notes_checks import check_notes
from podfeed.site.summary import first_paragraph
from podfeed.site.text import clip, strip_xml_invalid

__all__ = ["EpisodeReader"]

# A folder that looks like a language code (`de`, `pt-BR`, `zh-Hant`): two letters only, so that
# folders such as `edt-10`, `src` or `new` are never mistaken for languages.
_LANG_FOLDER = re.compile(r"[a-z]{2}(?:[-_](?:[A-Za-z]{2}|[A-Za-z]{4}))?")
# Characters ``quote`` leaves alone in a path (it never changes such a path).
_URL_SAFE_PATH = re.compile(r"[A-Za-z0-9_.~/-]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_MOJIBAKE = re.compile(r"%[89][0-9A-Fa-f]|\ufffd|â€|Ã[\u0080-\u00bf]")
_SUMMARY_PLACEHOLDERS = frozenset(
    word.casefold()
    for word in ("Summary", "Zusammenfassung", "Sommario", "Resumo", "Résumé", "Resume", "Resumen")
)
_OTHER_IMAGE_EXTENSIONS = frozenset(
    {".bmp", ".gif", ".webp", ".svg", ".tif", ".tiff", ".heic", ".avif", ".ico"}
)


@dataclass
class EpisodeReader:
    """Applies the field rules to one file's front matter and body, collecting problems."""

    path: Path
    file: str
    show: Show
    fields: dict[str, Field]
    parts: Parts
    problems: list[Problem] = field(default_factory=list)

    _texts: dict[str, str | None] = field(default_factory=dict)

    def episode(self) -> Episode | None:
        """The episode, or ``None`` when it cannot be published (the problems say why).

        Every rule runs even when a required field is missing, so one read reports everything
        that needs fixing in the file.
        """
        lang = self._lang()
        if lang is None:  # skipped on purpose (info): its other findings would only be noise
            return None
        title = self._title()
        date = self._date()
        permalink = self._permalink()
        number = self._number()
        media = read_media(
            self.parts.body,
            self.parts.body_line,
            self._text("video"),
            self._line("video"),
            file=self.file,
            show=self.show,
            problems=self.problems,
        )
        summary = self._summary(title or "")
        description = self._description(summary)
        tags, guests = self._text_list("tags"), self._text_list("guests")
        (image, image_line), layout = self._image(), self._text("layout")
        check_notes(
            self.parts.body,
            self.parts.body_line,
            media.youtube_id,
            file=self.file,
            show_id=self.show.id,
            problems=self.problems,
        )
        if title is None or date is None or permalink is None:
            return None
        url = self.show.episode_url_for(permalink, lang)
        return Episode(
            path=self.path,
            source=self.file,
            show=self.show.id,
            lang=lang,
            number=number,
            title=title,
            permalink=permalink,
            url=url,
            date=date,
            summary=summary,
            description=description,
            tags=tags,
            guests=guests,
            image=image,
            transistor_id=media.transistor_id,
            transistor_title=media.transistor_title,
            transistor_line=media.transistor_line,
            youtube_id=media.youtube_id,
            notes_html=self._notes(url),
            layout=layout,
            image_line=image_line,
        )

    # -- helpers ----------------------------------------------------------------------------

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def _line(self, key: str) -> int | None:
        entry = self.fields.get(key)
        return None if entry is None else entry.line

    def _text(self, key: str) -> str | None:
        """The scalar under ``key`` as written (``2025-02-02`` stays text); ``None`` if absent.

        Cached, so a field consulted by several rules is reported once.
        """
        if key not in self._texts:
            self._texts[key] = self._read_text_field(key)
        return self._texts[key]

    def _read_text_field(self, key: str) -> str | None:
        entry = self.fields.get(key)
        if entry is None or is_null(entry.node):
            return None
        if not isinstance(entry.node, yaml.ScalarNode):
            self._add(
                warning(
                    "field-not-text",
                    f"{key}: holds a YAML {node_kind(entry.node)}, not text; ignored",
                    self.file,
                    entry.line,
                    hint=f"write {key}: as a single value",
                )
            )
            return None
        return self._clean(entry.node.value, key, entry.line)

    def _clean(self, text: str, key: str, line: int | None) -> str:
        cleaned = strip_xml_invalid(text)
        if cleaned != text:
            self._add(
                warning(
                    "text-forbidden-chars",
                    f"{key}: contains {len(text) - len(cleaned)} control character(s) XML forbids;"
                    " they were removed",
                    self.file,
                    line,
                    hint="delete the invisible control characters",
                )
            )
        return cleaned

    def _text_list(self, key: str) -> tuple[str, ...]:
        """A list of texts: null is empty, one scalar is a one-item list, nested values warn."""
        entry = self.fields.get(key)
        if entry is None or is_null(entry.node):
            return ()
        node = entry.node
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: list[str] = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                self._add(
                    warning(
                        "field-not-text",
                        f"{key}: an item is a YAML {node_kind(item)}, not text; it was skipped",
                        self.file,
                        node_line(item) or entry.line,
                    )
                )
                continue
            if item.tag == NULL_TAG:
                continue
            value = item.value
            if not value.isprintable():  # else there is nothing to clean (and no line to find)
                value = self._clean(value, key, node_line(item) or entry.line)
            text = value.strip()
            if text:
                result.append(text)
        return tuple(result)

    # -- language, title, date, number, permalink -----------------------------------------------

    def _lang(self) -> str | None:
        """``lang:``, else a ``<lang>/episode.md`` folder, else the show's default language."""
        folder = self.path.parent.name
        folder_is_lang = folder in self.show.languages or bool(_LANG_FOLDER.fullmatch(folder))
        written = (self._text("lang") or "").strip()
        if written:
            lang = written
            if folder_is_lang and folder != written:
                self._add(
                    warning(
                        "lang-folder-mismatch",
                        f"lang: {written!r} disagrees with the folder {folder!r}; "
                        f"using {written!r}",
                        self.file,
                        self._line("lang"),
                        hint="move the file or correct lang:",
                    )
                )
        elif folder_is_lang:
            lang = folder
        else:
            lang = self.show.default_language
        if lang not in self.show.languages:
            self._add(
                info(
                    "lang-not-configured",
                    f"language {lang!r} is not one of show {self.show.id}'s languages "
                    f"({', '.join(self.show.languages)}); this episode is skipped",
                    self.file,
                    self._line("lang") or 1,
                    hint=f"add {lang} to the show's languages in the config to publish it",
                )
            )
            return None
        return lang

    def _title(self) -> str | None:
        title = (self._text("title") or "").strip()
        if title:
            return title
        self._add(
            error(
                "title-missing",
                "title: is missing or empty; the episode is not published",
                self.file,
                self._line("title") or 1,
                hint="add a line 'title: \"...\"' to the front matter",
            )
        )
        return None

    def _date(self) -> datetime | None:
        entry = self.fields.get("date")
        if entry is not None and not isinstance(entry.node, yaml.ScalarNode):
            self._add(
                error(
                    "date-invalid",
                    f"date: holds a YAML {node_kind(entry.node)}, not a date; the episode is "
                    "not published",
                    self.file,
                    entry.line,
                    hint="write one date, e.g. 'date: 2024-03-07T08:00:00-08:00'",
                )
            )
            return None
        # The scalar text as written, not PyYAML's conversion: an unquoted ...Z timestamp and a
        # quoted one then read the same, whatever the PyYAML version does with time zones.
        value = (self._text("date") or "").strip()
        if not value:
            self._add(
                error(
                    "date-missing",
                    "date: is missing or empty; the episode is not published",
                    self.file,
                    self._line("date") or 1,
                    hint="add 'date: 2024-03-07' (the show's time zone applies) or a full "
                    "ISO 8601 time such as 2024-03-07T08:00:00Z",
                )
            )
            return None
        try:
            return parse_date(value, tz=self.show.timezone)
        except DateError as exc:
            self._add(
                error(
                    "date-invalid",
                    f"{exc}; the episode is not published",
                    self.file,
                    self._line("date"),
                    hint="write the date as ISO 8601, e.g. 2024-03-07T08:00:00-08:00",
                )
            )
            return None

    def _number(self) -> int | None:
        entry = self.fields.get("number")
        if entry is None or is_null(entry.node):
            self._add(
                warning(
                    "number-missing",
                    "number: is missing; the feed item gets no itunes:episode",
                    self.file,
                    self._line("number") or 1,
                    hint="add 'number: <episode number>'",
                )
            )
            return None
        number = _as_int(entry.node)
        if number is None or not 1 <= number <= 2**31 - 1:
            shown = entry.node.value if isinstance(entry.node, yaml.ScalarNode) else "a list"
            self._add(
                warning(
                    "number-invalid",
                    f"number: {clip(str(shown))!r} is not a positive whole number; the feed item "
                    "gets no itunes:episode",
                    self.file,
                    entry.line,
                    hint="write the episode number as digits, e.g. 'number: 189'",
                )
            )
            return None
        return number

    def _permalink(self) -> str | None:
        key = "permalink" if self._text("permalink") else "ref"
        permalink = (self._text(key) or "").strip()
        if not permalink:
            self._add(
                error(
                    "permalink-missing",
                    "neither permalink: nor ref: is set, so the episode has no page URL and no "
                    "stable guid; it is not published",
                    self.file,
                    1,
                    hint="add 'permalink: episode-<show><number>-<lang>'",
                )
            )
            return None
        if _SCHEME.match(permalink) or permalink.startswith("//") or ".." in permalink.split("/"):
            self._add(
                error(
                    "permalink-invalid",
                    f"{key}: {clip(permalink)!r} must be a path on the site, without a scheme "
                    "or '..'; the episode is not published",
                    self.file,
                    self._line(key),
                    hint="use a site path such as 'episode-EDT189-en'",
                )
            )
            return None
        return permalink

    # -- summary and description ------------------------------------------------------------

    def _summary(self, title: str) -> str:
        key = "summary" if (self._text("summary") or "").strip() else "description"
        summary = (self._text(key) or "").strip()
        if summary and summary.casefold() in _SUMMARY_PLACEHOLDERS:
            self._add(
                warning(
                    "summary-placeholder",
                    f"{key}: is the placeholder {summary!r}; the first paragraph of the show "
                    "notes is used instead",
                    self.file,
                    self._line(key),
                    hint="write a one-paragraph summary of the episode",
                    group=f"episodes of {self.show.id} whose summary is a placeholder word "
                    "(Summary, Zusammenfassung, ...): the notes' first paragraph is used",
                )
            )
            summary = ""
        elif not summary:
            self._add(
                warning(
                    "summary-missing",
                    "summary: and description: are missing or empty; the first paragraph of the "
                    "show notes is used instead",
                    self.file,
                    self._line("summary") or 1,
                    hint="add 'summary: \"...\"'",
                )
            )
        else:
            self._check_mojibake(summary, key)
            return summary
        return strip_xml_invalid(first_paragraph(self.parts.body)) or title

    def _check_mojibake(self, summary: str, key: str) -> None:
        # Left as written (text fields keep what the author wrote); the hint gives the fix.
        found = _MOJIBAKE.search(summary)
        if found is None:
            return
        fix = ""
        if found.group().startswith("%"):
            meant = bytes([int(found.group()[1:], 16)]).decode("cp1252", "replace")
            fix = f": replace {found.group()} with {meant}"
        self._add(
            warning(
                "summary-mojibake",
                f"{key}: contains garbled text {found.group()!r} (encoding damage); "
                "left as written",
                self.file,
                self._line(key),
                hint=f"fix the characters in the file{fix}",
            )
        )

    def _description(self, summary: str) -> str:
        description = (self._text("description") or "").strip()
        if not description or description.casefold() in _SUMMARY_PLACEHOLDERS:
            return summary
        return description

    # -- image ----------------------------------------------------------------------------

    def _image(self) -> tuple[str | None, int | None]:
        """The episode artwork as an absolute URL (or ``None``), and the line that names it.

        ``image:`` wins over ``img:``. A relative value names a file next to the episode file;
        Jekyll serves static files at their path below the site source, which ``show.root``
        stands for, so ``episodes/edt-189/en/thumbnail.png`` is at
        ``{site_url}episodes/edt-189/en/thumbnail.png`` (the real site's ``posts.html`` layout
        builds it the same way from ``page.path``), not next to the permalink page.
        """
        key = "image" if (self._text("image") or "").strip() else "img"
        value = (self._text(key) or "").strip()
        line = self._line(key)
        if not value:
            return None, line
        parts = urlsplit(value)
        if parts.scheme and parts.scheme not in ("http", "https"):
            self._add(
                warning(
                    "image-invalid",
                    f"{key}: {clip(value)!r} is not an http(s) URL or a file name; no item image",
                    self.file,
                    line,
                    hint="name an image file next to the episode file, or an https URL",
                )
            )
            return None, line
        suffix = _suffix(parts.path)
        if suffix in _OTHER_IMAGE_EXTENSIONS:
            self._add(
                warning(
                    "image-format",
                    f"{key}: {clip(value)!r} is a {suffix} image; Apple Podcasts accepts only "
                    "JPEG and PNG, so the item gets no image",
                    self.file,
                    line,
                    hint="convert the image to PNG or JPEG and update the front matter",
                    group=f"episodes of {self.show.id} whose image is not JPEG or PNG: no item "
                    "image",
                )
            )
            return None, line
        return join_url(self._folder_url(), value), line

    def _folder_url(self) -> str:
        folder = "/".join(self._relative_folder())
        if not _URL_SAFE_PATH.fullmatch(folder):  # else quoting changes nothing
            folder = "/".join(quote(part) for part in self._relative_folder())
        base = self.show.site_url if self.show.site_url.endswith("/") else self.show.site_url + "/"
        return join_url(base, folder + "/" if folder else "")

    def _relative_folder(self) -> tuple[str, ...]:
        """The parts of the file's folder below ``show.root`` (none if it is not below it)."""
        parent, root = self.path.parent, self.show.root
        # What relative_to does on POSIX paths (case-sensitive parts), without building two more
        # Path objects; an empty root and anything else take relative_to itself.
        posix = isinstance(parent, PurePosixPath) and root.parts
        if posix and parent.parts[: len(root.parts)] == root.parts:
            return parent.parts[len(root.parts) :]
        try:
            return parent.relative_to(root).parts
        except ValueError:
            return ()

    def _notes(self, url: str) -> str:
        try:
            return render_notes(self.parts.body, base_url=url)
        except Exception as exc:  # a bug there must not lose the whole show; report it per file
            self._add(
                error(
                    "notes-render-failed",
                    f"show notes could not be rendered: {type(exc).__name__}: {clip(str(exc))}",
                    self.file,
                    self.parts.body_line,
                )
            )
            return ""


@functools.lru_cache(maxsize=1024)
def _suffix(url_path: str) -> str:
    """The lower-case file extension of a URL path, as ``Path`` sees it (cached: the same image
    name recurs in every episode folder)."""
    return Path(url_path).suffix.lower()


def _as_int(node: yaml.Node) -> int | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == YAML_TAG + "int":
        try:
            value = yaml.constructor.SafeConstructor().construct_yaml_int(node)
        except (ValueError, yaml.YAMLError):
            return None
        return value if isinstance(value, int) else None
    text = node.value.strip()
    if node.tag == YAML_TAG + "str" and text.isascii() and text.isdigit():
        return int(text)  # "189" quoted
    return None
