"""The parsed form of a Terraform file: blocks, attributes and expression trees.

Everything here is a plain value so parse results can be cached on disk and
shipped back from worker processes (see :mod:`ddblint.cache.codec`). An
expression is a tree of the typed nodes below (``Expr`` is their union): the
parser builds them, the evaluator interprets them, and a few readers (module
sources, ``lifecycle``, the secret finder) look at their literal parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ddblint.problems import ParseProblem

# Expression nodes: frozen, slotted values, cached as calls to their constructors (see ddblint.cache.codec).

Scalar = str | int | float | bool | None  # what a literal holds


@dataclass(frozen=True, slots=True)
class Literal:
    value: Scalar


@dataclass(frozen=True, slots=True)
class Template:
    """A string with interpolations: literal text and expressions, in order."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """A bare name: ``var``, ``local``, ``each``, a resource type, or a for-expression's variable."""

    name: str


@dataclass(frozen=True, slots=True)
class GetAttr:
    obj: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    obj: Expr
    key: Expr


@dataclass(frozen=True, slots=True)
class SplatAttr:
    """``.name`` applied to every element of a splat."""

    name: str


@dataclass(frozen=True, slots=True)
class SplatIndex:
    """``[key]`` applied to every element of a splat."""

    key: Expr


@dataclass(frozen=True, slots=True)
class Splat:
    obj: Expr
    ops: tuple[SplatAttr | SplatIndex, ...]


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    expand_last: bool = False  # ``f(xs...)``


@dataclass(frozen=True, slots=True)
class BinaryOp:
    operator: str  # one of || && == != < > <= >= + - * / %
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Conditional:
    test: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class TupleExpr:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    elements: tuple[tuple[Expr, Expr], ...]  # (key, value)


@dataclass(frozen=True, slots=True)
class ForExpr:
    """``[for k, v in coll : value if cond]``, or with ``key => value`` (``key`` set) an object."""

    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None for a tuple-producing for-expression
    value: Expr
    condition: Expr | None
    grouped: bool  # ``value...``: values of equal keys are grouped into lists


@dataclass(frozen=True, slots=True)
class Directive:
    """A template directive (``%{ if }``, ``%{ for }``): ddblint evaluates it as unknown."""

    text: str


Expr = (
    Literal
    | Template
    | Reference
    | GetAttr
    | Index
    | Splat
    | Call
    | BinaryOp
    | Not
    | Negate
    | Conditional
    | TupleExpr
    | ObjectExpr
    | ForExpr
    | Directive
)


def nodes(expr: Expr) -> Iterator[object]:
    """Every syntax node in ``expr``, itself included, at any depth; walked without recursion, so no
    expression is too deep for it."""
    pending: list[object] = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, tuple):
            pending.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            yield node
            pending.extend(getattr(node, name) for name in node.__dataclass_fields__)


def referenced_names(expr: Expr) -> set[str]:
    """Every bare name an expression refers to (``var``, ``each``, ``local``, a for-expression's variable...)."""
    return {node.name for node in nodes(expr) if isinstance(node, Reference)}


def literal_string(expr: Expr) -> str | None:
    """The text of a string literal (a bare name counts: ``ignore_changes = [item]``), else None."""
    if isinstance(expr, (Literal, Reference)):
        value = expr.value if isinstance(expr, Literal) else expr.name
        return value if isinstance(value, str) else None
    return None


@dataclass(frozen=True, slots=True)
class Position:
    """1-based start and end of a block or attribute."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    expr: Expr
    position: Position
    source: str  # the expression's text, for messages ("jsondecode(file(...))")


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
