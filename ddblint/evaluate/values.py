"""Values the evaluator produces besides plain Python data.

Known values are plain Python: ``None``, ``bool``, ``int``/``float``, ``str``,
``list`` (tuples and lists), ``dict`` (objects and maps) and :class:`TfSet`.
What cannot be known at lint time is an explicit :class:`Unknown` that says
why; a collection too large to build is a :class:`Sized` that keeps only its
size. Rules never guess from an ``Unknown``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from ddblint.untrusted.numbers import bounded_number, number_from_digits, whole_number

__all__ = [
    "EvalError",
    "NotJsonable",
    "Sized",
    "TfSet",
    "Unknown",
    "bounded_number",
    "number_from_digits",
    "whole_number",
]


class EvalError(Exception):
    """A value an expression cannot be given, as Terraform would refuse it; becomes an Unknown."""


# Why a value is unknown when computing it would cost more than a run allows.
BUDGET_EXCEEDED = "too costly to evaluate (step or string budget exceeded)"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value ddblint cannot know before ``terraform apply`` (or chose not to compute).

    ``origin`` names where it comes from (``var.users``, ``data.aws_s3_object.x``);
    ``bound`` is the largest number or size it can take, when that is known
    (a toggle ``var.on ? 1 : 0`` has bound 1); ``nondeterministic`` marks values
    that change on every run (``timestamp()``); ``resource`` is the address of a
    referenced resource, so ``aws_dynamodb_table.x.name`` still identifies its table;
    ``external`` marks values only Terraform can know (variables without a value,
    data sources, resource attributes), as opposed to what ddblint chose not to compute.
    """

    reason: str
    origin: str = ""
    bound: int | None = None
    nondeterministic: bool = False
    resource: tuple[str, str] | None = None  # (module address, resource address)
    external: bool = False

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


# Origins of the unknowns that stand for ``each.key``, ``each.value`` and ``count.index`` when an
# item set's template is evaluated: a value with one of these differs from instance to instance.
ITERATED_ORIGINS = ("each.key", "each.value", "count.index")


def is_iterated(value: object) -> bool:
    """Whether ``value`` is what the iterated collection gives each instance of a template."""
    return isinstance(value, Unknown) and value.origin in ITERATED_ORIGINS


@dataclass(frozen=True, slots=True)
class Sized:
    """A collection too large to build: ``range(100000000)`` is a size, not a list."""

    size: int
    what: str
    exact: bool = True


class TfSet(tuple[object, ...]):
    """A Terraform set: ordered, duplicate-free; ``for_each`` keys are its elements."""


def first_unknown(*values: object) -> Unknown | None:
    for value in values:
        if isinstance(value, Unknown):
            return value
    return None


def contains_unknown(value: object, depth: int = 0) -> Unknown | None:
    """The first Unknown anywhere inside ``value`` (Sized counts as unknown content)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Sized):
        return Unknown(f"{value.what} is too large to evaluate", value.what)
    if depth > 200:
        return Unknown("value nests too deeply")
    if isinstance(value, dict):
        for item in value.values():
            found = contains_unknown(item, depth + 1)
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for item in value:
            found = contains_unknown(item, depth + 1)
            if found is not None:
                return found
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 bytes of a string; a lone surrogate (from an escape or a file name) becomes U+FFFD, as in Go."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def to_string(value: object) -> str:
    """HCL's conversion of a primitive to string (``true``, ``1``, ``1.5``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if value is None:
        return ""
    return str(value)


class NotJsonable(EvalError):
    """A value with no JSON form: an Unknown or Sized inside a collection, infinity, NaN."""


def to_json(value: object) -> str:
    """``jsonencode``: compact JSON, map keys sorted as Terraform does.

    Raises :class:`NotJsonable` for what Terraform could not encode either, so
    the caller makes that expression unknown rather than the run fail.
    """
    return encode_json(value)[0]


# Past this many bits an integer may have more digits than decoding keeps as a number (see number_from_digits).
_DECODED_INTEGER_BITS = 996


def encode_json(value: object) -> tuple[str, object]:
    """:func:`to_json`'s text, and the value decoding that text gives back, found without decoding it.

    The second part is what :func:`ddblint.untrusted.safe_json.loads` makes of the
    text: objects with their keys in sorted order, lists for tuples and sets,
    whole floats as ints. An item written ``jsonencode({...})`` reaches the rules
    as this value, so its text is never decoded. Only an integer too long for
    decoding to keep (it becomes infinity there) sends the text through the decoder.
    """
    long_integers: list[int] = []
    plain = _plain(value, long_integers)
    text = json.dumps(plain, separators=(",", ":"), sort_keys=True, ensure_ascii=False, allow_nan=False)
    if long_integers:
        from ddblint.untrusted import safe_json

        return text, safe_json.loads(text)
    return text, plain


def _plain(value: object, long_integers: list[int]) -> object:
    """``value`` as JSON data: sorted string keys, lists, finite numbers; collects integers too long to decode."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJsonable(f"{value} has no JSON form")
        return int(value) if value.is_integer() and abs(value) < 1e16 else value
    if isinstance(value, dict):
        converted = {to_string(k): _plain(v, long_integers) for k, v in value.items()}
        return dict(sorted(converted.items(), key=_pair_key)) if len(converted) > 1 else converted
    if isinstance(value, (list, tuple)):
        return [_plain(v, long_integers) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _DECODED_INTEGER_BITS:
        long_integers.append(value)
        return value
    if value is None or isinstance(value, (str, int)):
        return value
    unknown = contains_unknown(value)
    raise NotJsonable(unknown.reason if unknown is not None else f"a {type_name(value)} has no JSON form")


def _pair_key(pair: tuple[str, object]) -> str:
    return pair[0]


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, TfSet):
        return "set"
    if isinstance(value, (list, tuple)):
        return "tuple"
    return type(value).__name__


def size_of(value: object) -> int | None:
    """Number of elements of a collection, also for a :class:`Sized`; None if not one."""
    if isinstance(value, Sized):
        return value.size
    if isinstance(value, (dict, list, tuple, str)):
        return len(value)
    return None


_NOT_NUMERALS = {"nan", "inf", "infinity"}  # Python's float() reads these; Terraform does not


def to_number(value: object) -> int | float | None:
    """A Terraform number from a number or a numeric string (``"42"``, ``"1.5e3"``); None otherwise.

    Booleans are not numbers. A string that spells a whole number becomes an int,
    as Terraform prints it; the one number parser of arithmetic and of ``tonumber()``.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if value.strip().lower().lstrip("+-") in _NOT_NUMERALS:
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        return whole(number)
    return None


def whole(number: float) -> int | float:
    """``2.0`` as ``2``: a result that is a whole number is one."""
    return int(number) if math.isfinite(number) and float(number).is_integer() else number


def expanded_size(value: object, limit: int) -> int:
    """Characters plus list and map entries of ``value`` with every shared part counted each time it occurs.

    ``a1 = [a0, a0]``, ``a2 = [a1, a1]``... costs nothing to build, since each
    level only refers to the one below; encoding or flattening ``a40`` would
    build 2**40 copies. Sizes of shared parts are remembered, so this takes
    time in the number of distinct parts, and stops counting past ``limit``.
    """
    if isinstance(value, str):
        return len(value)
    return _size(value, 0, limit, {}) if isinstance(value, (list, tuple, dict)) else 1


def _size(
    part: list[object] | tuple[object, ...] | dict[str, object], depth: int, limit: int, known: dict[int, int]
) -> int:
    """:func:`expanded_size` of a container; a module function, not a closure that calls itself.

    A nested function that refers to itself is a reference cycle, freed only when
    the garbage collector next runs its oldest generation: one per evaluated
    call, they piled up over a run.
    """
    remembered = known.get(id(part))
    if remembered is not None:
        return remembered
    total = len(part)
    for element in part.values() if isinstance(part, dict) else part:
        if isinstance(element, str):
            total += len(element)
        elif isinstance(element, (list, tuple, dict)) and depth < 200:
            total += _size(element, depth + 1, limit, known)
            if total > limit:
                break
    known[id(part)] = total
    return total
