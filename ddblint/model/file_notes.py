"""What the filter stage needs of a parsed file after its tree is let go of.

A run releases each root's parse trees once that root is checked, but the
suppression pass runs when every finding is in: it needs, of each linted file,
only its path, its ``ddblint:`` comments and, for a file that has such
comments, where its top-level blocks start and end. These notes are a few
numbers and strings a file, kept for the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ddblint.parse.syntax import ParsedFile, Position


@dataclass(frozen=True, slots=True)
class FileNotes:
    """A parsed file's path, its ``ddblint:`` comments (line, text), and its top-level block positions."""

    path: str
    directives: tuple[tuple[int, str], ...] = ()
    blocks: tuple[Position, ...] = ()  # only when there are directives: nothing else reads them


def notes_of(parsed: ParsedFile) -> FileNotes:
    if not parsed.directives:
        return FileNotes(parsed.path)
    return FileNotes(parsed.path, tuple(parsed.directives), tuple(block.position for block in parsed.blocks))
