"""What a cache of ``.podfeed-cache/`` kept between CI runs gives (docs/performance.md).

A CI run starts from a fresh checkout: every file is new to the file system (new mtimes), the
feeds are the committed ones, and ``.podfeed-cache/`` is either absent (cold) or restored from an
earlier run (what ``actions/cache`` or GitLab's ``cache:`` do). Each case runs the CI check
``podfeed build --offline --check`` on a synthetic site (``generate.py``, N episodes x 6
languages) in a fresh copy of it, at the same path every time (as CI checks out to the same
folder), and must exit 0:

- ``cold``: N + 1 episodes, no cache;
- ``restored, nothing new``: N episodes, the cache of the previous run over the same files;
- ``restored, one new episode``: N + 1 episodes (6 new files; the committed feeds have it),
  the cache of a run over the N episodes before.

Example::

    python benchmarks/ci_cache.py --episodes 1000 --runs 3 --work /tmp/podfeed-ci
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

PODFEED = [sys.executable, "-m", "podfeed", "-q"]
CHECK = ["build", "--offline", "--check", "--format", "text"]
CACHE = ".podfeed-cache"


def podfeed(site: Path, *args: str) -> float:
    """Run podfeed in ``site``; the wall time in seconds. A non-zero exit is an error."""
    start = time.perf_counter()
    subprocess.run([*PODFEED, *args], cwd=site, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def committed(work: Path, episodes: int) -> Path:
    """A site as committed: episodes, config, lock and the feeds a build wrote (no cache)."""
    site = work / f"committed-{episodes}"
    generate.generate(site, episodes)
    podfeed(site, "build", "--offline", "--format", "text")
    shutil.rmtree(site / CACHE, ignore_errors=True)
    return site


def checkout(source: Path, target: Path, cache: Path | None) -> None:
    """A fresh checkout of ``source`` at ``target`` (new mtimes), then the cache restored."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=shutil.copy)
    if cache is not None:
        shutil.copytree(cache, target / CACHE)


def saved_cache(work: Path, source: Path, checkout_dir: Path) -> Path:
    """The cache a CI run over ``source`` leaves (what the run's cache step saves)."""
    checkout(source, checkout_dir, None)
    podfeed(checkout_dir, *CHECK)
    saved = work / f"cache-of-{source.name}"
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(checkout_dir / CACHE, saved)
    return saved


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", "-n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/podfeed-ci"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    before = committed(args.work, args.episodes)
    after = committed(args.work, args.episodes + 1)
    site = args.work / "checkout"
    cache = saved_cache(args.work, before, site)
    cases = {
        "cold": (after, None),
        "restored, nothing new": (before, cache),
        "restored, one new episode": (after, cache),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved, so the host's drift touches every case alike
        for name, (source, restored) in cases.items():
            checkout(source, site, restored)
            times[name].append(podfeed(site, *CHECK))
    files = 6 * (args.episodes + 1)
    print(f"N = {args.episodes} (+1), {files} files; cache {size_mb(cache):.1f} MB")
    print("| case | median s | runs s |")
    print("|---|---:|---|")
    for name, runs in times.items():
        shown = " / ".join(f"{t:.2f}" for t in runs)
        print(f"| {name} | {statistics.median(runs):.2f} | {shown} |")


if __name__ == "__main__":
    main()
