"""The shapes every rule module shares: a rule's identity, what a check yields, what it is given.

A rule module keeps one :class:`RuleSet`: it declares the module's :class:`Rule` values (id,
level, summary, link to the requirement) and binds each rule to the small functions that check
it and the scopes they run at (:class:`Check`). The engine owns parsing and turns each
:class:`Finding` into a :class:`podfeed.problems.Problem`, so rules never deal with file names,
levels or hint formatting: they only say *where* and *what*.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Literal, TypeAlias, TypeVar

from lxml import etree

from podfeed.problems import Level

__all__ = [
    "ATOM_NS",
    "CONTENT_NS",
    "ITUNES_NS",
    "LEGACY_ITUNES_NS",
    "LEGACY_PODCAST_NS",
    "NAMESPACE_ALIASES",
    "PODCAST_NS",
    "PODCAST_ONLY",
    "PREFIXES",
    "PROFILES",
    "RSS_ONLY",
    "Check",
    "Children",
    "Feed",
    "Finding",
    "ItemInfo",
    "Profile",
    "Rule",
    "RuleSet",
    "Scope",
    "attr",
    "child",
    "children",
    "elements",
    "item_label",
    "iterparse_safely",
    "local_name",
    "namespace",
    "qualified",
    "qualified_tag",
    "text",
]

# The exact namespace URIs readers match (case-sensitive, as XML namespaces are).
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Other spellings readers treat as the same namespace: Apple's own 2005 capitalisation (still
# in real feeds, and read by Apple), and the address the Podcasting 2.0 namespace document says
# clients must treat as identical to its own. The engine reads their tags as the canonical ones.
LEGACY_ITUNES_NS = "http://www.itunes.com/DTDs/Podcast-1.0.dtd"
LEGACY_PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
NAMESPACE_ALIASES = {LEGACY_ITUNES_NS: ITUNES_NS, LEGACY_PODCAST_NS: PODCAST_NS}
# How messages write the namespaces podfeed knows, whatever prefix a feed declares.
PREFIXES = {ITUNES_NS: "itunes", PODCAST_NS: "podcast", ATOM_NS: "atom", CONTENT_NS: "content"}

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
Element: TypeAlias = etree._Element
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
    URLs, show notes...) is bound at both scopes.
    """

    rule: Rule
    scope: Scope
    run: Callable[..., Iterable[Finding]]


_Run = TypeVar("_Run", bound=Callable[..., Iterable[Finding]])


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


def iterparse_safely(source: BinaryIO, events: tuple[str, ...]) -> etree.iterparse:
    """lxml's streaming parse with the options every parse of an untrusted feed uses here.

    ``resolve_entities=False`` keeps entity declarations from expanding (billion laughs) or
    reading files (external entities), ``load_dtd=False`` and ``no_network=True`` keep the
    parser offline, ``huge_tree=False`` keeps libxml2's limits on single text nodes; comments
    and processing instructions are dropped.
    """
    return etree.iterparse(
        source,
        events=events,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


# --- element helpers: tolerant of comments, entity references and processing instructions ---


def elements(parent: Element) -> Iterator[Element]:
    """Child elements only (comments, PIs and unexpanded entity references have non-str tags)."""
    for node in parent:
        if isinstance(node.tag, str):
            yield node


def children(parent: Element | None, tag: str) -> list[Element]:
    """Child elements with the Clark-notation tag (``{ns}local``, or ``local`` for RSS core)."""
    if parent is None:
        return []
    return list(parent.iterchildren(tag))  # filtered in C: only elements with that exact tag


def child(parent: Element | None, tag: str) -> Element | None:
    if parent is None:
        return None
    return next(parent.iterchildren(tag), None)


def text(element: Element | None) -> str | None:
    """All text inside an element (including CDATA), or None when the element is absent."""
    if element is None:
        return None
    if not len(element):  # no child nodes at all: the text is the element's own (CDATA too)
        return element.text or ""
    return "".join(element.itertext())


def attr(element: Element | None, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(name)
    return None if value is None else str(value)


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


def _split(tag: str) -> tuple[str | None, str]:
    # Not etree.QName: after a namespace error libxml2 still hands over tags like
    # "itunes:image", which QName refuses; the parse error itself is reported separately.
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return None, tag


def local_name(element: Element) -> str:
    return _split(str(element.tag))[1]


def namespace(element: Element) -> str | None:
    return _split(str(element.tag))[0]


def qualified(element: Element) -> str:
    """The tag as people write it (``itunes:image``), for messages."""
    return qualified_tag(str(element.tag), element.prefix)


def qualified_tag(tag: str, prefix: str | None = None) -> str:
    """A Clark-notation tag as people write it: a known namespace by its usual prefix.

    >>> qualified_tag("{http://www.itunes.com/dtds/podcast-1.0.dtd}image"), qualified_tag("link")
    ('itunes:image', 'link')
    """
    uri, local = _split(tag)
    if uri is None:
        return local
    known = PREFIXES.get(uri) or prefix
    return f"{known}:{local}" if known else local
