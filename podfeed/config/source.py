"""Reading ``config.yaml``: YAML parsed once, into data and a map of where each key sits.

The checker reports every problem with the line it is on; PyYAML's data has no lines, its node
tree has. :func:`compose` keeps both, :class:`SourceMap` turns the tree into key path -> line
(and scalar text exactly as written, so ``copyright: 2024`` stays the text ``2024``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from podfeed.config.yamlmarks import opened_at
from podfeed.problems import Problem, error

__all__ = ["KeyPath", "PathKey", "SourceMap", "compose", "path_key", "yaml_problem"]

PathKey = str | int
KeyPath = tuple[PathKey, ...]
_NODE_BUDGET = 100_000  # stop mapping lines on absurd (alias-bomb) documents


@dataclass
class SourceMap:
    """Where each key path sits in the file, and scalar values exactly as written.

    Lines are 1-based: the key's line for a mapping entry, the item's line for a list item.
    """

    lines: dict[KeyPath, int] = field(default_factory=dict)
    raw: dict[KeyPath, str] = field(default_factory=dict)
    duplicates: list[tuple[KeyPath, int]] = field(default_factory=list)

    def line(self, key_path: KeyPath) -> int | None:
        """The line of ``key_path``, or of its nearest ancestor that has one (a missing key)."""
        for end in range(len(key_path), 0, -1):
            found = self.lines.get(key_path[:end])
            if found is not None:
                return found
        return None

    @classmethod
    def from_node(cls, node: Node) -> SourceMap:
        source = cls()
        source._walk(node, (), set(), [0])
        return source

    def _walk(self, node: Node, key_path: KeyPath, active: set[int], budget: list[int]) -> None:
        budget[0] += 1
        if budget[0] > _NODE_BUDGET or id(node) in active:
            return
        if isinstance(node, ScalarNode):
            self.raw[key_path] = str(node.value)
            return
        active.add(id(node))
        if isinstance(node, MappingNode):
            self._walk_mapping(node, key_path, active, budget)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*key_path, index)] = item.start_mark.line + 1
                self._walk(item, (*key_path, index), active, budget)
        active.discard(id(node))

    def _walk_mapping(
        self, node: MappingNode, key_path: KeyPath, active: set[int], budget: list[int]
    ) -> None:
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = _key_of(key_node)
            if key is None:
                continue
            child = (*key_path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append((child, line))
            seen.add(key)
            self.lines[child] = line
            self._walk(value_node, child, active, budget)


def _key_of(node: Node) -> PathKey | None:
    """The key-path element of a key node, built as YAML builds the key (``1:`` is ``1``)."""
    if not isinstance(node, ScalarNode):
        return None
    try:
        value = SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError):
        value = node.value
    return path_key(value)


def path_key(key: object) -> PathKey:
    """Key-path element of a mapping key: always text (whole numbers are list indexes)."""
    return str(key)


def compose(text: str) -> tuple[Node | None, object]:
    """Parse once: the node tree (for lines) and the data built from it (safe types only)."""
    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def yaml_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    opened = opened_at(text, exc) if isinstance(exc, yaml.MarkedYAMLError) else None
    if opened is not None:
        # An unclosed quote or bracket is noticed lines later: report it where it was opened.
        context = f"{context or 'reading'} that starts on line {opened.line + 1}"
        context += f"; the parser gave up on line {line}"
        line = opened.line + 1
    detail = f"{what} ({context})" if context else str(what)
    return error(
        "config-yaml-syntax",
        f"{file}: not valid YAML: {detail}",
        file,
        line,
        hint="check indentation and quote values that contain ': ' or start with '{', '[' or '*'",
    )
