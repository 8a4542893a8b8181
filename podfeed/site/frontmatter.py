"""Front matter: where it is in an episode file, and reading it as bounded, safe YAML.

In: the text of an episode file. Out: its front matter as a composed YAML node tree (no Python
objects are built from it) and the body after it, or a problem saying why not.

Hostile input stays bounded: front matter over :data:`MAX_FRONT_MATTER_CHARS` is refused, and
YAML is checked event by event for nesting depth and aliases before it is composed, then for its
size with aliases expanded (the "billion laughs" bomb), so nothing downstream ever walks an
exploding or cyclic graph. Only the safe YAML schema is accepted; ``!!python/...`` tags are an
error and the file is not used. Short, shallow front matter (nearly every real file) is composed
first and checked after, in one pass (:func:`_compose_plain`); whatever that check cannot vouch
for takes the event-by-event path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import yaml

from podfeed.config.yamlmarks import opened_at
from podfeed.problems import Problem, error, warning
from podfeed.site.text import clip

__all__ = [
    "MAX_FRONT_MATTER_CHARS",
    "NULL_TAG",
    "YAML_TAG",
    "Field",
    "Parts",
    "is_null",
    "node_kind",
    "node_line",
    "read_front_matter",
]

MAX_FRONT_MATTER_CHARS = 1_000_000
MAX_YAML_DEPTH = 64
MAX_YAML_ALIASES = 200
MAX_YAML_EVENTS = 200_000
MAX_YAML_EXPANDED_NODES = 100_000
# Front matter composed before any check (see _compose_plain): about 270 bytes of C stack per
# nesting level, so even a 128 KB thread stack holds this depth; real files have 20-60.
_PLAIN_MAX_INDICATORS = 128
_PLAIN_MAX_CHARS = 32_768


def _plain_tagger(base: type[yaml.SafeLoader]) -> Callable[[str], str]:
    """The tag ``base`` gives a plain (unquoted) scalar, as a function of its text.

    ``BaseResolver.resolve`` builds a new list of candidate patterns for every scalar; the table
    here is the same patterns in the same order, built once. The answer depends on the text
    alone, and keys (``title``, ``date``) and list items (tags, guests) recur in every file, so
    short texts are remembered (a bounded table: hostile files cannot grow it).
    """
    implicit = base.yaml_implicit_resolvers
    anywhere = list(implicit.get(None, []))
    table = {first: [*found, *anywhere] for first, found in implicit.items() if first is not None}
    scalar_tag = base.DEFAULT_SCALAR_TAG
    known: dict[str, str] = {}

    def plain_tag(value: str) -> str:
        tag = known.get(value)
        if tag is not None:
            return tag
        tag = scalar_tag
        for candidate, pattern in table.get(value[:1], anywhere):
            if pattern.match(value):
                tag = candidate
                break
        if len(value) <= _TAG_MEMO_CHARS and len(known) < _TAG_MEMO_SIZE:
            known[value] = tag
        return tag

    return plain_tag


_TAG_MEMO_CHARS = 64
_TAG_MEMO_SIZE = 4096


def _quick_resolver(
    base: type[yaml.SafeLoader], plain_tag: Callable[[str], str]
) -> type[yaml.SafeLoader]:
    """``base`` with the same tag resolution, done with less work per node.

    libyaml's composer calls back into Python for every node (~45 a file): ``resolve``, which
    ``plain_tag`` (:func:`_plain_tagger` of ``base``) answers for plain scalars, and the path
    tracking of ``descend_resolver``/``ascend_resolver``. ``base`` has no path resolvers (the
    safe loaders never do), so the path tracking and that part of ``resolve`` never apply.
    """
    if base.yaml_path_resolvers:  # pragma: no cover - not for the safe loaders
        return base
    scalar_tag = base.DEFAULT_SCALAR_TAG

    class QuickResolver(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
            if kind is not yaml.ScalarNode:
                return super().resolve(kind, value, implicit)
            return plain_tag(value) if implicit[0] else scalar_tag

        # The composer calls these two around every node; they only track the path that path
        # resolvers match against, and there are none (checked above).
        def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    QuickResolver.__name__ = QuickResolver.__qualname__ = f"Quick{base.__name__}"
    return QuickResolver


# libyaml when available (fast); the pure-Python SafeLoader otherwise. Never the unsafe loaders.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_plain_tag = _plain_tagger(_BASE_LOADER)
_LOADER = _quick_resolver(_BASE_LOADER, _plain_tag)
_LOADER_IS_C = not issubclass(_LOADER, yaml.SafeLoader)

YAML_TAG = "tag:yaml.org,2002:"
NULL_TAG = YAML_TAG + "null"
_SAFE_TAGS = frozenset(
    YAML_TAG + name
    for name in (
        "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set",
        "str", "seq", "map", "merge", "value",
    )
)  # fmt: skip


# --------------------------------------------------------------------------- text -> fields


def read_front_matter(
    text: str, file: str, problems: list[Problem]
) -> tuple[dict[str, Field], Parts] | None:
    """The top-level front-matter keys of an episode file's text and where its body is, or
    ``None`` after recording why the front matter cannot be used."""
    parts = split_front_matter(text, file, problems)
    if parts is None:
        return None
    root = load_yaml(parts.yaml_text, file, problems)
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        kind = "empty" if is_null(root) else f"a YAML {node_kind(root)}"
        problems.append(
            error(
                "front-matter-not-mapping",
                f"front matter is {kind}, not a mapping of keys to values",
                file,
                node_line(root) or 2,
                hint="write one 'key: value' per line between the two --- lines",
            )
        )
        return None
    return read_fields(root, file, problems), parts


class Parts(NamedTuple):
    """A file split at its front matter: YAML text (starting at file line 2) and the body.

    Named tuples rather than frozen dataclasses for the per-file and per-key records: as
    immutable, and several times cheaper to create (18,000 files, ~20 keys each).
    """

    yaml_text: str
    body: str
    body_line: int  # file line of the body's first line


def split_front_matter(text: str, file: str, problems: list[Problem]) -> Parts | None:
    """Split at the first two ``---`` lines only: bodies contain more ``---`` (rules)."""
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip(" \t") != "---":
        problems.append(
            error(
                "front-matter-missing",
                f"file does not start with front matter: line 1 is {clip(first_line)!r}, not '---'",
                file,
                1,
                hint="start the file with a line '---', the YAML keys, and another line '---'",
            )
        )
        return None
    closing = _closing_line(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        problems.append(
            error(
                "front-matter-unclosed",
                "front matter opened with '---' on line 1 is never closed by another '---' line",
                file,
                1,
                hint="add a line '---' after the last front matter key",
            )
        )
        return None
    closing_start, closing_end = closing
    closing_line = text.count("\n", 0, closing_start) + 1
    return Parts(
        yaml_text=text[first_end + 1 : closing_start],
        body=text[closing_end + 1 :],
        body_line=closing_line + 1,
    )


def _closing_line(text: str, start: int) -> tuple[int, int] | None:
    """Where the first line from ``start`` (a line start) on that is ``---`` and nothing but
    spaces or tabs begins and ends: what ``^---[ \t]*$`` finds in multi-line mode, found with
    ``str.find`` (which skips to the next candidate instead of trying every position)."""
    line = start
    while line >= 0:
        if text.startswith("---", line):
            end = line + 3
            while end < len(text) and text[end] in " \t":
                end += 1
            if end == len(text) or text[end] == "\n":
                return line, end
        found = text.find("\n---", line)
        line = -1 if found < 0 else found + 1
    return None


# --------------------------------------------------------------------------- YAML (safe, bounded)


class _YamlRejected(Exception):
    """Internal: the front matter must not be composed or walked further."""

    def __init__(self, code: str, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.hint = code, message, line, hint


def load_yaml(source: str, file: str, problems: list[Problem]) -> yaml.Node | None:
    """Compose the front matter into a node tree (no Python objects built), or record why not."""
    try:
        if len(source) > MAX_FRONT_MATTER_CHARS:
            raise _YamlRejected(
                "front-matter-too-large",
                f"front matter is {len(source):,} characters, more than {MAX_FRONT_MATTER_CHARS:,}",
                1,
                "keep long text in the body, not the front matter",
            )
        plain, root = _compose_plain(source)
        if not plain:
            root = _compose_guarded(source)
        if root is None:  # only comments or blank lines
            return yaml.ScalarNode(NULL_TAG, "", start_mark=None, end_mark=None)
    except _YamlRejected as rejected:
        problems.append(error(rejected.code, rejected.message, file, rejected.line, rejected.hint))
        return None
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, source, file))
        return None
    return root


def _compose_plain(source: str) -> tuple[bool, yaml.Node | None]:
    """One pass for the usual front matter: compose it, then confirm none of the guards applies.

    Returns ``(True, root)`` when the composed tree has no alias, no explicit tag outside the
    safe schema, no nesting deeper than :data:`MAX_YAML_DEPTH` and fewer nodes than
    :data:`MAX_YAML_EVENTS` counts: then :func:`_compose_guarded` would accept the same text
    and compose the same tree. Otherwise (or on any YAML error) ``(False, None)``, and the
    caller takes the guarded path, which finds the first problem in document order.

    Composing first is only safe while libyaml's recursive composer cannot overflow the C
    stack and the tree stays small: every collection level needs one of the characters
    ``[{-?:``, so at most :data:`_PLAIN_MAX_INDICATORS` of them bound the depth whatever the
    text, and :data:`_PLAIN_MAX_CHARS` bounds the tree's size. The pure-Python loader recurses
    in Python, so it always takes the guarded path.
    """
    if not _LOADER_IS_C or len(source) > _PLAIN_MAX_CHARS:
        return False, None
    indicators = sum(source.count(char) for char in "[{-?:")
    if indicators > _PLAIN_MAX_INDICATORS:
        return False, None
    try:
        root = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError:
        return False, None
    if root is None:
        return True, None
    if indicators <= MAX_YAML_DEPTH and not any(char in source for char in "&*!"):
        # No anchor, alias or tag can be written without these characters, and so few
        # indicators bound the depth and the number of nodes far below the limits.
        return True, root
    return _is_plain_tree(root), root


def _is_plain_tree(root: yaml.Node) -> bool:
    """True when the composed tree is one the guarded path would accept (see above).

    An alias is a node reached twice (PyYAML's composer shares the anchored node), so a cycle
    is found too without walking it more than once.
    """
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen or node.tag not in _SAFE_TAGS:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        depth += 1
        if depth > MAX_YAML_DEPTH or 2 * len(seen) > MAX_YAML_EVENTS - 4:
            return False
        if isinstance(node, yaml.MappingNode):
            pending.extend((item, depth) for pair in node.value for item in pair)
        else:
            pending.extend((item, depth) for item in node.value)
    return 2 * len(seen) <= MAX_YAML_EVENTS - 4


def _compose_guarded(source: str) -> yaml.Node | None:
    """Check the event stream first (see :func:`_check_events`), then compose."""
    aliases = _check_events(source)
    root = yaml.compose(source, Loader=_LOADER)
    if root is not None and aliases:  # without aliases the tree is as small as its event count
        _check_graph(root)
    return root


def _check_events(source: str) -> int:
    """Refuse deep nesting (libyaml's composer recurses in C), alias floods and tags outside the
    safe schema before anything is composed; return how many aliases were seen.
    """
    depth = aliases = 0
    for count, event in enumerate(_events(source), 1):
        # Only explicit tags can be unsafe: tag resolution never produces anything else.
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _SAFE_TAGS:
            raise _unsafe_tag(tag, event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _too_complex(f"nested more than {MAX_YAML_DEPTH} levels deep", event)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise _too_complex(f"uses more than {MAX_YAML_ALIASES} aliases (*name)", event)
        if count > MAX_YAML_EVENTS:
            raise _too_complex(f"has more than {MAX_YAML_EVENTS} YAML nodes", event)
    return aliases


def _events(source: str) -> Iterator[yaml.Event]:
    """``yaml.parse(source)``, with libyaml's own nesting limit reported as podfeed's.

    libyaml 0.2.6 (bundled with PyYAML 6.0.3 and later) refuses flow collections nested more
    than 1,000 levels while it scans ahead for a possible key, before the first event of the
    collection reaches :func:`_check_events`. It is the same refusal for the same reason, so
    it is the same problem (``yaml-too-complex``), whichever libyaml the machine has.
    """
    try:
        yield from yaml.parse(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in (exc.problem or ""):
            raise
        mark = exc.problem_mark or exc.context_mark
        raise _YamlRejected(
            "yaml-too-complex",
            f"front matter nested more than {MAX_YAML_DEPTH} levels deep; refusing to load it "
            "(YAML bomb protection)",
            None if mark is None else mark.line + 2,
            _TOO_COMPLEX_HINT,
        ) from None


def _check_graph(root: yaml.Node) -> None:
    """Walk each distinct node once: refuse cycles and a huge alias-expanded size."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_YAML_EXPANDED_NODES:
                raise _too_complex(
                    f"expands to more than {MAX_YAML_EXPANDED_NODES:,} values through aliases",
                    node,
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise _too_complex("contains an alias that refers to itself (a cycle)", node)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _unsafe_tag(tag: str, event: yaml.Event) -> _YamlRejected:
    line = None if event.start_mark is None else event.start_mark.line + 2
    if tag.startswith(YAML_TAG + "python/"):
        return _YamlRejected(
            "yaml-unsafe-tag",
            f"front matter uses the tag !!{tag[len(YAML_TAG) :]}, which asks a YAML loader to run "
            "Python code; the file is not used",
            line,
            "remove the !!python tag: front matter holds plain text, numbers, dates and lists",
        )
    return _YamlRejected(
        "yaml-unknown-tag",
        f"front matter uses the unknown YAML tag {tag!r}; the file is not used",
        line,
        "remove the tag (only the standard YAML types are accepted)",
    )


_TOO_COMPLEX_HINT = "front matter needs no anchors/aliases or deep nesting: write values out"


def _too_complex(what: str, where: yaml.Node | yaml.Event) -> _YamlRejected:
    mark = where.start_mark
    return _YamlRejected(
        "yaml-too-complex",
        f"front matter {what}; refusing to load it (YAML bomb protection)",
        None if mark is None else mark.line + 2,
        _TOO_COMPLEX_HINT,
    )


def _yaml_error(exc: yaml.YAMLError, source: str, file: str) -> Problem:
    """A YAML syntax error with its file line (YAML counts from the line after the opening ---)."""
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a byte offset into the UTF-8 text, the Python reader a character one.
        if _LOADER_IS_C:
            line = source.encode("utf-8").count(b"\n", 0, exc.position) + 2
        else:
            line = source.count("\n", 0, exc.position) + 2
        character = exc.character
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return error(
            "yaml-invalid",
            f"front matter contains a character YAML does not allow ({shown}): {exc.reason}",
            file,
            line,
            hint='remove the character, or write it as an escape in double quotes ("\\x01")',
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        mark_line = None if mark is None else mark.line + 2
        what = "; ".join(part for part in (exc.context, exc.problem) if part)
        started = opened_at(source, exc)
        if started is not None and mark is not None and started.line < mark.line:
            # An unclosed quote or bracket is noticed lines later: point where it was opened.
            what += f" (the parser gave up on line {mark_line})"
            mark, mark_line = started, started.line + 2
        source_line = _source_line(source, None if mark is None else mark.line)
        if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or (
            "\t" in source_line and "cannot start any token" in (exc.problem or "")
        ):
            return error(
                "yaml-tab-indent",
                f"front matter line {mark_line} is indented with a tab, which YAML forbids "
                f"({what})",
                file,
                mark_line,
                hint="indent with spaces only",
            )
        opener = _source_line(source, mark.line)[started.column :] if started and mark else ""
        if opener.startswith(("'", '"')):
            hint = "close the quote opened on this line (a quote inside it is written \\\" or '')"
        elif opener.startswith(("[", "{")):
            hint = "close the [ or { opened on this line, or quote the value"
        else:
            hint = (
                "quote values that contain ': ' or start with a special character ([{*&!|>'\"%@`)"
            )
        return error(
            "yaml-invalid", f"front matter is not valid YAML: {what}", file, mark_line, hint=hint
        )
    return error("yaml-invalid", f"front matter is not valid YAML: {exc}", file, 1)


def _source_line(source: str, index: int | None) -> str:
    if index is None:
        return ""
    lines = source.split("\n", index + 1)
    return lines[index] if index < len(lines) else ""


# --------------------------------------------------------------------------- nodes -> fields


class Field(NamedTuple):
    """A top-level front-matter key's value node and the file line of the key."""

    node: yaml.Node
    line: int  # file line of the key


def read_fields(root: yaml.MappingNode, file: str, problems: list[Problem]) -> dict[str, Field]:
    """Top-level keys with their value nodes and lines; a repeated key warns and the last wins."""
    fields: dict[str, Field] = {}
    for key_node, value_node in root.value:
        mark = key_node.start_mark  # node_line(key_node) or 1, without a call per key
        line = 1 if mark is None else mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                warning("key-invalid", "front matter key is not text; ignored", file, line)
            )
            continue
        key = key_node.value
        if key in fields:
            problems.append(
                warning(
                    "duplicate-key",
                    f"key {key!r} appears again (first on line {fields[key].line}); "
                    "the last value is used",
                    file,
                    line,
                    hint=f"keep one '{key}:' line",
                )
            )
        fields[key] = Field(value_node, line)
    return fields


def node_line(node: yaml.Node) -> int | None:
    mark = node.start_mark
    return None if mark is None else mark.line + 2


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return "scalar"
