"""The publishing guard from the command line, on a show of ten episodes (README: "Publishing
guard"; config reference: ``guard``).

A rebuild that would drop more than 20% of a feed's items, or give an episode that stays a new
guid, is refused (exit 1, the feed on disk untouched); each ``guard:`` key in config.yaml and
each build flag changes that outcome as documented. The unit rules (exact fractions, matching
items, unreadable feeds) are in tests/test_diff.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest

from tests.sites import make_show_site, show_share_id
from tests.test_cli import run

FEED = Path("feeds/show/en.xml")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Ten episodes, built once: the feed on disk the guard compares with."""
    site = make_show_site(tmp_path / "site", episodes=10)
    code, out, err = run(site, "build", "--offline", "--format", "text")
    assert code == 0, out + err
    assert len(items(site)) == 10
    return site


def items(site: Path) -> list[str]:
    """The guids of the feed on disk, read back by feedparser."""
    parsed = feedparser.parse((site / FEED).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.id for entry in parsed.entries]


def drop(site: Path, count: int) -> None:
    """Remove the ``count`` oldest episodes' files."""
    for n in range(1, count + 1):
        shutil.rmtree(site / "episodes" / f"ep-{n}")


def configure(site: Path, guard: str) -> None:
    """Set the ``guard:`` section of the site's config.yaml (``key: value`` pairs split by
    ``;``), replacing any set before."""
    lines = "".join(f"  {line.strip()}\n" for line in guard.split(";") if line.strip())
    config = site / "config.yaml"
    text = config.read_text(encoding="utf-8").split("guard:\n")[0]
    config.write_text(text + "guard:\n" + lines, encoding="utf-8")


def give_host_guids(site: Path, *numbers: int) -> None:
    """The host now publishes a guid for these episodes: their item guid would change."""
    lock_path = site / "podfeed.lock"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    for n in numbers:
        lock["media"][show_share_id(n)]["guid"] = f"host-guid-{n}"
    lock_path.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def rebuild(site: Path, *flags: str) -> tuple[int, str, str, bytes]:
    before = (site / FEED).read_bytes()
    code, out, err = run(site, "build", "--offline", "--format", "text", *flags)
    return code, out, err, before


@pytest.mark.parametrize(
    ("dropped", "guard", "flags", "refused"),
    [
        (1, "", (), False),
        (2, "", (), False),  # 20% exactly: the default limit allows it
        (3, "", (), True),  # 30%
        (3, "max_drop_share: 0.3", (), False),
        (2, "max_drop_share: 0.1", (), True),
        (2, "max_drop_items: 1", (), True),  # within 20%, but more than one item
        (1, "max_drop_items: 1", (), False),
        (3, "max_drop_items: 5", (), True),  # the share still applies
        (5, "allow_shrink: true", (), False),
        (5, "allow_shrink: false", (), True),
        (5, "", ("--allow-shrink",), False),
        (2, "max_drop_share: 0.1", ("--allow-shrink",), False),
    ],
)
def test_dropping_items(
    site: Path, dropped: int, guard: str, flags: tuple[str, ...], refused: bool
) -> None:
    if guard:
        configure(site, guard)
    drop(site, dropped)
    code, out, err, before = rebuild(site, *flags)
    if refused:
        assert code == 1, out
        assert "guard-shrink" in out
        assert f"would drop {dropped} of its 10 items" in out
        assert "publishing guard refused" in err
        assert (site / FEED).read_bytes() == before
    else:
        assert code == 0, out + err
        assert "guard-" not in out
        assert len(items(site)) == 10 - dropped


@pytest.mark.parametrize(
    ("guard", "flags", "refused"),
    [
        ("", (), True),
        ("allow_guid_change: true", (), False),
        ("allow_guid_change: false", (), True),
        ("allow_shrink: true", (), True),  # a changed guid is not a drop
        ("max_drop_share: 1.0", (), True),
        ("", ("--allow-guid-change",), False),
        ("", ("--allow-shrink",), True),
    ],
)
def test_changing_a_guid(site: Path, guard: str, flags: tuple[str, ...], refused: bool) -> None:
    if guard:
        configure(site, guard)
    old = items(site)
    give_host_guids(site, 4)
    code, out, err, before = rebuild(site, *flags)
    if refused:
        assert code == 1, out
        assert "guard-guid-change" in out and "guard-shrink" not in out
        assert "host-guid-4" in out
        assert (site / FEED).read_bytes() == before
    else:
        assert code == 0, out + err
        new = items(site)
        assert "host-guid-4" in new and len(new) == 10
        assert set(old) - set(new) == {old[10 - 4]}  # items are newest first: 10, 9, ... 1


def test_a_guid_change_and_a_drop_are_each_reported(site: Path) -> None:
    drop(site, 3)
    give_host_guids(site, 9)
    code, out, _, before = rebuild(site)
    assert code == 1
    assert "guard-shrink" in out and "guard-guid-change" in out
    assert (site / FEED).read_bytes() == before
    configure(site, "allow_shrink: true")
    code, out, _, _ = rebuild(site)
    assert code == 1 and "guard-shrink" not in out and "guard-guid-change" in out
    configure(site, "allow_shrink: true; allow_guid_change: true")
    code, out, err, _ = rebuild(site)
    assert code == 0, out + err
    assert len(items(site)) == 7
