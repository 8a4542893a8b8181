"""Reading a site: a show's episode files in, ``Episode`` values and ``Problem`` values out.

In: a :class:`~podfeed.config.model.Show` (its folder, its ``episodes`` globs, its languages,
time zone and URL templates). Out: :func:`load_episodes` gives every publishable
:class:`~podfeed.model.Episode` of the show, newest first, and every problem found on the way.

The steps, each in its own module:

- :mod:`~podfeed.site.discover` finds the files (:mod:`~podfeed.site.walk` lists folders);
- :mod:`~podfeed.site.load` reads them all, leaves duplicates out and sorts them, through
  :mod:`~podfeed.site.workers` (the cache, then worker processes for the rest);
- :mod:`~podfeed.site.parse` reads one file: bytes, text, front matter, field rules;
- :mod:`~podfeed.site.frontmatter` finds the front matter and reads it as bounded, safe YAML;
- :mod:`~podfeed.site.fields` applies the field rules (title, date, number, permalink, lang,
  summary, image, ...), with :mod:`~podfeed.site.dates`, :mod:`~podfeed.site.includes`
  (Transistor and YouTube include tags), :mod:`~podfeed.site.summary` (the summary fallback),
  :mod:`~podfeed.site.notes` (show notes: Markdown -> safe HTML) and
  :mod:`~podfeed.site.notes_checks` (what the notes should not say);
- :mod:`~podfeed.site.text` keeps text XML-safe; :mod:`~podfeed.site.images` checks that the
  images episodes name are in the site folder.

:mod:`podfeed.site.init` reads a Jekyll site for ``podfeed init``; it is imported on its own.
"""

from podfeed.site.dates import DateError, date_key, parse_date
from podfeed.site.discover import Scan, discover_episode_files, scan_episode_files
from podfeed.site.frontmatter import MAX_FRONT_MATTER_CHARS
from podfeed.site.images import IMAGE_MISSING, missing_images
from podfeed.site.includes import classify_youtube
from podfeed.site.load import load_episodes
from podfeed.site.notes import plain_text, render_notes
from podfeed.site.parse import MAX_FILE_BYTES, parse_episode_file
from podfeed.site.summary import first_paragraph
from podfeed.site.text import strip_xml_invalid
from podfeed.site.workers import PARALLEL_MIN_FILES, parse_workers

__all__ = [
    "IMAGE_MISSING",
    "MAX_FILE_BYTES",
    "MAX_FRONT_MATTER_CHARS",
    "PARALLEL_MIN_FILES",
    "DateError",
    "Scan",
    "classify_youtube",
    "date_key",
    "discover_episode_files",
    "first_paragraph",
    "load_episodes",
    "missing_images",
    "parse_date",
    "parse_episode_file",
    "parse_workers",
    "plain_text",
    "render_notes",
    "scan_episode_files",
    "strip_xml_invalid",
]
