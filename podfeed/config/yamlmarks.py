"""Where a YAML mistake was made, which is often lines before where the parser noticed it.

An unclosed quote or bracket is noticed where the parser runs out of ways to read the text:
at the end of the front matter, or at the next quote, which closes the first one and leaves the
lines between them inside one value. PyYAML reports that later place. The fix is where the
quote or bracket was opened, so :func:`opened_at` finds that place for the two readers of
YAML in podfeed (episode front matter and the configuration).
"""

from __future__ import annotations

import re

import yaml

__all__ = ["opened_at"]

# Parser contexts whose mark is where an unclosed quote or bracket was opened.
_STILL_READING = (
    "while scanning a quoted scalar",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
)

# A line inside a quoted value that looks like the next key: the quote swallowed it.
_KEY_LINE = re.compile(r"\n[ \t]*[A-Za-z_][\w-]*:(?:[ \t]|$)", re.MULTILINE)


def opened_at(text: str, exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The mark of the quote or bracket the error comes from, when it is before the problem.

    Two cases: the parser's own context names a quoted scalar or a flow collection it was
    still reading (its ``context_mark``); or a quoted value closed only by a later quote spans
    several lines and holds what looks like another key (found by scanning the tokens up to
    the error). ``None`` when neither applies: the problem's own line is the place then.
    """
    problem = exc.problem_mark
    if problem is None:
        return None
    start = exc.context_mark
    if (
        start is not None
        and start.line < problem.line
        and (exc.context or "").startswith(_STILL_READING)
    ):
        return start
    return _swallowing_quote(text, problem.line)


def _swallowing_quote(text: str, before_line: int) -> yaml.Mark | None:
    found: yaml.Mark | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            start, end = token.start_mark, token.end_mark
            if start.line > before_line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and end.line > start.line
                and _KEY_LINE.search(text, start.index, end.index)
            ):
                found = start
    except yaml.YAMLError:
        pass  # the scan stops at the same mistake: what was found before it is the answer
    return found
