"""The script a podcaster would write instead of podfeed: the comparison case of the benchmark.

python-frontmatter for the files, markdown-it-py for the notes, feedgen with its podcast extension
for the feed; the enclosures come from the same ``podfeed.lock``. Written competently (one
Markdown parser, the C YAML loader, feeds written once), but without podfeed's checks, caching or
processes: read, render, write.

Needs ``pip install python-frontmatter`` (not a podfeed dependency).

Example::

    python benchmarks/baseline.py /tmp/site-1000
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from feedgen.feed import FeedGenerator
from markdown_it import MarkdownIt

LANGS = ("en", "de", "es", "fr", "it", "pt")
SITE = "https://www.example.org/"
_INCLUDE = re.compile(r'\{%\s*include\s+(\w+)\.html\s+id="([^"]*)"[^%]*%\}')
_MD = MarkdownIt("commonmark", {"html": True})
_HANDLER = frontmatter.YAMLHandler()


def _date(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value)
    if text[:3].isalpha():  # "Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard Time)"
        return datetime.strptime(text[4:33], "%b %d %Y %H:%M:%S GMT%z")
    if "T" in text:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text[:10]).replace(tzinfo=UTC)


def main(root: Path) -> None:
    media = json.loads((root / "podfeed.lock").read_text(encoding="utf-8"))["media"]
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(root.glob("episodes/edt-*/*/episode.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"), handler=_HANDLER, Loader=loader)
        includes = dict(_INCLUDE.findall(post.content))
        by_lang[str(post["lang"])].append(
            {
                "title": str(post["title"]),
                "link": SITE + str(post["permalink"]),
                "date": _date(post["date"]),
                "summary": str(post.get("summary") or ""),
                "html": _MD.render(_INCLUDE.sub("", post.content)),
                "number": int(post["number"]),
                "audio": media.get(includes.get("transistor", "")),
            }
        )
    for lang in LANGS:
        fg = FeedGenerator()
        fg.load_extension("podcast")
        fg.title("Embracing Digital Transformation")
        fg.description("A synthetic show, for benchmarks.")
        fg.link(href=f"{SITE}feeds/edt/{lang}.xml", rel="self")
        fg.link(href=SITE, rel="alternate")
        fg.language(lang)
        fg.podcast.itunes_author("Darren W Pulsipher")
        fg.podcast.itunes_category("Technology")
        fg.podcast.itunes_image("https://www.example.org/full-logo.png")
        episodes = sorted(by_lang[lang], key=lambda e: e["date"], reverse=True)
        for episode in episodes:
            audio = episode["audio"]
            if audio is None:
                continue
            fe = fg.add_entry(order="append")
            fe.title(episode["title"])
            fe.link(href=episode["link"])
            fe.guid(episode["link"], permalink=True)
            fe.pubDate(episode["date"])
            fe.description(episode["summary"] or episode["title"])
            fe.content(episode["html"])
            fe.enclosure(audio["url"], str(audio["length"]), audio["type"])
            fe.podcast.itunes_duration(str(audio["duration"]))
            fe.podcast.itunes_episode(episode["number"])
        out = root / "baseline-feeds" / f"{lang}.xml"
        out.parent.mkdir(parents=True, exist_ok=True)
        fg.rss_file(str(out), pretty=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
