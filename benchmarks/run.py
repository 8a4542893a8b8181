"""Benchmark podfeed against the floor, a hand-written script and Hugo (issue 9).

For each N it generates a site (``benchmarks/generate.py``), then runs every case as its own
subprocess and reports wall time, the child's peak RSS (``ru_maxrss`` of RUSAGE_CHILDREN, read
around each run), milliseconds per episode file and the ratio to the floor (for the cold build
and ``check``, also the median ratio to a floor run made just before each of their runs, which
the drift of a shared VM moves much less):

- ``floor``: read every file and parse its front matter with PyYAML's C loader, one process;
- ``baseline``: ``benchmarks/baseline.py`` (python-frontmatter + markdown-it-py + feedgen);
- ``hugo``: Hugo with an RSS template over the same content (skipped when ``hugo`` is absent);
- ``cold``: ``podfeed build --offline`` with no ``.podfeed-cache`` and no feeds;
- ``no-change``: the same build again (everything cached, nothing written);
- ``one-changed``: one episode file edited, then built;
- ``check``: ``podfeed check --no-cache`` (reads every file), then ``podfeed check`` with the
  cache the builds left.

Then ``validate_large.py`` validates a 10,000-item feed. The table, the host, the date and the
targets judged from these numbers are written to ``benchmarks/results.md`` (``results.py``),
the one place the documentation takes speed figures from.

Example::

    python benchmarks/run.py --sizes 200 1000 3000 --work /tmp/podfeed-bench
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
import results

PYTHON = sys.executable
RESULTS = Path(__file__).resolve().parent / "results.md"  # committed; the docs link to it
PODFEED = [PYTHON, "-m", "podfeed", "-q"]

FLOOR = """
import sys, yaml
from pathlib import Path
loader = yaml.CSafeLoader
for path in sorted(Path(sys.argv[1]).glob("episodes/edt-*/*/episode.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---", 3)
    yaml.load(text[4:end], Loader=loader)
"""


@dataclass
class Result:
    case: str
    wall: float  # the median of the runs
    rss_mb: float | None  # the highest of the runs
    ok: bool
    walls: tuple[float, ...] = ()  # every run, in order
    cpu: float | None = None  # user + system seconds of the case's processes (median of runs)
    # The median over runs of (this run's wall / a floor run made just before it): the speed
    # of this VM drifts within minutes, and a ratio to a floor measured earlier drifts with it.
    paired: float | None = None

    @classmethod
    def of(cls, runs: list[Result], floors: list[float] | None = None) -> Result:
        """One row for several runs of a case: the median wall time, the highest peak RSS;
        with ``floors`` (a floor run just before each run), the median paired ratio."""
        rss = [r.rss_mb for r in runs if r.rss_mb is not None]
        cpu = [r.cpu for r in runs if r.cpu is not None]
        walls = tuple(r.wall for r in runs)
        paired = None
        if floors:
            paired = statistics.median(r.wall / f for r, f in zip(runs, floors, strict=True))
        return cls(
            runs[0].case,
            statistics.median(walls),
            max(rss) if rss else None,
            all(r.ok for r in runs),
            walls,
            statistics.median(cpu) if cpu else None,
            paired,
        )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_case(
    case: str, argv: list[str], cwd: Path, env: dict[str, str], ok_codes: tuple[int, ...] = (0,)
) -> Result:
    """Run one case in a fresh process; its peak RSS is read from /usr/bin/time-like rusage.

    ``RUSAGE_CHILDREN`` keeps the maximum over all waited-for children, so each case runs in
    its own intermediate Python that reports its own child's figure. A run whose exit code is
    not in ``ok_codes`` is marked failed (a script that crashes at its first import would
    otherwise be the fastest case).
    """
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - t\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(f'{rc} {wall} {usage.ru_maxrss / 1024} {cpu}')\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe, *argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    try:
        rc, wall, rss, cpu = out.stdout.split()
    except ValueError:
        print(out.stdout, out.stderr, file=sys.stderr)
        return Result(case, float("nan"), None, False)
    return Result(case, float(wall), float(rss), int(rc) in ok_codes, cpu=float(cpu))


# podfeed exits 1 when the feeds have warnings; only a crash (2 and up) is a failure.
PODFEED_OK = (0, 1)


def hugo_site(site: Path) -> Path | None:
    """A Hugo project over the same episodes (dates made ISO, audio in params); None w/o hugo."""
    if shutil.which("hugo") is None:
        return None
    hugo = site.parent / (site.name + "-hugo")
    if hugo.exists():
        shutil.rmtree(hugo)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://www.example.org/"\ntitle = "EDT"\n'
        'disableKinds = ["taxonomy", "term"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n"
        "[services.rss]\nlimit = -1\n"
        '[outputs]\nsection = ["RSS"]\nhome = ["RSS"]\npage = []\n',
        encoding="utf-8",
    )
    (hugo / "layouts" / "_default" / "rss.xml").write_text(RSS_TEMPLATE, encoding="utf-8")
    date = re.compile(r"^date: .*$", re.M)
    for path in sorted(site.glob("episodes/edt-*/*/episode.md")):
        number, lang = path.parent.parent.name.removeprefix("edt-"), path.parent.name
        text = path.read_text(encoding="utf-8")
        share = generate.share_id(int(number))
        day = generate._FIRST_DATE.date().toordinal() + int(number)
        iso = time.strftime("%Y-%m-%dT14:00:00Z", _ordinal_tuple(day))
        text = date.sub(f"date: {iso}\naudio: {share}", text, count=1)
        out = hugo / "content" / lang / f"edt-{number}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return hugo


def _ordinal_tuple(ordinal: int) -> time.struct_time:
    from datetime import date

    return date.fromordinal(ordinal).timetuple()


RSS_TEMPLATE = """\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{{ .Site.Title }} {{ .Title }}</title>
<link>{{ .Permalink }}</link>
<description>A synthetic show, for benchmarks.</description>
<language>{{ .Section }}</language>
<itunes:author>Darren W Pulsipher</itunes:author>
{{- range .Pages }}
<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid isPermaLink="true">{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Params.summary }}</description>
<content:encoded>{{ .Content | html }}</content:encoded>
<enclosure url="https://media.transistor.fm/{{ .Params.audio }}.mp3" length="1" type="audio/mpeg"/>
<itunes:episode>{{ .Params.number }}</itunes:episode>
</item>
{{- end }}
</channel>
</rss>
"""


def one_size(
    n: int, work: Path, env: dict[str, str], *, hugo: bool, repeat: int = 1
) -> list[Result]:
    """Every case at size ``n``; floor and podfeed cases run ``repeat`` times each (the
    median is reported), the baseline script and Hugo once (they are far from any target)."""
    site = work / f"site-{n}"
    generate.generate(site, n)
    time.sleep(2.1)  # edits are not made in the same second as a build (see podfeed/cache/store.py)

    floor = [PYTHON, "-c", FLOOR, str(site)]

    def runs(
        case: str,
        argv: list[str],
        cwd: Path,
        before: Callable[[], object] | None = None,
        *,
        paired: bool = False,
    ) -> Result:
        out, floors = [], []
        for _ in range(repeat):
            if before is not None:
                before()
            if paired:
                floors.append(run_case("floor", floor, site, env).wall)
            ok = PODFEED_OK if case.startswith("podfeed") else (0,)
            out.append(run_case(case, argv, cwd, env, ok))
        return Result.of(out, floors)

    results = [
        runs("floor", floor, site),
        run_case(
            "baseline script", [PYTHON, str(Path(__file__).parent / "baseline.py"), "."], site, env
        ),
    ]
    hugo_root = hugo_site(site) if hugo else None
    if hugo_root is not None:
        results.append(run_case("hugo", ["hugo", "--quiet", "-d", "public"], hugo_root, env))

    def cold() -> None:
        shutil.rmtree(site / ".podfeed-cache", ignore_errors=True)
        shutil.rmtree(site / "feeds", ignore_errors=True)

    changed = site / "episodes" / f"edt-{n // 2}" / "de" / "episode.md"

    def edit() -> None:
        # An edit comes more than a moment after the last build: files written by a build
        # less than 2 s before another starts are compared by content, not trusted by their
        # stat (see podfeed/cache/store.py); the no-change case pays that, right after the cold one.
        time.sleep(2.1)
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text + "\nOne more line.\n", encoding="utf-8")

    build = [*PODFEED, "build", "--offline"]
    # The two targets stated against the floor get a floor run before each of their runs.
    results.append(runs("podfeed cold build", build, site, cold, paired=True))
    results.append(runs("podfeed no-change", build, site))
    results.append(runs("podfeed one changed", build, site, edit))
    results.append(runs("podfeed check", [*PODFEED, "check", "--no-cache"], site, paired=True))
    results.append(runs("podfeed check (cached)", [*PODFEED, "check"], site))
    return results


def table(rows: list[tuple[int, list[Result]]]) -> str:
    lines = [
        "| N | files | case | wall s | runs s | CPU s | peak RSS MB | ms/file | x floor "
        "| x floor, paired |",
        "|---:|---:|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, measured in rows:
        files = 6 * n
        floor = next(r.wall for r in measured if r.case == "floor")
        for r in measured:
            rss = "-" if r.rss_mb is None else f"{r.rss_mb:.0f}"
            mark = "" if r.ok else " (failed)"
            spread = " / ".join(f"{w:.2f}" for w in r.walls) if len(r.walls) > 1 else ""
            cpu = "-" if r.cpu is None else f"{r.cpu:.1f}"
            paired = "" if r.paired is None else f"{r.paired:.2f}"
            lines.append(
                f"| {n:,} | {files:,} | {r.case}{mark} | {r.wall:.2f} | {spread} | {cpu} | {rss} | "
                f"{1000 * r.wall / files:.3f} | {r.wall / floor:.2f} | {paired} |"
            )
    return "\n".join(lines)


def validate_large(env: dict[str, str]) -> results.Validated | None:
    """``validate_large.py`` at its default size (10,000 items), in its own process."""
    script = Path(__file__).parent / "validate_large.py"
    out = subprocess.run([PYTHON, str(script)], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout, out.stderr, file=sys.stderr)
        return None
    print(out.stdout, end="", flush=True)
    return results.parse_validate_output(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/podfeed-bench"))
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo case")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip validate_large.py (10,000-item feed)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="where to write the results file (default: benchmarks/results.md)",
    )
    parser.add_argument("--no-results", action="store_true", help="write no results file")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the floor and of each podfeed case; the table shows their median "
        "(this machine drifts by about 10%%: one run cannot decide a target near its bound)",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE (every run recompiles podfeed: ~0.3 s more)",
    )
    args = parser.parse_args()
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages have their .pyc files
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        rows.append((n, one_size(n, args.work, env, hugo=not args.no_hugo, repeat=args.repeat)))
        print(table(rows[-1:]), flush=True)
    validated = None if args.no_validate else validate_large(env)
    print()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(table(rows))
    if not args.no_results:
        facts = results.host_facts(hugo=not args.no_hugo, load_before=load_before)
        judged = results.judge(rows, validated)
        text = results.render(
            command=sys.argv[1:],
            when=started,
            facts=facts,
            table=table(rows),
            judged=judged,
            validated=validated,
        )
        args.results.write_text(text, encoding="utf-8")
        print(f"\nwritten: {args.results}")
        if args.results.resolve() == RESULTS:
            # The README shows the committed results' targets: the same run, the same table.
            block = results.targets_block(when=started, facts=facts, judged=judged)
            readme = RESULTS.parent / "README.md"
            text = results.with_targets_block(readme.read_text(encoding="utf-8"), block)
            readme.write_text(text, encoding="utf-8")
            print(f"written: the targets in {readme}")


if __name__ == "__main__":
    main()
