"""What every command does after its core call, in one place: print, report errors, exit.

A command builds a :class:`Console` from its ``--format`` and ``-q``/``-v``, hands the core a
progress display from it, and ends with :meth:`Console.finish` on an :class:`Outcome`: the
problems it found, its summary for scripts and its closing lines for people.

Exit codes (one place decides them, :func:`exit_code` and the errors' own ``exit_code``): 0 no
errors; 1 error problems (or warnings with ``--strict``), a refused or failed build; 2 usage
errors, a bad configuration, a corrupt lock, or input that could not be read.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from podfeed.cli.formats import Reporter, level_summary, make_reporter
from podfeed.cli.options import verbosity
from podfeed.cli.progress import progress_display
from podfeed.problems import Level, PodfeedError, Problem, error

if TYPE_CHECKING:
    from podfeed.config.model import Config
    from podfeed.progress import Progress

__all__ = ["Console", "Outcome", "exit_code"]


def exit_code(problems: Sequence[Problem]) -> int:
    """0 when nothing is an error, else 1 (``--strict`` has already turned warnings into errors)."""
    return 1 if any(p.level is Level.ERROR for p in problems) else 0


@dataclass(frozen=True)
class Outcome:
    """What a command prints when its core call returned, and how it exits.

    ``errors`` go to stderr after the document (``Error: ...``); ``code`` replaces the exit code
    the problems give (validate's 2 for a feed it could not read).
    """

    problems: Sequence[Problem]
    summary: dict[str, Any]
    text: str
    errors: Sequence[str] = ()
    code: int | None = None


@dataclass(frozen=True)
class Console:
    """The command's output: the format its document is printed in, and ``-q``/``-v``."""

    reporter: Reporter
    quiet: bool = False
    verbose: bool = False

    @classmethod
    def start(cls, fmt: str) -> Console:
        """``-v`` lists every problem; otherwise repeats of one cause are folded (text only)."""
        flags = verbosity()
        reporter = make_reporter(fmt, isatty=sys.stdout.isatty(), fold=not flags.verbose)
        return cls(reporter, quiet=flags.quiet, verbose=flags.verbose)

    def shown(self, problems: Sequence[Problem]) -> list[Problem]:
        """What is printed: ``-q`` hides info-level problems (they never change the exit code)."""
        if self.quiet:
            return [p for p in problems if p.level is not Level.INFO]
        return list(problems)

    @contextmanager
    def progress(self) -> Iterator[Progress]:
        """The progress display for the core, on stderr, closed when the block ends."""
        progress = progress_display(sys.stderr, quiet=self.quiet, verbose=self.verbose)
        try:
            yield progress
        finally:
            progress.close()

    @contextmanager
    def stopping(self) -> Iterator[None]:
        """A :class:`PodfeedError` raised in the block ends the command (see :meth:`fail`)."""
        try:
            yield
        except PodfeedError as exc:
            raise self.fail(exc) from exc

    def fail(self, exc: PodfeedError) -> click.exceptions.Exit:
        """Print a command-stopping error (and the problems it carries) and choose its exit code.

        Scripts reading ``--format json`` get one document and CI gets an annotation even when
        the error carries no problems of its own (a lock ``--frozen`` refuses, an unknown
        ``--show``).
        """
        problems = exc.problems
        if not problems and self.reporter.machine_readable:
            problems = [error(_error_code(exc), exc.message)]
        if problems:
            click.echo(self.reporter.document(self.shown(problems), {}, level_summary(problems)))
        click.echo(f"Error: {exc.message}", err=True)
        return click.exceptions.Exit(exc.exit_code)

    def load_config(self, path: Path) -> Config:
        from podfeed.config import load_config

        with self.stopping():
            return load_config(path)

    def finish(self, outcome: Outcome) -> NoReturn:
        """Print the outcome's document (its errors on stderr) and exit with its code."""
        document = self.reporter.document(
            self.shown(outcome.problems), outcome.summary, outcome.text
        )
        click.echo(document)
        for message in outcome.errors:
            click.echo(f"Error: {message}", err=True)
        sys.exit(exit_code(outcome.problems) if outcome.code is None else outcome.code)


def _error_code(exc: PodfeedError) -> str:
    """``LockError`` -> ``lock-error``: a stable code for an error that carries no problems."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(exc).__name__).lower()
