"""Measure ``podfeed validate`` on conformance feeds with known verdicts.

Each feed file carries its verdict in an XML comment, in one of two forms:

- the W3C Feed Validator's test cases (``rubys/feedvalidator``, ``testcases/rss20/``,
  ``testcases/itunes/``...): ``Expect: MessageName{element:x,attr:y}`` for a feed that breaks a
  rule, ``Expect: !MessageName`` or ``Expect: ValidSomething`` for one that does not;
- podfeed's own set (``tests/data/feeds/conformance/``): ``Expect: rule-id`` or
  ``Expect: valid``, and ``Profile: rss`` or ``podcast`` (the profile the case is about, which
  overrides ``--profile``).

A feed that breaks a rule counts as **caught** when validate reports an error or a warning that
names the problem: for podfeed's own set, the rule id; for a W3C case, a problem whose message
names the element (``<day>``, ``<itunes:explicit>``; a prefixed element of another name such as
``<atom:link>`` does not count for ``link``), the attribute or the parent (``<image>``,
``<source>``) the case is about; any problem counts when the case names none. A valid feed
counts as **clean** when validate reports no error. A crash (an exception) counts against both.

Plain RSS test feeds rightly fail Apple's and Podcasting 2.0's *presence* rules (no
``itunes:image``, no ``<enclosure>``...), so the measurement leaves them aside, as the issue that
asked for it did: with ``--profile rss`` (the default here) validate itself runs the RSS profile,
which reports a missing element only where RSS 2.0 or the feed's own vocabulary requires it;
``--presence-filter`` instead drops, from a default run, the problems of the presence rules
whose message says something "has no" element (for validators that have no RSS profile).

Example::

    python benchmarks/conformance.py /tmp/conformance tests/data/feeds/conformance -v
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from podfeed.problems import Level, Problem
from podfeed.validate import validate_file

NOW = datetime(2024, 6, 1, tzinfo=UTC)
_EXPECT = re.compile(r"^\s*Expect:\s*(\S.*?)\s*$", re.MULTILINE)
_PROFILE = re.compile(r"^\s*Profile:\s*(podcast|rss)\s*$", re.MULTILINE)
_W3C = re.compile(r"^(!?)([A-Za-z0-9]+)(?:\{(.*)\})?$")
# Rules that report an Apple or Podcasting 2.0 element as missing (--presence-filter).
PRESENCE_RULES = frozenset(
    {
        "apple-image",
        "apple-explicit",
        "apple-category",
        "apple-language",
        "apple-owner",
        "apple-author",
        "atom-self-link",
        "item-title",
        "item-enclosure-missing",
        "item-pubdate-missing",
        "item-guid-missing",
        "feed-empty",
        "feed-not-audio",
    }
)


@dataclass(frozen=True)
class Case:
    """One feed and what it should give."""

    path: Path
    valid: bool
    rule: str | None  # podfeed's own set: the rule id expected
    names: tuple[str, ...]  # W3C set: patterns a message must match (empty: anything)
    expect: str
    profile: str | None = None  # the profile the case names (None: the command line's)


def read_case(path: Path) -> Case | None:
    """The case in ``path``, or None when the file carries no ``Expect:`` line."""
    head = path.read_bytes()[:4096].decode("utf-8", "replace")
    match = _EXPECT.search(head)
    if match is None:
        return None
    expect = match.group(1)
    named = _PROFILE.search(head)
    profile = named.group(1) if named else None
    if expect == "valid":
        return Case(path, True, None, (), expect, profile)
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", expect):
        return Case(path, False, expect, (), expect, profile)
    w3c = _W3C.match(expect)
    if w3c is None:
        return None
    negated, name, params = w3c.groups()
    valid = bool(negated) or name.startswith("Valid")
    fields = dict(
        part.split(":", 1) for part in (params or "").split(",") if ":" in part and part.strip()
    )
    names = tuple(
        (rf"<{re.escape(v)}[\s>/]" if k == "element" else rf"\b{re.escape(v)}\b")
        for k, v in fields.items()
        if k in ("element", "attr", "parent") and v not in ("channel", "item", "rss")
    )
    return Case(path, valid, None, names, expect)


def _names(problem: Problem, names: tuple[str, ...]) -> bool:
    """Whether the message names the element (``<day>``, ``<itunes:image href...``) or the
    attribute (``port``) the case is about."""
    return not names or any(re.search(pattern, problem.message) for pattern in names)


def caught(case: Case, problems: list[Problem]) -> bool:
    shown = [p for p in problems if p.level >= Level.WARNING]
    if case.rule is not None:
        return any(p.code == case.rule for p in shown)
    return any(_names(p, case.names) for p in shown)


def run(path: Path, profile: str | None, presence_filter: bool) -> list[Problem]:
    kwargs: dict[str, object] = {"now": NOW}
    if profile is not None and "profile" in inspect.signature(validate_file).parameters:
        kwargs["profile"] = profile
    problems = validate_file(path, **kwargs)  # type: ignore[arg-type]
    if presence_filter:
        problems = [
            p for p in problems if not (p.code in PRESENCE_RULES and " has no " in p.message)
        ]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--profile", default="rss", help="validate's profile (default: rss)")
    parser.add_argument("--presence-filter", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    cases = [
        case
        for folder in args.folders
        for path in sorted(folder.rglob("*.xml"))
        if (case := read_case(path)) is not None
    ]
    tally: Counter[str] = Counter()
    misses: list[str] = []
    for case in cases:
        kind = "valid" if case.valid else "invalid"
        tally[kind] += 1
        try:
            problems = run(case.path, case.profile or args.profile, args.presence_filter)
        except Exception:
            tally["crash"] += 1
            misses.append(f"CRASH {case.path}\n{traceback.format_exc()}")
            continue
        if case.valid:
            errors = [p for p in problems if p.level is Level.ERROR]
            if errors:
                misses.append(f"ERROR ON VALID {case.path} ({case.expect}): {_show(errors)}")
            else:
                tally["clean"] += 1
        elif caught(case, problems):
            tally["caught"] += 1
            if any(p.level is Level.ERROR for p in problems):
                tally["caught-error"] += 1
        else:
            misses.append(f"MISSED {case.path} ({case.expect}): {_show(problems)}")
    if args.verbose:
        print("\n".join(misses))
    invalid, valid = tally["invalid"], tally["valid"]
    print(
        f"feeds: {len(cases)} ({invalid} breaking a rule, {valid} valid), crashes: {tally['crash']}"
    )
    print(
        f"caught: {tally['caught']}/{invalid} = {_pct(tally['caught'], invalid)} "
        f"(with an error: {_pct(tally['caught-error'], invalid)})"
    )
    print(f"valid without error: {tally['clean']}/{valid} = {_pct(tally['clean'], valid)}")
    return 0


def _show(problems: list[Problem]) -> str:
    return "; ".join(f"[{p.level}] {p.code}: {p.message}" for p in problems[:4]) or "nothing"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
