"""The parsed form of a Terraform file: blocks, attributes and expression trees.

Everything here is a plain, picklable value so parse results can be cached on
disk and shipped back from worker processes. Expressions are small tuples whose
first element names the node kind (see ``Expr``); the evaluator is the only
code that interprets them.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ddblint.cache.pickling import pickled_by_constructor
from ddblint.problems import ParseProblem

# An expression node: ("lit", value) | ("template", parts) | ("ref", name)
# | ("attr", obj, name) | ("index", obj, key) | ("splat", obj, ops)
# | ("call", name, args, expand_last) | ("op", operator, lhs, rhs)
# | ("not", e) | ("neg", e) | ("cond", test, then, else)
# | ("tuple", items) | ("object", ((key, value), ...))
# | ("for", key_var, value_var, collection, key_expr, value_expr, condition, grouped)
# | ("directive", text)   -- template directives, evaluated as unknown
# ``key_expr`` is None for a tuple-producing for-expression.
Expr = tuple[Any, ...]


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Position:
    """1-based start and end of a block or attribute."""

    line: int
    column: int
    end_line: int
    end_column: int


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    expr: Expr
    position: Position
    source: str  # the expression's text, for messages ("jsondecode(file(...))")


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    position: Position

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


@dataclass(slots=True)
class ParsedFile:
    """One file's top-level blocks (``.tf``) or attributes (``.tfvars``)."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    problem: ParseProblem | None = None
    # (line, comment text) of every comment that mentions "ddblint:", for suppressions
    directives: list[tuple[int, str]] = field(default_factory=list)


DEEP_TREE_LIMIT = 20000  # recursion room for the deepest tree the parser accepts


@contextlib.contextmanager
def room_for_deep_trees() -> Iterator[None]:
    """Deeply nested expressions are legal HCL; converting or pickling their trees recurses
    once per level, so raise the recursion limit for the duration, then restore it."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, DEEP_TREE_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
