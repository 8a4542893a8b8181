"""benchmarks/ci_cache.py (docs/performance.md) runs its three CI cases, each passing the check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "ci_cache.py"


def test_the_ci_cache_measurement_runs_every_case(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--episodes", "3", "--runs", "1", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = re.findall(r"^\| (cold|restored, [^|]+) \| [0-9.]+ \|", result.stdout, flags=re.M)
    assert [row.strip() for row in rows] == [
        "cold",
        "restored, nothing new",
        "restored, one new episode",
    ]
    assert "N = 3 (+1), 24 files" in result.stdout
