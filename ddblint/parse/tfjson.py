"""Terraform's JSON syntax (``*.tf.json``) mapped onto the same blocks as native HCL.

JSON has no expression syntax of its own: strings are templates (``"${...}"``),
other values are literals. The mapping follows Terraform's JSON syntax rules,
which Python's ``json`` module alone does not: a property name may repeat (every
``"resource"`` key counts, not just the last), and wherever a block or a level
of labels is expected, an array of objects means the same as the objects one
after another. A block type given some other JSON value is an error for the
file, as in Terraform. Positions come from finding each block's key in the
text, which is exact for the usual one-key-per-line layout.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from ddblint.parse.hcl import HclSyntaxError, redefined, template_from_text
from ddblint.parse.syntax import Attribute, Block, Expr, Literal, ObjectExpr, Position, TupleExpr
from ddblint.span import LineStarts
from ddblint.untrusted import safe_json

_NESTED_BLOCKS = {"lifecycle", "attribute", "global_secondary_index", "local_secondary_index", "ttl"}
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0}
_COMMENT = "//"  # Terraform ignores this property in a block body


class JsonObject(list):  # type: ignore[type-arg]
    """A JSON object as its (name, value) pairs in order, repeated names included."""


def load_document(text: str) -> Any:
    """The JSON document with every object as a :class:`JsonObject`; raises ``JSONDecodeError``."""
    return safe_json.loads(text, object_pairs_hook=JsonObject) if text.strip() else JsonObject()


def plain(value: Any) -> Any:
    """A decoded value with objects as dicts (a repeated name: the last one wins)."""
    if isinstance(value, JsonObject):
        return {key: plain(inner) for key, inner in value}
    if isinstance(value, list):
        return [plain(inner) for inner in value]
    return value


def value_expr(value: Any) -> Expr:
    """A decoded JSON value as an expression: strings are templates, lists tuples, objects objects."""
    if isinstance(value, str):
        return template_from_text(value)
    if isinstance(value, JsonObject):
        return ObjectExpr(tuple([(Literal(k), value_expr(v)) for k, v in dict(value).items()]))
    if isinstance(value, list):
        return TupleExpr(tuple([value_expr(v) for v in value]))
    return Literal(value)


_SOURCE_CHARS = 200  # an attribute's source text is shown, never parsed, so a prefix is enough


def _source(value: Any) -> str:
    try:
        return json.dumps(value)[:_SOURCE_CHARS]
    except RecursionError:  # nested past the C encoder's limit (about 1,500 levels on Python 3.12)
        return json_prefix(value, _SOURCE_CHARS)


def json_prefix(value: Any, limit: int) -> str:
    """The first ``limit`` characters ``json.dumps`` would give, built with an explicit stack."""
    out: list[str] = []
    size = 0
    pending: list[Any] = [value]  # values still to write, and ("text", ...) pieces of punctuation
    while pending and size < limit:
        item = pending.pop()
        if isinstance(item, tuple):
            text = item[1]
        elif isinstance(item, list):
            text = "["
            pending.append(("text", "]"))
            for index in range(len(item) - 1, -1, -1):
                pending.append(item[index])
                if index:
                    pending.append(("text", ", "))
        elif isinstance(item, dict):
            text = "{"
            pending.append(("text", "}"))
            entries = list(item.items())
            for index in range(len(entries) - 1, -1, -1):
                key, entry = entries[index]
                pending.extend((entry, ("text", json.dumps(str(key)) + ": ")))
                if index:
                    pending.append(("text", ", "))
        else:
            text = json.dumps(item)
        out.append(text)
        size += len(text)
    return "".join(out)[:limit]


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]', re.DOTALL)


def _json_keys(text: str) -> list[tuple[str, int, int]]:
    """(key as decoded, where it starts, where its value ends) of every object key, in document order.

    Found by the document's own structure, so a key inside a value (``"//": {"item": ...}``) is
    never taken for the attribute after it, and an escaped key (``"\\u0069tem"``) is found by what
    it spells. The text parsed as JSON already: this pass only needs its tokens.
    """
    keys: list[tuple[str, int, int]] = []
    open_keys: list[int | None] = []  # per open container, the index of the key whose value is being read
    previous = ""
    pending: tuple[str, int] | None = None
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark == ":" and pending is not None and open_keys:
            keys.append((pending[0], pending[1], len(text)))
            open_keys[-1] = len(keys) - 1
        elif mark in ",}]" and open_keys:
            index = open_keys[-1]
            if index is not None and mark != "]":
                keys[index] = (keys[index][0], keys[index][1], token.start())
                open_keys[-1] = None
            if mark != ",":
                open_keys.pop()
        elif mark in "{[":
            open_keys.append(None)
        pending = (_decoded(mark), token.start()) if mark.startswith('"') and previous in "{," else None
        previous = mark[0]
    return keys


def _decoded(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return key if isinstance(key, str) else token[1:-1]


class _Locator:
    """Finds the place of each JSON key in document order, so repeated names resolve in turn."""

    def __init__(self, text: str) -> None:
        self._keys = _json_keys(text)
        self._starts = [start for _, start, _ in self._keys]
        self._indices: dict[str, list[int]] = {}  # each key's places in the document, in order
        for index, (name, _, _) in enumerate(self._keys):
            self._indices.setdefault(name, []).append(index)
        self._next = 0
        self._lines = LineStarts(text)

    def find(self, key: str, whole_value: bool = False) -> Position:
        """Where ``key`` is next written; with ``whole_value``, to the end of its value, which the next
        search then starts after (the keys inside it are its own). Looked up, not searched for: a key
        that is not ahead costs nothing."""
        indices = self._indices.get(key, [])
        at = bisect.bisect_left(indices, self._next)
        if at == len(indices):
            return Position(1, 1, 1, 1)
        _, start, end = self._keys[indices[at]]
        self._next = bisect.bisect_left(self._starts, end) if whole_value else indices[at] + 1
        line, column = self._lines.line_column(start)
        end_line, end_column = self._lines.line_column(end) if whole_value else (line, column + len(key) + 2)
        return Position(line, column, end_line, end_column)


def _objects(value: Any, what: str) -> list[JsonObject]:
    """An object, or the objects of an array: the two spellings Terraform accepts for blocks and labels."""
    if isinstance(value, JsonObject):
        return [value]
    if isinstance(value, list) and all(isinstance(entry, JsonObject) for entry in value):
        return list(value)
    raise HclSyntaxError(f"{what} must be a JSON object or an array of objects")


def blocks_from_json(document: Any, text: str, tfvars: bool = False) -> tuple[list[Block], dict[str, Attribute]]:
    if not isinstance(document, JsonObject):
        raise HclSyntaxError("a Terraform JSON file must hold a JSON object")
    locator = _Locator(text)
    if tfvars:
        return [], _attributes(document, locator)
    blocks: list[Block] = []
    for block_type, content in document:
        depth = _LABELS.get(block_type)
        if depth is None:
            continue
        blocks.extend(_labelled(block_type, content, depth, (), locator))
    return blocks, {}


def _labelled(block_type: str, content: Any, depth: int, labels: tuple[str, ...], locator: _Locator) -> list[Block]:
    """The blocks under one level of labels; ``depth`` labels are still to come."""
    what = f'"{block_type}"' + "".join(f' "{label}"' for label in labels)
    found: list[Block] = []
    entries = _objects(content, what)
    written_at = locator.find(block_type) if depth == 0 else None  # once: an array's entries share the key
    for entry in entries:
        if written_at is not None:
            found.append(_block(block_type, labels, entry, written_at, locator))
            continue
        for label, inner in entry:
            position = locator.find(label)
            if depth > 1:
                found.extend(_labelled(block_type, inner, depth - 1, labels + (label,), locator))
                continue
            for body in _objects(inner, f'{what} "{label}"'):
                found.append(_block(block_type, labels + (label,), body, position, locator))
    return found


def _block(block_type: str, labels: tuple[str, ...], body: JsonObject, position: Position, locator: _Locator) -> Block:
    if block_type == "locals":
        return Block(block_type, labels, _attributes(body, locator), (), position)
    attributes: dict[str, Attribute] = {}
    nested: list[Block] = []
    for key, value in body:
        if key == _COMMENT:
            locator.find(key, whole_value=True)  # what a comment holds is no block's
            continue
        if key in _NESTED_BLOCKS and isinstance(value, (JsonObject, list)):
            written_at = locator.find(key)  # once: an array's entries share the key
            for entry in _objects(value, f'"{key}"'):
                nested.append(_block(key, (), entry, written_at, locator))
            continue
        attribute = _attribute(key, value, locator)
        if key in attributes:
            raise redefined(key, attributes[key].position, attribute.position.line)
        attributes[key] = attribute
    return Block(block_type, labels, attributes, tuple(nested), position)


def _attribute(key: str, value: Any, locator: _Locator) -> Attribute:
    return Attribute(key, value_expr(value), locator.find(key, whole_value=True), _source(plain(value)))


def _attributes(entries: JsonObject, locator: _Locator) -> dict[str, Attribute]:
    attributes: dict[str, Attribute] = {}
    for key, value in entries:
        if key == _COMMENT:
            locator.find(key, whole_value=True)
            continue
        attribute = _attribute(key, value, locator)
        if key in attributes:
            raise redefined(key, attributes[key].position, attribute.position.line)
        attributes[key] = attribute
    return attributes
