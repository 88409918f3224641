"""Read YAML into plain data while keeping where every value came from.

PyYAML's safe loader keeps the last of two duplicate keys without a word, expands aliases without limit and turns
``NO`` (Norway) into ``False``. Rule files are law encoded as data, so this reader composes the node tree (which
carries line and column) and builds the data itself: duplicate keys, anchors and aliases are errors; only
``true``/``false`` are booleans; numbers with a leading zero stay strings (HS chapter ``03`` is not the integer 3).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from sanctionsrules.errors import Problem

__all__ = ["MAX_NODES", "MAX_SOURCE_BYTES", "Located", "YamlDocument", "read_yaml"]

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class Located:
    """A position in a source file (1-based)."""

    line: int
    column: int


@dataclass(slots=True)
class YamlDocument:
    """Plain data read from a YAML file, with the position of every value by JSON path."""

    file: str
    data: Any
    lines: list[str]
    positions: dict[str, Located] = field(default_factory=dict)
    key_positions: dict[str, Located] = field(default_factory=dict)

    def locate(self, path: str) -> Located | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        while True:
            found = self.positions.get(path)
            if found is not None or path == "$":
                return found
            path = _parent(path)

    def problem(self, code: str, message: str, path: str, *, at_key: bool = False) -> Problem:
        """A problem located at ``path`` in this file (at its key rather than its value, with ``at_key``)."""
        where = self.key_positions.get(path) if at_key else None
        where = where or self.locate(path)
        if where is None:
            return Problem(code, message, path, self.file)
        source = self.lines[where.line - 1] if 0 < where.line <= len(self.lines) else None
        return Problem(code, message, path, self.file, where.line, where.column, source)


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path[: path.rindex(".")] if "." in path else "$"


def child_path(path: str, key: object) -> str:
    """The JSON path of ``key`` under ``path``: ``$.rules[3].when``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", text):
        return f"{path}.{text}"
    return f"{path}[{text!r}]"


class _Builder:
    def __init__(self, doc: YamlDocument, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.count = 0
        self.seen: set[int] = set()

    def fail(self, code: str, message: str, node: yaml.Node, path: str) -> None:
        mark = node.start_mark
        line, column = mark.line + 1, mark.column + 1
        source = self.doc.lines[mark.line] if mark.line < len(self.doc.lines) else None
        self.problems.append(Problem(code, message, path, self.doc.file, line, column, source))

    def build(self, node: yaml.Node, path: str) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(node)
        self.doc.positions[path] = Located(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # The composer hands an alias back as the anchored node itself: meeting a node twice is an alias.
            if id(node) in self.seen:
                self.fail("yaml-alias", "aliases are not allowed in rule files; write the value out", node, path)
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, child_path(path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("yaml-key", "a mapping key must be a plain scalar", key_node, path)
                continue
            key = key_node.value
            if key == "<<":
                self.fail("yaml-merge-key", "merge keys (<<) are not allowed in rule files", key_node, path)
                continue
            sub = child_path(path, key)
            if key in out:
                first = self.doc.positions.get(sub)
                where = f" (first at line {first.line})" if first else ""
                self.fail("duplicate-key", f"duplicate key {key!r}{where}", key_node, sub)
                continue
            self.doc.key_positions[sub] = Located(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, sub)
            # Point errors about a key's value at the key itself when the value starts on a later line.
            if isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)):
                self.doc.positions[sub] = Located(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        if node.style is not None and node.style != "":
            return text  # quoted or block scalars are always strings
        if node.tag not in ("tag:yaml.org,2002:str", None) and not node.tag.startswith("tag:yaml.org,2002:"):
            return text
        if text in _NULL:
            return None
        if text in ("true", "True", "TRUE"):
            return True
        if text in ("false", "False", "FALSE"):
            return False
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _FLOAT.match(text):
            return text  # kept as text so amounts stay exact decimals
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text  # reported as a bad date by whoever expects a date
        return text


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def read_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``text`` (the content of ``file``); return the document and every problem found.

    A document with syntax errors or over the size limits comes back as ``None``.
    """
    lines = text.splitlines()
    doc = YamlDocument(file, None, lines)
    if len(text.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        return None, [Problem("too-large", f"rule file is over {MAX_SOURCE_BYTES} bytes", "$", file, 1, 1)]
    try:
        nodes = list(_compose_all(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        source = lines[line - 1] if 0 < line <= len(lines) else None
        message = f"{exc.problem or 'invalid YAML'}" + (f" ({exc.context})" if exc.context else "")
        return None, [Problem("yaml-syntax", message, "$", file, line, column, source)]
    except yaml.YAMLError as exc:
        return None, [Problem("yaml-syntax", str(exc), "$", file)]
    if len(nodes) != 1:
        message = "the file is empty" if not nodes else "a rule file holds exactly one YAML document"
        return None, [Problem("yaml-documents", message, "$", file, 1, 1)]
    problems: list[Problem] = []
    builder = _Builder(doc, problems)
    try:
        doc.data = builder.build(nodes[0], "$")
    except _TooLarge as big:
        mark = big.node.start_mark
        return None, [Problem("too-large", f"more than {MAX_NODES} YAML nodes", "$", file, mark.line + 1, 1)]
    return doc, problems


def _compose_all(text: str) -> Iterator[yaml.Node]:
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                yield node
    finally:
        loader.dispose()
