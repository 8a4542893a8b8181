"""The results file ``benchmarks/run.py`` writes: the host, the date, the table, the targets.

Every speed figure the documentation gives comes from this file (``benchmarks/results.md``):
the docs link to it instead of copying numbers, so a claim cannot outlive the measurement it
rests on. Each run rewrites it; it is committed with the change it measures.

The targets (issue 9) are judged here, from the run's own numbers, at N = 3,000 (the size they
are stated at): ``met`` or ``not met``, or ``not measured`` when the run lacks what a target
needs (another size, Hugo, a case that failed). A target stated against the floor is met only
when both the median ratio and the paired ratio are within it: on a shared VM either one alone
can fall on the lucky side.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import yaml
from lxml import etree

__all__ = [
    "TARGET_N",
    "Judged",
    "Measured",
    "Validated",
    "host_facts",
    "judge",
    "parse_validate_output",
    "render",
    "targets_block",
    "with_targets_block",
]

TARGET_N = 3000

MET, NOT_MET, NOT_MEASURED = "met", "**not met**", "not measured"


class Measured(Protocol):
    """One row of ``run.py``'s table (its ``Result``)."""

    case: str
    wall: float
    rss_mb: float | None
    ok: bool
    paired: float | None


@dataclass(frozen=True)
class Validated:
    """What ``validate_large.py`` printed: one validation of a large generated feed."""

    items: int
    size_mib: float
    wall: float
    rss_growth_mib: float  # the process's peak RSS growth while validating
    python_peak_mib: float  # the peak of Python allocations (tracemalloc, a second run)


@dataclass(frozen=True)
class Judged:
    target: str
    measured: str
    status: str


def judge(
    rows: Sequence[tuple[int, Sequence[Measured]]], validated: Validated | None
) -> list[Judged]:
    """Each target of issue 9 with what this run measured for it and whether it is met."""
    by_size = {n: {r.case: r for r in results} for n, results in rows}
    at = by_size.get(TARGET_N)
    out: list[Judged] = []
    if at is None:
        out.extend(Judged(name, f"N = {TARGET_N:,} not run", NOT_MEASURED) for name in _AT_N)
    else:
        out.extend(_at_n(at))
    out.append(_linear(by_size))
    out.append(_validate(validated))
    return out


_AT_N = (
    "cold build within 3x the floor",
    "cold build 3x faster than the script and Hugo",
    "cold build peak memory under 500 MB",
    "no-change rebuild under 1 s",
    "one changed episode under 1.5 s",
    "`check` within 2x the floor",
)


def _at_n(cases: Mapping[str, Measured]) -> list[Judged]:
    cold = _ok(cases, "podfeed cold build")
    floor = _ok(cases, "floor")
    judged = [
        _ratio(_AT_N[0], cold, floor, 3.0),
        _faster(_AT_N[1], cold, _ok(cases, "baseline script"), _ok(cases, "hugo")),
        _under(_AT_N[2], cold, None if cold is None else cold.rss_mb, 500, "MB"),
    ]
    for name, case, bound in (
        (_AT_N[3], "podfeed no-change", 1.0),
        (_AT_N[4], "podfeed one changed", 1.5),
    ):
        measured = _ok(cases, case)
        judged.append(
            _under(name, measured, None if measured is None else measured.wall, bound, "s")
        )
    judged.append(_ratio(_AT_N[5], _ok(cases, "podfeed check"), floor, 2.0))
    return judged


def _ok(cases: Mapping[str, Measured], case: str) -> Measured | None:
    result = cases.get(case)
    return result if result is not None and result.ok else None


def _ratio(name: str, case: Measured | None, floor: Measured | None, bound: float) -> Judged:
    if case is None or floor is None:
        return Judged(name, "a case failed or was not run", NOT_MEASURED)
    ratio = case.wall / floor.wall
    text = f"{ratio:.2f}x ({case.wall:.2f} s, floor {floor.wall:.2f} s)"
    ratios = [ratio]
    if case.paired is not None:
        text += f", {case.paired:.2f}x paired"
        ratios.append(case.paired)
    return Judged(name, text, MET if max(ratios) <= bound else NOT_MET)


def _faster(
    name: str, cold: Measured | None, script: Measured | None, hugo: Measured | None
) -> Judged:
    """Met when the script and Hugo each take at least three times the cold build's time."""
    if cold is None:
        return Judged(name, "the cold build failed or was not run", NOT_MEASURED)
    parts, slower = [], []
    for label, other in (("script", script), ("Hugo", hugo)):
        if other is None:
            parts.append(f"{label} not run")
            continue
        slower.append(other.wall / cold.wall)
        parts.append(f"{label} {other.wall:.2f} s = {slower[-1]:.2f}x podfeed's time")
    text = "; ".join(parts)
    if any(s < 3 for s in slower):
        return Judged(name, text, NOT_MET)
    return Judged(name, text, MET if len(slower) == 2 else NOT_MEASURED)


def _under(
    name: str, case: Measured | None, value: float | None, bound: float, unit: str
) -> Judged:
    if case is None or value is None:
        return Judged(name, "the case failed or was not run", NOT_MEASURED)
    return Judged(
        name,
        f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}",
        MET if value < bound else NOT_MET,
    )


def _linear(by_size: Mapping[int, Mapping[str, Measured]]) -> Judged:
    """Cost linear in N: the cold build's time per file at the largest N is at most 1.1 times
    that at the smallest (fixed costs make small sizes dearer per file, not cheaper)."""
    name = "cost linear in N"
    costs = {
        n: cases["podfeed cold build"].wall / (6 * n)
        for n, cases in sorted(by_size.items())
        if cases.get("podfeed cold build") is not None and cases["podfeed cold build"].ok
    }
    if len(costs) < 2:
        return Judged(name, "needs two sizes or more", NOT_MEASURED)
    text = " → ".join(f"{1000 * c:.3f}" for c in costs.values()) + " ms/file"
    text += " (N = " + ", ".join(f"{n:,}" for n in costs) + ")"
    first, last = costs[min(costs)], costs[max(costs)]
    return Judged(name, text, MET if last <= 1.1 * first else NOT_MET)


def _validate(validated: Validated | None) -> Judged:
    name = "`validate`, 10,000 items, under 3 s"
    if validated is None or validated.items != 10_000:
        return Judged(name, "validate_large.py not run at 10,000 items", NOT_MEASURED)
    text = f"{validated.wall:.2f} s, Python peak {validated.python_peak_mib:.1f} MiB"
    return Judged(name, text, MET if validated.wall < 3 else NOT_MET)


def parse_validate_output(text: str) -> Validated | None:
    """The figures ``validate_large.py`` prints, or None when they are not all there."""
    found = {
        key: re.search(pattern, text, re.M)
        for key, pattern in (
            ("items", r"^items:\s+(\d+)"),
            ("size", r"^feed size:\s+([\d.]+) MiB"),
            ("wall", r"^wall time:\s+([\d.]+) s"),
            ("growth", r"\(\+([\d.]+) MiB while validating\)"),
            ("python", r"^python peak:\s+([\d.]+) MiB"),
        )
    }
    if any(match is None for match in found.values()):
        return None
    value = {key: match.group(1) for key, match in found.items() if match is not None}
    return Validated(
        int(value["items"]),
        float(value["size"]),
        float(value["wall"]),
        float(value["growth"]),
        float(value["python"]),
    )


def host_facts(*, hugo: bool, load_before: tuple[float, ...] = ()) -> list[tuple[str, str]]:
    """What a reader needs to compare this run with another: machine, software, code, and the
    load average before and after the run (other work on a shared host shows there)."""
    cpu = _cpu_model()
    memory = _memory_gib()
    machine = f"{cpu}, {os.cpu_count()} cores" + (f", {memory:.0f} GiB" if memory else "")
    libraries = ", ".join(
        f"{name} {_version(name)}" for name in ("cmarkgfm", "nh3", "feedgen", "lxml", "PyYAML")
    )
    libyaml = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else "absent"
    libraries += f" (libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}, libyaml {libyaml})"
    facts = [
        ("host", f"{machine}; {platform.system()} {platform.release()}"),
        ("software", f"Python {platform.python_version()}; {libraries}"),
        ("podfeed", _commit()),
    ]
    if load_before and hasattr(os, "getloadavg"):
        after = os.getloadavg()
        facts.append(
            ("load average (1, 5, 15 min)", f"{_loads(load_before)} before, {_loads(after)} after")
        )
    if hugo and shutil.which("hugo"):
        out = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
        facts.append(("hugo", out.split("+")[0].split()[1] if out.split() else "?"))
    return facts


def _loads(loads: Sequence[float]) -> str:
    return " / ".join(f"{load:.2f}" for load in loads)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "podfeed"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown commit"
    if not head:
        return "unknown commit"
    return f"commit {head}" + (" with uncommitted changes to podfeed/" if dirty else "")


def render(
    *,
    command: Sequence[str],
    when: datetime,
    facts: Sequence[tuple[str, str]],
    table: str,
    judged: Sequence[Judged],
    validated: Validated | None,
) -> str:
    """The whole results file, Markdown."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` at the end of each run; not edited by hand. What each",
        "case and column means, and how to run it: [README.md](README.md).",
        "",
        f"- date: {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        f"- command: `python benchmarks/run.py {' '.join(command)}`".rstrip(),
        *(f"- {key}: {value}" for key, value in facts),
        "",
        f"## Targets (N = {TARGET_N:,})",
        "",
        *_targets_table(judged),
        "",
        "## Cases",
        "",
        table,
        "",
        "## `podfeed validate` on a large feed",
        "",
    ]
    if validated is None:
        lines.append("Not run (`--no-validate`).")
    else:
        lines.append(
            f"`validate_large.py`: {validated.items:,} items, {validated.size_mib:.1f} MiB: "
            f"{validated.wall:.2f} s; peak of Python allocations {validated.python_peak_mib:.1f} "
            f"MiB (tracemalloc, a second run); the process's peak RSS grew by "
            f"{validated.rss_growth_mib:.1f} MiB while validating (writing the feed first may "
            "already have set the peak)."
        )
    return "\n".join(lines) + "\n"


BLOCK_START = (
    "<!-- targets: written by benchmarks/run.py from the run in results.md; not edited by hand -->"
)
BLOCK_END = "<!-- /targets -->"


def _targets_table(judged: Sequence[Judged]) -> list[str]:
    return [
        "| target | measured | status |",
        "|---|---|---|",
        *(f"| {j.target} | {j.measured} | {j.status} |" for j in judged),
    ]


def targets_block(
    *, when: datetime, facts: Sequence[tuple[str, str]], judged: Sequence[Judged]
) -> str:
    """The targets as benchmarks/README.md shows them: the same table as the results file,
    under one line saying when, where and on which code it was measured."""
    known = dict(facts)
    line = (
        f"Latest run ([results.md](results.md)): {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{known.get('host', 'unknown host')}, podfeed {known.get('podfeed', 'unknown commit')}."
    )
    return "\n".join([line, "", *_targets_table(judged)])


def with_targets_block(readme: str, block: str) -> str:
    """``readme`` with the text between the targets markers replaced by ``block``.

    :raises ValueError: the markers are missing.
    """
    start, end = readme.find(BLOCK_START), readme.find(BLOCK_END)
    if start < 0 or end < start:
        raise ValueError("the targets markers are missing from benchmarks/README.md")
    return readme[: start + len(BLOCK_START)] + "\n" + block + "\n" + readme[end:]
