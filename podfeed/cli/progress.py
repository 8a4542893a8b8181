"""How the CLI shows the core's progress: a rich bar on a terminal, plain log lines in CI or
when output is piped, nothing with ``-q``. Progress goes to stderr so stdout stays parseable.

The core only sees the :class:`podfeed.progress.Progress` protocol these classes follow.
"""

from __future__ import annotations

import os
import time
from typing import IO, TYPE_CHECKING

from podfeed.progress import NullProgress, Progress

if TYPE_CHECKING:
    from rich.progress import TaskID

__all__ = ["LogProgress", "RichProgress", "progress_display"]


def progress_display(stream: IO[str], *, quiet: bool, verbose: bool) -> Progress:
    """A bar on a terminal, plain log lines in CI or with -v, nothing with -q."""
    if quiet:
        return NullProgress()
    if verbose or not stream.isatty():
        return LogProgress(stream)
    return RichProgress(stream, color=not os.environ.get("NO_COLOR"))


class LogProgress:
    """One plain line per finished step, with its duration: readable in any CI log."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self._name: str | None = None
        self._done = 0
        self._started = 0.0

    def _finish(self) -> None:
        if self._name is not None:
            took = time.perf_counter() - self._started
            count = f" ({self._done})" if self._done else ""
            self.stream.write(f"podfeed: {self._name}{count} done in {took:.2f} s\n")
            self.stream.flush()
        self._name = None

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        self._name, self._done, self._started = name, 0, time.perf_counter()

    def advance(self, amount: int = 1) -> None:
        self._done += amount

    def close(self) -> None:
        self._finish()


class RichProgress:
    """A transient rich progress bar on a terminal (it disappears when the run ends)."""

    def __init__(self, stream: IO[str], *, color: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = Console(file=stream, no_color=not color, highlight=False)
        self._bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._bar.start()
        self._task: TaskID | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            previous = next((t.total for t in self._bar.tasks if t.id == self._task), None)
            self._bar.update(self._task, completed=previous or 0)
        self._task = self._bar.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, amount)

    def close(self) -> None:
        self._bar.stop()
