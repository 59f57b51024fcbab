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
from ddblint.parse.syntax import Attribute, Block, Expr, Position

_NESTED_BLOCKS = {"lifecycle", "attribute", "global_secondary_index", "local_secondary_index", "ttl"}
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}


def value_expr(value: Any) -> Expr:
    if isinstance(value, str):
        return template_from_text(value)
    if isinstance(value, list):
        return ("tuple", tuple(value_expr(v) for v in value))
    if isinstance(value, dict):
        return ("object", tuple((("lit", k), value_expr(v)) for k, v in value.items()))
    return ("lit", value)


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
        attributes[key] = Attribute(key, value_expr(value), locator.find(key), json.dumps(value)[:200])
    return Block(block_type, labels, attributes, tuple(nested), position)


def _attributes(entries: dict[str, Any], locator: _Locator) -> dict[str, Attribute]:
    return {
        key: Attribute(key, value_expr(value), locator.find(key), json.dumps(value)[:200])
        for key, value in entries.items()
    }
