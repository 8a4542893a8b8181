"""The corpus copy in tests/corpus is what its README says: the source's files, unchanged.

Every test that reads real episodes reads this copy, so it must stay a faithful one: each file
listed in ``SOURCES.tsv`` exists with the length the source reported, nothing unlisted crept in,
and, where the shared corpus it was copied from sits next to the repository, every file is the
same bytes as there.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from tests.conftest import CORPUS, SHARED_CORPUS

# Files under edt/ that describe the copies rather than being copies themselves.
DESCRIPTIONS = {"MANIFEST.tsv", "SOURCES.tsv"}
# Files of this folder that are not copies: its README and the digests of the copies.
NOT_COPIED = {"README.md", "SHA256SUMS"}


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def sources() -> dict[str, int]:
    with (CORPUS / "edt" / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert all(len(row["commit"]) == 40 for row in rows), "each file names its source commit"
    return {row["path_below_docs"]: int(row["chars"]) for row in rows}


def test_every_copied_file_is_listed_with_its_source_and_length() -> None:
    listed = sources()
    assert files_under(CORPUS / "edt") - DESCRIPTIONS == set(listed)
    for relative, chars in listed.items():
        text = (CORPUS / "edt" / relative).read_bytes().decode("utf-8")
        assert len(text) == chars, f"{relative}: {len(text)} characters, the source had {chars}"


def test_the_manifest_describes_every_episode_file() -> None:
    with (CORPUS / "edt" / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = {row["path"] for row in csv.DictReader(handle, delimiter="\t")}
    episodes = {p for p in files_under(CORPUS / "edt") if p.endswith("episode.md")}
    assert rows == episodes and len(rows) == 54


def test_the_seeds_are_the_bundled_example(repo: Path) -> None:
    for lang in ("de", "en"):
        relative = f"edt-189/{lang}/episode.md"
        seed = (CORPUS / "seeds" / relative).read_bytes()
        assert seed == (repo / "episodes" / relative).read_bytes()


def digests(root: Path) -> dict[str, str]:
    return {
        relative: hashlib.sha256((root / relative).read_bytes()).hexdigest()
        for relative in files_under(root) - NOT_COPIED
    }


def test_the_copy_is_byte_for_byte_the_source() -> None:
    """SHA256SUMS was written from the shared corpus when the files were copied; where that
    corpus sits next to the repository, it is compared too."""
    recorded = {}
    for line in (CORPUS / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, relative = line.split("  ", 1)
        recorded[relative] = digest
    assert digests(CORPUS) == recorded
    if SHARED_CORPUS.is_dir():
        assert digests(SHARED_CORPUS) == recorded
