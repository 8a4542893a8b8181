"""Two builds of one site never interleave, and a build killed at any moment leaves every file
on disk either complete-old or complete-new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from podfeed.problems import BusyError
from podfeed.publish.files import exclusive
from tests.sites import make_corpus_site

REPO = Path(__file__).resolve().parent.parent


def test_a_second_holder_waits_then_fails_clearly(tmp_path: Path) -> None:
    lock = tmp_path / ".podfeed-run.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from podfeed.publish.files import exclusive\n"
            "with exclusive(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with (
            pytest.raises(BusyError, match=rf"pid {holder.pid}\) holds"),
            exclusive(lock, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.communicate()
    # The kernel released the dead holder's lock: the next run gets it at once.
    with exclusive(lock, timeout=1):
        pass


def test_a_build_killed_at_any_point_leaves_old_or_new_files(corpus: Path, tmp_path: Path) -> None:
    site = make_corpus_site(corpus, tmp_path / "site")
    cmd = [sys.executable, "-m", "podfeed", "build", "--offline", "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Old state: a first complete build. New state: the same site with another description.
    subprocess.run(cmd, cwd=site, env=env, check=False, capture_output=True)
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert len(feeds) == 12
    old = {p: p.read_bytes() for p in feeds}
    config = site / "config.yaml"
    config.write_text(config.read_text().replace("The weekly news brief.", "News, weekly."))
    config.write_text(
        config.read_text().replace(
            "Digital transformation, people, process and technology.", "People, process, tech."
        )
    )
    started = time.monotonic()
    subprocess.run(cmd, cwd=site, env=env, check=False, capture_output=True)
    duration = time.monotonic() - started
    new = {p: p.read_bytes() for p in feeds}
    assert all(old[p] != new[p] for p in feeds)
    # Reset to the old state, then kill rebuilds at spread-out moments of a build's lifetime.
    for step in range(12):
        for p, data in old.items():
            p.write_bytes(data)
        proc = subprocess.Popen(
            cmd, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(duration * step / 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for p in feeds:
            assert p.read_bytes() in (old[p], new[p]), f"{p} is torn after a kill at step {step}"
        leftovers = [q.name for q in (site / "feeds").rglob("*") if q.is_file() and q not in old]
        assert all(name.endswith((".tmp", ".bak")) for name in leftovers), leftovers
