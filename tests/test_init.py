"""`podfeed init` turns an existing Jekyll site into a starting config that podfeed can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.cli import main
from podfeed.config import load_config
from podfeed.config.schema import schema_url
from podfeed.init import scan_site
from tests.configschema import schema_errors


def test_scan_reads_languages_title_and_shows_of_the_real_site(corpus: Path) -> None:
    scan = scan_site(corpus / "edt")
    assert scan.languages == ["en", "de", "es", "fr", "it", "pt"]
    assert scan.default_language == "en"
    assert scan.title == "Embracing Digital Transformation Podcast"
    assert scan.author == "Darren W Pulsipher"
    assert scan.shows == {
        "edt": ["episodes/edt-*/*/episode.md"],
        "edtw": ["briefs/edtw-*/*/episode.md"],
        "edw": ["briefs/edw-*/*/episode.md"],
    }
    # The legacy language-less file is found but left out: it repeats edt-1/en.
    assert scan.legacy["edt"] == ["episodes/edt-*/episode.md"]
    assert scan.episode_counts == {"edt": 41, "edtw": 1, "edw": 12}
    assert scan.link == "https://embracingdigitaltransformation.transistor.fm/"
    # _config.yml has no url and the copy has no CNAME: the user is told.
    assert any("site URL is unknown" in note for note in scan.notes)


def test_init_writes_a_config_that_loads_and_checks(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(corpus / "edt"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "TODO" in target.read_text()
    assert schema_errors(target.read_text()) == []
    config = load_config(target)
    assert [s.id for s in config.shows] == ["edt", "edtw", "edw"]
    assert config.shows[0].languages == ("en", "de", "es", "fr", "it", "pt")
    check = runner.invoke(main, ["check", "-c", str(target), "--format", "json"])
    assert check.exit_code in (0, 1), check.output
    assert '"edt"' in check.stdout


def test_init_never_overwrites_without_force(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    target.write_text("mine: true\n")
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(corpus / "edt"), "-o", str(target)])
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert target.read_text() == "mine: true\n"
    forced = runner.invoke(main, ["init", str(corpus / "edt"), "-o", str(target), "--force"])
    assert forced.exit_code == 0
    assert "shows:" in target.read_text()


def test_site_url_comes_from_url_and_baseurl_or_cname(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("url: https://pod.example.org\nbaseurl: /show\n")
    assert scan_site(tmp_path).site_url == "https://pod.example.org/show/"
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "CNAME").write_text("www.example.net\n")
    assert scan_site(tmp_path).site_url == "https://www.example.net/"


def test_init_on_a_folder_without_episodes_says_so(tmp_path: Path) -> None:
    scan = scan_site(tmp_path)
    assert scan.shows == {}
    assert any("no episode files" in note for note in scan.notes)


@pytest.mark.parametrize("bad", ["[unclosed", "a: b: c"])
def test_unreadable_jekyll_config_is_a_clear_error(tmp_path: Path, bad: str) -> None:
    (tmp_path / "_config.yml").write_text(bad)
    result = CliRunner().invoke(main, ["init", str(tmp_path), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2
    assert "_config.yml" in result.stderr


def test_check_warns_about_every_placeholder_init_left(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(corpus / "edt"), "-o", str(target)]).exit_code == 0
    check = runner.invoke(main, ["check", "-c", str(target), "--format", "json", "--show", "edt"])
    doc = json.loads(check.stdout)
    flagged = {
        p["message"].split(" ")[0].rstrip(":")
        for p in doc["problems"]
        if p["code"] == "config-placeholder"
    }
    # The site gives no URL and no owner address: they are placeholders until filled in.
    assert {"shows[0].owner.email", "shows[0].image", "shows[0].site_url"} <= flagged
    assert "shows[0].title" not in flagged  # read from _config.yml, a real value
    strict = runner.invoke(main, ["check", "-c", str(target), "--strict", "--show", "edt"])
    assert strict.exit_code == 1
    filled = (
        target.read_text()
        .replace("TODO@example.com", "podcast@embracingdigital.org")
        .replace("https://example.com/", "https://www.embracingdigital.org/")
    )
    target.write_text(filled)
    check = runner.invoke(main, ["check", "-c", str(target), "--format", "json"])
    assert "config-placeholder" not in check.stdout


def test_init_on_a_folder_without_episodes_still_writes_a_config_that_loads(
    tmp_path: Path,
) -> None:
    target = tmp_path / "config.yaml"
    result = CliRunner().invoke(main, ["init", str(tmp_path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    config = load_config(target)  # an empty `shows:` would be a config error
    assert [s.episodes for s in config.shows] == [("TODO/*/episode.md",)]


def test_init_names_the_schema_of_its_version_first_and_writes_a_valid_config(
    tmp_path: Path,
) -> None:
    (tmp_path / "episodes" / "edt-1" / "en").mkdir(parents=True)
    (tmp_path / "episodes" / "edt-1" / "en" / "episode.md").write_text("---\ntitle: a\n---\n")
    target = tmp_path / "config.yaml"
    assert CliRunner().invoke(main, ["init", str(tmp_path), "-o", str(target)]).exit_code == 0
    text = target.read_text()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema_url()}"
    assert schema_errors(text) == []  # TODO placeholders and `feed_url: null` included


def test_init_counts_files_in_plain_english(tmp_path: Path) -> None:
    (tmp_path / "episodes" / "edt-1" / "en").mkdir(parents=True)
    (tmp_path / "episodes" / "edt-1" / "en" / "episode.md").write_text("---\ntitle: a\n---\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "-o", str(tmp_path / "c.yaml")])
    assert "edt (1 file);" in result.output
