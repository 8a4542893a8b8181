"""The pre-commit hooks (.pre-commit-hooks.yaml) as a site's repository runs them.

``pre-commit try-repo`` installs this checkout (with its uncommitted changes) into a virtualenv
of its own, from the package index, and runs a hook on the files given, as a commit would. The
tests are skipped when that install cannot reach the index; each call is time-boxed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.cli import main

REPO = Path(__file__).resolve().parent.parent
NO_INDEX = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "No matching distribution",
    "Could not fetch URL",
)


def test_the_hooks_file_is_a_valid_pre_commit_manifest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hooks' virtualenv is built once."""
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=REPO, capture_output=True, check=False
    )
    if inside.returncode != 0:
        pytest.skip("pre-commit installs hooks from a git repository; this copy is not one")
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The bundled example with its feeds built, as a git repository."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("config.yaml", "podfeed.lock"):
        shutil.copy(REPO / name, site / name)
    shutil.copytree(REPO / "episodes", site / "episodes")
    (site / ".gitignore").write_text(".podfeed-cache/\n")
    result = CliRunner().invoke(
        main, ["-q", "build", "--offline", "-c", str(site / "config.yaml"), "--format", "text"]
    )
    assert result.exit_code == 0, result.output
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "site"]):
        subprocess.run([*git, *command], cwd=site, check=True, capture_output=True)
    return site


def try_repo(site: Path, home: Path, hook: str, *files: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODFEED_", "GITHUB_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--files", *files],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("pre-commit could not install the hook within 10 minutes")
    output = result.stdout + result.stderr
    log = home / "pre-commit.log"
    details = log.read_text(errors="replace") if log.is_file() else ""
    if "An unexpected error has occurred" in output and any(w in details for w in NO_INDEX):
        pytest.skip("pre-commit cannot install the hook: the package index is out of reach")
    return result.returncode, output


def test_podfeed_check_passes_on_the_example_and_fails_on_a_broken_episode(
    site: Path, pre_commit_home: Path
) -> None:
    episodes = ["episodes/edt-189/en/episode.md", "episodes/edt-189/de/episode.md"]
    code, output = try_repo(site, pre_commit_home, "podfeed-check", *episodes, "config.yaml")
    assert code == 0, output
    assert "podfeed check" in output and "Passed" in output
    broken = site / "episodes" / "edt-190" / "en" / "episode.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ntitle: [unclosed\nlang: en\n---\nNotes.\n", encoding="utf-8")
    code, output = try_repo(site, pre_commit_home, "podfeed-check", str(broken.relative_to(site)))
    assert code == 1, output
    assert "Failed" in output
    assert "episodes/edt-190/en/episode.md" in output and "yaml-invalid" in output


def test_podfeed_validate_passes_on_built_feeds_and_fails_on_a_broken_one(
    site: Path, pre_commit_home: Path
) -> None:
    code, output = try_repo(site, pre_commit_home, "podfeed-validate", "feeds/edt/en.xml")
    assert code == 0, output
    (site / "feeds" / "edt" / "en.xml").write_text("<rss version='2.0'><channel>")
    code, output = try_repo(site, pre_commit_home, "podfeed-validate", "feeds/edt/en.xml")
    assert code != 0, output
    assert "feeds/edt/en.xml" in output
