"""The shapes every rule module shares: a rule's identity, what a check yields, what it is given.

A rule module keeps one :class:`RuleSet`: it declares the module's :class:`Rule` values (id,
level, summary, link to the requirement) and binds each rule to the small functions that check
it and the scopes they run at (:class:`Check`). The engine owns parsing and turns each
:class:`Finding` into a :class:`podfeed.problems.Problem`, so rules never deal with file names,
levels or hint formatting: they only say *where* and *what*.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias, TypeVar

from lxml import etree

from podfeed.problems import Level, Problem
from podfeed.validate.xmltree import ITUNES_NS, Element, attr, child, text

__all__ = [
    "PODCAST_ONLY",
    "PROFILES",
    "RSS_ONLY",
    "Check",
    "Children",
    "Feed",
    "Finding",
    "ItemInfo",
    "Judge",
    "Profile",
    "Rule",
    "RuleSet",
    "Scope",
    "item_label",
    "share",
]

Scope = Literal["prologue", "document", "channel", "item"]
# What a run checks a feed for. ``podcast`` (the default): everything, Apple Podcasts' and
# Podcasting 2.0's requirements included. ``rss``: RSS 2.0 and the definitions of the
# namespaces the feed uses (an itunes: tag present is still checked against Apple's definition),
# but not what a podcast directory requires on top (an itunes:image, an enclosure per item, a
# two-letter language code...): for plain RSS feeds, blogs and the RSS conformance suites.
Profile = Literal["podcast", "rss"]
PROFILES: tuple[Profile, ...] = ("podcast", "rss")
PODCAST_ONLY: frozenset[Profile] = frozenset({"podcast"})
RSS_ONLY: frozenset[Profile] = frozenset({"rss"})
_T = TypeVar("_T")


@dataclass(frozen=True)
class Rule:
    """A rule's public identity: a stable kebab-case id, its level, one line, and its source.

    ``profiles`` are the profiles the rule runs in: Apple's and Podcasting 2.0's directory
    requirements run only in ``podcast``; a rule that only RSS needs (because a stricter
    podcast rule covers the same thing there) only in ``rss``.
    """

    id: str
    level: Level
    summary: str
    url: str
    profiles: frozenset[Profile] = frozenset(PROFILES)


@dataclass(frozen=True)
class Finding:
    """One place where a rule is broken: the line, what is wrong, and how to fix it.

    ``level`` overrides the rule's level for this finding (a rule whose cases differ in
    weight, e.g. the 2005 spelling of the itunes namespace that Apple still reads). ``group``
    is the cause without per-item details, for folding repeats; by default an item's finding
    is grouped by its message. ``podcast_only`` marks a podcast directory requirement (an
    element Apple or Podcasting 2.0 requires, Apple's length limits): the ``rss`` profile
    leaves those out. ``root`` marks a
    root cause, shown first.
    """

    line: int | None
    message: str
    fix: str
    level: Level | None = None
    group: str | None = None
    podcast_only: bool = False
    root: bool = False

    def problem(self, rule: Rule, source: str, prefix: str = "") -> Problem:
        """This finding of ``rule`` as the :class:`~podfeed.problems.Problem` users see, in
        ``source``. ``prefix`` (an item's label) starts the message, and an item's findings are
        grouped by their message unless the finding names a group, so that the same cause in
        many items folds into one line of text output."""
        group = self.group
        if group is None and prefix:
            group = self.message
        return Problem(
            level=self.level or rule.level,
            code=rule.id,
            message=prefix + self.message,
            file=source,
            line=self.line,
            hint=f"{self.fix} See {rule.url}",
            group=group,
            root=self.root,
        )


@dataclass(frozen=True)
class ItemInfo:
    """What cross-item rules need of an item after its element has been freed (streaming)."""

    line: int | None
    title: str | None
    guid: str | None
    enclosure_url: str | None
    has_itunes_episode: bool
    episode_type: str | None = None
    episode_type_empty: bool = False
    enclosure_type: str | None = None

    @property
    def label(self) -> str:
        return _label(self.title, self.guid)

    @classmethod
    def of(cls, item: Element | Children) -> ItemInfo:
        kids = item if isinstance(item, Children) else Children(item)
        episode_type = kids.text(_ITUNES_EPISODE_TYPE)
        enclosure = kids.first("enclosure")
        return cls(
            line=kids.element.sourceline,
            title=kids.text("title"),
            guid=kids.text("guid"),
            enclosure_url=attr(enclosure, "url"),
            has_itunes_episode=kids.first(_ITUNES_EPISODE) is not None,
            episode_type=(episode_type or "").strip() or None,
            episode_type_empty=episode_type is not None and not episode_type.strip(),
            enclosure_type=attr(enclosure, "type"),
        )


_ITUNES_EPISODE = f"{{{ITUNES_NS}}}episode"
_ITUNES_EPISODE_TYPE = f"{{{ITUNES_NS}}}episodeType"
_NO_ELEMENTS: list[Element] = []


class Children:
    """An element's child elements grouped by tag, found in one pass and shared by every check.

    Why: each item is looked at by some forty checks. Asking lxml for "the first <guid>" forty
    times walks the item's children forty times; grouping them once makes each question a dict
    look-up. Texts and the list of descendants are computed on first use and kept, since several
    rules read the same title, guid or date. The element must not change while this is in use
    (the engine builds one per item after the item is complete, and one for the channel after
    parsing).

    >>> kids = Children(etree.fromstring("<item><title>A</title><link/><title>B</title></item>"))
    >>> [e.text for e in kids.all("title")], kids.text("title"), kids.first("guid")
    (['A', 'B'], 'A', None)
    """

    __slots__ = ("_by_tag", "_descendants", "_memo", "_texts", "element", "elements")

    def __init__(self, element: Element) -> None:
        self.element = element
        # Filtered in C: comments, PIs and unexpanded entity references are not elements.
        self.elements: list[Element] = list(element.iterchildren(etree.Element))
        by_tag: dict[str, list[Element]] = {}
        for node in self.elements:
            found = by_tag.get(node.tag)
            if found is None:
                by_tag[node.tag] = [node]
            else:
                found.append(node)
        self._by_tag = by_tag
        self._texts: dict[str, str | None] = {}
        self._descendants: list[Element] | None = None
        self._memo: dict[object, Any] = {}

    def first(self, tag: str) -> Element | None:
        """The first child with the Clark-notation tag, as :func:`child`."""
        found = self._by_tag.get(tag)
        return None if found is None else found[0]

    def all(self, tag: str) -> list[Element]:
        """Every child with the tag, in document order, as :func:`children` (do not modify)."""
        return self._by_tag.get(tag, _NO_ELEMENTS)

    def text(self, tag: str) -> str | None:
        """:func:`text` of the first child with the tag, or None when there is none."""
        try:
            return self._texts[tag]
        except KeyError:
            value = self._texts[tag] = text(self.first(tag))
            return value

    def value(self, tag: str) -> tuple[Element, str] | None:
        """The first child with the tag and its text without the spaces around it, or None."""
        found = self.first(tag)
        return None if found is None else (found, (self.text(tag) or "").strip())

    def memo(self, key: Hashable, compute: Callable[[Children], _T]) -> _T:
        """``compute(self)``, computed once per ``key`` (for values several rules share)."""
        try:
            value: _T = self._memo[key]
        except KeyError:
            value = self._memo[key] = compute(self)
        return value

    def judged(self, judge: Judge, feed: Feed) -> Mapping[str, Sequence[Finding]]:
        """What ``judge`` finds in these children, by rule id: computed once per profile."""
        key = (judge, feed.profile)
        try:
            found: Mapping[str, Sequence[Finding]] = self._memo[key]
        except KeyError:
            found = self._memo[key] = judge(feed, self)
        return found

    def descendants(self) -> list[Element]:
        """Every element below this one, in document order (depth first)."""
        if self._descendants is None:
            self._descendants = list(self.element.iter(etree.Element))[1:]
        return self._descendants


@dataclass
class Feed:
    """What the engine knows about the document; filled while parsing, read by checks.

    ``channel`` is the first ``<channel>`` under the root; by the time channel checks run its items
    have been checked and removed, and ``items`` holds their :class:`ItemInfo` in document order.
    """

    source: str
    now: datetime
    profile: Profile = "podcast"
    declared_encoding: str | None = None
    root: Element | None = None
    channel: Element | None = None
    channel_count: int = 0
    doctype: str | None = None
    doctype_line: int | None = None
    entity_declarations: list[str] = field(default_factory=list)
    # (prefix or None for the default namespace, URI, line of the element declaring it)
    namespaces: list[tuple[str | None, str, int | None]] = field(default_factory=list)
    items: list[ItemInfo] = field(default_factory=list)
    # The line of the first <item> parsed in this document (not of stand-ins passed in).
    first_item_line: int | None = None


@dataclass(frozen=True)
class Check:
    """Binds a rule to the function that checks it and the scope the engine calls it at.

    - ``prologue``: once, with ``(feed,)``, even when the document does not parse (what the
      XML declaration and DOCTYPE say is known before the error).
    - ``document``: once, after parsing, with ``(feed,)`` (root, namespaces, ...).
    - ``channel``: once, after parsing, with ``(feed, kids)``: the :class:`Children` of the
      channel, when there is one.
    - ``item``: for every ``channel/item`` as soon as it is complete, with ``(feed, kids)``;
      the engine prefixes each finding's message with the item's title and guid.

    A function that judges the children of a channel and of an item alike (dates, artwork
    URLs, show notes...) is bound at both scopes. ``judge``: the pass over the children whose
    findings ``run`` takes its share of (see :func:`share`), so that the engine can run the
    pass once for all the rules that share it.
    """

    rule: Rule
    scope: Scope
    run: Callable[..., Iterable[Finding]]
    judge: Judge | None = None


_Run = TypeVar("_Run", bound=Callable[..., Iterable[Finding]])
# One pass over a channel's or an item's children that judges several rules: findings by rule id.
Judge: TypeAlias = Callable[["Feed", "Children"], Mapping[str, Sequence[Finding]]]


class RuleSet:
    """One rule module's registry: the rules it declares and the checks that run them.

    The module makes one ``RULES = RuleSet()``, declares each rule with :meth:`rule` and binds
    each check function with :meth:`check`; :mod:`podfeed.validate.rules` lists the modules.
    A rule whose findings come from the walk over the vocabulary table has no function of its
    own: the table names it (see :mod:`podfeed.validate.vocabulary`).

    >>> RULES = RuleSet()
    >>> LOUD = RULES.rule("x-loud", Level.WARNING, "no shouting", "https://example.com/")
    >>> @RULES.check(LOUD, "channel", "item")
    ... def check_loud(feed: Feed, kids: Children) -> Iterator[Finding]:
    ...     yield from ()
    >>> [rule.id for rule in RULES], [check.scope for check in RULES.checks]
    (['x-loud'], ['channel', 'item'])
    """

    def __init__(self) -> None:
        self._rules: list[Rule] = []
        self.checks: list[Check] = []

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def rule(
        self,
        rule_id: str,
        level: Level,
        summary: str,
        url: str,
        profiles: frozenset[Profile] = frozenset(PROFILES),
    ) -> Rule:
        """Declare a rule (see :class:`Rule`) and return it."""
        rule = Rule(rule_id, level, summary, url, profiles)
        self._rules.append(rule)
        return rule

    def check(self, rule: Rule, *scopes: Scope) -> Callable[[_Run], _Run]:
        """A decorator binding a function to ``rule`` at each of ``scopes``."""

        def bind(run: _Run) -> _Run:
            self.checks.extend(Check(rule, scope, run) for scope in scopes)
            return run

        return bind

    def share(self, judge: Judge, *scopes: Scope, rules: Iterable[Rule] | None = None) -> None:
        """Bind ``rules`` (default: every rule declared so far) at ``scopes`` to their shares of
        one ``judge`` (see :func:`share`)."""
        for rule in list(self if rules is None else rules):
            self.checks.extend(Check(rule, scope, share(judge, rule), judge) for scope in scopes)


def share(judge: Judge, rule: Rule) -> Callable[[Feed, Children], Sequence[Finding]]:
    """The check of ``rule`` when one pass over an element's children (``judge``) finds the
    problems of several rules at once, by rule id: the pass runs once per element
    (:meth:`Children.judged`), and each rule's check takes its share. The vocabulary walk,
    the dates and the show notes are judged this way, not once per rule."""
    rule_id = rule.id

    def run(feed: Feed, kids: Children) -> Sequence[Finding]:
        return kids.judged(judge, feed).get(rule_id, ())

    run.__name__ = f"check_{rule_id.replace('-', '_')}"
    run.__doc__ = f"{rule_id}: its share of {judge.__name__}."
    return run


_SPACES = re.compile(r"\s+")


def _label(title: str | None, guid: str | None) -> str:
    shown = _SPACES.sub(" ", title or "").strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    name = f'item "{shown}"' if shown else "item without title"
    return f"{name} (guid {guid.strip()})" if guid and guid.strip() else f"{name} (no guid)"


def item_label(item: Element) -> str:
    """How messages name an item: its title and guid, the two things a podcaster can search for."""
    return _label(text(child(item, "title")), text(child(item, "guid")))
