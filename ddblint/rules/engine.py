"""Run every selected check over the analysis and turn hits into findings.

A check that raises does not end the run: it becomes an internal error tied
to the file it was looking at, and the other checks and modules go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import PathRules, Settings
from ddblint.findings import Finding
from ddblint.model.module import Analysis
from ddblint.rules import RegisteredCheck, load_checks


@dataclass(frozen=True)
class InternalError:
    """A bug in ddblint met while checking ``path``; the traceback is kept for ``--debug``."""

    path: str
    rule_id: str
    message: str
    traceback: str


_MODEL_SUBJECTS: dict[str, Callable[[Analysis], Sequence[Any]]] = {
    "ParseProblem": lambda analysis: analysis.problems,
    "ItemSet": lambda analysis: analysis.item_sets,
    "TableLoad": lambda analysis: analysis.loads,
}


def _subjects(analysis: Analysis, subject: str) -> Iterable[Any]:
    if subject not in _MODEL_SUBJECTS:
        raise ValueError(f"unknown check subject {subject}")
    return _MODEL_SUBJECTS[subject](analysis)


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
    """Run the checks over the model (every subject but those the filter stage hands over)."""
    if not any(subjects(analysis) for subjects in _MODEL_SUBJECTS.values()):
        return [], []  # nothing to check: the rules are not even loaded
    checks = [c for c in load_checks().values() if not c.after_filter]
    return check_subjects(checks, lambda kind: _subjects(analysis, kind), settings)


def run_filter_checks(
    subjects: Mapping[str, Sequence[Any]], settings: Settings
) -> tuple[list[Finding], list[InternalError]]:
    """Run the checks whose subjects the filter stage builds (suppression records), by subject kind."""
    if not any(subjects.values()):
        return [], []
    checks = [c for c in load_checks().values() if c.after_filter]
    return check_subjects(checks, lambda kind: subjects.get(kind, ()), settings)


def check_subjects(
    checks: Iterable[RegisteredCheck], subjects_of: Callable[[str], Iterable[Any]], settings: Settings
) -> tuple[list[Finding], list[InternalError]]:
    """Run ``checks`` over their subjects with per-file options, selection and severity.

    A check runs with the options in force for its subject's file; each hit is
    kept only if its own file selects the rule, with that file's severity.
    """
    catalog = load_catalog()
    rules_for = _PathRulesCache(settings)
    findings: dict[tuple[str, Any, str, str], Finding] = {}
    errors: list[InternalError] = []
    for check in sorted(checks, key=lambda c: c.rule_id):
        rule_id = check.rule_id
        if not settings.may_select(rule_id):
            continue
        doc = catalog[rule_id]
        for subject in subjects_of(check.subject):
            path = _subject_path(subject)
            options = rules_for(path).options(rule_id, doc.option_defaults())
            try:
                hits = list(check.function(subject, options))
            except Exception as exc:  # noqa: BLE001 - a rule bug must not end the run
                import traceback

                errors.append(InternalError(path, rule_id, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
                continue
            for hit in hits:
                rules = rules_for(hit.span.path)
                if not rules.selects(rule_id):
                    continue
                finding = Finding(
                    rule_id=rule_id,
                    severity=rules.severity(rule_id, doc.severity),
                    message=hit.message,
                    span=hit.span,
                    address=hit.address,
                    evidence=hit.evidence,
                    identity=hit.identity,
                    rule_name=doc.name,
                )
                findings.setdefault((rule_id, hit.span, hit.address, hit.message), finding)
    return sorted(findings.values(), key=Finding.sort_key), errors


class _PathRulesCache:
    """``settings.for_path`` memoised for one run: many findings share a file."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._by_path: dict[str, PathRules] = {}

    def __call__(self, path: str) -> PathRules:
        if path not in self._by_path:
            self._by_path[path] = self._settings.for_path(path)
        return self._by_path[path]
