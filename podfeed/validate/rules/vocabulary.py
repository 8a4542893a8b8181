"""Generic rules over the vocabulary table (:mod:`podfeed.validate.vocabulary`).

One walk over the channel (and one over each item, as it is parsed) compares every element
with its table entry and sorts what it finds by rule; each rule's check hands out its share.
The table says what may appear where and what it holds; these rules only say how to report it,
naming the element (and its parent) in every message.

Pass::

    <skipDays><day>Saturday</day><day>Sunday</day></skipDays>
    <cloud domain="rpc.example.com" port="80" path="/RPC2" registerProcedure="ping"
           protocol="soap"/>

Fail: a second ``<title>`` in a channel (element-duplicate), ``<pubdate>`` (element-unknown:
RSS 2.0 names it pubDate), ``<itunes:duration>`` in ``<channel>`` (element-misplaced), an
``<image>`` without ``<url>`` (element-missing), ``<category></category>`` (element-empty),
``<image>http://...</image>`` (element-text-unexpected), ``<ttl>soon</ttl>`` (element-value),
``<day>Sunday</day>`` twice (value-duplicate), a 300-character ``<itunes:subtitle>``
(value-too-long), ``<itunes:explicit> true </itunes:explicit>`` (value-whitespace), a
``<cloud>`` without ``port`` (attribute-missing), ``port="eighty"`` (attribute-value),
``<guid isPermalink="false">`` (attribute-unknown), ``<title>Fish &amp;amp; Chips</title>``
(html-in-text).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from podfeed.problems import Level
from podfeed.validate.base import (
    ITUNES_NS,
    PODCAST_NS,
    Children,
    Element,
    Feed,
    Finding,
    Rule,
    RuleSet,
    qualified_tag,
)
from podfeed.validate.base import text as text_of
from podfeed.validate.rules import sources
from podfeed.validate.values import markup_in_text
from podfeed.validate.vocabulary import (
    CORE_PARENTS,
    Attr,
    Spec,
    children_of,
    core_names,
    parents_of,
    spec,
)

RULES = RuleSet()
DUPLICATE = RULES.rule(
    "element-duplicate",
    Level.ERROR,
    "an element that may appear once in its parent (or N times) appears more often (a "
    "warning for itunes:/podcast: elements, of which apps read the first)",
    sources.RSS,
)
UNKNOWN = RULES.rule(
    "element-unknown",
    Level.WARNING,
    "an element without a namespace that RSS 2.0 does not define there: readers drop it (an "
    "error when it is a misspelling of one RSS defines, such as <pubdate>)",
    sources.RSS_NAMESPACES,
)
MISPLACED = RULES.rule(
    "element-misplaced",
    Level.WARNING,
    "an itunes: or podcast: element in a parent its namespace does not define it for",
    sources.APPLE_RSS,
)
MISSING = RULES.rule(
    "element-missing",
    Level.ERROR,
    "an element its parent requires is missing (<image> url/title/link, <textInput>'s four, "
    "a <day> in <skipDays>, <itunes:email> in <itunes:owner>)",
    sources.RSS,
)
EMPTY = RULES.rule(
    "element-empty",
    Level.WARNING,
    "an element with no text says nothing (an error where the parent requires it)",
    sources.RSS_PROFILE,
)
TEXT = RULES.rule(
    "element-text-unexpected",
    Level.WARNING,
    "text inside an element that holds only attributes or child elements is ignored",
    sources.RSS,
)
VALUE = RULES.rule(
    "element-value",
    Level.ERROR,
    "an element's text is not of its type (integer, range, e-mail, language, day, yes/no...)",
    sources.RSS,
)
VALUE_DUPLICATE = RULES.rule(
    "value-duplicate",
    Level.ERROR,
    "the same value twice where each may appear once (<skipHours>, <skipDays>)",
    sources.RSS_SKIP_HOURS,
)
TOO_LONG = RULES.rule(
    "value-too-long",
    Level.WARNING,
    "a value over its length limit (Apple: 255 characters unless a tag says otherwise)",
    sources.APPLE_RSS,
)
WHITESPACE = RULES.rule(
    "value-whitespace",
    Level.WARNING,
    "spaces around a keyword or number Apple compares as written",
    sources.APPLE_WHITESPACE,
)
ATTRIBUTE_MISSING = RULES.rule(
    "attribute-missing",
    Level.ERROR,
    "an attribute the element requires is missing (<cloud>, <source url>, itunes:image href...)",
    sources.RSS,
)
ATTRIBUTE_VALUE = RULES.rule(
    "attribute-value",
    Level.ERROR,
    "an attribute's value is not of its type (a port number, true/false, a protocol...)",
    sources.RSS,
)
ATTRIBUTE_UNKNOWN = RULES.rule(
    "attribute-unknown",
    Level.WARNING,
    "an attribute the element does not have (often a misspelling such as isPermalink)",
    sources.RSS,
)
HTML_IN_TEXT = RULES.rule(
    "html-in-text",
    Level.WARNING,
    "plain-text fields (titles, author, subtitle, keywords...) hold no HTML tags or entities",
    sources.RSS_HTML,
)

# Un-namespaced tags that wrong-namespace already reports (an itunes tag without its prefix).
_BARE_ITUNES = frozenset(
    {"duration", "explicit", "episodeType", "subtitle", "summary", "keywords", "owner"}
)
_EXTENSION_NAMESPACES = (f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}")
_Findings = dict[str, list[Finding]]


class _Walk:
    """Findings of one walk, by rule id."""

    def __init__(self, podcast: bool) -> None:
        self.found: _Findings = defaultdict(list)
        self.podcast = podcast

    def add(self, rule: Rule, node: Element, message: str, fix: str, **extra: Any) -> None:
        self.found[rule.id].append(Finding(node.sourceline, message, fix, **extra))

    def walk(self, element: Element, parent: str, elements: list[Element] | None = None) -> None:
        """Check the children of ``element`` (whose table name is ``parent``), recursively."""
        counts: dict[str, int] = {}
        seen: dict[str, set[str]] = {}
        for node in element.iterchildren(etree.Element) if elements is None else elements:
            tag = node.tag
            entry = spec(parent, tag)
            if entry is None:
                self._unknown(node, parent)
                continue
            if tag == "item":
                continue
            count = counts[tag] = counts.get(tag, 0) + 1
            if entry.max_count is not None and count == entry.max_count + 1:
                self._duplicate(node, entry)
            self._element(node, entry, seen)
            if children_of(tag):
                self.walk(node, tag)
        for entry in children_of(parent):
            if entry.required and entry.presence_rule is None and entry.tag not in counts:
                self.add(
                    MISSING,
                    element,
                    f"<{entry.where}> has no <{entry.name}>",
                    f"Add <{entry.name}> inside <{entry.where}>; it is required there.",
                )

    def _duplicate(self, node: Element, entry: Spec) -> None:
        many = "once" if entry.max_count == 1 else f"{entry.max_count} times"
        self.add(
            DUPLICATE,
            node,
            f"<{entry.where}> has more than one <{entry.name}>"
            if entry.max_count == 1
            else f"<{entry.where}> has more than {entry.max_count} <{entry.name}> elements",
            f"<{entry.name}> may appear {many} in <{entry.where}>; readers keep only one of "
            "them: remove the others.",
            level=Level.WARNING if entry.tag.startswith(_EXTENSION_NAMESPACES) else None,
        )

    def _unknown(self, node: Element, parent: str) -> None:
        tag = node.tag
        if not isinstance(tag, str):
            return
        where = qualified_tag(parent)
        if not tag.startswith("{"):
            if parent not in CORE_PARENTS or tag in _BARE_ITUNES:
                return
            homes = [p for p in parents_of(tag) if p != parent]
            guess = None if homes else _guess(tag, parent)
            if homes:
                fix = f"RSS 2.0 puts <{tag}> in <{qualified_tag(homes[0])}>; move it there."
            else:
                fix = (f"Did you mean <{guess}>? " if guess else "") + (
                    "Elements RSS 2.0 does not define must be in a namespace "
                    '(xmlns:x="...") or removed: readers drop them.'
                )
            self.add(
                UNKNOWN,
                node,
                f"<{where}> has <{tag}>, which RSS 2.0 does not define there",
                fix,
                level=Level.ERROR if guess else None,
            )
        elif tag.startswith(_EXTENSION_NAMESPACES) and parents_of(tag):
            name = qualified_tag(tag)
            allowed = ", ".join(f"<{qualified_tag(p)}>" for p in parents_of(tag))
            self.add(
                MISPLACED,
                node,
                f"<{name}> is not defined in <{where}>; readers ignore it there",
                f"Move <{name}> into {allowed}, where its namespace defines it.",
            )

    def _element(self, node: Element, entry: Spec, seen: dict[str, set[str]]) -> None:
        if node.attrib:
            self._attributes(node, entry)
        for attr in entry.attrs:
            if attr.required and attr.presence_rule is None and node.get(attr.name) is None:
                self._missing_attribute(node, entry, attr)
        if not entry.text:
            stray = (node.text or "").strip() or next(
                ((c.tail or "").strip() for c in node if (c.tail or "").strip()), ""
            )
            if stray:
                self.add(
                    TEXT,
                    node,
                    f"<{entry.name}> holds the text {_short(stray)!r}, which readers ignore",
                    _TEXT_FIX.get(entry.tag, f"Remove the text from <{entry.name}>."),
                )
            return
        # Show notes run to kilobytes: take the text as it is (no join for a text-only element),
        # test emptiness with isspace (stops at the first letter), strip only when read.
        value = (node.text or "") if len(node) == 0 else (text_of(node) or "")
        if not value or value.isspace():
            self._empty(node, entry)
            return
        if not entry.reads_value:
            return
        stripped = value.strip()
        if (
            entry.value is not None
            and entry.value_rule is None
            and not (self.podcast and entry.podcast_value_rule)
        ):
            verdict = entry.value.check(value)
            if verdict is not None:
                self.add(
                    VALUE,
                    node,
                    f"<{entry.name}> {_short(stripped)!r} {verdict.reason}",
                    f"Write {entry.value.name}, e.g. <{entry.name}>{entry.value.example}"
                    f"</{entry.name}>.",
                    level=verdict.level,
                    group=f"<{entry.name}> {verdict.reason}",
                )
        if entry.tokens and stripped != value:
            self.add(
                WHITESPACE,
                node,
                f"<{entry.name}> {value!r} has spaces around its value",
                f"Write <{entry.name}>{stripped}</{entry.name}>: Apple asks for no leading or "
                "trailing spaces, and strict readers compare the value as written.",
            )
        if entry.max_length is not None and entry.value_rule is None:
            self._length(node, entry, stripped)
        if entry.plain:
            what = markup_in_text(stripped)
            if what is not None:
                self.add(
                    HTML_IN_TEXT,
                    node,
                    f"<{entry.name}> contains {what}: {_short(' '.join(stripped.split()))!r}",
                    "Write plain text (an ampersand is written &amp; once in the XML); apps "
                    "show tags and entities literally.",
                )
        if entry.unique:
            values = seen.setdefault(entry.tag, set())
            if stripped in values:
                self.add(
                    VALUE_DUPLICATE,
                    node,
                    f"<{entry.where}> lists <{entry.name}>{_short(stripped)}</{entry.name}> twice",
                    f"List each value once in <{entry.where}>.",
                )
            values.add(stripped)

    def _attributes(self, node: Element, entry: Spec) -> None:
        for name, value in node.attrib.items():
            if name.startswith("{"):
                continue  # xml:lang and other namespaced attributes are extensions
            if name not in entry.attr_names:
                if not entry.open_attrs:
                    self._unknown_attribute(node, entry, name)
                continue
            attr = next(a for a in entry.attrs if a.name == name)
            if attr.value is None or attr.rule is not None:
                continue
            verdict = attr.value.check(value)
            if verdict is not None:
                self.add(
                    ATTRIBUTE_VALUE,
                    node,
                    f"<{entry.name} {name}={value!r}> {verdict.reason}",
                    f'Write {name}="{attr.value.example}" ({attr.value.name}).',
                    level=verdict.level,
                    group=f"<{entry.name} {name}> {verdict.reason}",
                )

    def _unknown_attribute(self, node: Element, entry: Spec, name: str) -> None:
        known = sorted(entry.attr_names)
        folded = {a.lower(): a for a in known}
        guess = folded.get(name.lower())
        if guess is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            guess = close[0] if close else None
        fix = f"Did you mean {guess}? " if guess else ""
        names = ", ".join(known) if known else "no attributes"
        self.add(
            ATTRIBUTE_UNKNOWN,
            node,
            f"<{entry.name}> has an attribute {name}, which it does not define",
            fix + f"<{entry.name}> has {names}; attribute names are case-sensitive.",
        )

    def _missing_attribute(self, node: Element, entry: Spec, attr: Attr) -> None:
        legacy = _LEGACY_ATTRIBUTES.get((entry.tag, attr.name))
        if legacy is not None and node.get(legacy) is not None:
            self.add(
                ATTRIBUTE_MISSING,
                node,
                f"<{entry.name}> has {legacy}= but no {attr.name}=, which readers read",
                f'Write the URL in {attr.name}="...": <{entry.name} {attr.name}="https://..."/>.',
                level=Level.WARNING,
            )
            return
        self.add(
            ATTRIBUTE_MISSING,
            node,
            f"<{entry.name}> has no {attr.name} attribute",
            f'Add {attr.name}="..." to <{entry.name}>; it is required.',
        )

    def _empty(self, node: Element, entry: Spec) -> None:
        if entry.value_rule is not None or entry.presence_rule is not None:
            return  # the dedicated rule judges an empty value
        if self.podcast and entry.podcast_value_rule is not None:
            return
        if entry.value is not None:
            self.add(
                VALUE,
                node,
                f"<{entry.name}> is empty",
                f"Write {entry.value.name}, e.g. <{entry.name}>{entry.value.example}"
                f"</{entry.name}>, or remove the element.",
                group=f"<{entry.name}> is empty",
            )
            return
        self.add(
            EMPTY,
            node,
            f"<{entry.name}> in <{entry.where}> is empty",
            f"Fill in <{entry.name}>" + ("." if entry.required else ", or remove it."),
            level=Level.ERROR if entry.required else None,
        )

    def _length(self, node: Element, entry: Spec, value: str) -> None:
        limit = entry.max_length or 0
        size = len(value.encode("utf-8")) if entry.length_unit == "bytes" else len(value)
        if size > limit:
            self.add(
                TOO_LONG,
                node,
                f"<{entry.name}> is {size} {entry.length_unit} long (at most {limit})",
                f"Shorten <{entry.name}>; "
                + (
                    "Apple cuts or refuses longer values."
                    if entry.apple_limit
                    else "readers cut it."
                ),
                podcast_only=entry.apple_limit and not entry.tag.startswith(_EXTENSION_NAMESPACES),
                group=f"<{entry.name}> is longer than {limit} {entry.length_unit}",
            )


# Attributes that an older version of a namespace spelled differently (read with a warning).
_LEGACY_ATTRIBUTES = {(f"{{{ITUNES_NS}}}image", "href"): "url"}
_TEXT_FIX = {
    "image": "Put the image URL in <image><url>...</url><title>...</title><link>...</link>"
    "</image>.",
    f"{{{ITUNES_NS}}}image": "Put the URL in the href attribute: "
    '<itunes:image href="https://..."/>.',
}


def _guess(tag: str, parent: str) -> str | None:
    """The element of ``parent`` that ``tag`` misspells (pubdate, lastbuilddate), or None."""
    names = list(core_names(parent))
    folded = {n.lower(): n for n in names}
    guess = folded.get(tag.lower())
    if guess is None:
        close = difflib.get_close_matches(tag, names, n=1, cutoff=0.8)
        guess = close[0] if close else None
    return guess


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _walker(parent: str, podcast: bool) -> Callable[[Children], _Findings]:
    def run(kids: Children) -> _Findings:
        walk = _Walk(podcast)
        walk.walk(kids.element, parent, kids.elements)
        return walk.found

    return run


# One walk per element and profile, shared by every rule's check (Children.memo keeps it).
_WALKERS = {
    (parent, podcast): _walker(parent, podcast)
    for parent in ("channel", "item")
    for podcast in (True, False)
}


def _findings(feed: Feed, kids: Children) -> _Findings:
    key = (kids.element.tag, feed.profile == "podcast")
    return kids.memo(key, _WALKERS[key])


def _share(rule: Rule) -> Callable[[Feed, Children], Iterator[Finding]]:
    def check(feed: Feed, kids: Children) -> Iterator[Finding]:
        yield from _findings(feed, kids).get(rule.id, ())

    check.__name__ = f"check_{rule.id.replace('-', '_')}"
    check.__doc__ = f"{rule.id}, from the shared walk of the vocabulary table."
    return check


for _rule in RULES:
    RULES.check(_rule, "channel", "item")(_share(_rule))
