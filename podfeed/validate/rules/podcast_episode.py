"""Podcasting 2.0 tags on episodes (and ``podcast:person`` on shows too).

Pass::

    <podcast:transcript url="https://example.com/1.vtt" type="text/vtt"/>
    <podcast:chapters url="https://example.com/1.json" type="application/json+chapters"/>
    <podcast:person role="guest">Jane Doe</podcast:person>
    <podcast:season>2</podcast:season><podcast:episode>3.5</podcast:episode>
    <podcast:alternateEnclosure type="audio/opus"><podcast:source uri="https://..."/>
    </podcast:alternateEnclosure>

Fail: a transcript without type (podcast-transcript), ``type="text/srt"``
(podcast-transcript-type), chapters without url (podcast-chapters), ``type="text/plain"``
chapters (podcast-chapters-type), ``role="hostess"`` (podcast-person), ``<podcast:episode>
three</podcast:episode>`` (podcast-episode), ``<podcast:season>2.5</podcast:season>``
(podcast-season), an alternateEnclosure without ``podcast:source`` (podcast-alternate-enclosure).

podcast-transcript, podcast-chapters (a missing url or type), podcast-episode and
podcast-season are reported by the walk over the vocabulary table, which names them for
their elements and attributes.
"""

from __future__ import annotations

from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.xmltree import PODCAST_NS, children
from podfeed.validate.xmltree import text as text_of

RULES = RuleSet()

TRANSCRIPT = RULES.rule(
    "podcast-transcript",
    Level.ERROR,
    "<podcast:transcript> must have url and type",
    sources.podcast_tag("transcript"),
)
TRANSCRIPT_TYPE = RULES.rule(
    "podcast-transcript-type",
    Level.WARNING,
    "<podcast:transcript type> should be a transcript format apps read",
    sources.podcast_tag("transcript"),
)
CHAPTERS = RULES.rule(
    "podcast-chapters",
    Level.ERROR,
    "<podcast:chapters> must have url and type",
    sources.podcast_tag("chapters"),
)
CHAPTERS_TYPE = RULES.rule(
    "podcast-chapters-type",
    Level.WARNING,
    '<podcast:chapters type> should be "application/json+chapters"',
    sources.podcast_tag("chapters"),
)
PERSON = RULES.rule(
    "podcast-person",
    Level.WARNING,
    "<podcast:person> needs a name; role and group come from the Podcast Taxonomy",
    sources.podcast_tag("person"),
)
EPISODE = RULES.rule(
    "podcast-episode",
    Level.ERROR,
    "<podcast:episode> must be a number (decimals allowed)",
    sources.podcast_tag("episode"),
)
SEASON = RULES.rule(
    "podcast-season",
    Level.ERROR,
    "<podcast:season> must be a whole number",
    sources.podcast_tag("season"),
)
ALTERNATE = RULES.rule(
    "podcast-alternate-enclosure",
    Level.ERROR,
    "<podcast:alternateEnclosure> must have a type and at least one <podcast:source uri>",
    sources.podcast_tag("alternate-enclosure"),
)

_P = f"{{{PODCAST_NS}}}"
TRANSCRIPT_TYPES = frozenset(
    {
        "text/plain",
        "text/html",
        "text/vtt",
        "application/json",
        "application/x-subrip",
        "application/srt",
    }
)
# Roles and groups of the Podcast Taxonomy Project (taxonomy.json in the namespace repository),
# compared case-insensitively as the person tag's document says. "translater" is how the
# taxonomy itself spells the translator role; both spellings are accepted.
PERSON_GROUPS = frozenset(
    {
        "creative direction",
        "cast",
        "writing",
        "audio production",
        "audio post-production",
        "administration",
        "visuals",
        "community",
        "misc.",
        "video production",
        "video post-production",
    }
)
PERSON_ROLES = frozenset(
    {
        # creative direction
        "director",
        "assistant director",
        "executive producer",
        "senior producer",
        "producer",
        "associate producer",
        "development producer",
        "creative director",
        # cast
        "host",
        "co-host",
        "guest host",
        "guest",
        "voice actor",
        "narrator",
        "announcer",
        "reporter",
        # writing
        "author",
        "editorial director",
        "co-writer",
        "writer",
        "songwriter",
        "guest writer",
        "story editor",
        "managing editor",
        "script editor",
        "script coordinator",
        "researcher",
        "editor",
        "fact checker",
        "translator",
        "translater",
        "transcriber",
        "logger",
        # audio production and post-production
        "studio coordinator",
        "technical director",
        "technical manager",
        "audio engineer",
        "remote recording engineer",
        "post production engineer",
        "audio editor",
        "sound designer",
        "foley artist",
        "composer",
        "theme music",
        "music production",
        "music contributor",
        # administration, visuals, community, misc., video
        "production coordinator",
        "booking coordinator",
        "production assistant",
        "content manager",
        "marketing manager",
        "sales representative",
        "sales manager",
        "graphic designer",
        "cover art designer",
        "social media manager",
        "consultant",
        "intern",
        "camera operator",
        "lighting designer",
        "camera grip",
        "assistant camera",
        "assistant editor",
    }
)


@RULES.check(TRANSCRIPT_TYPE, "item")
def check_transcript_type(feed: Feed, kids: Children) -> Iterator[Finding]:
    for transcript in kids.all(f"{_P}transcript"):
        value = (transcript.get("type") or "").strip()
        if value and value.split(";", 1)[0].strip().lower() not in TRANSCRIPT_TYPES:
            yield Finding(
                transcript.sourceline,
                f"<podcast:transcript type={value!r}> is not a transcript type apps read",
                f"Use one of {', '.join(sorted(TRANSCRIPT_TYPES))} (text/vtt gives Apple "
                "named speakers).",
            )


@RULES.check(CHAPTERS_TYPE, "item")
def check_chapters_type(feed: Feed, kids: Children) -> Iterator[Finding]:
    for chapters in kids.all(f"{_P}chapters"):
        value = (chapters.get("type") or "").strip()
        if value and value.lower() != "application/json+chapters":
            yield Finding(
                chapters.sourceline,
                f"<podcast:chapters type={value!r}> is not application/json+chapters",
                'Publish JSON chapters and write type="application/json+chapters".',
            )


@RULES.check(PERSON, "channel", "item")
def check_person(feed: Feed, kids: Children) -> Iterator[Finding]:
    for person in kids.all(f"{_P}person"):
        if not (text_of(person) or "").strip():
            yield Finding(
                person.sourceline,
                "<podcast:person> has no name",
                "Write the person's name as the element's text.",
            )
        for attribute, allowed in (("role", PERSON_ROLES), ("group", PERSON_GROUPS)):
            value = person.get(attribute)
            if value is not None and " ".join(value.split()).lower() not in allowed:
                yield Finding(
                    person.sourceline,
                    f"<podcast:person {attribute}={value!r}> is not in the Podcast Taxonomy",
                    f"Use a {attribute} from {sources.PODCAST_TAXONOMY} (e.g. "
                    f"{'host, guest' if attribute == 'role' else 'cast, writing'}), or leave "
                    "it out.",
                )


@RULES.check(ALTERNATE, "item")
def check_alternate(feed: Feed, kids: Children) -> Iterator[Finding]:
    for alternate in kids.all(f"{_P}alternateEnclosure"):
        if not (alternate.get("type") or "").strip():
            yield Finding(
                alternate.sourceline,
                "<podcast:alternateEnclosure> has no type",
                'Set type to the MIME type of the media, e.g. type="audio/opus".',
            )
        sources_found = [
            s for s in children(alternate, f"{_P}source") if (s.get("uri") or "").strip()
        ]
        if not sources_found:
            yield Finding(
                alternate.sourceline,
                "<podcast:alternateEnclosure> has no <podcast:source uri=...>",
                'Add at least one <podcast:source uri="https://..."/> inside it.',
            )
