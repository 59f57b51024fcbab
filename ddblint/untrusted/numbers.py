"""Numbers as ddblint keeps them: never larger than a double can hold, never a conversion error.

Terraform's numbers are arbitrary-precision floats; Python's integers grow
without limit and refuse to convert past 4,300 digits (to or from text). Every
integer that enters an evaluation (a literal, decoded JSON or YAML, the result
of arithmetic) goes through :func:`bounded_number` or :func:`number_from_digits`,
and every place that needs a whole number (a count, an index, a width) asks
:func:`whole_number`, which answers None for infinity, NaN or a fraction.
"""

from __future__ import annotations

import math
from typing import Any

MAX_INTEGER_BITS = 1000  # past a double's range an integer is kept as a float: inf for what no count can reach


def bounded_number(value: int | float) -> int | float:
    """A number as the evaluator keeps it: an integer too large for a double becomes +-inf.

    Python's integers grow without limit, so repeated squaring builds numbers of
    millions of digits, and printing one past 4,300 digits raises. Terraform's
    numbers are big floats; no count, index or length can be that large, so
    keeping the sign is all that matters.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INTEGER_BITS:
        return math.inf if value > 0 else -math.inf
    return value


def number_from_digits(text: str) -> int | float:
    """An integer literal (HCL, JSON, YAML): never a 4,300-digit conversion error, never a huge int."""
    negative = text.startswith("-")
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 300:  # more than MAX_INTEGER_BITS hold
        return -math.inf if negative else math.inf
    number = int(digits)
    return bounded_number(-number if negative else number)


def whole_number(value: Any) -> int | None:
    """The integer a number stands for where Terraform needs a whole number (count, an index, a width).

    None for what no integer can be: infinity, NaN, a fraction, or not a number
    at all; callers turn that into an Unknown or an error for that expression.
    Strings are converted as Terraform converts them (``count = "500"``).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None
