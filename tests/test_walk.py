"""Finding episode files gives exactly what ``Path.glob`` gives, filtered to regular files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from podfeed.site.walk import glob_names


def _pathlib(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if p.is_file())


def _ours(root: Path, pattern: str) -> list[Path]:
    found = list(glob_names(root, pattern))
    for name, info in found:
        assert info == os.stat(name)  # the stat handed back is the file's own
    return sorted(Path(name) for name, _ in found)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with the shapes a real one has, and the odd ones a glob must get right."""
    for episode in ("edt-1", "edt-2", "edt-10", ".drafts", "Edt-3"):
        for lang in ("en", "de"):
            folder = tmp_path / "episodes" / episode / lang
            folder.mkdir(parents=True)
            (folder / "episode.md").write_text("---\n---\n")
    (tmp_path / "episodes" / "edt-1" / "en" / "notes.md").write_text("x")
    (tmp_path / "episodes" / "edt-2" / "fr").mkdir()
    (tmp_path / "episodes" / "edt-2" / "fr" / "episode.md").mkdir()  # a folder, not a file
    (tmp_path / "episodes" / "README.md").write_text("not an episode folder")
    (tmp_path / "episodes" / "edt-1" / "it").symlink_to("en")  # a linked language folder
    (tmp_path / "episodes" / "edt-2" / "pt").mkdir()
    (tmp_path / "episodes" / "edt-2" / "pt" / "episode.md").symlink_to("../en/episode.md")
    (tmp_path / "episodes" / "edt-2" / "es").mkdir()
    (tmp_path / "episodes" / "edt-2" / "es" / "episode.md").symlink_to("missing.md")  # broken
    (tmp_path / "episodes" / "linked").symlink_to(tmp_path / "episodes" / "edt-10")
    (tmp_path / "episodes" / "edt-1.md").write_text("a legacy single file")
    return tmp_path


@pytest.mark.parametrize(
    "pattern",
    [
        "episodes/*/*/episode.md",
        "episodes/*/*/*.md",
        "episodes/*/en/episode.md",
        "episodes/edt-?/*/episode.md",
        "episodes/edt-[12]/de/episode.md",
        "episodes/[!e]*/*/episode.md",
        "episodes/*.md",
        "episodes/*",
        "episodes/*/*/episode.md/",
        "./episodes//*/./de/episode.md",
        "episodes/edt-1/../edt-2/*/episode.md",
        "episodes/edt-1/en/episode.md",
        "episodes/nothing/*/episode.md",
        "episodes/README.md/*",
        "*/*/*/*",
    ],
)
def test_every_pattern_finds_what_pathlib_finds(site: Path, pattern: str) -> None:
    assert _ours(site, pattern) == _pathlib(site, pattern)


def test_links_are_followed_and_broken_links_and_folders_are_not_files(site: Path) -> None:
    found = {p.relative_to(site).as_posix() for p in _ours(site, "episodes/*/*/episode.md")}
    assert "episodes/edt-1/it/episode.md" in found  # through a linked folder
    assert "episodes/edt-2/pt/episode.md" in found  # a linked file
    assert "episodes/linked/en/episode.md" in found
    assert "episodes/edt-2/es/episode.md" not in found  # broken link
    assert "episodes/edt-2/fr/episode.md" not in found  # a folder
    assert "episodes/.drafts/en/episode.md" in found  # `*` matches dot folders, as in pathlib


def test_recursive_patterns_are_left_to_pathlib(site: Path) -> None:
    assert _ours(site, "episodes/**/episode.md") == _pathlib(site, "episodes/**/episode.md")
    # `**` does not enter linked folders (edt-1/it, linked/) but keeps a linked file (edt-2/pt).
    assert len(_ours(site, "**/episode.md")) == 11


def test_a_relative_root_gives_paths_relative_like_pathlib(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    assert _ours(Path("."), "episodes/*/en/episode.md") == _pathlib(
        Path("."), "episodes/*/en/episode.md"
    )
    assert str(_ours(Path("."), "episodes/edt-1/en/episode.md")[0]) == (
        "episodes/edt-1/en/episode.md"
    )


@pytest.mark.parametrize("pattern", ["", "/etc/*"])
def test_patterns_pathlib_refuses_are_refused_the_same_way(site: Path, pattern: str) -> None:
    with pytest.raises((ValueError, NotImplementedError)) as ours:
        list(glob_names(site, pattern))
    with pytest.raises((ValueError, NotImplementedError)) as theirs:
        list(site.glob(pattern))
    assert type(ours.value) is type(theirs.value)


@pytest.mark.parametrize(
    "root", [".", "SITE", "SITE/", "./SITE/episodes/..", "ABSOLUTE", "/", "//"]
)
def test_names_are_what_str_of_the_path_gives(
    site: Path, root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build that finds every file unchanged works on names alone; they must be the very
    # strings the paths would give, whatever the root looks like.
    monkeypatch.chdir(site.parent)
    below = {
        ".": f"{site.name}/",
        "/": f"{site.relative_to('/')}/",
        "//": f"{site.relative_to('/')}/",
    }
    base = root.replace("SITE", site.name).replace("ABSOLUTE", str(site))
    pattern = below.get(root, "") + "episodes/*/*/episode.md"
    names = sorted(name for name, _ in glob_names(Path(base), pattern))
    paths = sorted(str(path) for path in Path(base).glob(pattern) if path.is_file())
    assert names == paths
    assert len(names) == 14
