"""Hostile and broken episode files: always a clear problem with file and line, never an exception.

Bounds are checked by behaviour (the right problem, no crash), not by timing: a quadratic scan or
an expanded YAML bomb would make these tests hang or run out of memory rather than pass.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podfeed.model import Episode
from podfeed.problems import Level, Problem
from podfeed.site import (
    MAX_FILE_BYTES,
    first_paragraph,
    parse_episode_file,
    strip_xml_invalid,
)
from tests.test_episodes import BODY, EPISODE_PATH, episode_text, make_show, only, parse, write

GOOD_FRONT = "---\ntitle: T\nnumber: 1\npermalink: p\ndate: 2024-01-01\n"


def test_invalid_utf8_is_an_error_naming_byte_offset_and_line(tmp_path: Path) -> None:
    content = GOOD_FRONT.encode() + b"summary: caf\xe9 au lait\n---\n"
    episode, problems = parse(tmp_path, content)
    assert episode is None
    problem = only(problems, "encoding-invalid")
    assert (problem.level, problem.line) == (Level.ERROR, 6)
    assert "0xe9" in problem.message and f"offset {len(GOOD_FRONT) + 12}" in problem.message


def test_invalid_utf8_in_the_body_is_found_too(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text().encode() + b"\n\xff\xfe\n")
    assert episode is None
    assert only(problems, "encoding-invalid").line == 18


def test_utf16_file_is_an_encoding_error(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text().encode("utf-16"))
    assert episode is None
    assert only(problems, "encoding-invalid").line == 1


def test_tab_indentation_in_yaml_is_a_clear_error(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + "tags:\n\t- a\n---\n")
    assert episode is None
    problem = only(problems, "yaml-tab-indent")
    assert (problem.level, problem.line) == (Level.ERROR, 7)
    assert problem.hint == "indent with spaces only"


def test_billion_laughs_is_refused_without_expanding_it(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    episode, problems = parse(tmp_path, GOOD_FRONT + "\n".join(lines) + "\n---\n")
    assert episode is None
    problem = only(problems, "yaml-too-complex")
    assert problem.level is Level.ERROR and problem.line is not None


def expanding_to(values: int) -> str:
    """Front matter whose document expands to ``values`` YAML values through 27 aliases.

    Every node counts once per place it appears: the root mapping, the four keys and values of
    GOOD_FRONT, ``x`` (a list of 3,570 values) with its key, and ``y`` with its key: a list of 27
    aliases of ``x``. That is 12 + 28 * 3,571 = 100,000 values; ``pad`` adds one key and value.
    """
    pad, rest = divmod(values - 100_000, 2)
    assert pad >= 0 and rest == 0
    x = ", ".join(["v"] * 3570)
    y = ", ".join(["*x"] * 27)
    return GOOD_FRONT + f"x: &x [{x}]\ny: [{y}]\n" + "".join(f"p{i}: 1\n" for i in range(pad))


def test_a_document_expanding_to_100_000_values_is_read(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, expanding_to(100_000) + "---\n")
    assert episode is not None
    assert "yaml-too-complex" not in {p.code for p in problems}


def test_a_document_expanding_to_more_than_100_000_values_is_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, expanding_to(100_002) + "---\n")
    assert episode is None
    problem = only(problems, "yaml-too-complex")
    assert "expands to more than 100,000 values" in problem.message


def test_many_aliases_are_refused(tmp_path: Path) -> None:
    aliases = ", ".join(["*x"] * 1000)
    episode, problems = parse(tmp_path, GOOD_FRONT + f"x: &x 1\ny: [{aliases}]\n---\n")
    assert episode is None
    assert only(problems, "yaml-too-complex").line == 7


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    text = episode_text(tags="&t [a, b]", extra="*t")
    episode, _ = parse(tmp_path, text)
    assert episode is not None and episode.tags == ("a", "b")


def test_a_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + "a: &a [*a]\n---\n")
    assert episode is None
    assert only(problems, "yaml-too-complex").line == 6


def test_deep_nesting_is_refused_before_libyaml_recurses(tmp_path: Path) -> None:
    # 100,000 levels crash libyaml's composer (a C stack overflow, not an exception).
    deep = "[" * 100_000 + "]" * 100_000
    episode, problems = parse(tmp_path, GOOD_FRONT + f"x: {deep}\n---\n")
    assert episode is None
    assert only(problems, "yaml-too-complex").line == 6


def test_deep_block_mappings_are_refused(tmp_path: Path) -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(200))
    episode, problems = parse(tmp_path, GOOD_FRONT + nested + "---\n")
    assert episode is None
    assert only(problems, "yaml-too-complex").level is Level.ERROR


def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = GOOD_FRONT + f"x: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    episode, problems = parse(tmp_path, text)
    assert episode is None
    problem = only(problems, "yaml-unsafe-tag")
    assert (problem.level, problem.line) == (Level.ERROR, 6)
    assert "python/object/apply:os.system" in problem.message
    assert not marker.exists()


def test_python_tag_on_a_known_field_is_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(title="!!python/name:os.getcwd ''"))
    assert episode is None
    assert only(problems, "yaml-unsafe-tag").line == 2


def test_unknown_local_tags_are_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(title="!custom x"))
    assert episode is None
    assert only(problems, "yaml-unknown-tag").line == 2


def test_a_10_mb_body_is_read(tmp_path: Path) -> None:
    body = BODY + ("Some words in a long show note. " * 32 + "\n\n") * 10_000
    assert len(body) > 10_000_000
    episode, problems = parse(tmp_path, episode_text(body))
    assert episode is not None and episode.transistor_id == "cea47899"
    assert [p.code for p in problems] == []


def test_a_10_mb_data_uri_image_in_the_body_is_read(tmp_path: Path) -> None:
    body = BODY + '<img src="data:image/png;base64,' + "A" * 10_000_000 + '">\n'
    episode, _ = parse(tmp_path, episode_text(body, summary=None))
    assert episode is not None
    assert "data:" not in episode.notes_html
    assert episode.summary == "First paragraph of the notes."


def test_unterminated_liquid_tags_everywhere_are_scanned_linearly() -> None:
    body = '{% include transistor.html id="' * 200_000
    assert first_paragraph(body).startswith("{% include")


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / EPISODE_PATH
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        handle.write(b"---\n")
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: cheap to create
    episode, problems = parse_episode_file(path, make_show(tmp_path))
    assert episode is None
    problem = only(problems, "file-too-large")
    assert problem.level is Level.ERROR and f"{MAX_FILE_BYTES:,}" in problem.message


def test_front_matter_over_its_limit_is_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + f"summary: {'x' * 1_100_000}\n---\n")
    assert episode is None
    assert only(problems, "front-matter-too-large").level is Level.ERROR


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    for content in ("", "\n\n  \n", b"\xef\xbb\xbf"):
        episode, problems = parse(tmp_path, content)
        assert episode is None
        problem = only(problems, "file-empty")
        assert (problem.level, problem.line) == (Level.ERROR, 1)


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    cases = [("- a\n- b", "list"), ("just text", "scalar"), ("", "empty"), ("# c", "empty")]
    for front, kind in cases:
        episode, problems = parse(tmp_path, f"---\n{front}\n---\nbody\n")
        assert episode is None
        problem = only(problems, "front-matter-not-mapping")
        assert (problem.level, problem.line) == (Level.ERROR, 2)
        assert kind in problem.message


def test_raw_control_characters_in_front_matter_are_a_yaml_error_on_their_line(
    tmp_path: Path,
) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + "summary: ä\x07\n---\n")
    assert episode is None
    problem = only(problems, "yaml-invalid")
    assert problem.line == 6 and "U+0007" in problem.message


def test_escaped_surrogates_never_reach_the_episode(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(title='"A\\ud800B"'))
    if episode is not None:  # the pure-Python loader accepts the escape, libyaml refuses it
        assert episode.title == "AB"
    else:
        assert only(problems, "yaml-invalid").line == 2


def test_a_directory_or_missing_file_is_unreadable(tmp_path: Path) -> None:
    show = make_show(tmp_path)
    for path in (tmp_path, tmp_path / "missing.md"):
        episode, problems = parse_episode_file(path, show)
        assert episode is None
        assert only(problems, "file-unreadable").file == str(path)


# --------------------------------------------------------------------------- properties


def _assert_well_formed(path: Path, episode: Episode | None, problems: list[Problem]) -> None:
    """What every result must satisfy, whatever the input."""
    assert episode is not None or problems, "a file that gives no episode must say why"
    assert all(p.file == str(path) for p in problems)
    assert all(p.line is None or p.line >= 1 for p in problems)
    if episode is not None:
        texts = [episode.title, episode.summary, episode.description, episode.permalink]
        texts += [*episode.tags, *episode.guests, episode.transistor_title or ""]
        forbidden = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}
        assert not any(set(text) & forbidden for text in texts)
        assert episode.date.tzinfo is not None


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(
    alphabet=st.sampled_from([*string.printable, "&", "*", "!", "\u00e4", "\ufeff", "\x00"]),
    max_size=300,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
OPTIONAL_KEYS = ["number", "ref", "lang", "summary", "description", "tags", "guests", "img",
                 "image", "video", "layout", "other"]  # fmt: skip
# Mostly plausible values for the required keys, so that many examples get through to an episode.
FRONT_MATTER = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=40) | VALUES,
        "date": st.datetimes() | st.dates() | VALUES,
        "permalink": st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True) | VALUES,
    },
    optional={key: VALUES for key in OPTIONAL_KEYS},
)


@SETTINGS
@given(front=YAMLISH, body=st.text(max_size=300))
def test_random_yamlish_front_matter_never_raises(
    tmp_path_factory: pytest.TempPathFactory, front: str, body: str
) -> None:
    root = tmp_path_factory.mktemp("yamlish")
    path = write(root, "episodes/edt-1/en/episode.md", f"---\n{front}\n---\n{body}")
    episode, problems = parse_episode_file(path, make_show(root))
    _assert_well_formed(path, episode, problems)


@SETTINGS
@given(fields=FRONT_MATTER, body=st.text(max_size=300))
def test_random_front_matter_mappings_never_raise(
    tmp_path_factory: pytest.TempPathFactory, fields: dict[str, object], body: str
) -> None:
    root = tmp_path_factory.mktemp("mapping")
    front = yaml.safe_dump(fields, allow_unicode=True)
    path = write(root, "episodes/edt-1/en/episode.md", f"---\n{front}---\n{body}")
    episode, problems = parse_episode_file(path, make_show(root))
    _assert_well_formed(path, episode, problems)
    title = fields["title"]
    # Text comes back exactly as written. (PyYAML itself does not round-trip NEL, U+0085: its
    # dumper writes it raw in a single-quoted scalar, which YAML 1.1 folds like a line break.)
    if episode is not None and isinstance(title, str) and "\x85" not in title:
        assert episode.title == strip_xml_invalid(title).strip()


@SETTINGS
@given(body=st.text(max_size=2000), crlf=st.booleans())
def test_random_bodies_after_valid_front_matter_always_give_an_episode(
    tmp_path_factory: pytest.TempPathFactory, body: str, crlf: bool
) -> None:
    root = tmp_path_factory.mktemp("body")
    text = episode_text(body)
    path = write(root, "episodes/edt-1/en/episode.md", text.replace("\n", "\r\n") if crlf else text)
    episode, problems = parse_episode_file(path, make_show(root))
    _assert_well_formed(path, episode, problems)
    assert episode is not None, problems
    assert episode.title == "A title"


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("bytes")
    path = write(root, "episodes/edt-1/en/episode.md", b"---\n" + data)
    episode, problems = parse_episode_file(path, make_show(root))
    _assert_well_formed(path, episode, problems)


# --------------------------------------------------------------------------- pure-Python loader


@pytest.fixture
def python_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as on a machine whose PyYAML has no libyaml."""
    monkeypatch.setattr("podfeed.site.frontmatter._LOADER", yaml.SafeLoader)
    monkeypatch.setattr("podfeed.site.frontmatter._LOADER_IS_C", False)


@pytest.mark.usefixtures("python_loader")
def test_without_libyaml_the_same_guards_hold(tmp_path: Path) -> None:
    cases = [
        ("x: " + "[" * 5000 + "]" * 5000, "yaml-too-complex", 6),
        ("a: &a [*a]", "yaml-too-complex", 6),
        ("x: !!python/object:os.system x", "yaml-unsafe-tag", 6),
        ("tags:\n\t- a", "yaml-tab-indent", 7),
        ("summary: ä\x07", "yaml-invalid", 6),
    ]
    for number, (front, code, line) in enumerate(cases):
        episode, problems = parse(
            tmp_path, GOOD_FRONT + front + "\n---\n", f"episodes/edt-{number}/en/episode.md"
        )
        assert episode is None
        assert only(problems, code).line == line


@pytest.mark.usefixtures("python_loader")
def test_without_libyaml_a_clean_file_reads_the_same(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(title="2025-02-02"))
    assert problems == []
    assert episode is not None and episode.title == "2025-02-02"
