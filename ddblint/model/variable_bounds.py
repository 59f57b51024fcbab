"""The largest size a variable can have, as its author declared it.

A variable without a value has no bound, unless its declaration gives one: a
``validation`` whose condition caps ``length(var.x)`` (``length(var.x) <= 20``,
also inside ``&&``), or a ``type = object({...})`` whose fixed attributes are the
only keys a ``for_each`` over it can see. Terraform rejects any value beyond the
bound, so it is as good as a known size for counting items.
"""

from __future__ import annotations

from ddblint.parse.syntax import BinaryOp, Block, Call, Expr, GetAttr, Literal, ObjectExpr, Reference

_FLIPPED = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "==": "=="}


def declared_size_bound(name: str, block: Block) -> int | None:
    """The smallest bound the declaration of variable ``name`` gives its size, or None."""
    bounds = [b for v in block.blocks_of("validation") if (b := _validation_bound(name, v)) is not None]
    type_attr = block.attributes.get("type")
    if type_attr is not None:
        fixed = _object_attributes(type_attr.expr)
        if fixed is not None:
            bounds.append(fixed)
    return min(bounds) if bounds else None


def _validation_bound(name: str, validation: Block) -> int | None:
    condition = validation.attributes.get("condition")
    return _bound(name, condition.expr) if condition is not None else None


def _bound(name: str, expr: Expr) -> int | None:
    """The cap a condition puts on ``length(var.name)``; for ``a && b``, the tighter of both."""
    if not isinstance(expr, BinaryOp):
        return None
    operator, left, right = expr.operator, expr.lhs, expr.rhs
    if operator == "&&":
        found = [b for b in (_bound(name, left), _bound(name, right)) if b is not None]
        return min(found) if found else None
    if _is_length_of(name, right) and operator in _FLIPPED:
        operator, left, right = _FLIPPED[operator], right, left
    if not _is_length_of(name, left) or not isinstance(right, Literal):
        return None
    limit = right.value
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        return None
    if operator in ("<=", "=="):
        return int(limit)
    if operator == "<":
        return max(int(limit) - 1, 0) if float(limit).is_integer() else int(limit)
    return None


def _is_length_of(name: str, expr: Expr) -> bool:
    return isinstance(expr, Call) and expr.name == "length" and expr.args == (GetAttr(Reference("var"), name),)


def _object_attributes(expr: Expr) -> int | None:
    """``object({a = string, b = string})``: two keys, always."""
    if not isinstance(expr, Call) or expr.name != "object" or len(expr.args) != 1:
        return None
    (argument,) = expr.args
    return len(argument.elements) if isinstance(argument, ObjectExpr) else None
