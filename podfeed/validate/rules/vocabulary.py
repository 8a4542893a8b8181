"""Generic rules over the vocabulary table (:mod:`podfeed.validate.vocabulary`).

One walk over the channel (and one over each item, as it is parsed: :mod:`podfeed.validate.walk`)
compares every element with its table entry and sorts what it finds by rule; each rule's check
hands out its share. The table says what may appear where and what it holds; these rules only
say how to report it, naming the element (and its parent) in every message. The dedicated
rules the table names (itunes-duration, apple-image, enclosure-length...) are declared in their
own modules and get their share the same way (:func:`table_checks`).

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

from collections.abc import Mapping

from podfeed.problems import Level
from podfeed.validate.base import Check, Rule, RuleSet, share
from podfeed.validate.rules import sources
from podfeed.validate.walk import rules_named, vocabulary_findings

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


RULES.share(vocabulary_findings, "channel", "item")


def table_checks(rules: Mapping[str, Rule]) -> list[Check]:
    """The checks of the dedicated rules the table names (declared in other modules), at the
    scopes their entries are in: their shares of the same walk.

    :raises KeyError: the table names a rule that no module declares.
    """
    return [
        Check(rule, scope, share(vocabulary_findings, rule), vocabulary_findings)
        for rule_id, scopes in rules_named().items()
        for rule in (rules[rule_id],)
        for scope in scopes
    ]
