"""HTML in show notes: what readers strip or refuse, and links that only work on the website.

``<description>``, ``<content:encoded>`` and ``<itunes:summary>`` may hold HTML; apps and
readers render it in their own page, so they remove scripts and plug-ins (or refuse the
text), and resolve a relative link against nothing.

Pass: ``<description><![CDATA[<p>Notes with <a href="https://example.com/">a link</a></p>]]>
</description>``

Fail: ``<script>``, ``<embed>``, ``<object>``, ``<meta>``, an ``onclick=`` attribute or a
``javascript:`` link (html-unsafe), ``<img src="/images/cover.jpg">`` (html-relative-url).
"""

from __future__ import annotations

import re
from collections import defaultdict

from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.xmltree import CONTENT_NS, ITUNES_NS, qualified_tag

RULES = RuleSet()

UNSAFE = RULES.rule(
    "html-unsafe",
    Level.WARNING,
    "show notes should not hold scripts, plug-ins (embed, object), meta tags or event "
    "handlers: readers strip them or refuse the text",
    sources.RSS_HTML_UNSAFE,
)
RELATIVE = RULES.rule(
    "html-relative-url",
    Level.WARNING,
    "links and images in show notes should be absolute URLs: apps show the notes outside "
    "the website",
    sources.RSS_HTML_UNSAFE,
)

_FIELDS = ("description", f"{{{CONTENT_NS}}}encoded", f"{{{ITUNES_NS}}}summary")
# Every alternative starts at a "<", so the search skips plain text quickly (show notes are
# long: 5 KB an item in the 10,000-item benchmark).
_UNSAFE = re.compile(
    r"<(?:\s*(?:script|embed|object|applet|meta)\b|\?import\b|[a-z][^<>]*?\s"
    r"(?:on[a-z]+\s*=|(?:href|src)\s*=\s*[\"']?\s*(?:javascript|vbscript):))",
    re.IGNORECASE,
)
# href/src values that are neither absolute (scheme:, //host) nor a fragment (#anchor).
_RELATIVE = re.compile(
    r"""<[^>]*?\s(?:href|src)\s*=\s*["']?\s*(?![a-z][a-z0-9+.-]*:|//|#|["'\s>])([^"'\s>]+)""",
    re.IGNORECASE,
)


def judge_notes(feed: Feed, kids: Children) -> dict[str, list[Finding]]:
    """The HTML of the channel's or an item's show notes, each field read once for both rules
    (html-unsafe, html-relative-url), by rule id."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for tag in _FIELDS:
        node, value = kids.first(tag), kids.text(tag) or ""
        if node is None or "<" not in value:
            continue
        name = qualified_tag(tag)
        match = _UNSAFE.search(value)
        if match is not None:
            shown = " ".join(match.group(0).split())
            found[UNSAFE.id].append(
                Finding(
                    node.sourceline,
                    f"<{name}> contains {shown!r}, which readers strip or refuse",
                    "Remove scripts, embedded players, meta tags and on...= handlers from the "
                    "show notes; link to the page that has them instead.",
                    group=f"<{name}> contains {shown.split()[0]!r}",
                )
            )
        match = _RELATIVE.search(value)
        if match is not None:
            found[RELATIVE.id].append(
                Finding(
                    node.sourceline,
                    f"<{name}> links to the relative URL {match.group(1)[:80]!r}",
                    "Write full URLs (https://example.com/...) in show notes: apps have no base "
                    "URL to resolve a relative one against.",
                    group=f"<{name}> has relative links",
                )
            )
    return found


RULES.share(judge_notes, "channel", "item")
