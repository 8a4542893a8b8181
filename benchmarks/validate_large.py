"""Benchmark: validate a 10,000-item (~50 MB) feed and report wall time and peak memory.

Run: ``python benchmarks/validate_large.py [--items N]``. The feed is generated into a temporary
directory (written item by item, so generating it does not raise the memory high-water mark),
then validated with :func:`podfeed.validate.validate_file`, which parses it as a stream.

Two memory figures are printed: the growth of the process's peak resident set size while
validating (which also counts libxml2's C memory), and the peak of Python allocations in a second,
separately measured run under tracemalloc.
Numbers vary by machine; tests never assert on them.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from podfeed.validate import validate_file

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" \
xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom" \
xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Benchmark Show</title>
    <link>https://example.com/</link>
    <description>A long-running show.</description>
    <language>en</language>
    <atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
    <itunes:author>Bench</itunes:author>
    <itunes:owner><itunes:name>Bench</itunes:name><itunes:email>b@example.com</itunes:email>
    </itunes:owner>
    <itunes:image href="https://example.com/art.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
    <podcast:guid>d84ced82-1926-54c0-88c2-bb01dd35d7e3</podcast:guid>
"""
ITEM = """    <item>
      <title>Episode {n}</title>
      <link>https://example.com/episodes/{n}</link>
      <guid isPermaLink="false">bench-{n}</guid>
      <pubDate>{date}</pubDate>
      <description>Episode {n} in one sentence.</description>
      <content:encoded><![CDATA[{notes}]]></content:encoded>
      <enclosure url="https://cdn.example.com/{n}.mp3" length="{length}" type="audio/mpeg"/>
      <itunes:duration>{duration}</itunes:duration>
      <itunes:episode>{n}</itunes:episode>
      <podcast:transcript url="https://example.com/{n}.vtt" type="text/vtt"/>
      <podcast:person role="guest">Guest {n}</podcast:person>
    </item>
"""
TAIL = "  </channel>\n</rss>\n"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
NOTES = "<p>" + "Show notes with links, names and the usual chatter. " * 90 + "</p>"


def write_feed(path: Path, items: int) -> None:
    start = datetime(2024, 3, 7, 8, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(items, 0, -1):
            date = format_datetime(start - timedelta(days=items - n))
            length = 20_000_000 + n
            out.write(ITEM.format(n=n, date=date, notes=NOTES, length=length, duration=1800 + n))
        out.write(TAIL)


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.xml"
        write_feed(path, args.items)
        size = path.stat().st_size / (1024 * 1024)
        rss_before = peak_rss_mib()
        began = time.perf_counter()
        problems = validate_file(path, now=NOW)
        elapsed = time.perf_counter() - began
        rss_after = peak_rss_mib()
        # A second run under tracemalloc, which slows Python down: memory only, not time.
        tracemalloc.start()
        validate_file(path, now=NOW)
        _, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"items:              {args.items}")
    print(f"feed size:          {size:.1f} MiB")
    print(f"problems:           {len(problems)}")
    print(f"wall time:          {elapsed:.2f} s")
    print(f"python peak:        {python_peak / (1024 * 1024):.1f} MiB (tracemalloc)")
    growth = rss_after - rss_before
    print(f"process peak RSS:   {rss_after:.1f} MiB (+{growth:.1f} MiB while validating)")


if __name__ == "__main__":
    main()
