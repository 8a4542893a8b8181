"""Render problems for people (text), for scripts (json) and for CI log viewers (github).

One class per format in a name -> class registry, so the CLI's ``--format`` choices come from here.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import click

from podfeed.problems import Level, Problem, sort_problems

JSON_SCHEMA_VERSION = 1


def count_levels(problems: Iterable[Problem]) -> dict[str, int]:
    counts = Counter(str(p.level) for p in problems)
    return {name: counts.get(name, 0) for name in ("error", "warning", "info")}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def level_summary(problems: Sequence[Problem]) -> str:
    c = count_levels(problems)
    return ", ".join(
        [_plural(c["error"], "error"), _plural(c["warning"], "warning"), _plural(c["info"], "info")]
    )


# The same cause met this many times or more is one line in text output (``-v`` lists each).
FOLD_AT = 2
FIRST_PLACES = 3  # places named on a folded line


@dataclass(frozen=True)
class Folded:
    """Problems of one cause (same level, code and ``group``, or the same message), as one line.

    ``members`` are in report order; the first one's line and hint stand for all of them.
    """

    members: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.members[0]

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(p.file or "" for p in self.members))

    @property
    def heading(self) -> str:
        """The file every member is in, or the folder they share (``episodes/``)."""
        files = self.files
        if len(files) == 1:
            return files[0] or "(general)"
        common = posixpath.commonpath([f.replace("\\", "/") for f in files]) if all(files) else ""
        return f"{common}/" if common else "(several files)"

    def message(self) -> str:
        first = self.first
        text = first.group or first.message
        if len(self.files) == 1:
            lines = [str(p.line) for p in self.members if p.line]
            places = f"lines {', '.join(lines[:FIRST_PLACES])}" if lines else ""
            more = len(lines) - FIRST_PLACES
        else:
            places = ", ".join(p.location() for p in self.members[:FIRST_PLACES])
            more = len(self.members) - FIRST_PLACES
        if places and more > 0:
            places += f" and {more} more"
        count = f"{len(self.members)} \u00d7"  # a multiplication sign: "53 times"
        return f"{count} {text}" + (f": {places}" if places else "")


def _fold_key(p: Problem) -> tuple[object, ...]:
    if p.group is not None:
        return (p.level, p.code, p.group, p.root)
    return (p.level, p.code, p.message, p.hint, p.root)


def fold(problems: Iterable[Problem]) -> list[Problem | Folded]:
    """Problems in report order, those of one cause met ``FOLD_AT`` times or more as one entry.

    Why: a first build of a real site without a lock gave 104 warnings, 53 of them the same
    "no audio" line; the one line that explained them all was lost among them.
    """
    by_cause: dict[tuple[object, ...], list[Problem]] = defaultdict(list)
    for p in sort_problems(problems):
        by_cause[_fold_key(p)].append(p)
    entries: list[Problem | Folded] = []
    for members in by_cause.values():
        if len(members) >= FOLD_AT:
            entries.append(Folded(tuple(members)))
        else:
            entries.extend(members)
    return entries


def _entry_key(entry: Problem | Folded) -> tuple[bool, str, int, str, str]:
    p = entry.first if isinstance(entry, Folded) else entry
    heading = entry.heading if isinstance(entry, Folded) else (p.file or "(general)")
    return (not p.root, heading if heading != "(general)" else "", p.line or 0, p.code, p.message)


class TextReporter:
    """Grouped by file, one line per problem, the hint indented below it.

    With ``fold`` (the default), the same cause met in many places is one line naming how many
    and the first places (see :func:`fold`); problems marked ``root`` come first.
    """

    name = "text"

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
        parts = [self.problems(problems)] if problems else []
        if self.fold and len(fold(problems)) < len(problems):
            summary_text += "\n(problems of one cause are folded into one line; -v lists each)"
        parts.append(summary_text)
        return "\n\n".join(parts)


class GithubReporter:
    """GitHub Actions workflow commands: the problems show on the lines of a pull request."""

    name = "github"

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

    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        parts = [self.problems(problems)] if problems else []
        parts.append(summary_text)
        return "\n".join(parts)


class JsonReporter:
    """A stable document: ``{"version": 1, "problems": [...], "summary": {...}}``."""

    name = "json"

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


Reporter = TextReporter | GithubReporter | JsonReporter

REPORTERS: dict[str, Callable[..., Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
}
FORMAT_CHOICES = ("auto", *REPORTERS)


def make_reporter(fmt: str, *, isatty: bool, fold: bool = True) -> Reporter:
    """``auto`` means github under GitHub Actions, else text (coloured on a TTY unless NO_COLOR).

    ``fold`` folds repeated problems in text output (json and github always list every one).
    """
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt == "text":
        color = isatty and not os.environ.get("NO_COLOR")
        return TextReporter(color=color, fold=fold)
    return REPORTERS[fmt]()
