"""The GitHub Action (action.yml): valid for GitHub, and its shell steps work as GitHub runs them.

GitHub runs each ``run:`` step with ``bash`` (``shell: bash``), the step's ``env`` (where the
inputs are put) and ``GITHUB_OUTPUT``; ``actions/setup-python`` puts a Python on ``PATH``. Here a
fresh virtualenv plays setup-python, the install step installs this checkout into it from the
package index (the test is skipped when the index cannot be reached), and the other steps run
against a copy of the bundled example whose Transistor feed is the local test server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from podfeed.cli import main
from tests.configschema import check_jsonschema
from tests.server import Server, feed_route, make_feed

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
AUDIO = "https://media.transistor.fm/cea47899/0123abcd.mp3"
# pip's words for an index it could not reach (then the test cannot say anything).
NO_INDEX = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "No matching distribution",
)


def test_action_yml_is_a_valid_github_action() -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-actions", str(REPO / "action.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_inputs_reach_the_scripts_only_through_the_environment() -> None:
    """An input pasted into a script would be run as shell code (script injection)."""
    scripts = [step["run"] for step in ACTION["runs"]["steps"] if "run" in step]
    assert len(scripts) == 3
    assert not any("${{" in script for script in scripts)


def test_the_defaults_are_the_documented_ones() -> None:
    inputs = {name: spec.get("default") for name, spec in ACTION["inputs"].items()}
    assert inputs == {
        "config": "config.yaml",
        "command": "build --frozen --check",
        "args": "",
        "python-version": "3.11",
        "cache": "true",
    }


def step(name: str) -> dict[str, Any]:
    return next(s for s in ACTION["runs"]["steps"] if s.get("name") == name)


def run_step(
    name: str, cwd: Path, python_bin: Path, inputs: Mapping[str, str] = {}
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one ``run:`` step as GitHub would: bash, the step's env with the expressions
    filled in, GITHUB_OUTPUT, GITHUB_ACTIONS; returns the process and the outputs it set."""
    values = {f"inputs.{k}": v.get("default", "") for k, v in ACTION["inputs"].items()}
    values.update({f"inputs.{k}": v for k, v in inputs.items()})
    values["github.action_path"] = str(REPO)
    spec = step(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODFEED_", "GITHUB_"))}
    env.update(
        {
            key: EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
            for key, value in spec.get("env", {}).items()
        }
    )
    outputs = cwd / "github-output"
    outputs.write_text("")
    env |= {
        "PATH": f"{python_bin}{os.pathsep}{env['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_ACTIONS": "true",
    }
    process = subprocess.run(
        ["bash", "-e", "-c", spec["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return process, found


@pytest.fixture(scope="module")
def python_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python environment (what setup-python gives) with podfeed installed by the
    action's own install step."""
    home = tmp_path_factory.mktemp("runner")
    venv.create(home / "python", with_pip=True)
    bin_dir = home / "python" / "bin"
    process, _ = run_step("Install podfeed", home, bin_dir)
    if process.returncode != 0 and any(word in process.stderr for word in NO_INDEX):
        pytest.skip(f"the package index cannot be reached: {process.stderr[-300:]}")
    assert process.returncode == 0, process.stderr
    return bin_dir


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    """The bundled example, its Transistor feed served on 127.0.0.1, resolved and built."""
    from tests.server import serve

    for server in serve():
        server.route("/feed", feed_route(make_feed({"cea47899": AUDIO})))
        site = tmp_path / "site"
        site.mkdir()
        text = (REPO / "config.yaml").read_text(encoding="utf-8")
        transistor = re.search(r"      feed_url: https://feeds\.transistor\.fm/\S+", text)
        assert transistor is not None
        text = text.replace(transistor.group(0), f"      feed_url: {server.url('/feed')}")
        (site / "config.yaml").write_text(text, encoding="utf-8")
        shutil.copy(REPO / "podfeed.lock", site / "podfeed.lock")
        shutil.copytree(REPO / "episodes", site / "episodes")
        config = str(site / "config.yaml")
        for command in (["resolve"], ["build"]):
            result = CliRunner().invoke(main, ["-q", *command, "-c", config, "--format", "text"])
            assert result.exit_code == 0, result.output
        yield site, server


def test_the_steps_check_a_site_and_annotate_what_is_stale(
    python_bin: Path, site: tuple[Path, Server]
) -> None:
    root, server = site
    process, outputs = run_step("Find the cache and what keys it", root, python_bin)
    assert process.returncode == 0, process.stderr
    assert outputs["path"] == "./.podfeed-cache"
    assert re.fullmatch(r"[0-9a-f]{16}", outputs["hash"])
    lock_before = (root / "podfeed.lock").read_text()
    (root / "podfeed.lock").write_text(lock_before.replace("audio/mpeg", "audio/mp3"))
    _, changed = run_step("Find the cache and what keys it", root, python_bin)
    assert changed["hash"] != outputs["hash"]  # the key follows the lock
    (root / "podfeed.lock").write_text(lock_before)

    # The default command: the lock is current and the feeds are what a build writes.
    process, _ = run_step("podfeed", root, python_bin)
    assert process.returncode == 0, process.stdout + process.stderr
    assert server.count("/feed") >= 3  # online: the resolve, the build, and this run
    assert (root / ".podfeed-cache").is_dir()  # what actions/cache saves

    # Someone edits an episode and forgets to rebuild: exit 1, an annotation on the feed.
    episode = root / "episodes" / "edt-189" / "de" / "episode.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("title:", "title: Neu", 1))
    process, _ = run_step("podfeed", root, python_bin)
    assert process.returncode == 1
    assert re.search(r"^::error file=[^,]*feeds/edt/de\.xml.*feed-stale", process.stdout, re.M)


def test_the_command_and_args_inputs_are_split_and_globbed(
    python_bin: Path, site: tuple[Path, Server]
) -> None:
    root, _ = site
    inputs = {"command": "validate feeds/*/*.xml", "args": "--rules enclosure-type --format json"}
    process, _ = run_step("podfeed", root, python_bin, inputs)
    assert process.returncode == 0, process.stdout + process.stderr
    assert '"feeds": [' in process.stdout and "feeds/edt/de.xml" in process.stdout
