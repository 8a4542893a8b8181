"""Folding: problems of one cause, met in many places, as one entry of the text report.

Why: a first build of a real site without a lock gave 104 warnings, 53 of them the same "no
audio" line; the one line that explained them all was lost among them. The text format folds
(``-v`` lists each); json and github always list every problem.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from podfeed.problems import Problem, sort_problems

__all__ = ["FIRST_PLACES", "FOLD_AT", "Folded", "fold"]

# The same cause met this many times or more is one line in text output.
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
    """Problems in report order, those of one cause met ``FOLD_AT`` times or more as one entry."""
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
