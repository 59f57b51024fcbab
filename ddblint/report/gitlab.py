"""GitLab Code Quality: a JSON array of issues, shown in the merge request and its diff.

GitLab reads ``description``, ``check_name``, ``fingerprint``, ``severity``,
``location.path`` and ``location.lines.begin`` from each issue (a subset of the
Code Climate format). The fingerprint is the one SARIF and baselines use, so an
issue keeps its identity across commits and GitLab can tell new ones from old.
GitLab has no notion of a suppressed issue, so suppressed findings are left out.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ddblint.findings import Finding, Severity
from ddblint.repo_paths import RepoPaths
from ddblint.report import ReportOptions

if TYPE_CHECKING:
    from ddblint.result import Result

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "minor"}


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    json.dump(code_quality_issues(result), stream, indent=2, ensure_ascii=True)
    stream.write("\n")


def code_quality_issues(result: Result) -> list[dict[str, Any]]:
    paths = RepoPaths.for_scan(result.root)
    return [_issue(finding, paths.display(finding.span.path)) for finding in result.findings if not finding.suppressed]


def _issue(finding: Finding, file: str) -> dict[str, Any]:
    span = finding.span
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": f"{finding.rule_id} {finding.rule_name}: {finding.message}",
        "fingerprint": finding.fingerprint(file),
        "severity": SEVERITIES[finding.severity],
        "location": {"path": file, "lines": {"begin": span.line, "end": max(span.end_line, span.line)}},
    }
