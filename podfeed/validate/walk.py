"""One walk over a channel or an item, comparing every element with the vocabulary table.

:mod:`podfeed.validate.vocabulary` says what may appear where and what it holds; this walk
visits each child element (and, below it, the children the table lists: an ``<image>``'s, an
``<itunes:owner>``'s...) once, and sorts what it finds by rule id: the generic rules'
findings (element-duplicate, element-value, attribute-missing...) and those of the dedicated
rules the table names for a value, a presence or an attribute (itunes-duration, apple-image,
enclosure-length...). :mod:`podfeed.validate.rules.vocabulary` hands each rule its share.

Why one walk: each item is looked at by every rule; one pass over its children, kept per
element (:meth:`~podfeed.validate.base.Children.judged`), answers all of them.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

from lxml import etree

from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, Scope
from podfeed.validate.entries import Attr, Spec
from podfeed.validate.values import Verdict, markup_in_text
from podfeed.validate.vocabulary import (
    BARE_ITUNES,
    CORE_PARENTS,
    PARENTS,
    children_of,
    core_names,
    needed_in,
    parents_of,
    spec,
)
from podfeed.validate.xmltree import ITUNES_NS, PODCAST_NS, Element, qualified_tag
from podfeed.validate.xmltree import text as text_of

__all__ = ["Findings", "rules_named", "vocabulary_findings"]

_EXTENSION_NAMESPACES = (f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}")
Findings = dict[str, list[Finding]]


class _Walk:
    """Findings of one walk, by rule id."""

    def __init__(self, podcast: bool) -> None:
        self.found: Findings = defaultdict(list)
        self.podcast = podcast

    def add(self, rule: str, node: Element, message: str, fix: str, **extra: Any) -> None:
        self.found[rule].append(Finding(node.sourceline, message, fix, **extra))

    def walk(
        self,
        element: Element,
        parent: str,
        elements: list[Element] | None = None,
        first: bool = True,
    ) -> None:
        """Check the children of ``element`` (whose table name is ``parent``), recursively.

        ``first``: ``element`` is the first of its kind in its parent, the one readers read;
        the dedicated rules judge only the first element of each kind in it (the others are
        element-duplicate's).
        """
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
            lead = first and count == 1
            self._element(node, entry, seen, lead)
            if tag in PARENTS:
                self.walk(node, tag, first=lead)
        for entry in needed_in(parent):
            if entry.tag in counts:
                continue
            if entry.need is not None:
                self.add(
                    entry.need.rule,
                    element,
                    f"the {entry.where} has no {entry.need.what or f'<{entry.name}>'}",
                    entry.need.fix,
                    podcast_only=entry.need.podcast_only,
                )
            elif entry.required:
                self.add(
                    "element-missing",
                    element,
                    f"<{entry.where}> has no <{entry.name}>",
                    f"Add <{entry.name}> inside <{entry.where}>; it is required there.",
                )

    def _duplicate(self, node: Element, entry: Spec) -> None:
        many = "once" if entry.max_count == 1 else f"{entry.max_count} times"
        self.add(
            "element-duplicate",
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
            if parent not in CORE_PARENTS or tag in BARE_ITUNES:  # wrong-namespace's
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
                "element-unknown",
                node,
                f"<{where}> has <{tag}>, which RSS 2.0 does not define there",
                fix,
                level=Level.ERROR if guess else None,
            )
        elif tag.startswith(_EXTENSION_NAMESPACES) and parents_of(tag):
            name = qualified_tag(tag)
            allowed = ", ".join(f"<{qualified_tag(p)}>" for p in parents_of(tag))
            self.add(
                "element-misplaced",
                node,
                f"<{name}> is not defined in <{where}>; readers ignore it there",
                f"Move <{name}> into {allowed}, where its namespace defines it.",
            )

    def _element(self, node: Element, entry: Spec, seen: dict[str, set[str]], lead: bool) -> None:
        if node.attrib:
            self._attributes(node, entry)
        if entry.required_attrs:
            self._missing_attributes(node, entry)
        if not entry.text:
            stray = (node.text or "").strip() or next(
                ((c.tail or "").strip() for c in node if (c.tail or "").strip()), ""
            )
            if stray:
                self.add(
                    "element-text-unexpected",
                    node,
                    f"<{entry.name}> holds the text {_short(stray)!r}, which readers ignore",
                    _TEXT_FIX.get(entry.tag, f"Remove the text from <{entry.name}>."),
                )
            return
        # Show notes run to kilobytes: take the text as it is (no join for a text-only element),
        # test emptiness with isspace (stops at the first letter), strip only when read.
        value = (node.text or "") if len(node) == 0 else (text_of(node) or "")
        if lead and entry.judges_lead:
            self._lead(node, entry, value)
        if not value or value.isspace():
            self._empty(node, entry)
            return
        if not entry.reads_value:
            return
        stripped = value.strip()
        if (
            entry.value is not None
            and entry.value_rule is None
            and not (self.podcast and entry.podcast_value is not None)
        ):
            verdict = entry.value.check(value)
            if verdict is not None:
                shown, fix = f"<{entry.name}> {_short(stripped)!r}", entry.value.advice(entry.name)
                self._report("element-value", node, verdict, shown, fix, f"<{entry.name}>")
        if entry.tokens and stripped != value:
            self.add(
                "value-whitespace",
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
                    "html-in-text",
                    node,
                    f"<{entry.name}> contains {what}: {_short(' '.join(stripped.split()))!r}",
                    "Write plain text (an ampersand is written &amp; once in the XML); apps "
                    "show tags and entities literally.",
                )
        if entry.unique:
            values = seen.setdefault(entry.tag, set())
            if stripped in values:
                self.add(
                    "value-duplicate",
                    node,
                    f"<{entry.where}> lists <{entry.name}>{_short(stripped)}</{entry.name}> twice",
                    f"List each value once in <{entry.where}>.",
                )
            values.add(stripped)

    def _attributes(self, node: Element, entry: Spec) -> None:
        for name, value in node.attrib.items():
            if name.startswith("{"):
                continue  # xml:lang and other namespaced attributes are extensions
            attr = entry.attr_index.get(name)
            if attr is None:
                if not entry.open_attrs:
                    self._unknown_attribute(node, entry, name)
                continue
            kind = attr.value
            if kind is None or (attr.rule is not None and attr.empty_missing and not value.strip()):
                continue  # no type, or empty: missing, for the rule that judges its absence
            verdict = kind.check(value)
            if verdict is None:
                continue
            shown = f"<{entry.name} {name}={value!r}>"
            if attr.rule is None:
                fix, group = (
                    f'Write {name}="{kind.example}" ({kind.name}).',
                    f"<{entry.name} {name}>",
                )
                self._report("attribute-value", node, verdict, shown, fix, group)
            else:  # a dedicated rule's, in its words
                self._report(attr.rule, node, verdict, shown, kind.advice(entry.name))

    def _unknown_attribute(self, node: Element, entry: Spec, name: str) -> None:
        known = sorted(entry.attr_index)
        folded = {a.lower(): a for a in known}
        guess = folded.get(name.lower())
        if guess is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            guess = close[0] if close else None
        fix = f"Did you mean {guess}? " if guess else ""
        names = ", ".join(known) if known else "no attributes"
        self.add(
            "attribute-unknown",
            node,
            f"<{entry.name}> has an attribute {name}, which it does not define",
            fix + f"<{entry.name}> has {names}; attribute names are case-sensitive.",
        )

    def _missing_attribute(self, node: Element, entry: Spec, attr: Attr) -> None:
        legacy = _LEGACY_ATTRIBUTES.get((entry.tag, attr.name))
        if legacy is not None and node.get(legacy) is not None:
            self.add(
                "attribute-missing",
                node,
                f"<{entry.name}> has {legacy}= but no {attr.name}=, which readers read",
                f'Write the URL in {attr.name}="...": <{entry.name} {attr.name}="https://..."/>.',
                level=Level.WARNING,
            )
            return
        self.add(
            "attribute-missing",
            node,
            f"<{entry.name}> has no {attr.name} attribute",
            f'Add {attr.name}="..." to <{entry.name}>; it is required.',
        )

    def _lead(self, node: Element, entry: Spec, value: str) -> None:
        """The dedicated rules' findings about the first element of its kind: its value (in
        the words of the rule that judges it) and, where the rule says so, its emptiness."""
        kind, rule = entry.judge(self.podcast)
        verdict = None if kind is None else kind.check(value)
        if verdict is not None and kind is not None and rule is not None:
            shown = f"<{entry.name}> {value.strip()!r}"
            self._report(rule, node, verdict, shown, kind.advice(entry.name))
        need = entry.need
        if need is not None and need.empty_fix is not None and (not value or value.isspace()):
            self.add(need.rule, node, f"the {entry.where} <{entry.name}> is empty", need.empty_fix)

    def _report(
        self,
        rule: str,
        node: Element,
        verdict: Verdict,
        shown: str,
        fix: str,
        group: str | None = None,
    ) -> None:
        """Report a value that is not of its type under ``rule``: the message is what
        ``shown`` quotes and why (the verdict's reason), the fix the verdict's own or ``fix``;
        ``group``: what folds repeats (the generic rules: the element and the reason)."""
        self.add(
            rule,
            node,
            f"{shown} {verdict.reason}",
            verdict.fix or fix,
            level=verdict.level,
            group=None if group is None else f"{group} {verdict.reason}",
        )

    def _missing_attributes(self, node: Element, entry: Spec) -> None:
        absent: dict[str, list[Attr]] = {}
        for attr in entry.required_attrs:
            value = node.get(attr.name)
            if attr.missing is None:
                if attr.presence_rule is None and value is None:
                    self._missing_attribute(node, entry, attr)
            elif value is None or (attr.empty_missing and not value.strip()):
                absent.setdefault(attr.presence_rule or "", []).append(attr)
        for rule, attrs in absent.items():
            names = " or ".join(attr.name for attr in attrs)
            self.add(rule, node, f"<{entry.name}> has no {names}", attrs[0].missing or "")

    def _empty(self, node: Element, entry: Spec) -> None:
        if entry.value_rule is not None or (entry.need and entry.need.empty_fix is not None):
            return  # the dedicated rule judges an empty value
        if self.podcast and entry.podcast_value_rule is not None:
            return
        if entry.value is not None:
            self.add(
                "element-value",
                node,
                f"<{entry.name}> is empty",
                f"Write {entry.value.name}, e.g. <{entry.name}>{entry.value.example}"
                f"</{entry.name}>, or remove the element.",
                group=f"<{entry.name}> is empty",
            )
            return
        self.add(
            "element-empty",
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
                "value-too-long",
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


def vocabulary_findings(feed: Feed, kids: Children) -> Findings:
    """What the walk finds in a channel's or an item's children, by rule id (a
    :data:`~podfeed.validate.base.Judge`: the rules take their shares of it)."""
    walk = _Walk(feed.profile == "podcast")
    walk.walk(kids.element, str(kids.element.tag), kids.elements)
    return walk.found


def rules_named() -> dict[str, tuple[Scope, ...]]:
    """The dedicated rules the table names, and the scopes (channel, item) their findings
    come from: the walk reports them there, so their checks are the walk's share."""
    named: dict[str, list[Scope]] = {}

    def visit(parent: str, scope: Scope, done: set[str]) -> None:
        done.add(parent)
        for entry in children_of(parent):
            for rule in entry.rules_named():
                if scope not in named.setdefault(rule, []):
                    named[rule].append(scope)
            if entry.tag != "item" and entry.tag not in done and children_of(entry.tag):
                visit(entry.tag, scope, done)

    for scope in ("channel", "item"):
        visit(scope, scope, set())
    return {rule: tuple(scopes) for rule, scopes in named.items()}
