"""Where something is in a scanned file: the one position type every stage after parsing shares."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based region of a file; ``path`` is absolute so reporters can relativise it."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1


class LineStarts:
    """Where each line of a text starts ("\\n" ends a line, as the parser counts), to turn an offset
    into a 1-based line and column, or a line back into its first offset."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(found.end() for found in re.finditer("\n", text))]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = self.line(offset)
        return line, offset - self._starts[line - 1] + 1

    def start(self, line: int) -> int:
        """The offset line ``line`` starts at; IndexError past the last line."""
        return self._starts[line - 1]
