"""Failures that stop a command: one base class so the CLI can turn them into exit code 2 or 1.

Per-episode issues are *not* exceptions; they travel as :class:`podfeed.problems.Problem` values.
"""

from __future__ import annotations

from podfeed.problems import Problem


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
