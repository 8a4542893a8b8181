"""Sites built for tests: the real corpus with a config and a complete lock beside it."""

from __future__ import annotations

import json
import re
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
        for n, share_id in enumerate(sorted(ids))
    }
    lock = {"version": 1, "feeds": {}, "media": media, "youtube": {}}
    (site / "podfeed.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    return site
