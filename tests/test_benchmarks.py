"""The benchmark's synthetic site stays a valid, deterministic input (benchmarks/README.md).

The speed figures in the README are only worth something if the generated site is what a real
one looks like to podfeed: every file an episode, no problem but the expected ones, every feed
full, and the same bytes on every run.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from datetime import UTC, datetime
from pathlib import Path

from podfeed.build import BuildOptions, build
from podfeed.config import load_config
from podfeed.problems import Level

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
generate = importlib.import_module("generate")

NOW_SECONDS = 1_795_000_000  # after every generated date


def _digest(root: Path) -> str:
    digest = hashlib.blake2b()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_same_size_gives_the_same_bytes(tmp_path: Path) -> None:
    generate.generate(tmp_path / "a", 4)
    generate.generate(tmp_path / "b", 4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_the_generated_site_builds_offline_into_full_feeds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    generate.generate(site, 6)
    config = load_config(site / "config.yaml")
    result = build(
        config,
        BuildOptions(offline=True, cache=False),
        now=datetime.fromtimestamp(NOW_SECONDS, UTC),
    )
    assert [p for p in result.problems if p.level >= Level.WARNING] == []
    assert [(f.lang, f.items) for f in result.feeds] == [
        (lang, 6) for lang in ("en", "de", "es", "fr", "it", "pt")
    ]
    assert sum(result.episodes.values()) == 36
