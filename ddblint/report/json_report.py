"""The JSON report: every finding with its place, fingerprint and suppression, for scripts.

``version`` is the version of this document's shape, not of ddblint: it
changes only when a field is renamed or removed, so a script can refuse a
shape it does not know. File paths are relative to the repository root, as in
the SARIF report, and fingerprints are the same ones SARIF and baselines use.
(The module is not called ``json.py`` so that it never stands in for the
standard library's ``json`` in the package namespace.)
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from ddblint import __version__
from ddblint.findings import Finding, Severity
from ddblint.repo_paths import RepoPaths
from ddblint.report import ReportOptions

if TYPE_CHECKING:
    from ddblint.result import Result

FORMAT_VERSION = 1


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    json.dump(json_document(result), stream, indent=2, ensure_ascii=True)
    stream.write("\n")


def json_document(result: Result) -> dict[str, Any]:
    paths = RepoPaths.for_scan(result.root)
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": "ddblint", "version": __version__},
        "findings": [_finding(finding, paths) for finding in result.findings],
        "internal_errors": [
            {"rule": error.rule_id, "file": paths.display(error.path), "message": error.message}
            for error in result.internal_errors
        ],
        "summary": _summary(result),
    }


def _finding(finding: Finding, paths: RepoPaths) -> dict[str, Any]:
    span = finding.span
    file = paths.display(span.path)
    suppression = finding.suppression
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.label,
        "message": finding.message,
        "file": file,
        "span": {"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column},
        "address": finding.address,
        "evidence": list(finding.evidence),
        "callers": [
            {"module": c.address, "file": paths.display(c.span.path), "line": c.span.line} for c in finding.callers
        ],
        "fingerprint": finding.fingerprint(file),
        "suppressed": suppression is not None,
        "suppression": None
        if suppression is None
        else {
            "kind": suppression.kind,
            "justification": suppression.justification,
            "origin": paths.origin(suppression.origin),
        },
    }


def _summary(result: Result) -> dict[str, Any]:
    active = [f for f in result.findings if not f.suppressed]
    by_severity = Counter(f.severity for f in active)
    return {
        "findings": len(active),
        "suppressed": len(result.findings) - len(active),
        "by_severity": {severity.label: by_severity[severity] for severity in sorted(Severity, reverse=True)},
        "by_rule": dict(sorted(Counter(f.rule_id for f in active).items())),
        "files_seen": result.files_seen,
        "modules_seen": result.modules_seen,
        "modules_parsed": result.modules_parsed,
        "item_sets": result.item_sets,
    }
