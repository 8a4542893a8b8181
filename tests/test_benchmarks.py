"""The benchmark's synthetic site stays a valid, deterministic input (benchmarks/README.md).

The speed figures in the README are only worth something if the generated site is what a real
one looks like to podfeed: every file an episode, no problem but the expected ones, every feed
full, and the same bytes on every run.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

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


# --- the results file: targets judged from the run's own numbers -----------------------------

run = importlib.import_module("run")
results = importlib.import_module("results")


def row(
    case: str, wall: float, *, paired: float | None = None, rss: float = 100, ok: bool = True
) -> Any:
    """One row of run.py's table."""
    return run.Result(case, wall, rss, ok, paired=paired)


def judged(rows: list[tuple[int, list[Any]]], validated: Any = None) -> dict[str, tuple[str, str]]:
    return {j.target: (j.measured, j.status) for j in results.judge(rows, validated)}


# A run at N = 3,000 on a 2-core host (benchmarks/run.py --sizes 3000 --no-hugo, before this
# file existed): the baseline script crashed at its import, Hugo was not run.
MORNING = [
    row("floor", 3.42),
    row("baseline script", 0.06, ok=False),
    row("podfeed cold build", 11.47, paired=3.66, rss=394),
    row("podfeed no-change", 0.82),
    row("podfeed one changed", 1.74),
    row("podfeed check", 6.09, paired=1.96),
    row("podfeed check (cached)", 0.90),
]


def test_each_target_is_judged_from_the_numbers_of_the_run() -> None:
    got = judged([(3000, MORNING)])
    assert got["cold build within 3x the floor"] == (
        "3.35x (11.47 s, floor 3.42 s), 3.66x paired",
        "**not met**",
    )
    assert got["`check` within 2x the floor"][1] == "met"  # 1.78x, 1.96x paired
    assert got["cold build peak memory under 500 MB"] == ("394 MB", "met")
    assert got["no-change rebuild under 1 s"] == ("0.82 s", "met")
    assert got["one changed episode under 1.5 s"] == ("1.74 s", "**not met**")
    # What the run could not measure is said, never counted as met.
    assert got["cold build 3x faster than the script and Hugo"] == (
        "script not run; Hugo not run",
        "not measured",
    )
    assert got["cost linear in N"][1] == "not measured"
    assert got["`validate`, 10,000 items, under 3 s"][1] == "not measured"


@pytest.mark.parametrize(
    ("wall", "paired", "status"),
    [(2.9, 2.95, "met"), (2.9, 3.1, "**not met**"), (3.1, 2.9, "**not met**"), (3.0, 3.0, "met")],
)
def test_a_ratio_target_needs_both_ratios_within_it(
    wall: float, paired: float, status: str
) -> None:
    rows = [row("floor", 1.0), row("podfeed cold build", wall, paired=paired)]
    assert judged([(3000, rows)])["cold build within 3x the floor"][1] == status


def test_speedup_sizes_and_validate() -> None:
    small = [row("floor", 0.5), row("podfeed cold build", 2.0)]
    large = [
        row("floor", 7.15),
        row("baseline script", 47.01),
        row("hugo", 13.30),
        row("podfeed cold build", 18.71, paired=2.55),
    ]
    validated = results.Validated(
        items=10_000, size_mib=51.0, wall=2.31, rss_growth_mib=10.0, python_peak_mib=3.2
    )
    got = judged([(200, small), (3000, large)], validated)
    assert got["cold build 3x faster than the script and Hugo"] == (
        "script 47.01 s = 2.51x podfeed's time; Hugo 13.30 s = 0.71x podfeed's time",
        "**not met**",
    )
    assert got["cost linear in N"][1] == "met"  # 1.667 -> 1.039 ms/file
    assert got["`validate`, 10,000 items, under 3 s"] == ("2.31 s, Python peak 3.2 MiB", "met")
    assert judged([(200, small)])["no-change rebuild under 1 s"] == (
        "N = 3,000 not run",
        "not measured",
    )


def test_the_validate_figures_are_read_from_what_validate_large_prints() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "validate_large.py"), "--items", "30"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    validated = results.parse_validate_output(out)
    assert validated is not None and validated.items == 30 and validated.wall > 0
    assert results.parse_validate_output(out.replace("wall time", "time")) is None


def test_the_results_file_names_host_date_command_and_targets() -> None:
    text = results.render(
        command=["--sizes", "3000"],
        when=datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
        facts=results.host_facts(hugo=False),
        table=run.table([(3000, MORNING)]),
        judged=results.judge([(3000, MORNING)], None),
        validated=None,
    )
    assert "- date: 2026-12-07 07:00 UTC" in text
    assert "- command: `python benchmarks/run.py --sizes 3000`" in text
    assert re.search(r"^- host: .+ cores", text, re.M)
    assert "| cold build within 3x the floor | 3.35x" in text
    assert "| 3,000 | 18,000 | baseline script (failed) |" in text


def test_the_readme_shows_the_targets_of_the_committed_results() -> None:
    """benchmarks/README.md copies no figure by hand: its targets block is the one run.py wrote
    with the committed results.md, from the same run."""
    readme = (BENCHMARKS / "README.md").read_text(encoding="utf-8")
    committed = (BENCHMARKS / "results.md").read_text(encoding="utf-8")
    start = readme.index(results.BLOCK_START) + len(results.BLOCK_START)
    block = readme[start : readme.index(results.BLOCK_END)]
    section = committed[committed.index("## Targets") : committed.index("## Cases")]
    table = [line for line in block.splitlines() if line.startswith("|")]
    assert len(table) == 10
    assert table == [line for line in section.splitlines() if line.startswith("|")]
    date = re.search(r"^- date: (.+ UTC)$", committed, re.M)
    assert date is not None and f"): {date.group(1)}," in block
