"""Files the episodes name that the site folder should hold: today, each episode's image.

An episode's ``image: thumbnail.png`` becomes a URL on the site; if the file is not in the
site folder, the site will not serve it and every app shows a broken picture. This is only
knowable when the folder is the site itself (a Jekyll site: ``_config.yml`` at its root), where
a file's path below the folder is its path on the site.

The answer depends on files other than the episode files, so it is worked out on every full
build (never cached with a parsed episode), and a build that reports a missing image leaves no
stamp to replay (see :mod:`podfeed.publish.stamp`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from podfeed.config.model import Show
from podfeed.model import Episode
from podfeed.problems import Problem, warning

__all__ = ["IMAGE_MISSING", "missing_images"]

IMAGE_MISSING = "image-missing"


def missing_images(show: Show, episodes: Sequence[Episode]) -> list[Problem]:
    """A warning for each episode whose image is on the show's site but not in its folder."""
    if not (show.root / "_config.yml").is_file():
        return []
    base = show.site_url if show.site_url.endswith("/") else show.site_url + "/"
    problems = []
    checked: dict[str, bool] = {}
    for episode in episodes:
        image = episode.image
        if not image or not image.startswith(base):
            continue
        relative = unquote(urlsplit(image[len(base) :]).path)
        parts = PurePosixPath(relative).parts
        if not parts or ".." in parts:
            continue
        if relative not in checked:
            checked[relative] = show.root.joinpath(*parts).is_file()
        if not checked[relative]:
            problems.append(
                warning(
                    IMAGE_MISSING,
                    f"the episode image {relative} is not in the site folder, so the site will "
                    f"not serve {image}: apps show a broken picture",
                    episode.source,
                    episode.image_line,
                    hint="add the image file next to the episode file, or fix the name in "
                    "image:/img:",
                    group=f"episodes of {show.id} whose image is not in the site folder",
                )
            )
    return problems
