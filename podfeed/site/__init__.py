"""Reading a site: a show's episode files in, ``Episode`` values and ``Problem`` values out.

In: a :class:`~podfeed.config.model.Show` (its folder, its ``episodes`` globs, its languages,
time zone and URL templates). Out: :func:`load_episodes` gives every publishable
:class:`~podfeed.model.Episode` of the show, newest first, and every problem found on the way.
"""

from podfeed.site.dates import DateError, parse_date
from podfeed.site.fields import (
    MAX_FILE_BYTES,
    MAX_FRONT_MATTER_CHARS,
    PARALLEL_MIN_FILES,
    Scan,
    classify_youtube,
    date_key,
    discover_episode_files,
    first_paragraph,
    load_episodes,
    parse_episode_file,
    parse_workers,
    scan_episode_files,
)
from podfeed.site.images import IMAGE_MISSING, missing_images
from podfeed.site.notes import plain_text, render_notes, strip_xml_invalid

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
