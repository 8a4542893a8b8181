"""`podfeed init` turns an existing Jekyll site into a starting config that podfeed can read."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.cli import main
from podfeed.config import load_config
from podfeed.config.schema import schema_url
from podfeed.site.init import scan_site
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


def test_check_reports_every_placeholder_init_left_one_line_per_show_and_level(
    corpus: Path, tmp_path: Path
) -> None:
    target = tmp_path / "config.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(corpus / "edt"), "-o", str(target)]).exit_code == 0
    check = runner.invoke(main, ["check", "-c", str(target), "--format", "json", "--show", "edt"])
    doc = json.loads(check.stdout)
    placeholders = [p for p in doc["problems"] if p["code"] == "config-placeholder"]
    by_level = {p["level"]: p["message"] for p in placeholders if "show edt " in p["message"]}
    # The site gives no URL and no owner address: they are placeholders until filled in. The
    # address would be published as the owner's: an error; the rest warnings.
    assert "owner.email 'TODO@example.com'" in by_level["error"]
    assert "image 'https://example.com/" in by_level["warning"]
    assert "site_url 'https://example.com/'" in by_level["warning"]
    assert "title" not in by_level["error"]  # read from _config.yml: the main show's own
    assert check.exit_code == 1
    # Another show gets the site's title and description only as TODO values: errors.
    other = runner.invoke(main, ["check", "-c", str(target), "--format", "json", "--show", "edw"])
    errors = [p["message"] for p in json.loads(other.stdout)["problems"] if p["level"] == "error"]
    assert any("TODO: the title of edw" in m and "TODO: describe edw" in m for m in errors)
    filled = (
        target.read_text()
        .replace("TODO@example.com", "podcast@embracingdigital.org")
        .replace("https://example.com/", "https://www.embracingdigital.org/")
    )
    target.write_text(filled)
    check = runner.invoke(main, ["check", "-c", str(target), "--format", "json", "--show", "edt"])
    left = [p for p in json.loads(check.stdout)["problems"] if p["code"] == "config-placeholder"]
    assert [p for p in left if "show edt " in p["message"]] == []
    assert {p["level"] for p in left} == {"error"}  # the other shows' titles, descriptions


def test_each_show_gets_the_languages_of_its_own_folders(corpus: Path, tmp_path: Path) -> None:
    scan = scan_site(corpus / "edt")
    assert scan.main_show == "edt"
    assert scan.languages_of("edt") == ["en", "de", "es", "fr", "it", "pt"]
    assert scan.languages_of("edtw") == ["en"]  # only an English folder
    target = tmp_path / "config.yaml"
    assert CliRunner().invoke(main, ["init", str(corpus / "edt"), "-o", str(target)]).exit_code == 0
    config = load_config(target)
    assert {s.id: s.languages for s in config.shows}["edtw"] == ("en",)


def test_init_says_what_to_exclude_from_the_jekyll_site(corpus: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(corpus / "edt", site)
    result = CliRunner().invoke(main, ["init", str(site), "-o", str(site / "config.yaml")])
    assert result.exit_code == 0
    assert (
        "note: add to `exclude:` in the site's _config.yml, so that Jekyll does not publish "
        "them: config.yaml, podfeed.lock, preview/"
    ) in result.stdout
    jekyll = site / "_config.yml"
    jekyll.write_text(jekyll.read_text() + "exclude: [config.yaml, podfeed.lock, preview]\n")
    again = CliRunner().invoke(
        main, ["init", str(site), "-o", str(site / "config.yaml"), "--force"]
    )
    assert "`exclude:`" not in again.stdout
    # A configuration kept outside the site needs no exclusion.
    outside = CliRunner().invoke(main, ["init", str(site), "-o", str(tmp_path / "podfeed.yaml")])
    assert "`exclude:`" not in outside.stdout


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


def test_a_first_offline_build_of_a_real_site_tells_the_truth_briefly(
    corpus: Path, tmp_path: Path
) -> None:
    """init, then build --offline with no lock: exit 1, no empty feed written, the missing lock
    first with its fix, and one line per cause and show (``-v`` lists every episode)."""
    site = tmp_path / "site"
    shutil.copytree(corpus / "edt", site)
    runner = CliRunner()
    config = str(site / "config.yaml")
    assert runner.invoke(main, ["init", str(site), "-o", config]).exit_code == 0
    result = runner.invoke(main, ["build", "-c", config, "--offline", "--format", "text"])
    assert result.exit_code == 1
    assert not (site / "feeds").exists()
    lines = result.stdout.splitlines()
    assert lines[0] == str(site / "podfeed.lock")
    assert "error" in lines[1] and "podfeed.lock does not exist" in lines[1]
    assert lines[1].endswith("(lock-missing)")
    assert "podfeed resolve" in lines[2]  # the fix
    problem_lines = [line for line in lines if re.search(r"\((?:[a-z]+-)*[a-z]+\)$", line)]
    per_code = Counter(line.rsplit("(", 1)[1].rstrip(")") for line in problem_lines)
    # A show's feeds can be empty for two causes (no lock entry; no audio include at all), and
    # its placeholders are one error and one warning: at most two lines a show for any code.
    assert max(per_code.values()) <= 2 * 3  # three shows
    assert per_code["audio-missing"] <= 3 and per_code["notes-translation-chatter"] == 1
    assert len(problem_lines) <= 30
    verbose = runner.invoke(main, ["-v", "build", "-c", config, "--offline", "--format", "text"])
    assert verbose.stdout.count("(audio-missing)") == 44  # every episode that has an audio id
