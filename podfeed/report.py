"""Render problems for people (text), for scripts (json) and for CI log viewers (github).

One class per format in a name -> class registry, so the CLI's ``--format`` choices come from here.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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


class TextReporter:
    """Grouped by file, one line per problem, the hint indented below it."""

    name = "text"

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    def _style(self, text: str, level: Level) -> str:
        if not self.color:
            return text
        fg = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: "blue"}[level]
        return click.style(text, fg=fg, bold=level is Level.ERROR)

    def problems(self, problems: Sequence[Problem]) -> str:
        lines: list[str] = []
        current: str | None = None
        for p in sort_problems(problems):
            file = p.file or "(general)"
            if file != current:
                if current is not None:
                    lines.append("")
                lines.append(click.style(file, bold=True) if self.color else file)
                current = file
            where = f"{p.line}" if p.line else "-"
            level = self._style(f"{p.level!s:7}", p.level)
            lines.append(f"  {where:>5}  {level}  {p.message}  ({p.code})")
            if p.hint:
                lines.append(f"{'':16}fix: {p.hint}")
        return "\n".join(lines)

    def document(
        self, problems: Sequence[Problem], summary: dict[str, Any], summary_text: str
    ) -> str:
        parts = [self.problems(problems)] if problems else []
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
    }


Reporter = TextReporter | GithubReporter | JsonReporter

REPORTERS: dict[str, Callable[..., Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
}
FORMAT_CHOICES = ("auto", *REPORTERS)


def make_reporter(fmt: str, *, isatty: bool) -> Reporter:
    """``auto`` means github under GitHub Actions, else text (coloured on a TTY unless NO_COLOR)."""
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt == "text":
        color = isatty and not os.environ.get("NO_COLOR")
        return TextReporter(color=color)
    return REPORTERS[fmt]()
