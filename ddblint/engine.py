"""Run every selected check over the analysis and turn hits into findings.

A check that raises does not end the run: it becomes an internal error tied
to the file it was looking at, and the other checks and modules go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ddblint.catalog import load_catalog
from ddblint.findings import Finding
from ddblint.model import Analysis
from ddblint.rules import load_checks
from ddblint.settings import Settings


@dataclass(frozen=True)
class InternalError:
    """A bug in ddblint met while checking ``path``; the traceback is kept for ``--debug``."""

    path: str
    rule_id: str
    message: str
    traceback: str


def _subjects(analysis: Analysis, subject: str) -> Iterable[Any]:
    if subject == "ParseProblem":
        return analysis.problems
    if subject == "ItemSet":
        return analysis.item_sets
    if subject == "TableLoad":
        return analysis.loads
    raise ValueError(f"unknown check subject {subject}")


def _subject_path(subject: Any) -> str:
    for attribute in ("path", "span"):
        value = getattr(subject, attribute, None)
        if isinstance(value, str):
            return value
        if value is not None and hasattr(value, "path"):
            return str(value.path)
    sets = getattr(subject, "item_sets", ())
    return sets[0].span.path if sets else "?"


def run_checks(analysis: Analysis, settings: Settings) -> tuple[list[Finding], list[InternalError]]:
    catalog = load_catalog()
    findings: dict[tuple[str, Any, str, str], Finding] = {}
    errors: list[InternalError] = []
    for rule_id, check in sorted(load_checks().items()):
        if not settings.selects(rule_id):
            continue
        doc = catalog[rule_id]
        options = settings.options_for(rule_id, doc.option_defaults())
        severity = settings.severities.get(rule_id, doc.severity)
        for subject in _subjects(analysis, check.subject):
            try:
                hits = list(check.function(subject, options))
            except Exception as exc:  # noqa: BLE001 - a rule bug must not end the run
                import traceback

                errors.append(
                    InternalError(
                        _subject_path(subject), rule_id, f"{type(exc).__name__}: {exc}", traceback.format_exc()
                    )
                )
                continue
            for hit in hits:
                finding = Finding(
                    rule_id=rule_id,
                    severity=severity,
                    message=hit.message,
                    span=hit.span,
                    address=hit.address,
                    evidence=hit.evidence,
                    identity=hit.identity,
                    rule_name=doc.name,
                )
                findings.setdefault((rule_id, hit.span, hit.address, hit.message), finding)
    return sorted(findings.values(), key=Finding.sort_key), errors
