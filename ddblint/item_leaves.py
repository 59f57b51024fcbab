"""Flatten an item into its named scalar values, whatever shape it is in.

Content rules (app-like data, secrets) ask the same question of every item:
*which attribute holds which value?* DynamoDB JSON wraps every value in a type
descriptor and nests maps and lists, and a broken item may mix typed and bare
values. This walk answers the question for any decoded JSON: it unwraps
descriptors where it finds them, reads bare values where it does not, and
names each scalar by the nearest attribute name above it, so ``{"profile":
{"M": {"email": {"S": "a@b.c"}}}}`` yields ``email`` = ``"a@b.c"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ddblint.dynamo import MAX_NESTING_DEPTH, TYPE_DESCRIPTORS

_SET_KINDS = {"SS": "S", "NS": "N", "BS": "B"}
MAX_LEAVES = 5_000  # per item: enough for any seed item, cheap for a hostile one


@dataclass(frozen=True)
class Leaf:
    """One scalar in an item.

    ``path`` spells its place the way DynamoDB JSON does (``profile.M.email.S``);
    ``name`` is the attribute (or map key) it belongs to; ``kind`` is its type
    descriptor (``S``, ``N``, ...) or ``""`` for a bare JSON value.
    """

    path: str
    name: str
    kind: str
    value: object


def leaves(item: object) -> Iterator[Leaf]:
    """Every scalar of ``item`` in document order; nothing for a non-object."""
    if not isinstance(item, dict):
        return
    stack: list[tuple[str, str, object, int]] = [
        (str(name), str(name), value, 1) for name, value in reversed(list(item.items()))
    ]
    produced = 0
    while stack and produced < MAX_LEAVES:
        path, name, value, depth = stack.pop()
        if depth > MAX_NESTING_DEPTH + 1:
            continue
        found, children = _expand(path, name, value, depth)
        for leaf in found:
            produced += 1
            yield leaf
        stack.extend(reversed(children))


def _expand(path: str, name: str, value: object, depth: int) -> tuple[list[Leaf], list[tuple[str, str, object, int]]]:
    """The scalars ``value`` holds directly, and the nested values still to walk."""
    kind = _descriptor(value)
    if kind is not None:
        assert isinstance(value, dict)
        payload = value[kind]
        typed = f"{path}.{kind}"
        if kind == "M" and isinstance(payload, dict):
            return [], [(f"{typed}.{key}", str(key), inner, depth + 1) for key, inner in payload.items()]
        if kind == "L" and isinstance(payload, list):
            return [], [(f"{typed}[{i}]", name, inner, depth + 1) for i, inner in enumerate(payload)]
        if kind in _SET_KINDS and isinstance(payload, list):
            element = _SET_KINDS[kind]
            return [Leaf(f"{typed}[{i}]", name, element, inner) for i, inner in enumerate(payload)], []
        return [Leaf(typed, name, kind, payload)], []
    if isinstance(value, dict):
        return [], [(f"{path}.{key}", str(key), inner, depth + 1) for key, inner in value.items()]
    if isinstance(value, list):
        return [], [(f"{path}[{i}]", name, inner, depth + 1) for i, inner in enumerate(value)]
    return [Leaf(path, name, "", value)], []


def _descriptor(value: object) -> str | None:
    """The type descriptor of a typed value (``{"S": "x"}``), else None."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in TYPE_DESCRIPTORS:
            return str(key)
    return None


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def name_words(name: str) -> tuple[str, ...]:
    """An attribute name as lower-case words: ``lastLogin``, ``last_login`` and
    ``last-login`` all give ``("last", "login")``, so heuristics match any spelling.
    """
    spaced = _CAMEL_BOUNDARY.sub(" ", name)
    return tuple(word.lower() for word in _SEPARATORS.split(spaced) if word)
