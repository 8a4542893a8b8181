"""Parse a feed once, streaming, and run every selected rule on it.

Why streaming: a long-running show's feed can hold 10,000 items (~50 MB). ``lxml.etree.iterparse``
hands over each ``<item>`` as soon as it is complete; the item rules run on it, a small
:class:`~podfeed.validate.base.ItemInfo` is kept for the cross-item rules (duplicates, serial
numbering) and the element is freed. Memory then grows with the number of items only by a few
short strings each, not with the size of show notes.

Why these parser options: a feed is untrusted input. ``resolve_entities=False`` keeps entity
declarations from expanding (billion laughs) or reading files (external entities),
``load_dtd=False`` and ``no_network=True`` keep the parser offline, and ``huge_tree=False`` keeps
libxml2's limits on single text nodes. Declaring entities is itself reported as a problem.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from podfeed.problems import InputError, Problem, sort_problems
from podfeed.validate.base import (
    PROFILES,
    Check,
    Children,
    Feed,
    Finding,
    ItemInfo,
    Judge,
    Profile,
    Rule,
)
from podfeed.validate.rules import CHECKS, RULES, WELL_FORMED
from podfeed.validate.xmltree import NAMESPACE_ALIASES, iterparse_safely

__all__ = ["screen_items", "validate_bytes", "validate_document", "validate_file"]

# The XML declaration and the DOCTYPE's start are read from this much of the document's start.
_HEAD_BYTES = 65536

_XML_DECLARATION = re.compile(
    rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)"
)


def validate_file(
    path: Path,
    *,
    rules: Collection[str] | None = None,
    now: datetime | None = None,
    profile: Profile = "podcast",
) -> list[Problem]:
    """Validate the feed in ``path``; problems name ``path`` as their file.

    The file is parsed as a stream, never read into memory whole, so a 50 MB feed costs little
    more memory than a small one.

    :raises InputError: the file cannot be read (missing, a directory, no permission).
    """
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
            stream.seek(0)
            return _validate(stream, head, source=str(path), rules=rules, now=now, profile=profile)[
                0
            ]
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f"cannot read feed {path}: {reason}") from exc


def validate_bytes(
    data: bytes,
    *,
    source: str,
    rules: Collection[str] | None = None,
    now: datetime | None = None,
    profile: Profile = "podcast",
) -> list[Problem]:
    """Validate one feed document and return its problems sorted by line.

    ``rules`` limits the run to those rule ids (unparseable XML is reported whatever the
    selection, since nothing else can be checked). ``now`` is the moment "in the future" is
    measured from; it defaults to the current time. ``profile`` is ``podcast`` (everything,
    Apple's and Podcasting 2.0's requirements included) or ``rss`` (RSS 2.0 and the
    namespaces' own definitions only; see :data:`podfeed.validate.base.Profile`).

    :raises ValueError: ``rules`` names an id that is not in :data:`RULES`, or ``profile``
        is not a profile.
    """
    return validate_document(data, source=source, rules=rules, now=now, profile=profile)[0]


def validate_document(
    data: bytes,
    *,
    source: str,
    rules: Collection[str] | None = None,
    now: datetime | None = None,
    items: Iterable[ItemInfo] | None = None,
    profile: Profile = "podcast",
) -> tuple[list[Problem], list[ItemInfo]]:
    """:func:`validate_bytes`, and what the cross-item rules saw of each item, in order.

    ``items`` are stand-ins for items checked before and cut out of ``data`` (the channel
    then holds none): the cross-item rules (duplicate guids, serial numbering, ...) see them
    as the channel's items. A build that renders a few items of a large feed again checks the
    rest of the document this way without parsing 3,000 unchanged items.
    """
    stream = io.BytesIO(data)
    return _validate(
        stream,
        data[:_HEAD_BYTES],
        source=source,
        rules=rules,
        now=now,
        items=items,
        profile=profile,
    )


def _validate(
    stream: BinaryIO,
    head: bytes,
    *,
    source: str,
    rules: Collection[str] | None,
    now: datetime | None,
    items: Iterable[ItemInfo] | None = None,
    profile: Profile = "podcast",
) -> tuple[list[Problem], list[ItemInfo]]:
    """Validate the document in ``stream``; ``head`` is its start (XML declaration, DOCTYPE)."""
    checks = _select(rules, profile)
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    feed = Feed(
        source=source,
        now=moment,
        profile=profile,
        declared_encoding=_declared_encoding(head),
    )
    feed.doctype_line = _line_of(head, b"<!DOCTYPE")
    feed.items.extend(items or ())
    problems: list[Problem] = []
    item_checks = _ItemChecks(check for check in checks if check.scope == "item")
    parser = _parser(stream)
    try:
        _stream(parser, feed, item_checks, problems)
    except etree.XMLSyntaxError as exc:
        problems.append(_syntax_problem(exc, parser.error_log, source))
        if feed.root is None:  # the error came before the root: the DTD was never read
            feed.entity_declarations = _declared_entities(head)
    else:
        problems += _after_parse(feed, checks)
    for check in checks:
        if check.scope == "prologue":
            problems += _problems(check, feed, check.run(feed))
    return sort_problems(problems), feed.items


def screen_items(
    document: etree._ElementTree, *, source: str, rules: Collection[str], now: datetime
) -> list[tuple[ItemInfo, bool]] | None:
    """Run the item-scope checks of ``rules`` on the items of a feed parsed in one piece, and
    say for each item (in order) what the cross-item rules see of it and whether any check
    found something in it; None when the document is not one root holding one ``<channel>``.

    Why: a build checks every feed it renders, and streaming the parse through Python's event
    loop (:func:`validate_document`) was a third of that check; libxml2 parses the whole
    document at once in C. Such a tree's line numbers are not the ones ``validate`` reports
    past line 65,535 (see docs/validate-rules.md), so this only screens: an item found clean
    has no item-scope problem, and an item with a finding must be checked again from its
    bytes to say where. Only for a document whose namespaces are all declared on its root
    (what podfeed renders), as the checks see them in the order ``nsmap`` gives. The items
    are removed from the tree as they are checked, as when streaming.
    """
    root = document.getroot()
    channels = list(root.iterchildren("channel"))
    if len(channels) != 1:
        return None
    channel = channels[0]
    checks = _ItemChecks(check for check in _select(rules) if check.scope == "item")
    feed = Feed(source=source, now=now if now.tzinfo else now.replace(tzinfo=UTC))
    feed.root, feed.channel, feed.channel_count = root, channel, 1
    feed.namespaces.extend((prefix, uri, None) for prefix, uri in root.nsmap.items())
    screened: list[tuple[ItemInfo, bool]] = []
    for node in list(channel.iterchildren("item")):
        kids = Children(node)
        info = ItemInfo.of(kids)
        found = False
        for _rule, _finding in checks.findings(feed, kids):  # all of them, as when streaming
            found = True
        feed.items.append(info)
        screened.append((info, found))
        _free(node)
    return screened


def _after_parse(feed: Feed, checks: list[Check]) -> list[Problem]:
    problems: list[Problem] = []
    # The channel's items are gone by now: index what is left once for every channel check.
    kids = None if feed.channel is None else Children(feed.channel)
    for check in checks:
        if check.scope == "document":
            problems += _problems(check, feed, check.run(feed))
        elif check.scope == "channel" and kids is not None:
            problems += _problems(check, feed, check.run(feed, kids))
    return problems


def _select(rules: Collection[str] | None, profile: Profile = "podcast") -> list[Check]:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: choose {' or '.join(PROFILES)}")
    if rules is not None:
        unknown = sorted(set(rules) - set(RULES))
        if unknown:
            raise ValueError(f"unknown rule id(s): {', '.join(unknown)}")
    return [
        check
        for check in CHECKS
        if profile in check.rule.profiles and (rules is None or check.rule.id in rules)
    ]


def _parser(stream: BinaryIO) -> etree.iterparse:
    return iterparse_safely(stream, ("start-ns", "start", "end"))


def _stream(
    parser: etree.iterparse, feed: Feed, item_checks: _ItemChecks, problems: list[Problem]
) -> None:
    """Run through the parse events, checking and freeing each item as soon as it ends.

    This loop sees every start and end of every element (hundreds of thousands in a large
    feed), so the common case (an end that is not an item) is tested inline, not in a call.
    """
    pending_ns: list[tuple[str, str]] = []
    namespaces = feed.namespaces
    # Clark prefixes of alias namespaces declared so far -> the canonical ones (see
    # NAMESPACE_ALIASES); empty in nearly every feed, which then pays nothing for it.
    renames: dict[str, str] = {}
    for event, node in parser:
        if event == "end":
            if node.tag == "item" and feed.channel is not None and node.getparent() is feed.channel:
                _end_item(feed, node, item_checks, problems)
        elif event == "start":
            if pending_ns:
                for prefix, uri in pending_ns:
                    namespaces.append((prefix or None, uri, node.sourceline))
                    if uri in NAMESPACE_ALIASES:
                        renames[f"{{{uri}}}"] = f"{{{NAMESPACE_ALIASES[uri]}}}"
                pending_ns.clear()
            if renames:
                _rename(node, renames)
            if feed.root is None or node.tag == "channel":
                _on_start(feed, node)
        else:  # start-ns
            pending_ns.append(node)


def _rename(node: etree._Element, renames: dict[str, str]) -> None:
    """Give an element of an alias namespace its canonical tag, so every rule reads it."""
    tag = node.tag
    if isinstance(tag, str) and tag.startswith("{"):
        uri, _, local = tag.partition("}")
        canonical = renames.get(uri + "}")
        if canonical is not None:
            node.tag = canonical + local


def _end_item(
    feed: Feed, node: etree._Element, item_checks: _ItemChecks, problems: list[Problem]
) -> None:
    kids = Children(node)
    info = ItemInfo.of(kids)
    if feed.first_item_line is None:
        feed.first_item_line = info.line
    _check_item(feed, kids, info, item_checks, problems)
    feed.items.append(info)
    _free(node)


def _free(node: etree._Element) -> None:
    """Drop a checked item from the tree, so memory does not grow with the feed's size."""
    node.clear(keep_tail=False)
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


def _on_start(feed: Feed, node: etree._Element) -> None:
    if feed.root is None:
        feed.root = node
        _read_doctype(feed, node)
    elif node.tag == "channel" and node.getparent() is feed.root:
        feed.channel_count += 1
        if feed.channel is None:
            feed.channel = node


def _read_doctype(feed: Feed, root: etree._Element) -> None:
    info = root.getroottree().docinfo
    if info.doctype:
        feed.doctype = info.doctype
    dtd = info.internalDTD
    if dtd is not None:
        feed.entity_declarations = [str(entity.name) for entity in dtd.iterentities()]


class _ItemChecks:
    """The item checks of a run. Checks that take their shares of one pass over the item's
    children (the vocabulary walk, the dates...) are grouped behind it: for each item the pass
    runs once and hands each rule its findings, with no call per rule (this runs for every
    item of a 10,000-item feed)."""

    def __init__(self, checks: Iterable[Check]) -> None:
        self.alone: list[Check] = []
        shared: dict[Judge, list[Rule]] = {}
        for check in checks:
            if check.judge is None:
                self.alone.append(check)
            else:
                shared.setdefault(check.judge, []).append(check.rule)
        self.shared = list(shared.items())

    def findings(self, feed: Feed, kids: Children) -> Iterator[tuple[Rule, Finding]]:
        for check in self.alone:
            for finding in check.run(feed, kids):
                yield check.rule, finding
        for judge, rules in self.shared:
            found = kids.judged(judge, feed)
            for rule in rules:
                for finding in found.get(rule.id, ()):
                    yield rule, finding


def _check_item(
    feed: Feed, kids: Children, info: ItemInfo, checks: _ItemChecks, problems: list[Problem]
) -> None:
    # The label (the item's title and guid, as item_label gives it) is built only when needed.
    prefix: str | None = None
    podcast = feed.profile == "podcast"
    for rule, finding in checks.findings(feed, kids):
        if finding.podcast_only and not podcast:
            continue
        if prefix is None:
            prefix = f"{info.label}: "
        problems.append(finding.problem(rule, feed.source, prefix))


def _problems(check: Check, feed: Feed, findings: Iterable[Finding]) -> list[Problem]:
    podcast = feed.profile == "podcast"
    return [
        finding.problem(check.rule, feed.source)
        for finding in findings
        if podcast or not finding.podcast_only
    ]


def _syntax_problem(exc: etree.XMLSyntaxError, log: etree._ListErrorLog, source: str) -> Problem:
    """The parser's first real error.

    libxml2 sometimes puts a generic message ("no element found", line 0) on the exception while
    the parser's own log holds the cause; ``exc.error_log`` is not used because it can carry
    entries from earlier parses in the same thread.
    """
    message, line = str(exc.msg), exc.lineno
    for entry in log:
        message, line = entry.message, entry.line
        break
    if not line:
        line = None
    fix = "Fix the XML so that any XML parser can read the feed."
    if "Namespace prefix" in message:
        fix = (
            "Declare the prefix on <rss>, e.g. "
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" or '
            'xmlns:podcast="https://podcastindex.org/namespace/1.0".'
        )
    elif "Entity" in message and "not defined" in message:
        fix = (
            "XML knows only &amp; &lt; &gt; &quot; &apos;: write the character itself "
            "(UTF-8) or a numeric reference such as &#160;, or wrap HTML in CDATA."
        )
    elif "encoding" in message.lower() or "not proper UTF-8" in message:
        fix = "Save the feed as UTF-8 (or declare the encoding it really uses)."
    elif _is_empty(message):
        fix = "The file is empty or not XML; make sure the URL or path points at the feed itself."
    message = f"the feed is not well-formed XML: {message.strip()}"
    return Finding(line, message, fix, root=True).problem(WELL_FORMED, source)


def _is_empty(message: str) -> bool:
    return "no element found" in message or "Document is empty" in message


def _line_of(data: bytes, needle: bytes) -> int | None:
    """1-based line of the first ``needle`` in the prologue (before the root element)."""
    index = data.find(needle, 0, _prologue_end(data))
    return None if index < 0 else data.count(b"\n", 0, index) + 1


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s\"'<>%]+)")


def _declared_entities(head: bytes) -> list[str]:
    """The names the DOCTYPE in ``head`` declares entities for, read from the text.

    For a document whose parse failed before its root element: libxml2 2.14 refuses an entity
    that amplifies too much (billion laughs) while it reads the DTD, so the parser never hands
    over the declarations. Declaring them is still the problem to report, whichever libxml2
    the machine has.
    """
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        return []
    return [
        name.decode("utf-8", "replace")
        for name in _ENTITY_DECLARATION.findall(head, start, _prologue_end(head))
    ]


def _prologue_end(data: bytes) -> int:
    at = data.find(b"<rss")
    return len(data) if at < 0 else at


def _declared_encoding(data: bytes) -> str | None:
    match = _XML_DECLARATION.match(data[:200])
    return match.group(1).decode("ascii") if match else None
