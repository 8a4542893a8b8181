"""What goes wrong, as the core tells the CLI: problems as values, and the errors that stop a
command.

Problems travel as values from the core to the CLI, which decides how to show them. Every
problem names a stable rule ``code`` (kebab-case, never reused), the file and 1-based line where
it was found (when known), what is wrong and how to fix it. Per-episode issues are never
exceptions. A failure that stops a command is a :class:`PodfeedError`, one base class so that
the CLI turns each into its exit code (2 or 1), with the problems that explain it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path


class Level(enum.IntEnum):
    """Severity; ordered so that ``max()`` gives the worst."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=False)
class Problem:
    """One finding about one place in one input.

    ``group`` says what the finding has in common with others of its kind, for text output that
    folds the same cause met in many places into one line (``"episodes of edt have no audio in
    podfeed.lock"``); problems with the same level, code and group fold, and so do problems with
    the same level, code and message. ``root`` marks a finding that explains others (no lock file,
    so no audio anywhere): text output shows it before them.
    """

    level: Level
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None
    group: str | None = None
    root: bool = False

    def with_level(self, level: Level) -> Problem:
        return replace(self, level=level)

    def location(self) -> str:
        if self.file is None:
            return "-"
        return f"{self.file}:{self.line}" if self.line else self.file

    def sort_key(self) -> tuple[str, int, str, str]:
        """File, then line, then code: the order of json and github output (text output puts
        ``root`` problems first, see :mod:`podfeed.cli.fold`)."""
        return (self.file or "", self.line or 0, self.code, self.message)


def error(
    code: str,
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    hint: str | None = None,
    *,
    group: str | None = None,
    root: bool = False,
) -> Problem:
    return Problem(Level.ERROR, code, message, _s(file), line, hint, group, root)


def warning(
    code: str,
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    hint: str | None = None,
    *,
    group: str | None = None,
    root: bool = False,
) -> Problem:
    return Problem(Level.WARNING, code, message, _s(file), line, hint, group, root)


def info(
    code: str,
    message: str,
    file: str | Path | None = None,
    line: int | None = None,
    hint: str | None = None,
    *,
    group: str | None = None,
    root: bool = False,
) -> Problem:
    return Problem(Level.INFO, code, message, _s(file), line, hint, group, root)


def _s(file: str | Path | None) -> str | None:
    return None if file is None else str(file)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable order for output: by file, then line, then code."""
    return sorted(problems, key=Problem.sort_key)


def strictify(problems: Iterable[Problem]) -> list[Problem]:
    """``--strict``: every warning becomes an error (infos stay infos)."""
    return [p.with_level(Level.ERROR) if p.level is Level.WARNING else p for p in problems]


def worst(problems: Iterable[Problem]) -> Level | None:
    levels = [p.level for p in problems]
    return max(levels) if levels else None


# --- errors that stop a command -----------------------------------------------------------------


class PodfeedError(Exception):
    """Base of every error podfeed raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []


class ConfigError(PodfeedError):
    """The configuration file is missing, unreadable or invalid (all problems in ``problems``)."""

    exit_code = 2


class InputError(PodfeedError):
    """An input file (feed, episode folder) could not be read at all."""

    exit_code = 2


class LockError(PodfeedError):
    """The lock file is corrupt, of a newer format, or would change under ``--frozen``."""

    exit_code = 2


class BuildError(PodfeedError):
    """The build failed as a whole; no feed on disk was changed."""


class GuardError(PodfeedError):
    """The publishing guard refused to replace a feed (items dropped or guids changed)."""


class BusyError(PodfeedError):
    """Another podfeed run holds the site's run lock and did not release it in time."""
