"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns these lines, printed by any step, into annotations on the
pull request's files. Paths are relative to the repository root, which is
where GitHub resolves them. Values are escaped as the runner expects (see
:mod:`ddblint.report.escape`): the message (the command's data) for ``%``, CR
and LF; properties additionally for ``:`` and ``,``, which would otherwise end
the property; control characters in either never reach the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ddblint.findings import Finding, Severity
from ddblint.repo_paths import RepoPaths
from ddblint.report import ReportOptions, message_and_callers
from ddblint.report.escape import github_data, github_property

if TYPE_CHECKING:
    from ddblint.result import Result

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _unchanged(path: str) -> str:
    return path


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    paths = RepoPaths.for_scan(result.root)
    for finding in result.findings:
        if finding.suppressed:
            continue  # an annotation marks a problem to fix; a suppressed finding is not one
        stream.write(annotation(finding, paths.display(finding.span.path), paths.display) + "\n")


def annotation(finding: Finding, file: str, shown: Callable[[str], str] | None = None) -> str:
    """One workflow command; ``shown`` writes the paths of the callers a finding names."""
    span = finding.span
    title = f"{finding.rule_id} {finding.rule_name}".strip()
    properties = {
        "file": file,
        "line": str(span.line),
        "endLine": str(max(span.end_line, span.line)),
        "col": str(span.column),
        "endColumn": str(span.end_column),
        "title": title,
    }
    rendered = ",".join(f"{name}={github_property(value)}" for name, value in properties.items())
    return (
        f"::{COMMANDS[finding.severity]} {rendered}::{github_data(message_and_callers(finding, shown or _unchanged))}"
    )
