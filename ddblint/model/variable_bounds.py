"""The largest size a variable can have, as its author declared it.

A variable without a value has no bound, unless its declaration gives one: a
``validation`` whose condition caps ``length(var.x)`` (``length(var.x) <= 20``,
also inside ``&&``), or a ``type = object({...})`` whose fixed attributes are the
only keys a ``for_each`` over it can see. Terraform rejects any value beyond the
bound, so it is as good as a known size for counting items.
"""

from __future__ import annotations

from typing import Any

from ddblint.parse.syntax import Block

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


def _bound(name: str, expr: Any) -> int | None:
    """The cap a condition puts on ``length(var.name)``; for ``a && b``, the tighter of both."""
    if expr[0] != "op":
        return None
    operator, left, right = expr[1], expr[2], expr[3]
    if operator == "&&":
        found = [b for b in (_bound(name, left), _bound(name, right)) if b is not None]
        return min(found) if found else None
    if _is_length_of(name, right) and operator in _FLIPPED:
        operator, left, right = _FLIPPED[operator], right, left
    if not _is_length_of(name, left) or right[0] != "lit":
        return None
    limit = right[1]
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        return None
    if operator in ("<=", "=="):
        return int(limit)
    if operator == "<":
        return max(int(limit) - 1, 0) if float(limit).is_integer() else int(limit)
    return None


def _is_length_of(name: str, expr: Any) -> bool:
    return (
        expr[0] == "call" and expr[1] == "length" and len(expr[2]) == 1 and expr[2][0] == ("attr", ("ref", "var"), name)
    )


def _object_attributes(expr: Any) -> int | None:
    """``object({a = string, b = string})``: two keys, always."""
    if expr[0] != "call" or expr[1] != "object" or len(expr[2]) != 1 or expr[2][0][0] != "object":
        return None
    return len(expr[2][0][1])
