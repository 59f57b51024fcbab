"""Cache entries as plain data: reading one never runs code, whoever wrote the file.

A pickle names the functions that rebuild it, so loading a planted one runs
whatever it names. An entry here is ``marshal`` data, which holds values only,
behind a header::

    b"DDBC" | format version (1 byte) | key (40 ASCII hex digits) | blake2b-128 of the body | body

The body is the marshalled pair ``(class names, value)``. Plain values (None,
booleans, numbers, strings, bytes, tuples, lists, dicts, frozensets) are stored
as they are; an instance of one of ddblint's value classes is a tuple
``(Ellipsis, n, *fields)``, where ``n`` indexes the entry's class names (a plain
tuple that starts with ``Ellipsis`` is stored with ``n = -1``). Decoding walks
the data, refuses every other type (a code object among them) and rebuilds
only value classes of the modules on :data:`ALLOWED_MODULES`, by their
constructors. An object
reached twice is stored once and comes back as one object, as the checks
need: an item set is found by identity in both its table load and the analysis.

A header with another key (a file copied or planted under a name it does not
belong to), another version or a wrong checksum makes the entry a miss, and
the caller writes the right one over it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib
import marshal
import operator
from collections.abc import Callable
from typing import Any

from ddblint.parse.depth import room_for_deep_trees

MAGIC = b"DDBC"
VERSION = 1
_KEY_CHARS = 40
_CHECKSUM_BYTES = 16
_HEADER = len(MAGIC) + 1 + _KEY_CHARS + _CHECKSUM_BYTES
_MARSHAL_VERSION = 4

# The modules whose value classes an entry may rebuild: a dataclass, an enum or a tuple
# subclass defined there. Only these are ever imported by name from an entry.
ALLOWED_MODULES = frozenset(
    {
        "ddblint.cache.answers",
        "ddblint.cache.outcomes",
        "ddblint.catalog.entries",
        "ddblint.evaluate.analysis",
        "ddblint.evaluate.budget",
        "ddblint.evaluate.expand",
        "ddblint.evaluate.secrets",
        "ddblint.evaluate.values",
        "ddblint.findings",
        "ddblint.model.file_notes",
        "ddblint.model.module",
        "ddblint.parse.file",
        "ddblint.parse.syntax",
        "ddblint.problems",
        "ddblint.rules.engine",
        "ddblint.span",
    }
)

_ATOMS = frozenset({type(None), bool, int, float, str, bytes, type(...)})


_NOT_A_CONTAINER = object()


def _each(values: tuple[Any, ...], walk: Callable[[Any], Any]) -> tuple[Any, ...]:
    """``values``, ``walk`` applied to each that is not an atom (most leaves are: no call for them)."""
    atoms = _ATOMS
    if atoms.issuperset(map(type, values)):  # atoms only, checked at C speed: the tuple as it is
        return values
    return tuple([v if type(v) in atoms else walk(v) for v in values])


def _container(value: Any, kind: type, walk: Callable[[Any], Any]) -> Any:
    """A list, dict or frozenset with ``walk`` applied inside; :data:`_NOT_A_CONTAINER` for anything else.

    One that holds atoms only (an item's attribute map, a list of strings) is returned as it is:
    the encoder only reads it, and the decoder's copy is fresh from ``marshal``.
    """
    atoms = _ATOMS
    if kind is list:
        if atoms.issuperset(map(type, value)):
            return value
        return [v if type(v) in atoms else walk(v) for v in value]
    if kind is dict:
        if atoms.issuperset(map(type, value)) and atoms.issuperset(map(type, value.values())):
            return value
        return {k if type(k) in atoms else walk(k): v if type(v) in atoms else walk(v) for k, v in value.items()}
    if kind is frozenset:
        return frozenset(walk(v) for v in value)
    return _NOT_A_CONTAINER


class CacheFormatError(Exception):
    """An entry that is not one this code wrote for this key: treated as a miss."""


class _Unencodable(Exception):
    pass


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class _Encoder:
    def __init__(self) -> None:
        self.names: list[str] = []
        # per class: its index in ``names`` and how to read its fields (None: an enum or a tuple subclass)
        self._index: dict[type, tuple[int, Callable[[Any], Any] | None, bool]] = {}
        self._done: dict[int, tuple[Any, ...]] = {}

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind in _ATOMS:
            return value
        if kind is tuple:
            encoded = _each(value, self.value)
            return (..., -1, *encoded) if value and value[0] is ... else encoded
        rebuilt = _container(value, kind, self.value)
        return self._instance(value, kind) if rebuilt is _NOT_A_CONTAINER else rebuilt

    def _instance(self, value: Any, kind: type) -> tuple[Any, ...]:
        done = self._done.get(id(value))
        if done is not None:
            return done
        known = self._index.get(kind)
        if known is None:
            known = self._index[kind] = self._learn(kind)
        index, fields_of, one_field = known
        if fields_of is None:
            payload = (value.value,) if isinstance(value, enum.Enum) else tuple(value)
        else:
            payload = (fields_of(value),) if one_field else fields_of(value)
        encoded = (..., index, *_each(payload, self.value))
        self._done[id(value)] = encoded
        return encoded

    def _learn(self, kind: type) -> tuple[int, Callable[[Any], Any] | None, bool]:
        name = _name(kind)
        if _allowed(kind) is None:
            raise _Unencodable(name)
        self.names.append(name)
        if not dataclasses.is_dataclass(kind):
            return len(self.names) - 1, None, False
        fields = [f.name for f in dataclasses.fields(kind)]
        if not fields:
            return len(self.names) - 1, lambda _: (), False
        return len(self.names) - 1, operator.attrgetter(*fields), len(fields) == 1


def _allowed(cls: type) -> type | None:
    """``cls`` if an entry may hold it: a value class of an allowed module."""
    if cls.__module__ not in ALLOWED_MODULES:
        return None
    if dataclasses.is_dataclass(cls) or issubclass(cls, (enum.Enum, tuple)):
        return cls
    return None


@functools.cache
def _resolve(name: Any) -> type:
    """The value class an entry names (remembered: a run reads the same few dozen names in every entry)."""
    if not isinstance(name, str):
        raise CacheFormatError("a class name that is not a string")
    module, _, qualname = name.rpartition(".")
    if module not in ALLOWED_MODULES:
        raise CacheFormatError(f"class {name!r} is not one a cache entry may hold")
    found = getattr(importlib.import_module(module), qualname, None)
    if not isinstance(found, type) or found.__qualname__ != qualname or _allowed(found) is None:
        raise CacheFormatError(f"class {name!r} is not one a cache entry may hold")
    return found


class _Decoder:
    def __init__(self, names: Any) -> None:
        if type(names) is not tuple:
            raise CacheFormatError("no class table")
        self._classes = [_resolve(name) for name in names]
        # a tuple subclass is built from its items as one argument; a dataclass or an enum from its fields
        self._from_tuple = [issubclass(cls, tuple) and not issubclass(cls, enum.Enum) for cls in self._classes]
        self._done: dict[int, Any] = {}

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind in _ATOMS:
            return value
        if kind is tuple:
            return self._instance(value) if value and value[0] is ... else _each(value, self.value)
        rebuilt = _container(value, kind, self.value)
        if rebuilt is _NOT_A_CONTAINER:
            raise CacheFormatError(f"a {kind.__name__} is not plain data")
        return rebuilt

    def _instance(self, encoded: tuple[Any, ...]) -> Any:
        done = self._done.get(id(encoded))
        if done is not None:
            return done
        index = encoded[1] if len(encoded) > 1 else None
        if type(index) is not int or not -1 <= index < len(self._classes):
            raise CacheFormatError("a class index out of range")
        payload = _each(encoded[2:], self.value)
        if index == -1:
            return payload
        cls = self._classes[index]
        try:
            built = cls(payload) if self._from_tuple[index] else cls(*payload)
        except (TypeError, ValueError) as exc:
            raise CacheFormatError(f"{cls.__name__} does not take these fields: {exc}") from None
        self._done[id(encoded)] = built
        return built


def encode(value: Any, key: str = "") -> bytes | None:
    """``value`` as an entry for ``key``; None when it holds something that cannot be stored."""
    encoder = _Encoder()
    try:
        with room_for_deep_trees():
            data = encoder.value(value)
            body = marshal.dumps((tuple(encoder.names), data), _MARSHAL_VERSION)
    except (_Unencodable, RecursionError, ValueError, TypeError):
        return None
    return _header(key, body) + body


def _header(key: str, body: bytes) -> bytes:
    key_bytes = key.encode("ascii", "replace")[:_KEY_CHARS].ljust(_KEY_CHARS, b"-")
    return MAGIC + bytes([VERSION]) + key_bytes + hashlib.blake2b(body, digest_size=_CHECKSUM_BYTES).digest()


def decode(blob: bytes, key: str = "") -> Any:
    """The value of an entry written for ``key``; :class:`CacheFormatError` for anything else."""
    header, body = blob[:_HEADER], blob[_HEADER:]
    if len(header) < _HEADER or header != _header(key, body):
        raise CacheFormatError("not an entry of this format, version and key, or damaged")
    try:
        with room_for_deep_trees():
            names, value = marshal.loads(body)
            return _Decoder(names).value(value)
    except (EOFError, ValueError, TypeError, RecursionError) as exc:
        raise CacheFormatError(f"unreadable body: {exc}") from None
