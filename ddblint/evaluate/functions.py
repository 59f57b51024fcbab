"""The Terraform functions item code uses, over evaluator values.

Each function takes already-evaluated arguments plus the :class:`Files`
gateway (the only way to touch the disk) and returns a value. Unknown
arguments make unknown results, except where Terraform itself would know
the answer (``length`` of a map with unknown values is still its size).

Every function declares how many arguments it takes (:func:`takes`), and
:func:`call` checks that before the function runs, so a call with too few
arguments is an error for that expression, as in Terraform, never an
``IndexError`` inside ddblint. Regular expressions run on RE2, Terraform's
own engine, which never backtracks.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from ddblint.evaluate.values import (
    EvalError,
    Sized,
    TfSet,
    Unknown,
    bounded_number,
    contains_unknown,
    encode_json,
    first_unknown,
    size_of,
    to_json,
    to_number,
    to_string,
    utf8,
    whole,
    whole_number,
)

MATERIALIZE_LIMIT = 100_000
NONDETERMINISTIC = {
    "timestamp": "timestamp() returns the current time",
    "plantimestamp": "plantimestamp() returns the time of the plan",
    "uuid": "uuid() returns a new random id",
    "bcrypt": "bcrypt() salts its hash randomly",
}


class Files(Protocol):
    """Reads files for ``file()`` and friends, confined to the scan root."""

    def read(self, path: str) -> str | Unknown: ...

    def exists(self, path: str) -> bool | Unknown: ...

    def glob(self, directory: str, pattern: str) -> list[str] | Unknown: ...

    def note_data_file(self, path: str) -> None: ...

    def note_json(self, text: str, value: object) -> None:
        """``jsonencode`` made ``text`` from ``value`` (as decoding ``text`` would give it)."""

    def render(self, template_text: str, variables: dict[str, object]) -> object: ...


Function = Callable[[list[object], Files], object]
ARITY: dict[Function, tuple[int, int | None]] = {}  # function -> (fewest, most) arguments; None: no most


def takes(fewest: int, most: int | None = -1) -> Callable[[Function], Function]:
    """Declare a function's signature: ``takes(2)`` exactly two, ``takes(1, None)`` one or more."""

    def declare(function: Function) -> Function:
        ARITY[function] = (fewest, fewest if most == -1 else most)
        return function

    return declare


def _need_string(value: object, name: str) -> str:
    if isinstance(value, (str, int, float, bool)):
        return to_string(value)
    raise EvalError(f"{name}() needs a string")


@takes(1)
def _file(args: list[object], files: Files) -> object:
    path = _need_string(args[0], "file")
    files.note_data_file(path)
    return files.read(path)


@takes(1)
def _fileexists(args: list[object], files: Files) -> object:
    return files.exists(_need_string(args[0], "fileexists"))


@takes(2)
def _fileset(args: list[object], files: Files) -> object:
    directory = _need_string(args[0], "fileset")
    files.note_data_file(directory)
    found = files.glob(directory, _need_string(args[1], "fileset"))
    return found if isinstance(found, Unknown) else TfSet(sorted(found))


@takes(2)
def _templatefile(args: list[object], files: Files) -> object:
    path = _need_string(args[0], "templatefile")
    files.note_data_file(path)
    text = files.read(path)
    if isinstance(text, Unknown):
        return text
    variables = args[1] if len(args) > 1 else {}
    if not isinstance(variables, dict):
        raise EvalError("templatefile() needs a map of variables")
    return files.render(text, variables)


@takes(1)
def _jsondecode(args: list[object], files: Files) -> object:
    from ddblint.untrusted import safe_json

    try:
        return safe_json.loads(_need_string(args[0], "jsondecode"))
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode(): invalid JSON ({exc})") from None


@takes(1)
def _jsonencode(args: list[object], files: Files) -> object:
    unknown = contains_unknown(args[0])
    if unknown is not None:
        return unknown
    text, value = encode_json(args[0])
    files.note_json(text, value)
    return text


@takes(1)
def _csvdecode(args: list[object], files: Files) -> object:
    try:
        rows = list(csv.reader(io.StringIO(_need_string(args[0], "csvdecode"))))
    except csv.Error as exc:
        raise EvalError(f"csvdecode(): {exc}") from None
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row)) for row in body if row]


@takes(1)
def _yamldecode(args: list[object], files: Files) -> object:
    from ddblint.untrusted.safe_yaml import UnsafeYaml, load_yaml

    try:
        return _as_terraform_value(load_yaml(_need_string(args[0], "yamldecode")))
    except UnsafeYaml as exc:
        raise EvalError(f"yamldecode(): {exc}") from None


def _as_terraform_value(value: object) -> object:
    """What Terraform's ``yamldecode`` makes of YAML's other types: timestamps are strings,
    map keys are strings; ``!!binary`` and ``!!set`` have no Terraform value."""
    if isinstance(value, dict):
        return {_yaml_key(k): _as_terraform_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_terraform_value(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (str, bool, float)) or value is None:
        return value
    if isinstance(value, int):
        return bounded_number(value)
    raise EvalError(f"yamldecode(): a YAML {type(value).__name__} has no Terraform value")


def _yaml_key(key: object) -> str:
    if key is None:
        return "null"
    if isinstance(key, (str, bool, int, float)):
        return to_string(key)
    if isinstance(key, (datetime.date, datetime.datetime)):
        return key.isoformat()
    raise EvalError(f"yamldecode(): a map key must be a string, not a YAML {type(key).__name__}")


@takes(0, None)
def _merge(args: list[object], files: Files) -> object:
    merged: dict[str, object] = {}
    for arg in args:
        if arg is None:
            continue
        if not isinstance(arg, dict):
            raise EvalError("merge() needs maps or objects")
        merged.update(arg)
    return merged


@takes(1)
def _keys(args: list[object], files: Files) -> object:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, dict):
        raise EvalError("keys() needs a map")
    return sorted(value)


@takes(1)
def _values(args: list[object], files: Files) -> object:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, dict):
        raise EvalError("values() needs a map")
    return [value[k] for k in sorted(value)]


@takes(1)
def _length(args: list[object], files: Files) -> object:
    value = args[0]
    if isinstance(value, Sized) and not value.exact:
        return Unknown(f"size of {value.what} is only bounded", value.what, bound=value.size)
    size = size_of(value)
    if size is None:
        raise EvalError("length() needs a collection or string")
    return size


@takes(1, 3)
def _range(args: list[object], files: Files) -> object:
    numbers = [_need_number(a, "range") for a in args]
    if len(numbers) == 1:
        start, stop, step = 0.0, numbers[0], 1.0
    elif len(numbers) == 2:
        start, stop, step = numbers[0], numbers[1], 1.0
    else:
        start, stop, step = numbers[0], numbers[1], numbers[2]
    if step == 0:
        raise EvalError("range() step must not be zero")
    span = (stop - start) / step
    if not all(math.isfinite(n) for n in (start, stop, step, span)):
        raise EvalError("range() needs finite numbers")
    count = max(0, math.ceil(span))
    if count > MATERIALIZE_LIMIT:
        return Sized(count, f"range({', '.join(to_string(n) for n in numbers)})")
    return [whole(start + i * step) for i in range(count)]


def _need_number(value: object, name: str) -> float:
    number = to_number(value)
    if number is None:
        raise EvalError(f"{name}() needs numbers")
    try:
        return float(number)
    except OverflowError:  # an integer past a double's range
        return math.inf if number > 0 else -math.inf


def _need_whole(value: object, name: str) -> int:
    number = whole_number(_need_number(value, name))
    if number is None:
        raise EvalError(f"{name}() needs a whole number, got {to_string(value)}")
    return number


@takes(1)
def _toset(args: list[object], files: Files) -> object:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, (list, tuple)):
        raise EvalError("toset() needs a list")
    # Sorted when the elements compare (strings do); in their order otherwise.
    seen: list[Any] = without_repeats(to_string(e) if isinstance(e, (int, float, bool)) else e for e in value)
    try:
        return TfSet(sorted(seen))
    except TypeError:
        return TfSet(seen)


@takes(1)
def _tomap(args: list[object], files: Files) -> object:
    if not isinstance(args[0], (dict, Sized)):
        raise EvalError("tomap() needs an object")
    return args[0]


@takes(1)
def _tolist(args: list[object], files: Files) -> object:
    if isinstance(args[0], Sized):
        return args[0]
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("tolist() needs a list or set")
    return list(args[0])


@takes(1)
def _flatten(args: list[object], files: Files) -> object:
    result: list[object] = []

    def walk(value: list[object] | tuple[object, ...]) -> None:
        for element in value:
            if isinstance(element, (list, tuple)):
                walk(element)
            else:
                result.append(element)

    if not isinstance(args[0], (list, tuple)):
        raise EvalError("flatten() needs a list")
    walk(args[0])
    return result


@takes(0, None)
def _concat(args: list[object], files: Files) -> object:
    result: list[object] = []
    for arg in args:
        if not isinstance(arg, (list, tuple)):
            raise EvalError("concat() needs lists")
        result.extend(arg)
    return result


@takes(2, 3)
def _lookup(args: list[object], files: Files) -> object:
    mapping, key = args[0], args[1]
    if not isinstance(mapping, dict):
        raise EvalError("lookup() needs a map")
    key = to_string(key)
    if key in mapping:
        return mapping[key]
    if len(args) > 2:
        return args[2]
    raise EvalError(f"lookup(): no key {key!r}")


@takes(2)
def _zipmap(args: list[object], files: Files) -> object:
    keys, values = args[0], args[1]
    if not isinstance(keys, (list, tuple)) or not isinstance(values, (list, tuple)):
        raise EvalError("zipmap() needs two lists")
    return {to_string(k): v for k, v in zip(keys, values)}


_FORMAT_RE = re.compile(r"%(?:(%)|([-+# 0]*)(\d*)(?:\.(\d*))?([sdfvqtbxXoeEgG]))")
MAX_FORMAT_WIDTH = 10_000_000  # "%0999999999d" would build a gigabyte before any budget could look
_MISSING = object()


def _format_size(digits: str | None) -> int | None:
    """A width or precision, without ever converting 50,000 zeros (or nines) to an int."""
    if not digits:
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > 15:
        raise EvalError(f"format(): a width of {len(significant):,} digits is too large to evaluate")
    if int(significant) > MAX_FORMAT_WIDTH:
        raise EvalError(f"format(): a width of {int(significant):,} is too large to evaluate")
    return int(significant)


@takes(1, None)
def _format(args: list[object], files: Files) -> object:
    spec = _need_string(args[0], "format")
    values = iter(args[1:])

    def replace(match: re.Match[str]) -> str:
        percent, flags, width_digits, precision_digits, verb = match.groups()
        if percent:
            return "%"
        width, precision = _format_size(width_digits), _format_size(precision_digits)
        value = next(values, _MISSING)
        if value is _MISSING:
            raise EvalError("format(): too few arguments for the format string")
        if verb in "sv":
            text = to_string(value) if not isinstance(value, (dict, list, tuple)) else to_json(value)
        elif verb == "q":
            text = json.dumps(to_string(value), ensure_ascii=False)
        elif verb == "t":
            text = to_string(value is True)
        else:
            return _format_number(value, "".join(dict.fromkeys(flags)), width, precision, verb)
        return text.ljust(width or 0) if "-" in flags else text.rjust(width or 0)

    return _FORMAT_RE.sub(replace, spec)


def _format_number(value: object, flags: str, width: int | None, precision: int | None, verb: str) -> str:
    """``%d``, ``%x``, ``%f``... with the flags written once each (``%000005d`` is ``%05d``)."""
    number = _need_number(value, "format")
    spec = "%" + flags + ("" if width is None else str(width)) + ("" if precision is None else f".{precision}")
    if verb in "dxXob":
        whole = whole_number(number)
        if whole is None:
            raise EvalError(f"format(): %{verb} needs a whole number, got {to_string(value)}")
        if verb == "b":
            return format(whole, "b").rjust(width or 0)
        return (spec + verb) % whole
    if not math.isfinite(number):
        raise EvalError(f"format(): {to_string(value)} is not a finite number")
    return (spec + verb) % number


@takes(1)
def _lower(args: list[object], files: Files) -> object:
    return _need_string(args[0], "lower").lower()


@takes(1)
def _upper(args: list[object], files: Files) -> object:
    return _need_string(args[0], "upper").upper()


@takes(3)
def _replace(args: list[object], files: Files) -> object:
    text, old, new = (_need_string(a, "replace") for a in args[:3])
    if len(old) > 2 and old.startswith("/") and old.endswith("/"):
        from ddblint.untrusted.safe_regex import RegexError, substitute

        try:
            return substitute(old[1:-1], new, text)
        except RegexError as exc:
            raise EvalError(f"replace(): {exc}") from None
    return text.replace(old, new)


@takes(1)
def _tostring(args: list[object], files: Files) -> object:
    if isinstance(args[0], (dict, list, tuple)):
        raise EvalError("tostring() needs a primitive")
    return None if args[0] is None else to_string(args[0])


@takes(1)
def _tonumber(args: list[object], files: Files) -> object:
    if args[0] is None:
        return None
    return whole(_need_number(args[0], "tonumber"))


@takes(2, None)
def _join(args: list[object], files: Files) -> object:
    separator = _need_string(args[0], "join")
    items: list[str] = []
    for lst in args[1:]:
        if not isinstance(lst, (list, tuple)):
            raise EvalError("join() needs lists")
        items.extend(to_string(v) for v in lst)
    return separator.join(items)


@takes(2)
def _split(args: list[object], files: Files) -> object:
    separator, text = _need_string(args[0], "split"), _need_string(args[1], "split")
    if separator:
        return text.split(separator)
    if len(text) > MATERIALIZE_LIMIT:
        return Sized(len(text), f"split() of {len(text):,} characters")
    return list(text)  # Go's strings.Split: an empty separator splits after each character


@takes(2)
def _element(args: list[object], files: Files) -> object:
    lst, index = args[0], args[1]
    if not isinstance(lst, (list, tuple)) or not lst:
        raise EvalError("element() needs a non-empty list")
    position = _need_whole(index, "element")
    if position < 0:
        raise EvalError("element(): a negative index")
    return lst[position % len(lst)]


@takes(2)
def _contains(args: list[object], files: Files) -> object:
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("contains() needs a list")
    return args[1] in args[0]


@takes(1, None)
def _coalesce(args: list[object], files: Files) -> object:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): all arguments are null or empty")


@takes(1, None)
def _try(args: list[object], files: Files) -> object:
    for arg in args:
        if not isinstance(arg, _Failed):
            return arg
    raise EvalError("try(): no argument succeeded")


@takes(1)
def _can(args: list[object], files: Files) -> object:
    return not isinstance(args[0], _Failed)


class _Failed:
    """An argument of ``try``/``can`` whose evaluation failed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def failed(reason: str) -> object:
    return _Failed(reason)


@takes(1)
def _trimspace(args: list[object], files: Files) -> object:
    return _need_string(args[0], "trimspace").strip()


@takes(1)
def _distinct(args: list[object], files: Files) -> object:
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("distinct() needs a list")
    return without_repeats(args[0])


def without_repeats(values: Iterable[object]) -> list[object]:
    """First occurrences, in order. Hashable values are looked up in a set, so a long list stays linear."""
    result: list[object] = []
    hashable: set[object] = set()
    unhashable: list[object] = []
    for value in values:
        try:
            if value in hashable:
                continue
            hashable.add(value)
        except TypeError:
            if value in unhashable:
                continue
            unhashable.append(value)
        result.append(value)
    return result


@takes(1, None)
def _max(args: list[object], files: Files) -> object:
    return whole(max(_need_number(a, "max") for a in args))


@takes(1, None)
def _min(args: list[object], files: Files) -> object:
    return whole(min(_need_number(a, "min") for a in args))


@takes(1)
def _abs(args: list[object], files: Files) -> object:
    return whole(abs(_need_number(args[0], "abs")))


@takes(1)
def _base64encode(args: list[object], files: Files) -> object:
    return base64.b64encode(utf8(_need_string(args[0], "base64encode"))).decode()


@takes(1)
def _base64decode(args: list[object], files: Files) -> object:
    try:
        return base64.b64decode(_need_string(args[0], "base64decode"), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise EvalError("base64decode(): invalid base64") from None


def _hash(name: str) -> Function:
    @takes(1)
    def digest(args: list[object], files: Files) -> object:
        return hashlib.new(name, utf8(_need_string(args[0], name))).hexdigest()

    return digest


@takes(1)
def _basename(args: list[object], files: Files) -> object:
    return os.path.basename(_need_string(args[0], "basename"))


@takes(2)
def _trimsuffix(args: list[object], files: Files) -> object:
    text, suffix = _need_string(args[0], "trimsuffix"), _need_string(args[1], "trimsuffix")
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@takes(3)
def _substr(args: list[object], files: Files) -> object:
    text = _need_string(args[0], "substr")
    offset, length = _need_whole(args[1], "substr"), _need_whole(args[2], "substr")
    return text[offset:] if length < 0 else text[offset : offset + length]


def _need_list(value: object, name: str) -> list[object]:
    if not isinstance(value, (list, tuple)):
        raise EvalError(f"{name}() needs a list or set")
    return list(value)


def _as_set(values: Iterable[object]) -> TfSet:
    """Terraform's set: elements once each, numbers compared as strings the way ``toset`` keeps them."""
    return TfSet(without_repeats(to_string(e) if isinstance(e, (int, float, bool)) else e for e in values))


@takes(2, None)
def _formatlist(args: list[object], files: Files) -> object:
    lists = [a for a in args[1:] if isinstance(a, (list, tuple))]
    lengths = {len(a) for a in lists}
    if len(lengths) > 1:
        raise EvalError("formatlist(): the lists differ in length")
    rows = lengths.pop() if lengths else 1
    if rows > MATERIALIZE_LIMIT:
        return Sized(rows, "formatlist()")
    return [
        _format([args[0], *(a[row] if isinstance(a, (list, tuple)) else a for a in args[1:])], files)
        for row in range(rows)
    ]


@takes(1, None)
def _setproduct(args: list[object], files: Files) -> object:
    lists = [_need_list(a, "setproduct") for a in args]
    size = math.prod(len(a) for a in lists)
    if size > MATERIALIZE_LIMIT:
        return Sized(size, "setproduct()")
    rows: list[list[object]] = [[]]
    for values in lists:
        rows = [[*row, value] for row in rows for value in values]
    return rows


@takes(1)
def _sum(args: list[object], files: Files) -> object:
    values = _need_list(args[0], "sum")
    if not values:
        raise EvalError("sum() needs a non-empty list")
    return whole(bounded_number(math.fsum(_need_number(v, "sum") for v in values)))


@takes(1)
def _ceil(args: list[object], files: Files) -> object:
    number = _need_number(args[0], "ceil")
    return whole(math.ceil(number)) if math.isfinite(number) else number


@takes(1)
def _floor(args: list[object], files: Files) -> object:
    number = _need_number(args[0], "floor")
    return whole(math.floor(number)) if math.isfinite(number) else number


@takes(2)
def _pow(args: list[object], files: Files) -> object:
    base, exponent = _need_number(args[0], "pow"), _need_number(args[1], "pow")
    try:
        return whole(bounded_number(math.pow(base, exponent)))
    except (OverflowError, ValueError):
        raise EvalError("pow(): the result is not a number ddblint can hold") from None


@takes(2)
def _parseint(args: list[object], files: Files) -> object:
    text, base = _need_string(args[0], "parseint"), _need_whole(args[1], "parseint")
    if not 2 <= base <= 36 or len(text) > 64:
        raise EvalError("parseint(): ddblint reads bases 2 to 36, and up to 64 digits")
    try:
        return int(text, base)
    except ValueError:
        raise EvalError(f"parseint(): {text!r} is not a base-{base} number") from None


@takes(1, None)
def _setunion(args: list[object], files: Files) -> object:
    return _as_set(e for a in args for e in _need_list(a, "setunion"))


@takes(1, None)
def _setintersection(args: list[object], files: Files) -> object:
    first, *rest = (list(_as_set(_need_list(a, "setintersection"))) for a in args)
    return TfSet(e for e in first if all(e in other for other in rest))


@takes(2)
def _setsubtract(args: list[object], files: Files) -> object:
    first, second = _as_set(_need_list(args[0], "setsubtract")), list(_as_set(_need_list(args[1], "setsubtract")))
    return TfSet(e for e in first if e not in second)


@takes(3)
def _slice(args: list[object], files: Files) -> object:
    values = _need_list(args[0], "slice")
    start, end = _need_whole(args[1], "slice"), _need_whole(args[2], "slice")
    if not 0 <= start <= end <= len(values):
        raise EvalError(f"slice(): indexes {start} to {end} do not fit a list of {len(values)}")
    return values[start:end]


@takes(1)
def _sort(args: list[object], files: Files) -> object:
    values = _need_list(args[0], "sort")
    if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
        raise EvalError("sort() needs a list of strings")
    return sorted(to_string(v) for v in values)


@takes(1)
def _reverse(args: list[object], files: Files) -> object:
    return list(reversed(_need_list(args[0], "reverse")))


@takes(1)
def _compact(args: list[object], files: Files) -> object:
    return [v for v in _need_list(args[0], "compact") if v is not None and v != ""]


@takes(1)
def _abspath(args: list[object], files: Files) -> object:
    return os.path.abspath(_need_string(args[0], "abspath"))


@takes(2)
def _startswith(args: list[object], files: Files) -> object:
    return _need_string(args[0], "startswith").startswith(_need_string(args[1], "startswith"))


@takes(2)
def _endswith(args: list[object], files: Files) -> object:
    return _need_string(args[0], "endswith").endswith(_need_string(args[1], "endswith"))


@takes(2)
def _trimprefix(args: list[object], files: Files) -> object:
    return _need_string(args[0], "trimprefix").removeprefix(_need_string(args[1], "trimprefix"))


FUNCTIONS: dict[str, Function] = {
    "file": _file,
    "fileexists": _fileexists,
    "fileset": _fileset,
    "templatefile": _templatefile,
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "csvdecode": _csvdecode,
    "yamldecode": _yamldecode,
    "merge": _merge,
    "keys": _keys,
    "values": _values,
    "length": _length,
    "range": _range,
    "toset": _toset,
    "tomap": _tomap,
    "tolist": _tolist,
    "flatten": _flatten,
    "concat": _concat,
    "lookup": _lookup,
    "zipmap": _zipmap,
    "format": _format,
    "lower": _lower,
    "upper": _upper,
    "replace": _replace,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "join": _join,
    "split": _split,
    "element": _element,
    "contains": _contains,
    "coalesce": _coalesce,
    "try": _try,
    "can": _can,
    "trimspace": _trimspace,
    "distinct": _distinct,
    "max": _max,
    "min": _min,
    "abs": _abs,
    "base64encode": _base64encode,
    "base64decode": _base64decode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "basename": _basename,
    "trimsuffix": _trimsuffix,
    "substr": _substr,
    "formatlist": _formatlist,
    "setproduct": _setproduct,
    "sum": _sum,
    "ceil": _ceil,
    "floor": _floor,
    "pow": _pow,
    "parseint": _parseint,
    "setunion": _setunion,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "slice": _slice,
    "sort": _sort,
    "reverse": _reverse,
    "compact": _compact,
    "abspath": _abspath,
    "startswith": _startswith,
    "endswith": _endswith,
    "trimprefix": _trimprefix,
}

# Functions whose result is a data set read from disk: they make an item set "data-driven".
DATA_READERS = {"file", "fileset", "templatefile", "jsondecode", "csvdecode", "yamldecode"}
# Functions that still return a useful answer when some of their arguments hold unknowns.
SIZE_ONLY = {"length", "keys", "toset", "tolist", "tomap", "values", "merge", "concat", "flatten"}
ARGUMENT_ERRORS_ALLOWED = {"try", "can"}
# Functions whose result copies every part of their arguments (shared parts once per occurrence).
EXPANDING = {"jsonencode", "flatten", "format", "formatlist", "setproduct", "join", "csvdecode", "yamldecode"}


def call(name: str, args: list[object], files: Files) -> object:
    """Apply a function; unknown arguments give an unknown result."""
    if name in NONDETERMINISTIC:
        return Unknown(NONDETERMINISTIC[name], f"{name}()", nondeterministic=True)
    function = FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name}() is not evaluated by ddblint", f"{name}()")
    fewest, most = ARITY[function]
    if len(args) < fewest or (most is not None and len(args) > most):
        wanted = f"{fewest} or more" if most is None else str(fewest) if fewest == most else f"{fewest} to {most}"
        raise EvalError(f"{name}() takes {wanted} arguments, got {len(args)}")
    if name not in ARGUMENT_ERRORS_ALLOWED:
        unknown = first_unknown(*args)
        if unknown is not None:
            return unknown
        if name not in SIZE_ONLY:
            for arg in args:
                if isinstance(arg, Sized):
                    return Unknown(f"{arg.what} is too large to evaluate", arg.what)
    return function(args, files)
