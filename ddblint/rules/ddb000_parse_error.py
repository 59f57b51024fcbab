"""DDB000 parse-error: a file ddblint could not read, parse or analyse."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.problems import ParseProblem
from ddblint.rules import Hit, NoOptions, rule
from ddblint.span import Span


@rule("DDB000")
def parse_error(problem: ParseProblem, options: NoOptions) -> Iterator[Hit]:
    """Every problem is reported: a file we could not read may hide any other finding."""
    span = Span(problem.path, problem.line, problem.column, problem.line, problem.column)
    yield Hit(problem.message, span, identity=problem.message)
