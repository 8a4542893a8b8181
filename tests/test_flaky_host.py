"""A host under load loses no enclosure: retries with jitter, each redirect hop retried alone.

The loopback server answers every 4th request with 503 and every 7th with 429 (Retry-After: 1),
counted across every client and path, and serves each episode's audio behind one redirect. A
cold build (no lock, no cache) resolves ten episodes from their share pages there, twenty times
in a row; every build must publish all ten enclosures. Waits are shortened a hundredfold so that
the loop stays quick; their order and overlap, what the jitter is for, stay as they would be.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import feedparser

from podfeed.build import BuildOptions, build
from podfeed.config import load_config
from tests.server import Server, install_audio, share_page

EPISODES = 10
BUILDS = 20

EPISODE = """\
---
title: "Episode {n}"
number: {n}
permalink: episode-{n}
lang: en
date: 2024-03-{day:02d}T08:00:00Z
summary: "What episode {n} is about."
---
{{% include transistor.html id="{share_id}" title="#{n}" %}}

Show notes of episode {n}.
"""

CONFIG = """\
shows:
  - id: show
    title: A Show
    description: A show on a busy host.
    owner: {{name: Ann Example, email: ann@example.org}}
    image: https://example.org/art.png
    categories: [Technology]
    site_url: https://example.org/
    feed_url: https://example.org/feed.xml
    episodes: episodes/*/episode.md
    languages: [en]
    transistor:
      share_url: {share_url}
http:
  timeout: 5
"""


def share_id(n: int) -> str:
    return f"ab{n:06x}"


def make_site(site: Path, server: Server) -> None:
    (site / "config.yaml").write_text(CONFIG.format(share_url=server.base_url))
    for n in range(1, EPISODES + 1):
        folder = site / "episodes" / f"ep-{n}"
        folder.mkdir(parents=True)
        text = EPISODE.format(n=n, day=n, share_id=share_id(n))
        (folder / "episode.md").write_text(text)
        audio = install_audio(server, f"/media/{share_id(n)}/audio.mp3", 1_000_000 + n)
        server.route(f"/s/{share_id(n)}", share_page(audio, share_id=share_id(n)))


def cold(site: Path) -> None:
    """Forget everything an earlier build learnt: the lock, the cache, the feeds."""
    (site / "podfeed.lock").unlink(missing_ok=True)
    shutil.rmtree(site / ".podfeed-cache", ignore_errors=True)
    shutil.rmtree(site / "feeds", ignore_errors=True)


def test_twenty_cold_builds_on_a_flaky_host_lose_no_enclosure(
    tmp_path: Path, transistor_server: Server
) -> None:
    make_site(tmp_path, transistor_server)
    transistor_server.flaky(every_503=4, every_429=7, retry_after="1")
    config = load_config(tmp_path / "config.yaml")
    published = []
    for _ in range(BUILDS):
        cold(tmp_path)
        result = build(config, BuildOptions(), sleep=lambda seconds: time.sleep(seconds / 100))
        feed = feedparser.parse((tmp_path / "feeds" / "show" / "en.xml").read_bytes())
        published.append(len([e for e in feed.entries if e.enclosures]))
        assert not [p for p in result.problems if p.code == "audio-missing"], result.problems
    assert published == [EPISODES] * BUILDS
    # The faults were met: about a third of all requests failed, and every one was retried.
    faults = transistor_server.faulted
    assert faults[503] >= transistor_server.total // 4 - 1 and faults[429] > BUILDS
