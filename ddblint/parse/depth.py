"""How deep a syntax tree may nest: shared by the parser and the cache codec, and light to import.

A run with nothing to parse still reads cache entries; this keeps the syntax
tree's classes out of that run.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

# Recursion room for the deepest tree the parser accepts. Before Python 3.11 every Python call
# also takes C stack: 20,000 of the converter's frames overflow a main thread's usual 8 MiB and
# crash the interpreter, where 12,000 stop with a RecursionError (a DDB000 finding) well inside it,
# and still convert expressions nested 2,000 deep.
DEEP_TREE_LIMIT = 20000 if sys.version_info >= (3, 11) else 12000


@contextlib.contextmanager
def room_for_deep_trees() -> Iterator[None]:
    """Deeply nested expressions are legal HCL; converting or encoding their trees recurses
    once per level, so raise the recursion limit for the duration, then restore it."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, DEEP_TREE_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
