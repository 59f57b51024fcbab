"""Terraform's JSON syntax (``*.tf.json``) mapped onto the same blocks as native HCL.

JSON has no expression syntax of its own: strings are templates (``"${...}"``),
other values are literals. Positions come from finding each block's key in the
text, which is exact for the usual one-key-per-line layout.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ddblint.parse.hcl import template_from_text
from ddblint.parse.syntax import Attribute, Block, Expr, Literal, ObjectExpr, Position, TupleExpr

_NESTED_BLOCKS = {"lifecycle", "attribute", "global_secondary_index", "local_secondary_index", "ttl"}
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}


def value_expr(value: Any) -> Expr:
    """A decoded JSON value as an expression: strings are templates, lists tuples, objects objects."""
    if isinstance(value, str):
        return template_from_text(value)
    if isinstance(value, list):
        return TupleExpr(tuple([value_expr(v) for v in value]))
    if isinstance(value, dict):
        return ObjectExpr(tuple([(Literal(k), value_expr(v)) for k, v in value.items()]))
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


class _Locator:
    """Finds the line of a JSON key, searching forward so repeated names resolve in order."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._cursor = 0

    def find(self, key: str) -> Position:
        match = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(self._text, self._cursor)
        if match is None:
            return Position(1, 1, 1, 1)
        self._cursor = match.end()
        line = self._text.count("\n", 0, match.start()) + 1
        column = match.start() - (self._text.rfind("\n", 0, match.start()) + 1) + 1
        return Position(line, column, line, column + len(key) + 2)


def blocks_from_json(
    document: dict[str, Any], text: str, tfvars: bool = False
) -> tuple[list[Block], dict[str, Attribute]]:
    locator = _Locator(text)
    if tfvars:
        return [], _attributes(document, locator)
    blocks: list[Block] = []
    for block_type, content in document.items():
        if block_type == "locals":
            for entry in content if isinstance(content, list) else [content]:
                blocks.append(Block("locals", (), _attributes(entry, locator), (), locator.find("locals")))
            continue
        depth = _LABELS.get(block_type)
        if depth is None or not isinstance(content, dict):
            continue
        blocks.extend(_labelled(block_type, content, depth, (), locator))
    return blocks, {}


def _labelled(
    block_type: str, content: dict[str, Any], depth: int, labels: tuple[str, ...], locator: _Locator
) -> list[Block]:
    found: list[Block] = []
    for label, inner in content.items():
        position = locator.find(label)
        if depth > 1 and isinstance(inner, dict):
            found.extend(_labelled(block_type, inner, depth - 1, labels + (label,), locator))
            continue
        for body in inner if isinstance(inner, list) else [inner]:
            if isinstance(body, dict):
                found.append(_block(block_type, labels + (label,), body, position, locator))
    return found


def _block(
    block_type: str, labels: tuple[str, ...], body: dict[str, Any], position: Position, locator: _Locator
) -> Block:
    attributes: dict[str, Attribute] = {}
    nested: list[Block] = []
    for key, value in body.items():
        if key in _NESTED_BLOCKS and isinstance(value, (dict, list)):
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, dict):
                    nested.append(_block(key, (), entry, locator.find(key), locator))
            continue
        attributes[key] = Attribute(key, value_expr(value), locator.find(key), _source(value))
    return Block(block_type, labels, attributes, tuple(nested), position)


def _attributes(entries: dict[str, Any], locator: _Locator) -> dict[str, Attribute]:
    return {key: Attribute(key, value_expr(value), locator.find(key), _source(value)) for key, value in entries.items()}
