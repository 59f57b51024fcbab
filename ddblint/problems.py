"""Why a file or directory could not be used: what discovery and parsing report, and DDB000 judges.

Discovery meets directories it cannot read, parsing meets files it cannot read or parse, and
evaluation meets module calls it cannot follow; all three hand the same record forward.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file could not be used, in plain words, with where it happened."""

    path: str
    message: str
    line: int = 1
    column: int = 1
