"""``path:line:col: DDB001 message``, one line per finding: for editors and grep."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ddblint.report import ReportOptions, display_path, message_and_callers, relative_to
from ddblint.report.escape import plain

if TYPE_CHECKING:
    from ddblint.result import Result


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    for finding in result.findings:
        if finding.suppressed and not options.show_suppressed:
            continue
        span = finding.span
        path = display_path(span.path, options.cwd)
        message = message_and_callers(finding, relative_to(options.cwd))
        stream.write(f"{plain(path)}:{span.line}:{span.column}: {finding.rule_id} {plain(message)}\n")
