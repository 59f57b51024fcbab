"""Where something is in a scanned file: the one position type every stage after parsing shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based region of a file; ``path`` is absolute so reporters can relativise it."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
