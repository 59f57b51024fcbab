"""The Terraform functions item code uses, over evaluator values.

Each function takes already-evaluated arguments plus the :class:`Files`
gateway (the only way to touch the disk) and returns a value. Unknown
arguments make unknown results, except where Terraform itself would know
the answer (``length`` of a map with unknown values is still its size).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from ddblint.evaluate.values import (
    Sized,
    TfSet,
    Unknown,
    contains_unknown,
    first_unknown,
    size_of,
    to_json,
    to_number,
    to_string,
    whole,
)

MATERIALIZE_LIMIT = 100_000
NONDETERMINISTIC = {
    "timestamp": "timestamp() returns the current time",
    "plantimestamp": "plantimestamp() returns the time of the plan",
    "uuid": "uuid() returns a new random id",
    "bcrypt": "bcrypt() salts its hash randomly",
}


class EvalError(Exception):
    """A function called with values it cannot accept; becomes an Unknown."""


class Files(Protocol):
    """Reads files for ``file()`` and friends, confined to the scan root."""

    def read(self, path: str) -> str | Unknown: ...

    def exists(self, path: str) -> bool | Unknown: ...

    def glob(self, directory: str, pattern: str) -> list[str] | Unknown: ...

    def note_data_file(self, path: str, via: str) -> None: ...

    def render(self, template_text: str, variables: dict[str, Any]) -> Any: ...


Function = Callable[[list[Any], Files], Any]


def _need_string(value: Any, name: str) -> str:
    if isinstance(value, (str, int, float, bool)):
        return to_string(value)
    raise EvalError(f"{name}() needs a string")


def _file(args: list[Any], files: Files) -> Any:
    path = _need_string(args[0], "file")
    files.note_data_file(path, "file")
    return files.read(path)


def _fileexists(args: list[Any], files: Files) -> Any:
    return files.exists(_need_string(args[0], "fileexists"))


def _fileset(args: list[Any], files: Files) -> Any:
    directory = _need_string(args[0], "fileset")
    files.note_data_file(directory, "fileset")
    found = files.glob(directory, _need_string(args[1], "fileset"))
    return found if isinstance(found, Unknown) else TfSet(sorted(found))


def _templatefile(args: list[Any], files: Files) -> Any:
    path = _need_string(args[0], "templatefile")
    files.note_data_file(path, "templatefile")
    text = files.read(path)
    if isinstance(text, Unknown):
        return text
    variables = args[1] if len(args) > 1 else {}
    if not isinstance(variables, dict):
        raise EvalError("templatefile() needs a map of variables")
    return files.render(text, variables)


def _jsondecode(args: list[Any], files: Files) -> Any:
    try:
        return json.loads(_need_string(args[0], "jsondecode"))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise EvalError(f"jsondecode(): invalid JSON ({exc})") from None


def _jsonencode(args: list[Any], files: Files) -> Any:
    unknown = contains_unknown(args[0])
    if unknown is not None:
        return unknown
    return to_json(args[0])


def _csvdecode(args: list[Any], files: Files) -> Any:
    rows = list(csv.reader(io.StringIO(_need_string(args[0], "csvdecode"))))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row)) for row in body if row]


def _yamldecode(args: list[Any], files: Files) -> Any:
    from ddblint.safe_yaml import UnsafeYaml, load_yaml

    try:
        return load_yaml(_need_string(args[0], "yamldecode"))
    except UnsafeYaml as exc:
        raise EvalError(f"yamldecode(): {exc}") from None


def _merge(args: list[Any], files: Files) -> Any:
    merged: dict[str, Any] = {}
    for arg in args:
        if arg is None:
            continue
        if not isinstance(arg, dict):
            raise EvalError("merge() needs maps or objects")
        merged.update(arg)
    return merged


def _keys(args: list[Any], files: Files) -> Any:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, dict):
        raise EvalError("keys() needs a map")
    return sorted(value)


def _values(args: list[Any], files: Files) -> Any:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, dict):
        raise EvalError("values() needs a map")
    return [value[k] for k in sorted(value)]


def _length(args: list[Any], files: Files) -> Any:
    value = args[0]
    if isinstance(value, Sized) and not value.exact:
        return Unknown(f"size of {value.what} is only bounded", value.what, bound=value.size)
    size = size_of(value)
    if size is None:
        raise EvalError("length() needs a collection or string")
    return size


def _range(args: list[Any], files: Files) -> Any:
    numbers = [_need_number(a, "range") for a in args]
    if len(numbers) == 1:
        start, stop, step = 0.0, numbers[0], 1.0
    elif len(numbers) == 2:
        start, stop, step = numbers[0], numbers[1], 1.0
    else:
        start, stop, step = numbers[0], numbers[1], numbers[2]
    if step == 0:
        raise EvalError("range() step must not be zero")
    count = max(0, math.ceil((stop - start) / step))
    if count > MATERIALIZE_LIMIT:
        return Sized(count, f"range({', '.join(to_string(n) for n in numbers)})")
    return [whole(start + i * step) for i in range(count)]


def _need_number(value: Any, name: str) -> float:
    number = to_number(value)
    if number is None:
        raise EvalError(f"{name}() needs numbers")
    return float(number)


def _toset(args: list[Any], files: Files) -> Any:
    value = args[0]
    if isinstance(value, Sized):
        return value
    if not isinstance(value, (list, tuple)):
        raise EvalError("toset() needs a list")
    seen = without_repeats(to_string(e) if isinstance(e, (int, float, bool)) else e for e in value)
    try:
        return TfSet(sorted(seen))
    except TypeError:
        return TfSet(seen)


def _tomap(args: list[Any], files: Files) -> Any:
    if not isinstance(args[0], (dict, Sized)):
        raise EvalError("tomap() needs an object")
    return args[0]


def _tolist(args: list[Any], files: Files) -> Any:
    if isinstance(args[0], Sized):
        return args[0]
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("tolist() needs a list or set")
    return list(args[0])


def _flatten(args: list[Any], files: Files) -> Any:
    result: list[Any] = []

    def walk(value: Any) -> None:
        for element in value:
            if isinstance(element, (list, tuple)):
                walk(element)
            else:
                result.append(element)

    if not isinstance(args[0], (list, tuple)):
        raise EvalError("flatten() needs a list")
    walk(args[0])
    return result


def _concat(args: list[Any], files: Files) -> Any:
    result: list[Any] = []
    for arg in args:
        if not isinstance(arg, (list, tuple)):
            raise EvalError("concat() needs lists")
        result.extend(arg)
    return result


def _lookup(args: list[Any], files: Files) -> Any:
    mapping, key = args[0], args[1]
    if not isinstance(mapping, dict):
        raise EvalError("lookup() needs a map")
    key = to_string(key)
    if key in mapping:
        return mapping[key]
    if len(args) > 2:
        return args[2]
    raise EvalError(f"lookup(): no key {key!r}")


def _zipmap(args: list[Any], files: Files) -> Any:
    keys, values = args[0], args[1]
    if not isinstance(keys, (list, tuple)) or not isinstance(values, (list, tuple)):
        raise EvalError("zipmap() needs two lists")
    return {to_string(k): v for k, v in zip(keys, values)}


_FORMAT_RE = re.compile(r"%(%|[-+# 0]*\d*(?:\.\d+)?[sdfvqtbxXoeEgG])")
MAX_FORMAT_WIDTH = 10_000_000  # "%0999999999d" would build a gigabyte before any budget could look


def _format(args: list[Any], files: Files) -> Any:
    spec = _need_string(args[0], "format")
    values = iter(args[1:])

    def replace(match: re.Match[str]) -> str:
        directive = match.group(1)
        if directive == "%":
            return "%"
        value = next(values, None)
        verb = directive[-1]
        if verb in "sv":
            return to_string(value) if not isinstance(value, (dict, list)) else to_json(value)
        if verb == "q":
            return json.dumps(to_string(value))
        if verb == "t":
            return to_string(bool(value))
        widest = max((int(digits) for digits in re.findall(r"\d+", directive)), default=0)
        if widest > MAX_FORMAT_WIDTH:
            raise EvalError(f"format(): a width of {widest:,} is too large to evaluate")
        try:
            python_spec = directive[:-1] + ("d" if verb == "d" else verb)
            number = int(value) if verb in "dxXob" else float(value)  # type: ignore[arg-type]
            return ("%" + python_spec) % number
        except (TypeError, ValueError):
            raise EvalError("format(): wrong value for directive") from None

    return _FORMAT_RE.sub(replace, spec)


def _lower(args: list[Any], files: Files) -> Any:
    return _need_string(args[0], "lower").lower()


def _upper(args: list[Any], files: Files) -> Any:
    return _need_string(args[0], "upper").upper()


def _replace(args: list[Any], files: Files) -> Any:
    text, old, new = (_need_string(a, "replace") for a in args[:3])
    if len(old) > 2 and old.startswith("/") and old.endswith("/"):
        if repeats_a_repetition(old[1:-1]):
            raise EvalError("replace(): a pattern that repeats a repetition is not evaluated (it can take for ever)")
        try:
            return re.sub(old[1:-1], re.sub(r"\$(\d)", r"\\\1", new), text)
        except re.error:
            raise EvalError("replace(): invalid regular expression") from None
    return text.replace(old, new)


_GROUP_KIND = re.compile(r"^\?(?:P<\w+>|<?[=!]|[a-zA-Z]*:)")  # (?:  (?P<name>  (?=  (?<!  (?i:


def repeats_a_repetition(pattern: str) -> bool:
    """Whether a group holding a quantifier is itself repeated, as in ``(a+)+``.

    Terraform's regular expressions (RE2) run in linear time; Python's backtrack,
    and such a pattern takes exponential time on a short string that almost
    matches. The check is deliberately coarse: refusing a harmless pattern only
    makes one value unknown.
    """
    openings: list[int] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            openings.append(index)
        elif char == ")" and openings:
            group = _GROUP_KIND.sub("", pattern[openings.pop() + 1 : index]).replace("(?", "(")
            repeated = pattern[index + 1 : index + 2] in ("*", "+", "{")
            if repeated and any(q in group for q in "*+?{"):
                return True
        index += 1
    return False


def _tostring(args: list[Any], files: Files) -> Any:
    if isinstance(args[0], (dict, list, tuple)):
        raise EvalError("tostring() needs a primitive")
    return None if args[0] is None else to_string(args[0])


def _tonumber(args: list[Any], files: Files) -> Any:
    if args[0] is None:
        return None
    return whole(_need_number(args[0], "tonumber"))


def _join(args: list[Any], files: Files) -> Any:
    separator = _need_string(args[0], "join")
    items: list[str] = []
    for lst in args[1:]:
        if not isinstance(lst, (list, tuple)):
            raise EvalError("join() needs lists")
        items.extend(to_string(v) for v in lst)
    return separator.join(items)


def _split(args: list[Any], files: Files) -> Any:
    return _need_string(args[1], "split").split(_need_string(args[0], "split"))


def _element(args: list[Any], files: Files) -> Any:
    lst, index = args[0], args[1]
    if not isinstance(lst, (list, tuple)) or not lst:
        raise EvalError("element() needs a non-empty list")
    return lst[int(_need_number(index, "element")) % len(lst)]


def _contains(args: list[Any], files: Files) -> Any:
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("contains() needs a list")
    return args[1] in args[0]


def _coalesce(args: list[Any], files: Files) -> Any:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): all arguments are null or empty")


def _try(args: list[Any], files: Files) -> Any:
    for arg in args:
        if not isinstance(arg, _Failed):
            return arg
    raise EvalError("try(): no argument succeeded")


def _can(args: list[Any], files: Files) -> Any:
    return not isinstance(args[0], _Failed)


class _Failed:
    """An argument of ``try``/``can`` whose evaluation failed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def failed(reason: str) -> Any:
    return _Failed(reason)


def _trimspace(args: list[Any], files: Files) -> Any:
    return _need_string(args[0], "trimspace").strip()


def _distinct(args: list[Any], files: Files) -> Any:
    if not isinstance(args[0], (list, tuple)):
        raise EvalError("distinct() needs a list")
    return without_repeats(args[0])


def without_repeats(values: Iterable[Any]) -> list[Any]:
    """First occurrences, in order. Hashable values are looked up in a set, so a long list stays linear."""
    result: list[Any] = []
    hashable: set[Any] = set()
    unhashable: list[Any] = []
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


def _max(args: list[Any], files: Files) -> Any:
    return whole(max(_need_number(a, "max") for a in args))


def _min(args: list[Any], files: Files) -> Any:
    return whole(min(_need_number(a, "min") for a in args))


def _abs(args: list[Any], files: Files) -> Any:
    return whole(abs(_need_number(args[0], "abs")))


def _base64encode(args: list[Any], files: Files) -> Any:
    return base64.b64encode(_need_string(args[0], "base64encode").encode()).decode()


def _base64decode(args: list[Any], files: Files) -> Any:
    try:
        return base64.b64decode(_need_string(args[0], "base64decode"), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise EvalError("base64decode(): invalid base64") from None


def _hash(name: str) -> Function:
    def digest(args: list[Any], files: Files) -> Any:
        return hashlib.new(name, _need_string(args[0], name).encode()).hexdigest()

    return digest


def _basename(args: list[Any], files: Files) -> Any:
    return os.path.basename(_need_string(args[0], "basename"))


def _trimsuffix(args: list[Any], files: Files) -> Any:
    text, suffix = _need_string(args[0], "trimsuffix"), _need_string(args[1], "trimsuffix")
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


def _substr(args: list[Any], files: Files) -> Any:
    text = _need_string(args[0], "substr")
    offset, length = int(_need_number(args[1], "substr")), int(_need_number(args[2], "substr"))
    return text[offset:] if length < 0 else text[offset : offset + length]


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
}

# Functions whose result is a data set read from disk: they make an item set "data-driven".
DATA_READERS = {"file", "fileset", "templatefile", "jsondecode", "csvdecode", "yamldecode"}
# Functions that still return a useful answer when some of their arguments hold unknowns.
SIZE_ONLY = {"length", "keys", "toset", "tolist", "tomap", "values", "merge", "concat", "flatten"}
ARGUMENT_ERRORS_ALLOWED = {"try", "can"}


def call(name: str, args: list[Any], files: Files) -> Any:
    """Apply a function; unknown arguments give an unknown result."""
    if name in NONDETERMINISTIC:
        return Unknown(NONDETERMINISTIC[name], f"{name}()", nondeterministic=True)
    function = FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name}() is not evaluated by ddblint", f"{name}()")
    if name not in ARGUMENT_ERRORS_ALLOWED:
        unknown = first_unknown(*args)
        if unknown is not None:
            return unknown
        if name not in SIZE_ONLY:
            for arg in args:
                if isinstance(arg, Sized):
                    return Unknown(f"{arg.what} is too large to evaluate", arg.what)
    if not args and name not in ("merge", "concat", "coalesce"):
        raise EvalError(f"{name}() needs arguments")
    return function(args, files)
