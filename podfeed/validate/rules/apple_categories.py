"""Apple's category list: at least one show category, spelled as Apple spells it, nested right.

Pass::

    <itunes:category text="News"><itunes:category text="Tech News"/></itunes:category>
    <itunes:category text="Technology"/>

Fail: no ``itunes:category`` at all, ``text="Tech"`` (not Apple's), ``text="Tech News"`` on its
own (a subcategory used as a category), ``Technology > Tech News`` (a subcategory under the
wrong parent), three levels of nesting, a category without ``text``.

Apple ignores a category or subcategory it does not know (an obsolete one, a misspelt one) and
reads the first valid one, so those are warnings while a valid category is left, and errors
when none is.

The list itself is :data:`podfeed.config.lists.APPLE_CATEGORIES` (shared with the config checker).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from podfeed.config.lists import APPLE_CATEGORIES, suggest_category, suggest_subcategory
from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.xmltree import ITUNES_NS, Element, children, elements

RULES = RuleSet()

CATEGORY = RULES.rule(
    "apple-category",
    Level.ERROR,
    "the show needs <itunes:category> values from Apple's list, with valid nesting",
    sources.APPLE_CATEGORIES,
)

_TAG = f"{{{ITUNES_NS}}}category"


def _suggest(fix: str | None) -> str:
    return f"Did you mean {fix!r}? " if fix else ""


@RULES.check(CATEGORY, "channel")
def check_categories(feed: Feed, kids: Children) -> Iterator[Finding]:
    tops = kids.all(_TAG)
    if not tops:
        yield Finding(
            kids.element.sourceline,
            "the channel has no <itunes:category>",
            'Add e.g. <itunes:category text="Technology"/> with a category from Apple\'s list.',
            podcast_only=True,
        )
    valid = next((name for top in tops if (name := top.get("text")) in APPLE_CATEGORIES), None)
    for top in tops:
        for finding in _check_top(top):
            if valid is None or finding.message.endswith("has no text attribute"):
                yield finding
            else:  # Apple skips what it does not know and reads the first valid category
                yield replace(
                    finding,
                    message=f"{finding.message}; Apple ignores it and reads {valid!r}",
                    level=Level.WARNING,
                )


def _check_top(top: Element) -> Iterator[Finding]:
    name = top.get("text")
    if name is None or not name.strip():
        yield Finding(top.sourceline, "<itunes:category> has no text attribute", _TEXT_FIX)
        return
    if name not in APPLE_CATEGORIES:
        guess = suggest_category(name)
        yield Finding(
            top.sourceline,
            f"<itunes:category text={name!r}> is not one of Apple's categories",
            _suggest(guess) + "Pick a category from Apple's list, spelled exactly as listed; "
            'subcategories go inside their category: <itunes:category text="News">'
            '<itunes:category text="Tech News"/></itunes:category>.',
        )
        return
    for sub in children(top, _TAG):
        yield from _check_sub(name, sub)


def _check_sub(parent: str, sub: Element) -> Iterator[Finding]:
    name = sub.get("text")
    if name is None or not name.strip():
        yield Finding(sub.sourceline, "<itunes:category> has no text attribute", _TEXT_FIX)
        return
    allowed = APPLE_CATEGORIES[parent]
    if name not in allowed:
        guess = suggest_subcategory(parent, name) or suggest_category(name)
        has = f"its subcategories are {', '.join(allowed)}" if allowed else "it has none"
        yield Finding(
            sub.sourceline,
            f"<itunes:category text={name!r}> is not a subcategory of {parent!r} ({has})",
            _suggest(guess) + "Nest a subcategory only inside the category Apple lists it under.",
        )
    deeper = [node for node in elements(sub) if node.tag == _TAG]
    if deeper:
        yield Finding(
            deeper[0].sourceline,
            f"<itunes:category> is nested three levels deep under {parent!r} > {name!r}",
            "Apple has two levels only: a category and, inside it, one subcategory.",
        )


_TEXT_FIX = 'Write the category name in the text attribute: <itunes:category text="Technology"/>.'
