"""Pickling for frozen, slotted dataclasses that does not dominate reading the cache.

``dataclass(frozen=True, slots=True)`` unpickles through a Python-level
``__setstate__`` that looks up the class's fields again for every object; a
warm run over a large repository unpickles hundreds of thousands of them, and
that lookup cost more than reading the files. Pickling an instance as a call
to its constructor with its field values is both smaller and faster to load.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_by_constructor(cls: type[T]) -> type[T]:
    """Class decorator; every field of ``cls`` must be a constructor argument, in order."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
