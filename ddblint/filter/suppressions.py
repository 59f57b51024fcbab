"""Inline suppression comments: their syntax, and what each one covers.

A suppression names the rules it hides, why, and optionally until when::

    # ddblint:ignore DDB001,DDB002 until=2025-06-30 -- seed data, moving to the app in Q3
    resource "aws_dynamodb_table_item" "plans" { ... }

    // ddblint:ignore-file DDB010 -- fixtures for the integration tests

``ignore`` covers the block that starts on its own line or right below it (a
run of suppression comments may be stacked above one block); ``ignore-file``
covers its whole file. Rule ids are written out in full: a suppression says
exactly what it hides, so prefixes are not accepted. The filter stage applies
these; rules never see them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches

from ddblint.model.file_notes import FileNotes
from ddblint.parse.syntax import Position

VERBS = {"ignore": "block", "ignore-file": "file"}
_VERB_RE = re.compile(r"ddblint:(?P<verb>[A-Za-z][\w-]*)")
_RULE_RE = re.compile(r"DDB\d{3}")


@dataclass(frozen=True)
class Directive:
    """One ``ddblint:`` comment as written, read but not yet placed."""

    path: str
    line: int
    text: str  # the comment, trimmed
    scope: str  # "block" or "file"
    rules: tuple[str, ...] = ()
    unknown_rules: tuple[str, ...] = ()  # words where rule ids were expected that name no rule
    reason: str = ""
    until: datetime.date | None = None
    problem: str = ""  # why this comment cannot suppress anything, if it cannot

    def expired(self, today: datetime.date) -> bool:
        """The ``until`` day itself still suppresses; the day after, it no longer does."""
        return self.until is not None and today > self.until

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}"


def parse_directive(path: str, line: int, comment: str, rule_ids: Iterable[str]) -> Directive | None:
    """Read one comment that mentions ``ddblint:``; None when it is prose, not a directive."""
    match = _VERB_RE.search(comment)
    if match is None:
        return None
    text = _trim_comment(comment[match.start() :])
    verb = match.group("verb")
    if verb not in VERBS:
        near = get_close_matches(verb, list(VERBS), n=1)
        hint = f"; did you mean `ddblint:{near[0]}`?" if near else " (use ddblint:ignore or ddblint:ignore-file)"
        return Directive(path, line, text, "block", problem=f"`ddblint:{verb}` is not a ddblint directive{hint}")
    specification, _, reason = comment[match.end() :].partition("--")
    words = [w for w in re.split(r"[\s,]+", _trim_comment(specification)) if w]
    known = set(rule_ids)
    rules: list[str] = []
    unknown: list[str] = []
    until: datetime.date | None = None
    problem = ""
    for word in words:
        if word.lower().startswith("until="):
            until, problem = _parse_until(word[len("until=") :], problem)
        elif word.upper() in known:
            rules.append(word.upper())
        else:
            unknown.append(word)
    if not rules and not unknown:
        problem = problem or f"`ddblint:{verb}` names no rule; write the ids it hides (ddblint:{verb} DDB001 -- why)"
    return Directive(path, line, text, VERBS[verb], tuple(rules), tuple(unknown), _trim_comment(reason), until, problem)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _parse_until(value: str, problem: str) -> tuple[datetime.date | None, str]:
    """Only ``YYYY-MM-DD``: Python 3.11 would also read ``20250630`` and ``2025-W26-1``."""
    try:
        if _ISO_DAY.fullmatch(value):
            return datetime.date.fromisoformat(value), problem
    except ValueError:
        pass
    return None, problem or f"until={value} is not a date; write until=YYYY-MM-DD"


def _trim_comment(text: str) -> str:
    """Drop a block comment's closing ``*/`` and whatever follows it."""
    return text.split("*/", 1)[0].strip()


def closest_rule(word: str, rule_ids: Iterable[str]) -> str:
    """The rule id a mistyped word most likely meant, or ""."""
    near = get_close_matches(word.upper(), sorted(rule_ids), n=1, cutoff=0.6)
    return near[0] if near else ""


def read_directives(notes: FileNotes, rule_ids: Iterable[str]) -> list[Directive]:
    """Every directive of one parsed file, in line order."""
    known = tuple(rule_ids)
    found = (parse_directive(notes.path, line, text, known) for line, text in notes.directives)
    return [d for d in found if d is not None]


def covered_lines(directive: Directive, blocks: list[Position], directive_lines: set[int]) -> tuple[int, int] | None:
    """The lines a ``block`` directive covers: the block starting on its line or below a run of directives.

    None when no top-level block starts there: the comment is misplaced.
    """
    starts = {block.line: block for block in blocks}
    if directive.line in starts:
        block = starts[directive.line]
        return block.line, block.end_line
    line = directive.line + 1
    while line in directive_lines and line not in starts:
        line += 1
    below = starts.get(line)
    return (below.line, below.end_line) if below is not None else None
