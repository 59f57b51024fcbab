"""DynamoDB JSON items: validation, size, and conversion to plain Python values.

``aws_dynamodb_table_item.item`` is DynamoDB JSON: every attribute value is an
object with one type descriptor (``{"N": "42"}``). Mistakes there only surface
at ``terraform apply``, as an API error far from the line that caused it, so
ddblint checks the item against DynamoDB's data model before anything runs.

Everything here is pure and standard-library only. It takes the decoded JSON
value and never trusts its shape: traversal is iterative and stops at
DynamoDB's nesting limit, so hostile input yields problems, not a crash.

Facts used (Amazon DynamoDB Developer Guide: "Supported data types and naming
rules", "DynamoDB item sizes and formats", "Quotas"):

* numbers travel as strings, hold at most 38 significant digits (leading and
  trailing zeros are trimmed, so they do not count) and have a magnitude from
  1E-130 to 9.9999999999999999999999999999999999999E+125, or are zero;
* sets are never empty and hold unique values; empty strings and empty binary
  values are allowed inside them;
* maps and lists nest at most 32 levels, the top-level attribute being level 1;
* attribute names are at least one character and under 64 KB;
* an item is at most 400 KB, measured with the rules in :func:`item_size`.
"""

from __future__ import annotations

import base64
import difflib
import functools
import json
import math
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

__all__ = [
    "DYNAMODB_ITEM_LIMIT",
    "MAX_NESTING_DEPTH",
    "TYPE_DESCRIPTORS",
    "ItemProblem",
    "attribute_type",
    "item_size",
    "plain_value",
    "validate_item",
]

DYNAMODB_ITEM_LIMIT = 400 * 1024
"""Largest item DynamoDB stores, in bytes as :func:`item_size` counts them."""

MAX_NESTING_DEPTH = 32
"""Deepest level a value may sit at; a top-level attribute's value is level 1."""

TYPE_DESCRIPTORS = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")

# Number limits. Exponents are those of the first significant digit, so
# 9.99...E+125 has exponent 125 and 1E-130 has exponent -130.
MAX_SIGNIFICANT_DIGITS = 38
MAX_NUMBER_EXPONENT = 125
MIN_NUMBER_EXPONENT = -130

MAX_NAME_BYTES = 64 * 1024 - 1  # attribute names must be *under* 64 KB

# Size rules, in bytes (Developer Guide, "DynamoDB item sizes and formats").
NUMBER_BASE_SIZE = 1  # every number costs 1 byte on top of its digits ...
DIGITS_PER_BYTE = 2  # ... plus 1 byte per two significant digits, rounded up
FLAG_SIZE = 1  # a NULL or BOOL value
DOCUMENT_OVERHEAD = 3  # a Map or List, whatever it contains (so also when empty)
ELEMENT_OVERHEAD = 1  # each element of a Map or List, on top of the element

PREVIEW_CHARS = 40  # how much of a real value a message quotes

# Exponent digits beyond this are out of range whatever the mantissa; the cap
# keeps int() away from hostile exponents with thousands of digits.
_EXPONENT_DIGIT_CAP = 20

_NUMBER_SYNTAX = re.compile(r"([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_BASE64_SYNTAX = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_NOT_BASE64_ALPHABET = re.compile(r"[^A-Za-z0-9+/=]")
_NOT_LETTER = re.compile(r"[^A-Z]")

# Names people write instead of a descriptor, folded to upper-case letters only.
_DESCRIPTOR_ALIASES = {
    "STRING": "S",
    "STR": "S",
    "NUMBER": "N",
    "NUM": "N",
    "INT": "N",
    "INTEGER": "N",
    "FLOAT": "N",
    "DECIMAL": "N",
    "BINARY": "B",
    "BYTES": "B",
    "STRINGSET": "SS",
    "NUMBERSET": "NS",
    "BINARYSET": "BS",
    "MAP": "M",
    "OBJECT": "M",
    "DICT": "M",
    "LIST": "L",
    "ARRAY": "L",
    "BOOLEAN": "BOOL",
    "NONE": "NULL",
    "NIL": "NULL",
}

_SET_ELEMENT_TYPE = {"SS": "S", "NS": "N", "BS": "B"}
_ELEMENT_NOUN = {"S": "strings", "N": "numbers written as strings", "B": "base64 strings"}


@dataclass(frozen=True)
class ItemProblem:
    """One way an item breaks DynamoDB's data model.

    ``path`` locates the offending value the way DynamoDB JSON spells it
    (``profile.M.tags.SS[1]``, ``list.L[2].S``; ``""`` is the item itself), so
    a finding can point at it without re-walking the item.
    """

    path: str
    message: str


@dataclass(frozen=True)
class _Number:
    """A DynamoDB number reduced to what its limits, size and equality depend on."""

    negative: bool
    digits: str  # significant digits, without leading or trailing zeros; "" is zero
    exponent: int  # power of ten of the first significant digit; 0 for zero

    @property
    def key(self) -> tuple[bool, str, int]:
        """Equal for equal numbers however written ("1", "1.0", "+10e-1", and "-0", "0")."""
        return (self.negative, self.digits, self.exponent)


@dataclass(frozen=True)
class _Node:
    """A value still to be checked: where it is, the name it sits under, how deep."""

    path: str
    name: object | None  # the map key or top-level name; None inside a list
    value: object
    level: int


# ---------------------------------------------------------------------------
# Public API


def validate_item(item: object) -> list[ItemProblem]:
    """Every way ``item`` breaks DynamoDB's data model, in document order.

    An empty list means DynamoDB would accept the item's shape and values; key
    attributes and item size are separate checks because they need the table
    or a threshold.
    """
    if not isinstance(item, dict):
        message = f"an item must be a JSON object of attributes, not {_describe(item)}"
        return [ItemProblem("", message)]
    if not item:
        return [ItemProblem("", "the item has no attributes; it needs at least its key")]
    problems: list[ItemProblem] = []
    for name, value in item.items():  # most attributes are scalars: checked without a walk
        scalar = _scalar_entry(name, value, 1)
        if scalar is None:
            problems.extend(_walk([_Node(_join("", name), name, value, 1)]))
        elif found := _scalar_problems(name, *scalar):
            problems.extend(_located(_join("", name), scalar[0], found))
    return problems


def item_size(item: dict[str, Any]) -> int:
    """The item's size in bytes, computed as DynamoDB meters it.

    Names and strings count their UTF-8 bytes, binary values their raw bytes,
    numbers 1 byte per two significant digits plus 1; NULL and BOOL 1 byte;
    sets the sum of their elements; a map or list 3 bytes plus 1 per element
    plus the elements (a map element includes its name). The number rule is
    the guide's own approximation. Raises ``ValueError`` for an invalid item:
    its size would be meaningless.
    """
    _require_valid(validate_item(item), "size")
    total = 0
    pending: list[object] = []
    for name, value in item.items():
        total += _utf8_size(name)
        pending.append(value)
    while pending:
        kind, payload = _descriptor_entry(pending.pop())
        total += _own_size(kind, payload)
        pending.extend(_nested_values(kind, payload))
    return total


def attribute_type(descriptor: object) -> str | None:
    """The type descriptor (``"S"``, ``"NS"``, ...) of an attribute value, or None.

    Only the shape is checked (one known descriptor key), not the payload, so
    rules can compare key types even on items with other problems.
    """
    if not isinstance(descriptor, dict) or len(descriptor) != 1:
        return None
    kind = next(iter(descriptor))
    return kind if kind in TYPE_DESCRIPTORS else None


def plain_value(descriptor: dict[str, Any]) -> object:
    """The plain Python value an attribute value stands for.

    S -> str, N -> int when integral else Decimal (exact, never float), B ->
    bytes, SS/NS/BS -> list in written order, M -> dict, L -> list, NULL ->
    None, BOOL -> bool. Raises ``ValueError`` for an invalid attribute value
    rather than guessing what it meant.
    """
    _require_valid(_walk([_Node("", None, descriptor, 1)]), "convert")
    return _convert(descriptor)


# ---------------------------------------------------------------------------
# Validation walk


def _walk(roots: list[_Node]) -> list[ItemProblem]:
    """Check values depth-first with an explicit stack: no recursion to exhaust."""
    problems: list[ItemProblem] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        found, children = _inspect(node)
        problems.extend(found)
        stack.extend(reversed(children))
    return problems


def _inspect(node: _Node) -> tuple[list[ItemProblem], list[_Node]]:
    """Problems of one value itself, and the nested values still to check."""
    scalar = _scalar_entry(node.name, node.value, node.level)
    if scalar is not None:
        return _located(node.path, scalar[0], _scalar_problems(node.name, *scalar)), []
    problems = [ItemProblem(node.path, m) for m in _name_problems(node.name)]
    if node.level > MAX_NESTING_DEPTH:
        message = (
            f"this value is nested {node.level} levels deep; DynamoDB allows "
            f"{MAX_NESTING_DEPTH} levels of maps and lists, counting the attribute itself"
        )
        return [*problems, ItemProblem(node.path, message)], []
    shape_problem = _descriptor_problem(node.value)
    if shape_problem is not None:
        return [*problems, ItemProblem(node.path, shape_problem)], []
    kind, payload = _descriptor_entry(node.value)
    typed_path = _join(node.path, kind)
    if kind in ("M", "L"):
        document_problem = _document_problem(kind, payload)
        if document_problem is not None:
            return [*problems, ItemProblem(typed_path, document_problem)], []
        return problems, _document_children(typed_path, kind, payload, node.level + 1)
    found = [ItemProblem(typed_path + suffix, m) for suffix, m in _payload_problems(kind, payload)]
    return problems + found, []


_SCALAR_KINDS = frozenset(("S", "N", "B", "NULL", "BOOL"))


def _scalar_entry(name: object, value: object, level: int) -> tuple[str, str | bool | None] | None:
    """``(kind, payload)`` of a scalar attribute value whose check depends on nothing else, or None."""
    if type(value) is not dict or len(value) != 1 or level > MAX_NESTING_DEPTH:
        return None
    if name is not None and type(name) is not str:
        return None
    ((kind, payload),) = value.items()
    if kind not in _SCALAR_KINDS or not (payload is None or type(payload) in (str, bool)):
        return None
    return kind, payload


@functools.lru_cache(maxsize=65536)
def _scalar_problems(name: str | None, kind: str, payload: str | bool | None) -> tuple[tuple[bool, str, str], ...]:
    """``(under the type descriptor, path suffix, message)`` for one scalar attribute value.

    A pure function of the name and the value, so cached: the items of a set
    repeat the same names, statuses and flags thousands of times.
    """
    named = tuple((False, "", message) for message in _name_problems(name))
    shape_problem = _descriptor_problem({kind: payload})
    if shape_problem is not None:
        return (*named, (False, "", shape_problem))
    return (*named, *((True, suffix, message) for suffix, message in _payload_problems(kind, payload)))


def _located(path: str, kind: str, found: tuple[tuple[bool, str, str], ...]) -> list[ItemProblem]:
    """:func:`_scalar_problems` placed at the value's path (or under its type descriptor)."""
    typed_path = _join(path, kind)
    return [ItemProblem(typed_path + suffix if typed else path, message) for typed, suffix, message in found]


def _document_children(path: str, kind: str, payload: Any, level: int) -> list[_Node]:
    """The values inside a map or list, one level deeper."""
    if kind == "M":
        return [_Node(_join(path, name), name, value, level) for name, value in payload.items()]
    return [_Node(f"{path}[{index}]", None, value, level) for index, value in enumerate(payload)]


def _name_problems(name: object | None) -> list[str]:
    """Why a top-level or map attribute name is unusable (none inside lists)."""
    if name is None:
        return []
    if not isinstance(name, str):
        return [f"attribute names are strings, not {_describe(name)}"]
    if not name:
        return ["the attribute name is empty; names need at least one character"]
    if not _is_utf8(name):
        return [f"the attribute name {_show(name)} contains a lone surrogate, not valid UTF-8"]
    size = _utf8_size(name)
    if size > MAX_NAME_BYTES:
        return [f"the attribute name is {size:,} bytes; DynamoDB names must be under 64 KB"]
    return []


def _descriptor_problem(value: object) -> str | None:
    """Why a value is not an object with exactly one known type descriptor."""
    if not isinstance(value, dict):
        return _plain_value_message(value)
    if not value:
        return f"the attribute value {{}} has no type descriptor; use one of {_valid_list()}"
    unknown = [key for key in value if key not in TYPE_DESCRIPTORS]
    if unknown:
        return _unknown_descriptor_message(unknown[0])
    if len(value) > 1:
        kinds = ", ".join(str(key) for key in value)
        return f"the attribute value has {len(value)} type descriptors ({kinds}); use exactly one"
    return None


def _plain_value_message(value: object) -> str:
    """Explain a bare JSON value where a typed one belongs, showing the typed form."""
    message = f'an attribute value is an object like {{"S": ...}}, not {_describe(value)}'
    typed = _typed_form(value)
    return message if typed is None else f"{message}; write {typed}"


def _typed_form(value: object) -> str | None:
    """The DynamoDB JSON a bare scalar most likely meant."""
    if value is None:
        return '{"NULL": true}'
    if isinstance(value, bool):
        return f'{{"BOOL": {_json_scalar(value)}}}'
    if _is_finite_number(value):
        text = _number_text(value)
        return None if text is None else f'{{"N": "{text}"}}'
    if isinstance(value, str):
        return f'{{"S": {_show(value)}}}'
    return None


def _unknown_descriptor_message(key: object) -> str:
    """Name the bad descriptor, the valid set, and the likely intended one."""
    shown = _show(key) if isinstance(key, str) else _describe(key)
    message = f"{shown} is not a DynamoDB type descriptor; valid ones are {_valid_list()}"
    guess = _closest_descriptor(key)
    return message if guess is None else f'{message}; did you mean "{guess}"?'


def _closest_descriptor(key: object) -> str | None:
    """The descriptor a near miss meant: "s" -> "S", "String" -> "S", "NUL" -> "NULL"."""
    if not isinstance(key, str) or len(key) > 24:
        return None
    folded = _NOT_LETTER.sub("", key.upper())
    if folded in TYPE_DESCRIPTORS:
        return folded
    if folded in _DESCRIPTOR_ALIASES:
        return _DESCRIPTOR_ALIASES[folded]
    candidates = [*TYPE_DESCRIPTORS, *_DESCRIPTOR_ALIASES]
    close = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.75)
    return _DESCRIPTOR_ALIASES.get(close[0], close[0]) if close else None


def _document_problem(kind: str, payload: object) -> str | None:
    """Why an M payload is not an object, or an L payload not an array."""
    if kind == "M" and not isinstance(payload, dict):
        return f"M holds a JSON object of named attribute values, not {_describe(payload)}"
    if kind == "L" and not isinstance(payload, list):
        return f"L holds a JSON array of attribute values, not {_describe(payload)}"
    return None


def _payload_problems(kind: str, payload: object) -> list[tuple[str, str]]:
    """(path suffix, message) pairs for a scalar or set payload."""
    if kind in _SET_ELEMENT_TYPE:
        return _set_problems(kind, payload)
    if kind == "NULL":
        return [] if payload is True else [("", _null_message(payload))]
    if kind == "BOOL":
        return [] if isinstance(payload, bool) else [("", _bool_message(payload))]
    problem = _SCALAR_PROBLEM[kind](payload)
    return [] if problem is None else [("", problem)]


def _null_message(payload: object) -> str:
    """NULL has one spelling; ``false`` in particular does not mean "not null"."""
    return f'NULL must be true (a null is written {{"NULL": true}}), not {_describe(payload)}'


def _bool_message(payload: object) -> str:
    """BOOL takes a JSON boolean; "true" as a string is a common slip."""
    return f"BOOL needs a JSON boolean, true or false, not {_describe(payload)}"


def _set_problems(kind: str, payload: object) -> list[tuple[str, str]]:
    """Shape, elements and uniqueness of an SS, NS or BS payload."""
    element_type = _SET_ELEMENT_TYPE[kind]
    if not isinstance(payload, list):
        noun = _ELEMENT_NOUN[element_type]
        return [("", f"{kind} holds a JSON array of {noun}, not {_describe(payload)}")]
    if not payload:
        return [("", f"{kind} is empty; DynamoDB has no empty sets, so leave the attribute out")]
    problems: list[tuple[str, str]] = []
    valid: list[tuple[int, Any]] = []
    for index, element in enumerate(payload):
        problem = _SCALAR_PROBLEM[element_type](element)
        if problem is None:
            valid.append((index, element))
        else:
            problems.append((f"[{index}]", problem))
    problems.extend(_duplicate_problems(valid, _SET_KEY[element_type]))
    problems.sort(key=lambda found: _index_of(found[0]))
    return problems


def _duplicate_problems(elements: Iterable[tuple[int, Any]], key: Callable[[Any], Hashable]) -> list[tuple[str, str]]:
    """Flag every element equal (by ``key``) to an earlier one: sets hold unique values."""
    first_seen: dict[Hashable, tuple[int, Any]] = {}
    problems: list[tuple[str, str]] = []
    for index, element in elements:
        identity = key(element)
        if identity not in first_seen:
            first_seen[identity] = (index, element)
            continue
        earlier, original = first_seen[identity]
        if element == original:
            message = f"{_show(element)} repeats element [{earlier}]; set values must be unique"
        else:
            message = (
                f"{_show(element)} is the same value as {_show(original)} at [{earlier}]; set values must be unique"
            )
        problems.append((f"[{index}]", message))
    return problems


def _index_of(suffix: str) -> int:
    """Sort key for "[3]"-style suffixes."""
    return int(suffix[1:-1]) if suffix else -1


# ---------------------------------------------------------------------------
# Scalars: S, N, B


def _string_problem(value: object) -> str | None:
    """S values (and SS elements): any string DynamoDB can read as UTF-8, even empty."""
    if not isinstance(value, str):
        return f"expected a string, not {_describe(value)}"
    if not _is_utf8(value):
        return f"{_show(value)} contains a lone surrogate, which is not valid UTF-8"
    return None


def _number_problem(value: object) -> str | None:
    """N values (and NS elements): a decimal in a string, within DynamoDB's limits."""
    if not isinstance(value, str):
        return _number_type_message(value)
    number = _parse_number(value)
    if number is None:
        return _number_syntax_message(value)
    if len(number.digits) > MAX_SIGNIFICANT_DIGITS:
        return (
            f"{_show(value)} has {len(number.digits)} significant digits; "
            f"DynamoDB keeps at most {MAX_SIGNIFICANT_DIGITS}"
        )
    return _number_range_message(value, number)


def _number_type_message(value: object) -> str:
    """A JSON number is the usual mistake: DynamoDB JSON quotes numbers."""
    if not _is_finite_number(value):
        return f'expected a number written as a string, e.g. "42", not {_describe(value)}'
    text = _number_text(value)
    if text is None:
        return "numbers are sent as strings, not JSON numbers: put this one in quotes"
    return f'numbers are sent as strings: write "{text}", not the JSON number {text}'


def _number_syntax_message(text: str) -> str:
    """Say why a string is not a DynamoDB number, naming the usual suspects."""
    if text != text.strip():
        return f"{_show(text)} has spaces around it; numbers must be just the number"
    if text.lstrip("+-").lower() in ("nan", "snan", "inf", "infinity"):
        return f"{_show(text)} is not allowed; DynamoDB numbers have no NaN or Infinity"
    return f"{_show(text)} is not a number"


def _number_range_message(text: str, number: _Number) -> str | None:
    """Magnitude outside 1E-130 .. 9.99...E+125 (zero is always fine)."""
    if not number.digits:
        return None
    if number.exponent > MAX_NUMBER_EXPONENT:
        return (
            f"{_show(text)} is too large; the largest DynamoDB number is 9.9999999999999999999999999999999999999E+125"
        )
    if number.exponent < MIN_NUMBER_EXPONENT:
        return f"{_show(text)} is too close to zero; the smallest nonzero DynamoDB number is 1E-130"
    return None


def _parse_number(text: str) -> _Number | None:
    """Read DynamoDB's number syntax: optional sign, digits with an optional
    point, optional exponent; no spaces, NaN or Infinity. Leading "+", a bare
    ".5" and leading zeros are accepted, as DynamoDB accepts them.
    """
    match = _NUMBER_SYNTAX.fullmatch(text)
    if match is None:
        return None
    sign, mantissa, exponent_text = match.groups()
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    first = len(all_digits) - len(all_digits.lstrip("0"))
    digits = all_digits.strip("0")
    if not digits:
        return _Number(False, "", 0)
    exponent = _exponent_value(exponent_text or "0") + len(whole) - 1 - first
    return _Number(sign == "-", digits, exponent)


def _exponent_value(text: str) -> int:
    """The exponent as an int, clamped so absurd exponents stay cheap (and out of range)."""
    negative = text.startswith("-")
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > _EXPONENT_DIGIT_CAP:
        digits = "1" + "0" * _EXPONENT_DIGIT_CAP
    return -int(digits) if negative else int(digits)


def _binary_problem(value: object) -> str | None:
    """B values (and BS elements): standard, padded, canonical base64."""
    if not isinstance(value, str):
        return f"expected base64 text, not {_describe(value)}"
    if _decode_base64(value) is not None:
        return None
    return f"{_show(value)} is not valid base64: {_base64_fault(value)}"


def _decode_base64(text: str) -> bytes | None:
    """Strict decoding: standard alphabet, "=" padding to a multiple of 4, and no
    stray bits in the last character (the text is what an encoder would write).
    """
    if _BASE64_SYNTAX.fullmatch(text) is None:
        return None
    raw = base64.b64decode(text)
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _base64_fault(text: str) -> str:
    """The first reason strict base64 decoding rejects ``text``."""
    if any(char.isspace() for char in text):
        return "it contains spaces or line breaks"
    if "-" in text or "_" in text:
        return 'it uses the URL-safe alphabet ("-", "_"); DynamoDB expects "+" and "/"'
    if _NOT_BASE64_ALPHABET.search(text):
        return "it contains characters outside the base64 alphabet"
    if len(text) % 4:
        return f'its length {len(text)} is not a multiple of 4 (missing "=" padding?)'
    if _BASE64_SYNTAX.fullmatch(text) is None:
        return '"=" padding appears before the end'
    return "its last character has bits set that an encoder leaves zero"


def _number_key(text: str) -> Hashable:
    """Numeric identity of a valid number, for NS duplicate detection."""
    number = _parse_number(text)
    assert number is not None  # only called on valid numbers
    return number.key


def _binary_key(text: str) -> Hashable:
    """Byte identity of a valid binary value, for BS duplicate detection."""
    return _decode_base64(text)


_SCALAR_PROBLEM: dict[str, Callable[[object], str | None]] = {
    "S": _string_problem,
    "N": _number_problem,
    "B": _binary_problem,
}

_SET_KEY: dict[str, Callable[[Any], Hashable]] = {
    "S": lambda text: text,
    "N": _number_key,
    "B": _binary_key,
}


# ---------------------------------------------------------------------------
# Size


def _own_size(kind: str, payload: Any) -> int:
    """Bytes a value adds by itself; nested map and list values are counted separately."""
    if kind == "M":
        names = sum(_utf8_size(name) for name in payload)
        return DOCUMENT_OVERHEAD + names + ELEMENT_OVERHEAD * len(payload)
    if kind == "L":
        return DOCUMENT_OVERHEAD + ELEMENT_OVERHEAD * len(payload)
    if kind in ("NULL", "BOOL"):
        return FLAG_SIZE
    if kind in _SET_ELEMENT_TYPE:
        element_size = _SCALAR_SIZE[_SET_ELEMENT_TYPE[kind]]
        return sum(element_size(element) for element in payload)
    return _SCALAR_SIZE[kind](payload)


def _nested_values(kind: str, payload: Any) -> list[object]:
    """The attribute values inside a map or list (none for other types)."""
    if kind == "M":
        return list(payload.values())
    if kind == "L":
        return list(payload)
    return []


def _number_size(text: str) -> int:
    """1 byte per two significant digits, rounded up, plus 1 (the guide's formula)."""
    number = _parse_number(text)
    assert number is not None  # only called on valid numbers
    return -(-len(number.digits) // DIGITS_PER_BYTE) + NUMBER_BASE_SIZE


def _binary_size(text: str) -> int:
    """Binary counts its raw bytes, not the longer base64 text."""
    raw = _decode_base64(text)
    assert raw is not None  # only called on valid binary values
    return len(raw)


_SCALAR_SIZE: dict[str, Callable[[str], int]] = {
    "S": lambda text: _utf8_size(text),
    "N": _number_size,
    "B": _binary_size,
}


# ---------------------------------------------------------------------------
# Conversion


def _convert(descriptor: object) -> object:
    """Plain value of a valid attribute value; recursion is bounded by the nesting limit."""
    kind, payload = _descriptor_entry(descriptor)
    if kind == "M":
        return {name: _convert(value) for name, value in payload.items()}
    if kind == "L":
        return [_convert(value) for value in payload]
    if kind in _SET_ELEMENT_TYPE:
        convert = _SCALAR_PLAIN[_SET_ELEMENT_TYPE[kind]]
        return [convert(element) for element in payload]
    if kind == "NULL":
        return None
    if kind == "BOOL":
        return bool(payload)
    return _SCALAR_PLAIN[kind](payload)


def _number_value(text: str) -> int | Decimal:
    """int for integral numbers, exact Decimal otherwise: a float would lose digits."""
    number = _parse_number(text)
    assert number is not None  # only called on valid numbers
    if not number.digits:
        return 0
    last_digit_power = number.exponent - len(number.digits) + 1
    if last_digit_power >= 0:
        magnitude: int = int(number.digits) * 10**last_digit_power
        return -magnitude if number.negative else magnitude
    digit_tuple = tuple(int(digit) for digit in number.digits)
    return Decimal((int(number.negative), digit_tuple, last_digit_power))


def _binary_value(text: str) -> bytes:
    """Raw bytes of a valid base64 value."""
    raw = _decode_base64(text)
    assert raw is not None  # only called on valid binary values
    return raw


_SCALAR_PLAIN: dict[str, Callable[[str], object]] = {
    "S": lambda text: text,
    "N": _number_value,
    "B": _binary_value,
}


# ---------------------------------------------------------------------------
# Small shared pieces


def _descriptor_entry(value: object) -> tuple[str, Any]:
    """The single (descriptor, payload) pair of an attribute value already validated."""
    assert isinstance(value, dict) and len(value) == 1
    kind, payload = next(iter(value.items()))
    return str(kind), payload


def _require_valid(problems: list[ItemProblem], action: str) -> None:
    """Refuse to work on invalid input, quoting the first problem."""
    if problems:
        first = problems[0]
        where = f" at {first.path}" if first.path else ""
        raise ValueError(f"cannot {action} an invalid value{where}: {first.message}")


def _join(path: str, part: object) -> str:
    """Extend a dotted path; an empty name shows as "" so it stays visible."""
    text = str(part) if part != "" else '""'
    return f"{path}.{text}" if path else text


def _utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8: DynamoDB measures names and strings this way."""
    return len(text.encode("utf-8", "surrogatepass"))  # a lone surrogate is 3 bytes, as DynamoDB would refuse it


def _is_utf8(text: str) -> bool:
    """Whether ``text`` can be sent as UTF-8 (JSON "\\ud800" escapes decode to lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_list() -> str:
    return ", ".join(TYPE_DESCRIPTORS)


def _show(text: str) -> str:
    """A string quoted for a message, cut to PREVIEW_CHARS and safe to print."""
    printable = text.encode("utf-8", "replace").decode("utf-8")
    if len(printable) > PREVIEW_CHARS:
        printable = printable[: PREVIEW_CHARS - 1] + "…"
    return json.dumps(printable, ensure_ascii=False)


def _is_finite_number(value: object) -> TypeGuard[float]:
    """A JSON number that has a decimal spelling (not a bool, NaN or Infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def _number_text(value: float) -> str | None:
    """A JSON number as text, or None when it is too long to quote (huge ints
    would also hit Python's int-to-str digit limit).
    """
    if isinstance(value, int) and value.bit_length() > PREVIEW_CHARS * 4:
        return None
    text = str(value)
    return text if len(text) <= PREVIEW_CHARS else None


def _json_scalar(value: bool | None) -> str:
    return "null" if value is None else ("true" if value else "false")


def _describe(value: object) -> str:
    """What a wrong value is, in JSON words, with a short preview; never walks containers."""
    if value is None or isinstance(value, bool):
        return _json_scalar(value)
    if isinstance(value, (int, float)):
        return f"the JSON number {_number_text(value) or '(too long to show)'}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    if isinstance(value, dict):
        return _describe_object(value)
    if isinstance(value, list):
        return "an empty array" if not value else f"an array of {len(value)} values"
    return f"a {type(value).__name__}"


def _describe_object(value: dict[Any, Any]) -> str:
    """An object by its keys, which usually show what it was meant to be."""
    if not value:
        return "an empty object"
    keys = ", ".join(_show(str(key)) for key in list(value)[:3])
    more = ", ..." if len(value) > 3 else ""
    return f"an object with keys {keys}{more}"
