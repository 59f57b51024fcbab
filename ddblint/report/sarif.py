"""SARIF 2.1.0 for GitHub code scanning and every other SARIF consumer.

The log is built to pass both the OASIS schema and the SARIF multitool's
``Sarif`` and ``Gh`` validation rules: relative URIs under ``%SRCROOT%``
(the repository root), full regions, complete rule metadata from the catalog,
line-independent ``partialFingerprints`` and unreadable files repeated as tool
notifications. GitHub code scanning does not act on ``suppressions``: a
suppressed or baselined result would come back as an open alert, so such
findings are left out unless asked for (``--show-suppressed``, for tools that
honour ``suppressions``), while stale baseline entries are told as
notifications. GitHub rejects an upload over its limits, so the log keeps the
most severe results that fit and says how many it left out.
"""

from __future__ import annotations

import gzip
import json
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ddblint import __version__
from ddblint.catalog.docs import rule_markdown, rule_page_path, rule_text
from ddblint.catalog.entries import RuleDoc, load_catalog
from ddblint.findings import Finding, Severity
from ddblint.repo_paths import RepoPaths
from ddblint.report import ReportOptions

if TYPE_CHECKING:
    from ddblint.filter.baseline import BaselineEntry
    from ddblint.result import Result

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/ddblint/ddblint"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "ddblintFindingHash/v1"
PARSE_ERROR_RULE = "DDB000"
TEXT_LIMIT = 1024  # GitHub cuts rule descriptions beyond this many characters

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
_PROBLEM_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}


@dataclass(frozen=True)
class UploadLimits:
    """What one code scanning upload may hold; GitHub rejects a file beyond either limit."""

    max_results: int = 25_000
    max_gzip_bytes: int = 10_000_000  # the upload is gzip-compressed before GitHub measures it


GITHUB_LIMITS = UploadLimits()


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    stream.write(sarif_text(result, options, GITHUB_LIMITS))
    stream.write("\n")


def sarif_text(result: Result, options: ReportOptions, limits: UploadLimits = GITHUB_LIMITS) -> str:
    """The whole log as ASCII JSON, holding the most severe results that fit within ``limits``."""
    paths = RepoPaths.for_scan(result.root)
    catalog = load_catalog()
    rule_index = {rule_id: index for index, rule_id in enumerate(catalog)}
    findings = [f for f in result.findings if options.show_suppressed or not f.suppressed]
    results = [_result(finding, paths, rule_index) for finding in findings]
    notifications = [_parse_notification(f, paths, rule_index) for f in findings if _is_parse_error(f)]
    notifications += [_internal_error_notification(error.rule_id, error.message) for error in result.internal_errors]
    notifications += [_stale_baseline_notification(entry) for entry in result.stale_baseline]
    left_out = len(result.findings) - len(findings)
    if left_out:
        notifications.append(_suppressed_notification(left_out))
    frame = _Frame([rule_descriptor(doc) for doc in catalog.values()], notifications, result, options)
    ranked = sorted(range(len(results)), key=lambda i: (_priority(findings[i]), i))
    keep = min(len(ranked), limits.max_results)
    while True:
        kept = [results[i] for i in sorted(ranked[:keep])]
        text = frame.text(kept, dropped=len(results) - keep, limits=limits)
        size = gzipped_size(text)
        if size <= limits.max_gzip_bytes or keep == 0:
            return text
        keep = min(keep - 1, int(keep * limits.max_gzip_bytes / size * 0.98))


def gzipped_size(text: str) -> int:
    """The size GitHub measures: the upload action gzips the file with zlib's default level."""
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6))


def _is_parse_error(finding: Finding) -> bool:
    return finding.rule_id == PARSE_ERROR_RULE and not finding.suppressed


@dataclass(frozen=True)
class _Frame:
    """Everything in the log but the results, which may be cut to fit GitHub's limits."""

    rules: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    result: Result
    options: ReportOptions

    def text(self, results: list[dict[str, Any]], dropped: int, limits: UploadLimits) -> str:
        notifications = list(self.notifications)
        if dropped:
            notifications.append(_dropped_notification(dropped, len(results) + dropped, limits))
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "ddblint",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": self.rules,
                }
            },
            "invocations": [
                {"executionSuccessful": not self.result.internal_errors, "toolExecutionNotifications": notifications}
            ],
            "originalUriBaseIds": {
                SOURCE_ROOT: {"description": {"text": "The root of the repository that was linted."}}
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        if self.options.sarif_category:
            run["automationDetails"] = {"id": self.options.sarif_category}
        log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        return json.dumps(log, separators=(",", ":"), ensure_ascii=True)  # compact: the C encoder is 10x faster


def rule_descriptor(doc: RuleDoc) -> dict[str, Any]:
    """A catalog entry as a SARIF ``reportingDescriptor``, with the properties GitHub reads."""
    tags = list(doc.tags)
    properties: dict[str, Any] = {"problem.severity": _PROBLEM_SEVERITIES[doc.severity]}
    if doc.security_severity is not None:
        properties["security-severity"] = doc.security_severity
        if "security" not in tags:
            tags.append("security")  # GitHub lists a rule as a security rule by this tag
    properties["tags"] = tags
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": _clip(doc.summary)},
        "fullDescription": {"text": _clip(doc.description)},
        "help": {"text": rule_text(doc), "markdown": rule_markdown(doc)},
        "helpUri": f"{INFORMATION_URI}/blob/main/{rule_page_path(doc.id)}",
        "defaultConfiguration": {"level": _LEVELS[doc.severity]},
        "properties": properties,
    }


def _clip(text: str) -> str:
    if len(text) <= TEXT_LIMIT:
        return text
    return text[: TEXT_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _sentence(text: str) -> str:
    """Result messages end with a period, as the SARIF authoring rules ask."""
    text = text.strip() or "No message."
    return text if text.endswith((".", "!", "?")) else text + "."


def artifact_location(path: str, paths: RepoPaths) -> dict[str, str]:
    """A percent-encoded URI relative to ``%SRCROOT%``, or an absolute file URI outside the repository."""
    relative = paths.relative(path)
    if relative is None:
        return {"uri": Path(paths.display(path)).as_uri()}
    return {"uri": urllib.parse.quote(_path_bytes(relative), safe="/"), "uriBaseId": SOURCE_ROOT}


def _path_bytes(path: str) -> bytes:
    """The bytes a path names on disk: a file name that is not UTF-8 is percent-encoded byte by byte."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that did not come from the file system (a JSON escape)
        return path.encode("utf-8", "surrogatepass")


def _location(finding: Finding, paths: RepoPaths) -> dict[str, Any]:
    span = finding.span
    line, column = max(span.line, 1), max(span.column, 1)
    end_line, end_column = span.end_line, span.end_column
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(span.path, paths),
            "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
        }
    }
    if finding.address:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    return location


def _result(finding: Finding, paths: RepoPaths, rule_index: dict[str, int]) -> dict[str, Any]:
    entry: dict[str, Any] = {"ruleId": finding.rule_id}
    if finding.rule_id in rule_index:
        entry["ruleIndex"] = rule_index[finding.rule_id]
    entry["level"] = _LEVELS[finding.severity]
    entry["message"] = {"text": _sentence(finding.message)}
    entry["locations"] = [_location(finding, paths)]
    if finding.callers:
        entry["relatedLocations"] = _caller_locations(finding, paths)
    entry["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint(paths.display(finding.span.path))}
    entry["suppressions"] = _suppressions(finding, paths)
    return entry


def _caller_locations(finding: Finding, paths: RepoPaths) -> list[dict[str, Any]]:
    """The ``module`` blocks that produce a finding inside the module they call (GitHub lists them)."""
    related = []
    for index, caller in enumerate(finding.callers):
        span = caller.span
        line, column = max(span.line, 1), max(span.column, 1)
        related.append(
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": artifact_location(span.path, paths),
                    "region": {"startLine": line, "startColumn": column},
                },
                "message": {"text": f"{caller.address} calls the module here."},
            }
        )
    return related


def _suppressions(finding: Finding, paths: RepoPaths) -> list[dict[str, Any]]:
    """Empty, not absent, for an unsuppressed finding: every finding went through the suppression filter.

    SARIF asks for all results of a run to have ``suppressions`` or none to,
    so that an empty array means "checked, not suppressed".
    """
    if finding.suppression is None:
        return []
    suppression: dict[str, Any] = {"kind": finding.suppression.kind, "status": "accepted"}
    if finding.suppression.justification:
        suppression["justification"] = finding.suppression.justification
    if finding.suppression.origin:
        suppression["properties"] = {"origin": paths.origin(finding.suppression.origin)}
    return [suppression]


def _parse_notification(finding: Finding, paths: RepoPaths, rule_index: dict[str, int]) -> dict[str, Any]:
    """An unreadable file hides every other finding in it, so it is a tool problem as well as a result."""
    notification: dict[str, Any] = {
        "level": _LEVELS[finding.severity],
        "message": {"text": _sentence(finding.message)},
        "locations": [_location(finding, paths)],
        "associatedRule": {"id": finding.rule_id},
    }
    if finding.rule_id in rule_index:
        notification["associatedRule"]["index"] = rule_index[finding.rule_id]
    return notification


def _internal_error_notification(rule_id: str, message: str) -> dict[str, Any]:
    return {"level": "error", "message": {"text": _sentence(f"Internal error in rule {rule_id}: {message}")}}


def _stale_baseline_notification(entry: BaselineEntry) -> dict[str, Any]:
    """The code is fine, the baseline is old: a note for whoever maintains it, not an alert."""
    text = (
        f"The baseline entry for {entry.rule} {entry.address or '(no resource)'} in {entry.file} no longer "
        "matches a finding (fixed, or changed into a new finding); refresh the baseline with --write-baseline."
    )
    return {"level": "warning", "message": {"text": text}}


def _suppressed_notification(count: int) -> dict[str, Any]:
    noun = "finding is" if count == 1 else "findings are"
    text = (
        f"{count:,} suppressed or baselined {noun} left out: GitHub code scanning does not act on SARIF "
        "suppressions and would show them as open alerts. Run ddblint with --show-suppressed to include them "
        "with their suppressions."
    )
    return {"level": "note", "message": {"text": text}}


def _dropped_notification(dropped: int, total: int, limits: UploadLimits) -> dict[str, Any]:
    text = (
        f"{dropped:,} of {total:,} results were left out to stay within what GitHub code scanning accepts "
        f"in one upload (at most {limits.max_results:,} results and {limits.max_gzip_bytes:,} bytes gzip-compressed); "
        "the most severe were kept. Run ddblint with --format json to see them all."
    )
    return {"level": "warning", "message": {"text": text}}


def _priority(finding: Finding) -> tuple[bool, int]:
    """Active before suppressed, then errors before warnings before notes."""
    return (finding.suppressed, -int(finding.severity))
