"""Comparing the feed on disk with the new one: the diff behind ``build --check`` and the guard."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podfeed.config.model import Owner, Show
from podfeed.feed import FeedItem, episode_guid, render_feed
from podfeed.problems import BuildError, Level, Problem
from podfeed.publish.diff import FeedDiff, GuidChange, ItemChange, describe, diff_feeds
from podfeed.publish.guard import GuardPolicy, guard
from podfeed.site import strip_xml_invalid
from tests.test_feed import make_episode, make_media

PATH = "public/feeds/edt/en.xml"
DEFAULT = GuardPolicy()

# --- fixtures written as XML ------------------------------------------------------------------

NAMESPACES = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
)
CHANNEL = "<title>Show</title><link>https://example.org/</link><description>About.</description>"


def rss(*items: str, channel: str = CHANNEL) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NAMESPACES}>'
        f"<channel>{channel}{''.join(items)}</channel></rss>"
    ).encode()


def item(
    n: int,
    *,
    guid: str | None = "default",
    title: str | None = None,
    url: str | None = None,
    link: str | None = None,
    length: int = 1000,
    pub_date: str = "Mon, 01 Jan 2024 00:00:00 +0000",
    extra: str = "",
) -> str:
    guid_tag = "" if guid is None else f"<guid>{f'guid-{n}' if guid == 'default' else guid}</guid>"
    return (
        f"<item><title>{title or f'Episode {n}'}</title>"
        f"<link>{link or f'https://example.org/{n}'}</link>{guid_tag}"
        f"<pubDate>{pub_date}</pubDate>"
        f'<enclosure url="{url or f"https://media.example/{n}.mp3"}" length="{length}"'
        ' type="audio/mpeg"/>'
        f"{extra}</item>"
    )


def feed_of(numbers: range | list[int]) -> bytes:
    return rss(*(item(n) for n in numbers))


def codes(problems: list[Problem]) -> list[tuple[Level, str, str | None]]:
    return [(p.level, p.code, p.file) for p in problems]


# --- fixtures rendered by podfeed itself ------------------------------------------------------

HOST_GUID = "0b2d3a4e-6f70-4c8a-9d1e-2f3a4b5c6d7e"


def make_show() -> Show:
    return Show(
        id="edt",
        title={"en": "Embracing Digital Transformation"},
        description={"en": "Signal in the noise."},
        author="Darren W Pulsipher",
        owner=Owner(name="Darren W Pulsipher", email="podcast@example.org"),
        image="https://www.example.org/full-logo.png",
        site_url="https://www.example.org/",
        feed_url="https://www.example.org/feeds/{show}/{lang}.xml",
        episodes=("episodes/edt-*/*/episode.md",),
        languages=("en",),
        default_language="en",
        timezone="UTC",
        root=Path("/site"),
    )


def make_item(number: int, **media_changes: Any) -> FeedItem:
    date = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=number)
    episode = make_episode(number, date, description="")
    return FeedItem(episode, make_media(number, **media_changes))


def render(*items: FeedItem, show: Show | None = None) -> bytes:
    return render_feed(show or make_show(), "en", items)


# --- identical feeds --------------------------------------------------------------------------


def test_a_feed_compared_with_itself_is_identical() -> None:
    feed = render(make_item(1), make_item(2, guid=HOST_GUID))

    diff = diff_feeds(feed, feed)

    assert diff.identical
    assert diff == FeedDiff((), (), (), (), ())
    assert describe(diff) == []
    assert guard(feed, feed, policy=DEFAULT, path=PATH) == []


def test_formatting_alone_is_not_a_change() -> None:
    old = rss(
        item(1, extra="<description>Notes &amp; more</description>"),
        channel=CHANNEL,
    )
    new = rss(
        item(
            1,
            pub_date="Sun, 31 Dec 2023 16:00:00 -0800",  # the same instant, another zone
            extra="<description>\n  <![CDATA[Notes & more]]>\n</description>",
        ).replace('length="1000" type="audio/mpeg"', 'type="audio/mpeg"  length="1000"'),
        channel=CHANNEL.replace("<title>Show</title>", "<title>\n Show \n</title>"),
    )

    assert diff_feeds(old, new).identical


# --- no feed on disk yet ----------------------------------------------------------------------


def test_without_an_old_feed_every_item_is_added_in_feed_order() -> None:
    new = render(make_item(1), make_item(3), make_item(2))

    diff = diff_feeds(None, new)

    assert [(c.key, c.title) for c in diff.added] == [
        (episode_guid(make_item(n).episode), f"Episode {n}") for n in (3, 2, 1)
    ]
    assert (diff.removed, diff.changed, diff.guid_changes) == ((), (), ())
    assert "title" in diff.channel_fields
    assert not diff.identical


def test_a_new_feed_without_items_still_differs_from_no_feed() -> None:
    # `build --check` must fail when the file is missing, even for a show with no episodes yet.
    diff = diff_feeds(None, render())

    assert diff.added == ()
    assert not diff.identical


def test_the_guard_lets_a_first_feed_through() -> None:
    assert guard(None, render(make_item(1)), policy=DEFAULT, path=PATH) == []


# --- unreadable or hostile old feeds ----------------------------------------------------------


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{"".join(entities)}]>\n'
        f'<rss version="2.0"><channel><title>&lol9;</title>{item(1)}</channel></rss>'
    ).encode()


def external_entity(tmp_path: Path) -> bytes:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        f'<rss version="2.0"><channel><title>&x;</title>{item(1, title="&x;")}</channel></rss>'
    ).encode()


def utf16_entity_feed() -> bytes:
    # A byte search for "<!ENTITY" cannot see UTF-16; the parsed DTD still gives it away.
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE rss [<!ENTITY e "expanded">]>\n'
        f'<rss version="2.0"><channel><title>&e;</title>{item(1)}</channel></rss>'
    )
    return text.encode("utf-16")


UNREADABLE = {
    "not xml": b"\x00\xffthis is not a feed",
    "empty": b"",
    "cut short": feed_of(range(3))[:-40],
    "html": b"<html><body><p>moved</p></body></html>",
    "rss without channel": b'<rss version="2.0"></rss>',
    "billion laughs": billion_laughs(),
    "utf-16 entities": utf16_entity_feed(),
}


@pytest.mark.parametrize("old", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_old_feed_warns_and_does_not_block(old: bytes) -> None:
    new = feed_of([1])

    problems = guard(old, new, policy=DEFAULT, path=PATH)

    assert codes(problems) == [(Level.WARNING, "guard-unreadable-old", PATH)]
    assert diff_feeds(old, new) == diff_feeds(None, new)


def test_an_old_feed_with_an_external_entity_is_never_resolved(tmp_path: Path) -> None:
    old = external_entity(tmp_path)

    problems = guard(old, feed_of([1]), policy=DEFAULT, path=PATH)
    lines = describe(diff_feeds(old, feed_of([1])))

    assert codes(problems) == [(Level.WARNING, "guard-unreadable-old", PATH)]
    assert "entities" in problems[0].message
    assert not any("TOP-SECRET" in text for text in [problems[0].message, *lines])


def test_the_billion_laughs_warning_says_why() -> None:
    (problem,) = guard(billion_laughs(), feed_of([1]), policy=DEFAULT, path=PATH)

    assert "declares XML entities" in problem.message
    assert problem.hint


@pytest.mark.parametrize("new", [b"garbage", billion_laughs()], ids=["garbage", "entities"])
def test_a_new_feed_that_cannot_be_read_fails_the_build(new: bytes) -> None:
    with pytest.raises(BuildError, match="new feed"):
        diff_feeds(feed_of([1]), new)
    with pytest.raises(BuildError, match="new feed"):
        guard(feed_of([1]), new, policy=DEFAULT, path=PATH)


# --- channel ----------------------------------------------------------------------------------


def test_a_channel_only_change_names_the_channel_field() -> None:
    old = feed_of(range(3))
    new = rss(*(item(n) for n in range(3)), channel=CHANNEL.replace("About.", "About us."))

    diff = diff_feeds(old, new)

    assert diff.channel_fields == ("description",)
    assert (diff.added, diff.removed, diff.changed, diff.guid_changes) == ((), (), (), ())
    assert describe(diff) == ["~ channel: description"]
    assert guard(old, new, policy=DEFAULT, path=PATH) == []


def test_channel_fields_follow_the_new_feed_then_the_old() -> None:
    old = rss(channel=CHANNEL + "<copyright>(c) old</copyright>")
    new = rss(channel="<language>en</language>" + CHANNEL.replace("Show", "New show"))

    assert diff_feeds(old, new).channel_fields == ("language", "title", "copyright")


def test_a_changed_show_in_a_rendered_feed_is_a_channel_change() -> None:
    show = make_show()
    renamed = replace(show, title={"en": "Digital Transformation"})

    diff = diff_feeds(render(make_item(1), show=show), render(make_item(1), show=renamed))

    # RSS repeats the show title inside <image>, so both change.
    assert diff.channel_fields == ("title", "image")
    assert diff.changed == ()


# --- changed items ----------------------------------------------------------------------------


def test_a_changed_enclosure_length_is_a_changed_enclosure() -> None:
    old = render(make_item(1), make_item(2, guid=HOST_GUID))
    new = render(make_item(1), make_item(2, guid=HOST_GUID, length=123))

    diff = diff_feeds(old, new)

    assert diff.changed == (ItemChange(HOST_GUID, "Episode 2", ("enclosure",)),)
    assert (diff.added, diff.removed, diff.guid_changes, diff.channel_fields) == ((), (), (), ())
    assert describe(diff) == ["~ changed: Episode 2 (enclosure)"]


def test_changed_fields_come_in_a_stable_order_with_other_elements_last() -> None:
    old = rss(item(1, extra="<description>A</description><category>ai</category>"))
    new = rss(
        item(
            1,
            title="Renamed",
            length=2,
            pub_date="Tue, 02 Jan 2024 00:00:00 +0000",
            extra=(
                "<category>cloud</category><description>B</description>"
                "<itunes:duration>60</itunes:duration>"
            ),
        )
    )

    (change,) = diff_feeds(old, new).changed

    assert change == ItemChange(
        "guid-1",
        "Renamed",
        ("title", "pubDate", "enclosure", "itunes:duration", "description", "category"),
    )


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [
        ("link", "<link>https://a/</link>", "<link>https://b/</link>"),
        (
            "content:encoded",
            "<content:encoded>x</content:encoded>",
            "<content:encoded>y</content:encoded>",
        ),
        (
            "itunes:episode",
            "<itunes:episode>1</itunes:episode>",
            "<itunes:episode>2</itunes:episode>",
        ),
        (
            "itunes:image",
            '<itunes:image href="https://a/1.jpg"/>',
            '<itunes:image href="https://a/2.jpg"/>',
        ),
        ("itunes:duration", "", "<itunes:duration>60</itunes:duration>"),
        (
            "enclosure",
            '<enclosure url="u" type="audio/mpeg"/>',
            '<enclosure url="u" type="audio/mp4"/>',
        ),
    ],
)
def test_each_listener_visible_field_is_compared(field: str, before: str, after: str) -> None:
    def feed(extra: str) -> bytes:
        return rss(f"<item><guid>g</guid><title>T</title>{extra}</item>")

    diff = diff_feeds(feed(before), feed(after))

    assert diff.changed == (ItemChange("g", "T", (field,)),)


def test_prefixes_do_not_matter_only_namespaces() -> None:
    old = rss(item(1, extra="<itunes:duration>60</itunes:duration>"))
    new = rss(item(1, extra="<i:duration>60</i:duration>")).replace(b"xmlns:itunes=", b"xmlns:i=")

    assert diff_feeds(old, new).identical


# --- added, removed, keys ---------------------------------------------------------------------


def test_added_follow_the_new_feed_and_removed_the_old() -> None:
    old = feed_of([5, 4, 3, 2, 1])
    new = feed_of([9, 5, 8, 3, 1])

    diff = diff_feeds(old, new)

    assert [c.key for c in diff.added] == ["guid-9", "guid-8"]
    assert [c.key for c in diff.removed] == ["guid-4", "guid-2"]
    assert describe(diff) == [
        "- removed: Episode 4",
        "- removed: Episode 2",
        "+ added: Episode 9",
        "+ added: Episode 8",
    ]


def test_items_without_guid_are_keyed_by_enclosure_url_then_title() -> None:
    old = rss(
        item(1, guid=None), item(2, guid=None).replace(' url="https://media.example/2.mp3"', "")
    )
    new = rss(item(1, guid=None, title="Renamed"), item(2, guid=None, url="https://m.example/2"))

    diff = diff_feeds(old, new)

    assert diff.changed == (
        ItemChange("https://media.example/1.mp3", "Renamed", ("title",)),
        ItemChange("https://m.example/2", "Episode 2", ("enclosure",)),
    )
    # Item 2 went from "keyed by title" to "keyed by URL": same episode, new identity (link match).
    assert diff.guid_changes == (
        GuidChange("Episode 2", "Episode 2", "https://m.example/2", "link"),
    )


def test_repeated_guids_pair_up_in_order() -> None:
    old = rss(item(1, guid="same"), item(2, guid="same"))
    new = rss(item(1, guid="same"), item(2, guid="same", length=5))

    diff = diff_feeds(old, new)

    assert diff.changed == (ItemChange("same", "Episode 2", ("enclosure",)),)
    assert diff.added == diff.removed == ()


# --- guid changes -----------------------------------------------------------------------------


def test_a_new_guid_for_the_same_audio_is_a_guid_change_not_add_and_remove() -> None:
    ours = episode_guid(make_item(2).episode)
    old = render(make_item(1), make_item(2, guid=HOST_GUID))
    new = render(make_item(1), make_item(2))  # the host's guid was lost: our own one is used

    diff = diff_feeds(old, new)

    assert diff.guid_changes == (GuidChange("Episode 2", HOST_GUID, ours, "enclosure"),)
    assert (diff.added, diff.removed, diff.changed) == ((), (), ())
    assert describe(diff) == [f"! guid changed: Episode 2 {HOST_GUID} → {ours}"]


def test_a_guid_change_is_matched_by_link_when_the_audio_moved_too() -> None:
    old = rss(item(1, guid="old"))
    new = rss(item(1, guid="new", url="https://cdn.example/1.mp3"))

    diff = diff_feeds(old, new)

    assert diff.guid_changes == (GuidChange("Episode 1", "old", "new", "link"),)
    assert diff.changed == (ItemChange("new", "Episode 1", ("enclosure",)),)
    assert describe(diff) == [
        "! guid changed: Episode 1 old → new",
        "~ changed: Episode 1 (enclosure)",
    ]


def test_a_guid_change_is_matched_by_title_last() -> None:
    old = rss(item(1, guid="old"))
    new = rss(item(1, guid="new", url="https://cdn.example/1.mp3", link="https://new.example/1"))

    (change,) = diff_feeds(old, new).guid_changes

    assert change.match == "title"


def test_a_different_episode_is_not_a_guid_change() -> None:
    old = rss(item(1))
    new = rss(item(2))

    diff = diff_feeds(old, new)

    assert diff.guid_changes == ()
    assert [c.key for c in diff.added] == ["guid-2"]
    assert [c.key for c in diff.removed] == ["guid-1"]


def test_the_guard_refuses_a_guid_change() -> None:
    old = render(make_item(1), make_item(2, guid=HOST_GUID))
    new = render(make_item(1), make_item(2))

    (problem,) = guard(old, new, policy=DEFAULT, path=PATH)

    assert (problem.level, problem.code, problem.file) == (Level.ERROR, "guard-guid-change", PATH)
    assert "Episode 2" in problem.message
    assert HOST_GUID in problem.message
    assert episode_guid(make_item(2).episode) in problem.message
    assert problem.hint and "--allow-guid-change" in problem.hint
    assert "guard.allow_guid_change" in problem.hint


def test_an_allowed_guid_change_passes_the_guard() -> None:
    old = render(make_item(1), make_item(2, guid=HOST_GUID))
    new = render(make_item(1), make_item(2))

    assert guard(old, new, policy=GuardPolicy(allow_guid_change=True), path=PATH) == []


def test_guid_changes_are_not_counted_as_dropped_items() -> None:
    old = feed_of(range(5))
    new = rss(*(item(n, guid=f"moved-{n}") for n in range(5)))

    problems = guard(old, new, policy=GuardPolicy(allow_guid_change=True), path=PATH)

    assert problems == []


# --- shrinking --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old_count", "kept", "refused"),
    [
        (10, 8, False),  # exactly 20% dropped: allowed
        (10, 7, True),  # 30%
        (5, 4, False),  # exactly 20%
        (5, 3, True),  # 40%
        (15, 12, False),  # 3/15 is exactly 20% (0.2 is not exact in binary)
        (3, 3, False),
        (3, 0, True),  # an empty feed must never replace a live one
    ],
)
def test_the_guard_refuses_dropping_more_than_a_fifth(
    old_count: int, kept: int, refused: bool
) -> None:
    old = feed_of(range(old_count))
    new = feed_of(range(kept))

    problems = guard(old, new, policy=DEFAULT, path=PATH)

    assert codes(problems) == ([(Level.ERROR, "guard-shrink", PATH)] if refused else [])


@pytest.mark.parametrize(("kept", "refused"), [(7, False), (6, True)])
def test_a_decimal_share_limit_is_exact_at_its_boundary(kept: int, refused: bool) -> None:
    # 3 of 10 is exactly 0.3, which a float comparison would call "more than 0.3".
    problems = guard(
        feed_of(range(10)), feed_of(range(kept)), policy=GuardPolicy(max_drop_share=0.3), path=PATH
    )

    assert bool(problems) is refused


@pytest.mark.parametrize(("dropped", "refused"), [(1, False), (2, True)])
def test_the_guard_refuses_dropping_more_than_max_drop_items(dropped: int, refused: bool) -> None:
    policy = GuardPolicy(max_drop_items=1)

    problems = guard(feed_of(range(100)), feed_of(range(100 - dropped)), policy=policy, path=PATH)

    assert [p.code for p in problems] == (["guard-shrink"] if refused else [])


def test_max_drop_items_zero_refuses_any_drop() -> None:
    policy = GuardPolicy(max_drop_items=0, max_drop_share=1.0)

    assert guard(feed_of(range(9)), feed_of(range(9)), policy=policy, path=PATH) == []
    assert [p.code for p in guard(feed_of(range(9)), feed_of(range(8)), policy=policy, path=PATH)]


def test_an_old_feed_without_items_never_blocks() -> None:
    assert guard(rss(), rss(), policy=GuardPolicy(max_drop_items=0), path=PATH) == []
    assert guard(rss(), feed_of([1]), policy=GuardPolicy(max_drop_items=0), path=PATH) == []


def test_allow_shrink_lets_a_big_drop_through() -> None:
    policy = GuardPolicy(allow_shrink=True, max_drop_items=0)

    assert guard(feed_of(range(10)), rss(), policy=policy, path=PATH) == []


def test_the_shrink_refusal_names_the_numbers_the_items_and_the_fix() -> None:
    (problem,) = guard(feed_of(range(10)), feed_of(range(3)), policy=DEFAULT, path=PATH)

    assert problem.file == PATH
    assert "7 of its 10 items (70%)" in problem.message
    assert "more than 20%" in problem.message
    assert '"Episode 3"; "Episode 4"' in problem.message
    assert "and 2 more" in problem.message  # seven dropped, five named
    assert problem.hint and "--allow-shrink" in problem.hint
    assert "guard.max_drop_share" in problem.hint


def test_both_refusals_are_reported_together() -> None:
    old = feed_of(range(5))
    new = rss(item(0, guid="renamed"))

    problems = guard(old, new, policy=DEFAULT, path=PATH)

    assert [p.code for p in problems] == ["guard-shrink", "guard-guid-change"]


@pytest.mark.parametrize(
    "changes",
    [{"max_drop_items": -1}, {"max_drop_share": -0.1}, {"max_drop_share": float("nan")}],
)
def test_a_nonsensical_policy_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be 0 or more"):
        GuardPolicy(**changes)


# --- describe ---------------------------------------------------------------------------------


def test_describe_lists_every_kind_of_change() -> None:
    diff = FeedDiff(
        added=(ItemChange("g3", "New one"),),
        removed=(ItemChange("g0", "Gone"),),
        changed=(ItemChange("g1", "Edited", ("enclosure", "pubDate")),),
        guid_changes=(GuidChange("Moved", "a", "b", "enclosure"),),
        channel_fields=("description", "title"),
    )

    assert describe(diff) == [
        "~ channel: description, title",
        "! guid changed: Moved a → b",
        "- removed: Gone",
        "+ added: New one",
        "~ changed: Edited (enclosure, pubDate)",
    ]


def test_describe_falls_back_to_the_key_when_an_item_has_no_title() -> None:
    diff = FeedDiff((ItemChange("https://m/1.mp3", ""), ItemChange("", "")), (), (), (), ())

    assert describe(diff) == ["+ added: https://m/1.mp3", "+ added: (untitled)"]


def test_describe_stops_at_the_limit_and_counts_the_rest() -> None:
    diff = diff_feeds(None, feed_of(range(30)))

    lines = describe(diff, limit=20)

    assert len(lines) == 21
    assert lines[-1] == "… and 11 more changes"  # 30 items + the channel line, 20 shown
    assert describe(diff, limit=31) == describe(diff, limit=100)
    assert describe(diff, limit=0) == ["… and 31 more changes"]
    with pytest.raises(ValueError, match="limit"):
        describe(diff, limit=-1)


# --- properties -------------------------------------------------------------------------------

titles = st.text(max_size=40).filter(lambda text: strip_xml_invalid(text).strip() != "")
episodes = st.dictionaries(
    keys=st.integers(min_value=1, max_value=999),
    values=st.tuples(titles, st.integers(min_value=0, max_value=10**10)),
    max_size=6,
)


def rendered(chosen: dict[int, tuple[str, int]]) -> bytes:
    items = []
    for number, (title, length) in chosen.items():
        base = make_item(number, length=length)
        items.append(replace(base, episode=replace(base.episode, title=title)))
    return render(*items)


@settings(deadline=None, max_examples=60)
@given(episodes)
def test_any_rendered_feed_is_identical_to_itself(chosen: dict[int, tuple[str, int]]) -> None:
    feed = rendered(chosen)

    diff = diff_feeds(feed, feed)

    assert diff.identical
    assert describe(diff) == []
    assert guard(feed, feed, policy=GuardPolicy(max_drop_items=0), path=PATH) == []


@settings(deadline=None, max_examples=60)
@given(episodes.filter(bool), st.data())
def test_dropping_one_episode_is_exactly_one_removal(
    chosen: dict[int, tuple[str, int]], data: st.DataObject
) -> None:
    gone = data.draw(st.sampled_from(sorted(chosen)))
    rest = {number: value for number, value in chosen.items() if number != gone}

    diff = diff_feeds(rendered(chosen), rendered(rest))

    assert [c.key for c in diff.removed] == [episode_guid(make_item(gone).episode)]
    assert (diff.added, diff.changed, diff.guid_changes) == ((), (), ())
