"""Sites built for tests: the real corpus, or a show of numbered episodes, each with a config and
a complete lock beside it, so that ``build --offline`` publishes every episode."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

CORPUS_CONFIG = """\
site_dir: {site}
output: feeds/{{show}}/{{lang}}.xml
shows:
  - id: edt
    title: Embracing Digital Transformation
    description: Digital transformation, people, process and technology.
    owner: {{name: Darren W Pulsipher, email: podcast@embracingdigital.org}}
    image: https://www.embracingdigital.org/full-logo.png
    categories: [Technology]
    site_url: https://www.embracingdigital.org/
    feed_url: "https://www.embracingdigital.org/feeds/{{show}}/{{lang}}.xml"
    episodes: [episodes/edt-*/*/episode.md, episodes/edt-*/episode.md]
    languages: [en, de, es, fr, it, pt]
    language_tags: {{pt: pt-BR}}
    timezone: America/Los_Angeles
  - id: edw
    title: Embracing Digital This Week
    description: The weekly news brief.
    owner: {{name: Darren W Pulsipher, email: podcast@embracingdigital.org}}
    image: https://www.embracingdigital.org/full-logo.png
    categories: [News > Tech News]
    site_url: https://www.embracingdigital.org/
    feed_url: "https://www.embracingdigital.org/feeds/{{show}}/{{lang}}.xml"
    episodes: [briefs/edw-*/*/episode.md]
    languages: [en, de, es, fr, it, pt]
    # No brief in these languages carries a Transistor include: their feeds have no items.
    allow_empty: [de, fr, it, pt]
    timezone: America/Los_Angeles
"""


def make_corpus_site(corpus: Path, site: Path) -> Path:
    """Write ``site/config.yaml`` over ``corpus/edt`` and a lock that knows every share id.

    Every lock entry has a ``checked`` time and a distinct length and duration, so an
    ``--offline`` build publishes every episode that has a Transistor include.
    """
    site.mkdir(parents=True, exist_ok=True)
    (site / "config.yaml").write_text(CORPUS_CONFIG.format(site=json.dumps(str(corpus / "edt"))))
    ids: set[str] = set()
    for path in (corpus / "edt").rglob("episode.md"):
        ids.update(re.findall(r'transistor\.html id="([0-9a-f]{8})"', path.read_text("utf-8")))
    write_lock(site, ids)
    return site


def write_lock(site: Path, share_ids: Iterable[str]) -> None:
    """``site/podfeed.lock`` with one resolved entry per share id (sorted: a deterministic file)."""
    media = {
        share_id: {
            "url": f"https://media.transistor.fm/{share_id}/0123abcd.mp3",
            "length": 20_000_000 + n,
            "type": "audio/mpeg",
            "duration": 1500 + n,
            "guid": None,
            "transcripts": [],
            "source": "feed",
            "checked": "2026-11-20T00:00:00Z",
        }
        for n, share_id in enumerate(sorted(share_ids))
    }
    lock = {"version": 1, "feeds": {}, "media": media, "youtube": {}}
    (site / "podfeed.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")


SHOW_CONFIG = """\
output: feeds/{show}/{lang}.xml
shows:
  - id: show
    title: Numbered
    description: A show whose episodes are numbered 1 to N.
    owner: {name: Ann Host, email: podcast@example.org}
    image: https://www.example.org/logo.png
    categories: [Technology]
    site_url: https://www.example.org/
    feed_url: "https://www.example.org/feeds/{show}/{lang}.xml"
    episodes: [episodes/ep-*/episode.md]
    languages: [en]
    timezone: UTC
"""

SHOW_EPISODE = """\
---
title: "Episode {n}"
number: {n}
permalink: episode-{n}
lang: en
date: 2024-01-{n:02d}T08:00:00Z
summary: "What episode {n} is about."
---
{{% include transistor.html id="{share}" title="#{n} Episode {n}" %}}
---
## Notes

Episode {n}, in a few words.
"""


def show_share_id(number: int) -> str:
    """The Transistor share id of episode ``number`` of :func:`make_show_site`'s show."""
    return f"{number:08x}"


def make_show_site(site: Path, episodes: int = 10) -> Path:
    """One show in English with ``episodes`` episodes, numbered 1 to ``episodes`` (at most 28,
    one a day from 2024-01-01), at ``episodes/ep-<n>/episode.md``, and a complete lock."""
    if not 1 <= episodes <= 28:
        raise ValueError(f"1 to 28 episodes, not {episodes}")
    site.mkdir(parents=True, exist_ok=True)
    (site / "config.yaml").write_text(SHOW_CONFIG, encoding="utf-8")
    for n in range(1, episodes + 1):
        path = site / "episodes" / f"ep-{n}" / "episode.md"
        path.parent.mkdir(parents=True)
        path.write_text(SHOW_EPISODE.format(n=n, share=show_share_id(n)), encoding="utf-8")
    write_lock(site, (show_share_id(n) for n in range(1, episodes + 1)))
    return site
