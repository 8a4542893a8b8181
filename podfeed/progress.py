"""Progress reporting from the core without the core printing anything.

The core calls a :class:`Progress` it is given (``stage`` then ``advance``); the caller decides
what that looks like (the CLI's displays are in :mod:`podfeed.cli.progress`). Library use gets
:class:`NullProgress`. This contract stays outside the CLI package so that the core never
imports the CLI.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new step starts (``total`` units of work, when known)."""

    def advance(self, amount: int = 1) -> None:
        """``amount`` units of the current step are done."""

    def close(self) -> None:
        """The run is over."""


class NullProgress:
    """Says nothing (``-q``, library use)."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def close(self) -> None:
        pass
