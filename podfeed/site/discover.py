"""Finding a show's episode files: its ``episodes`` globs below its folder, each file once, sorted.

In: a :class:`~podfeed.config.model.Show`. Out: a :class:`Scan`, the files' names and ``stat``
results in the order every later step uses, and a problem for each pattern that is unusable or
matches nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from podfeed.config.model import Show
from podfeed.problems import Problem, error, warning
from podfeed.site.walk import glob_names

__all__ = ["Scan", "discover_episode_files", "scan_episode_files"]


def discover_episode_files(show: Show) -> tuple[list[Path], list[Problem]]:
    """The files ``show.episodes`` globs match below ``show.root``: sorted, each once.

    Paths stay as built from ``show.root`` (not resolved), since that is how problems name them.
    A pattern that matches nothing is a warning: it usually means a typo or a moved folder.
    """
    scan = scan_episode_files(show)
    return scan.paths, scan.problems


@dataclass
class Scan:
    """The files found, sorted, named as ``str(path)`` names them, the ``stat`` of each (in
    the same order) and the problems found looking.

    The ``Path`` objects are made on first use: a build that finds every file as the last one
    left it compares names and ``stat`` results only (see :mod:`podfeed.publish.stamp`), and making
    and hashing 18,000 paths was a third of its time.
    """

    names: list[str]
    infos: list[os.stat_result]
    problems: list[Problem]
    _paths: list[Path] | None = field(default=None, repr=False)

    @property
    def paths(self) -> list[Path]:
        if self._paths is None:
            self._paths = [Path(name) for name in self.names]
        return self._paths

    @property
    def stats(self) -> dict[Path, os.stat_result]:
        return dict(zip(self.paths, self.infos, strict=True))

    def found(self) -> Iterator[tuple[str, os.stat_result]]:
        """Each file's name and ``stat``, in order."""
        return zip(self.names, self.infos, strict=True)


def scan_episode_files(show: Show) -> Scan:
    """:func:`discover_episode_files`, and the ``stat`` of each file (one per file: it tells
    a regular file apart, and is the file identity of the episode cache and the build stamp).
    """
    found_by: dict[Any, tuple[str, os.stat_result]] = {}
    problems: list[Problem] = []
    for pattern in show.episodes:
        try:
            found = False
            for name, info in glob_names(show.root, pattern):
                found_by.setdefault(_same_file_key(name), (name, info))
                found = True
        except (ValueError, NotImplementedError) as exc:
            problems.append(
                error(
                    "episodes-pattern-invalid",
                    f"show {show.id}: episodes pattern {pattern!r} cannot be used: {exc}",
                    hint="use a relative glob such as 'episodes/*/*/episode.md'",
                )
            )
            continue
        if not found:
            problems.append(
                warning(
                    "episodes-pattern-empty",
                    f"show {show.id}: episodes pattern {pattern!r} matches no file below "
                    f"{show.root}",
                    hint="check the pattern and the show's root folder",
                )
            )
    ordered = sorted(found_by.values(), key=_name_order)
    return Scan([name for name, _ in ordered], [info for _, info in ordered], problems)


_POSIX = os.name == "posix"


def _same_file_key(name: str) -> Any:
    """What tells two names of one file apart as ``Path`` equality does: the name itself on
    POSIX (names are normalised as ``str(path)`` gives them), the path where paths compare
    case-insensitively."""
    return name if _POSIX else Path(name)


def _name_order(found: tuple[str, os.stat_result]) -> Any:
    """The order ``sorted()`` gives the paths: part by part. Every name found for one show
    starts with the same root, so splitting at "/" orders them as ``Path.parts`` would."""
    name = found[0]
    return name.split("/") if _POSIX else _path_order(Path(name))


def _path_order(path: Path) -> tuple[str, ...]:
    """The order ``sorted()`` gives paths, by a key: ``Path.__lt__`` is slow on 18,000 files."""
    if isinstance(path, PurePosixPath):
        return path.parts
    return tuple(part.lower() for part in path.parts)  # Windows paths compare case-insensitively
