"""What the episodes name that the site folder should hold, and what notes should not say."""

from __future__ import annotations

from pathlib import Path

from podfeed.site.images import missing_images
from tests.test_episodes import BODY, codes, episode_text, make_show, ok, only, parse


def test_an_image_missing_from_a_jekyll_site_folder_is_a_warning_on_its_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "_config.yml").write_text("title: A site\n")
    episode = ok(tmp_path, episode_text(image="thumbnail.png"))
    show = make_show(tmp_path)
    (problem,) = missing_images(show, [episode])
    assert (problem.code, problem.file, problem.line) == (
        "image-missing",
        episode.source,
        8,  # the image: line
    )
    assert "episodes/edt-7/en/thumbnail.png is not in the site folder" in problem.message
    (tmp_path / "episodes/edt-7/en/thumbnail.png").write_bytes(b"\x89PNG")
    assert missing_images(show, [episode]) == []


def test_images_are_only_looked_for_in_a_site_folder_and_on_the_site(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(image="thumbnail.png"))
    assert missing_images(make_show(tmp_path), [episode]) == []  # no _config.yml: not the site
    (tmp_path / "_config.yml").write_text("title: A site\n")
    elsewhere = ok(tmp_path, episode_text(image="https://cdn.example.net/art/7.png"))
    assert missing_images(make_show(tmp_path), [elsewhere]) == []  # another host's business


def test_notes_with_a_translation_tools_words_are_a_warning_on_the_first_such_line(
    tmp_path: Path,
) -> None:
    body = BODY + "\nTranslate the following to German: Hallo\n\nÜbersetzung: Welt\n"
    _, problems = parse(tmp_path, episode_text(body))
    problem = only(problems, "notes-translation-chatter")
    assert problem.line == 18  # 9 front-matter lines, the body from line 10
    assert "'Translate the following to German: Hallo' (and 1 more line)" in problem.message


def test_notes_that_only_talk_about_translation_are_fine(tmp_path: Path) -> None:
    body = BODY + "\nWe translate ideas into products; the translation of research matters.\n"
    _, problems = parse(tmp_path, episode_text(body))
    assert "notes-translation-chatter" not in codes(problems)


def test_a_link_to_the_episodes_own_video_in_the_notes_would_show_twice(tmp_path: Path) -> None:
    body = BODY + "\n[Watch the video](https://www.youtube.com/watch?v=ImbRcqDHYV0)\n"
    _, problems = parse(tmp_path, episode_text(body))
    problem = only(problems, "youtube-link-twice")
    assert problem.line == 18
    other = BODY + "\n[Another video](https://youtu.be/AAAAAAAAAAA)\n"
    _, problems = parse(tmp_path, episode_text(other))
    assert "youtube-link-twice" not in codes(problems)
