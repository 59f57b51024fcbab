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

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ddblint.dynamodb.item_json import MAX_NESTING_DEPTH, TYPE_DESCRIPTORS

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


def leaves(item: object, limit: int = MAX_LEAVES) -> Iterator[Leaf]:
    """Every scalar of ``item`` in document order; nothing for a non-object.

    Recursive, which is safe: a walk stops one level below DynamoDB's nesting limit.
    At most ``limit`` scalars are produced.
    """
    if not isinstance(item, dict):
        return
    for count, leaf in enumerate(_walk_attributes(item, "", 1)):
        if count >= limit:
            return
        yield leaf


def _walk_attributes(attributes: dict[Any, Any], prefix: str, depth: int) -> Iterator[Leaf]:
    for name, value in attributes.items():
        key = str(name)
        yield from _walk_value(f"{prefix}{key}", key, value, depth)


def _walk_value(path: str, name: str, value: object, depth: int) -> Iterator[Leaf]:
    if depth > MAX_NESTING_DEPTH + 1:
        return
    if isinstance(value, dict):
        kind = _descriptor(value)
        if kind is None:
            yield from _walk_attributes(value, f"{path}.", depth + 1)
            return
        payload = value[kind]
        typed = f"{path}.{kind}"
        if kind == "M" and isinstance(payload, dict):
            yield from _walk_attributes(payload, f"{typed}.", depth + 1)
        elif kind == "L" and isinstance(payload, list):
            for index, element in enumerate(payload):
                yield from _walk_value(f"{typed}[{index}]", name, element, depth + 1)
        elif kind in _SET_KINDS and isinstance(payload, list):
            element_kind = _SET_KINDS[kind]
            for index, element in enumerate(payload):
                yield Leaf(f"{typed}[{index}]", name, element_kind, element)
        else:
            yield Leaf(typed, name, kind, payload)
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from _walk_value(f"{path}[{index}]", name, element, depth + 1)
    else:
        yield Leaf(path, name, "", value)


def _descriptor(value: dict[Any, Any]) -> str | None:
    """The type descriptor of a typed value (``{"S": "x"}``), else None."""
    if len(value) == 1:
        key = next(iter(value))
        if key in TYPE_DESCRIPTORS:
            return str(key)
    return None


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


@functools.lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """An attribute name as lower-case words: ``lastLogin``, ``LastLogin``, ``last_login`` and
    ``last-login`` all give ``("last", "login")``, and ``SSOUserEmail`` gives ``("sso", "user",
    "email")``, so heuristics match any spelling.
    Cached: the items of a set repeat the same few names thousands of times.
    """
    spaced = _CAMEL_BOUNDARY.sub(" ", name)
    return tuple(word.lower() for word in _SEPARATORS.split(spaced) if word)
