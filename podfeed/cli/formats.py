"""Output formats: problems and a command's summary as text for people, json for scripts, and
workflow commands for GitHub's log viewer.

One class per format in a name -> class registry (:data:`FORMATS`), so the CLI's ``--format``
choices come from here, as check-jsonschema's reporters do. Each format turns the problems and
the summary into the one document a command prints on stdout (:meth:`Reporter.document`).
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import click

from podfeed.cli.fold import Folded, fold
from podfeed.problems import Level, Problem, sort_problems

__all__ = [
    "FORMATS",
    "FORMAT_CHOICES",
    "GithubReporter",
    "JsonReporter",
    "Reporter",
    "TextReporter",
    "count_levels",
    "level_summary",
    "make_reporter",
    "plural",
    "problem_to_dict",
]

JSON_SCHEMA_VERSION = 1


def count_levels(problems: Iterable[Problem]) -> dict[str, int]:
    counts = Counter(str(p.level) for p in problems)
    return {name: counts.get(name, 0) for name in ("error", "warning", "info")}


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 feed``, ``2 feeds``; ``words`` for the irregular ones (``entry``, ``entries``).

    >>> plural(1, "feed"), plural(0, "feed"), plural(2, "entry", "entries")
    ('1 feed', '0 feeds', '2 entries')
    """
    return f"{n} {word if n == 1 else words or word + 's'}"


def level_summary(problems: Sequence[Problem]) -> str:
    """``1 error, 0 warnings, 2 infos``: the last line of every command's text."""
    c = count_levels(problems)
    return ", ".join(plural(c[level], level) for level in ("error", "warning", "info"))


class Reporter(ABC):
    """One output format."""

    name: ClassVar[str]
    # Whether a script or a CI log reads it: an error that stops a command then becomes a
    # problem too, so that they still get one document or one annotation.
    machine_readable: ClassVar[bool]

    @abstractmethod
    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        """All a command prints on stdout: ``problems``, then its summary (``summary`` for
        machines, ``summary_text`` for people)."""


class _LineReporter(Reporter):
    """A block of problem lines, then the summary text."""

    separator: ClassVar[str]

    @abstractmethod
    def problems(self, problems: Sequence[Problem]) -> str:
        """The problem lines."""

    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        parts = [self.problems(problems)] if problems else []
        parts.append(summary_text)
        return self.separator.join(parts)


def _entry_key(entry: Problem | Folded) -> tuple[bool, str, int, str, str]:
    p = entry.first if isinstance(entry, Folded) else entry
    heading = entry.heading if isinstance(entry, Folded) else (p.file or "(general)")
    return (not p.root, heading if heading != "(general)" else "", p.line or 0, p.code, p.message)


class TextReporter(_LineReporter):
    """Grouped by file, one line per problem, the hint indented below it.

    With ``fold`` (the default), the same cause met in many places is one line naming how many
    and the first places (see :func:`podfeed.cli.fold.fold`); problems marked ``root`` come first.
    """

    name = "text"
    machine_readable = False
    separator = "\n\n"

    def __init__(self, *, color: bool = False, fold: bool = True) -> None:
        self.color = color
        self.fold = fold

    def _style(self, text: str, level: Level) -> str:
        if not self.color:
            return text
        fg = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: "blue"}[level]
        return click.style(text, fg=fg, bold=level is Level.ERROR)

    def problems(self, problems: Sequence[Problem]) -> str:
        entries = fold(problems) if self.fold else list(sort_problems(problems))
        lines: list[str] = []
        current: str | None = None
        for entry in sorted(entries, key=_entry_key):
            if isinstance(entry, Folded):
                p, heading, message = entry.first, entry.heading, entry.message()
                where = f"{p.line}" if p.line and len(entry.files) == 1 else "-"
            else:
                p, heading, message = entry, entry.file or "(general)", entry.message
                where = f"{p.line}" if p.line else "-"
            if heading != current:
                if current is not None:
                    lines.append("")
                lines.append(click.style(heading, bold=True) if self.color else heading)
                current = heading
            level = self._style(f"{p.level!s:7}", p.level)
            lines.append(f"  {where:>5}  {level}  {message}  ({p.code})")
            if p.hint:
                lines.append(f"{'':16}fix: {p.hint}")
        return "\n".join(lines)

    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        if self.fold and len(fold(problems)) < len(problems):
            summary_text += "\n(problems of one cause are folded into one line; -v lists each)"
        return super().document(problems, summary, summary_text)


class GithubReporter(_LineReporter):
    """GitHub Actions workflow commands: the problems show on the lines of a pull request."""

    name = "github"
    machine_readable = True
    separator = "\n"

    @staticmethod
    def _escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    @classmethod
    def _escape_prop(cls, text: str) -> str:
        return cls._escape_data(text).replace(":", "%3A").replace(",", "%2C")

    def problems(self, problems: Sequence[Problem]) -> str:
        lines = []
        for p in sort_problems(problems):
            command = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}[
                p.level
            ]
            props = []
            if p.file:
                props.append(f"file={self._escape_prop(p.file)}")
            if p.line:
                props.append(f"line={p.line}")
            props.append(f"title={self._escape_prop(p.code)}")
            message = p.message + (f" Fix: {p.hint}" if p.hint else "")
            lines.append(f"::{command} {','.join(props)}::{self._escape_data(message)}")
        return "\n".join(lines)


class JsonReporter(Reporter):
    """A stable document: ``{"version": 1, "problems": [...], "summary": {...}}``."""

    name = "json"
    machine_readable = True

    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        doc = {
            "version": JSON_SCHEMA_VERSION,
            "problems": [problem_to_dict(p) for p in sort_problems(problems)],
            "counts": count_levels(problems),
            "summary": summary,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False)


def problem_to_dict(p: Problem) -> dict[str, Any]:
    return {
        "level": str(p.level),
        "code": p.code,
        "file": p.file,
        "line": p.line,
        "message": p.message,
        "hint": p.hint,
        "group": p.group,
        "root": p.root,
    }


FORMATS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter)
}
FORMAT_CHOICES = ("auto", *FORMATS)


def make_reporter(fmt: str, *, isatty: bool, fold: bool = True) -> Reporter:
    """``auto`` means github under GitHub Actions, else text (coloured on a TTY unless NO_COLOR).

    ``fold`` folds repeated problems in text output (json and github always list every one).
    """
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt == "text":
        color = isatty and not os.environ.get("NO_COLOR")
        return TextReporter(color=color, fold=fold)
    return FORMATS[fmt]()
