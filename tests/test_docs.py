"""The docs keep the promises the code keeps: every command and config key is documented, the
configuration reference is the table's, every install line installs podfeed, and every CI and
pre-commit example is valid for the tool that reads it."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from podfeed.cli import main
from podfeed.config import table
from podfeed.config.reference import BEGIN, END, reference
from tests.configschema import check_jsonschema

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CONFIGURATION = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
DOCS = sorted(
    path
    for path in [*REPO.glob("*.md"), *REPO.glob("docs/*.md"), *REPO.glob("benchmarks/*.md")]
    if path.is_file()
)
ACTION_INPUTS = set(yaml.safe_load((REPO / "action.yml").read_text())["inputs"])


def yaml_examples() -> list[tuple[str, str, str]]:
    """``(doc, file the example is for, text)`` of each YAML block whose first line names the
    file it belongs in (``# .gitlab-ci.yml``)."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^( *)```yaml\n(.*?)^\1```", text, flags=re.M | re.S):
            block = textwrap.dedent(match.group(2))
            first = block.splitlines()[0]
            if first.startswith("# ."):
                found.append((path.name, first[2:].strip(), block))
    return found


EXAMPLES = yaml_examples()


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`podfeed {command}" in README


def test_the_configuration_reference_is_the_tables() -> None:
    fix = "run `python -m podfeed.config.reference docs/configuration.md`"
    start = CONFIGURATION.index(BEGIN) + len(BEGIN)
    assert CONFIGURATION[start : CONFIGURATION.index(END)] == "\n" + reference() + "\n", fix


@pytest.mark.parametrize(
    "path",
    [f"{s.path}.{k.name}".lstrip(".") for s in table.TOP.sections() for k in s],
)
def test_every_config_key_is_in_the_reference(path: str) -> None:
    section, _, key = path.rpartition(".")
    reference_text = CONFIGURATION[CONFIGURATION.index(BEGIN) :]
    heading = "### Top level" if not section else f"### `{section}`"
    if section == "shows[N]":
        heading = "### Per show (`shows[N]`)"
    block = reference_text[reference_text.index(heading) :]
    assert f"- `{key}`" in block.split("\n### ")[0], path


def test_the_readme_keeps_the_two_fresh_machine_commands() -> None:
    section = README[README.index("## Two commands on a fresh machine") :]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)
    assert "pip install . " in blocks[0] and "podfeed build --offline" in blocks[0]
    assert "pip install '.[test]'" in blocks[1] and "pytest" in blocks[1]


def test_the_readme_starts_with_the_two_commands_then_the_five_minute_site() -> None:
    sections = re.findall(r"^## (.*)$", README, flags=re.M)
    assert sections[:2] == [
        "Two commands on a fresh machine (Python 3.11)",
        "Your own site in five minutes",
    ]
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert "podfeed build --offline" in blocks[0] and "pytest" in blocks[1]
    steps = re.findall(r"^podfeed (\w+)", blocks[2], flags=re.M)
    assert steps == ["init", "check", "resolve", "build", "validate"]


# `pip install podfeed` (or podfeed[...] / podfeed==...) would install an unrelated project.
WRONG_INSTALL = re.compile(
    r"pip install\s+(?:-\S+\s+)*['\"]?podfeed(?:\[[^\]]*\])?(?:[=<>~!]\S*)?['\"]?(?:\s|$)"
)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_no_doc_installs_the_unrelated_podfeed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not WRONG_INSTALL.search(text), WRONG_INSTALL.search(text)


def test_the_wrong_install_pattern_finds_what_it_should() -> None:
    for wrong in [
        "pip install podfeed",
        "pip install -U 'podfeed[test]'",
        "pip install podfeed==1",
    ]:
        assert WRONG_INSTALL.search(wrong + "\n"), wrong
    for right in ["pip install podfeed-cli", 'pip install "git+https://github.com/O/podfeed@v1"']:
        assert not WRONG_INSTALL.search(right + "\n"), right


def test_every_ci_and_pre_commit_file_kind_has_an_example() -> None:
    kinds = {name for _, name, _ in EXAMPLES}
    assert {".gitlab-ci.yml", ".pre-commit-config.yaml"} <= kinds
    assert any(name.startswith(".github/workflows/") for name in kinds)


def validate_example(name: str, path: Path) -> subprocess.CompletedProcess[str]:
    if name == ".pre-commit-config.yaml":
        command = [sys.executable, "-m", "pre_commit", "validate-config", str(path)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    schema = "vendor.gitlab-ci" if name == ".gitlab-ci.yml" else "vendor.github-workflows"
    return check_jsonschema("--builtin-schema", schema, str(path))


@pytest.mark.parametrize(
    ("doc", "name", "text"), EXAMPLES, ids=[f"{d}:{n}" for d, n, _ in EXAMPLES]
)
def test_ci_and_pre_commit_examples_are_valid(
    doc: str, name: str, text: str, tmp_path: Path
) -> None:
    path = tmp_path / Path(name).name
    path.write_text(text, encoding="utf-8")
    result = validate_example(name, path)
    assert result.returncode == 0, f"{doc}: {result.stdout}{result.stderr}"
    data = yaml.safe_load(text)
    for job in (data.get("jobs") or {}).values() if isinstance(data, dict) else []:
        for step in job.get("steps", []):
            if "/podfeed@" in str(step.get("uses", "")):
                assert set(step.get("with", {})) <= ACTION_INPUTS, step
