"""Run every selected check over the analysis and turn hits into findings.

A check that raises does not end the run: it becomes an internal error tied
to the file it was looking at, and the other checks and modules go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ddblint.cache.store import Cache
from ddblint.catalog.entries import RuleDoc, load_catalog
from ddblint.config.settings import PathRules, Settings
from ddblint.evaluate.analysis import Analysis, ItemSet, TableLoad
from ddblint.findings import Caller, Finding, InternalError, with_callers
from ddblint.problems import ParseProblem
from ddblint.rules import RegisteredCheck, Subject, load_checks
from ddblint.span import Span

if TYPE_CHECKING:
    from ddblint.evaluate.roots import Evaluation

# The model's subjects, keyed by class; a check of any other subject (SuppressionUse) is not the engine's.
MODEL_SUBJECTS: dict[type[object], Callable[[Analysis], Sequence[Subject]]] = {
    ParseProblem: lambda analysis: analysis.problems,
    ItemSet: lambda analysis: analysis.item_sets,
    TableLoad: lambda analysis: analysis.loads,
}


@dataclass(frozen=True)
class Checked:
    """What the checks found, and the checks that failed."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InternalError] = field(default_factory=list)


def model_checks() -> list[RegisteredCheck]:
    return [c for c in load_checks().values() if c.subject in MODEL_SUBJECTS]


def _callers(item_set: ItemSet) -> tuple[Caller, ...]:
    """The root's module call that instantiates ``item_set`` (none for a set written in the root)."""
    if not item_set.callers:
        return ()
    chain = item_set.callers
    through: tuple[Span, ...] = tuple(site.span for site in chain)
    return (Caller(chain[-1].address, chain[0].span, through),)


def _callers_by_address(subject: object) -> dict[str, tuple[Caller, ...]]:
    """For each item set a subject holds, by address, the callers its findings name."""
    if isinstance(subject, ItemSet):
        return {subject.address: _callers(subject)}
    if isinstance(subject, TableLoad):
        return {item_set.address: _callers(item_set) for item_set in subject.item_sets}
    return {}


def run_checks(analysis: Analysis, settings: Settings) -> Checked:
    """Run the checks over the model's subjects (the filter stage judges suppressions itself)."""
    if not any(subjects(analysis) for subjects in MODEL_SUBJECTS.values()):
        return Checked()  # nothing to check: the rules are not even loaded
    return check_subjects(model_checks(), lambda kind: MODEL_SUBJECTS[kind](analysis), settings)


def check_subjects(
    checks: Iterable[RegisteredCheck], subjects_of: Callable[[type[object]], Iterable[Subject]], settings: Settings
) -> Checked:
    """Run ``checks`` over their subjects with per-file options, selection and severity.

    A check runs with the options in force for its subject's file; each hit is
    kept only if its own file selects the rule, with that file's severity.
    """
    catalog = load_catalog()
    rules_for = PathRulesCache(settings)
    findings: dict[tuple[str, Span, str, str], Finding] = {}
    errors: list[InternalError] = []
    for check in sorted(checks, key=lambda c: c.rule_id):
        if not settings.may_select(check.rule_id):
            continue
        doc = catalog[check.rule_id]
        options: dict[str, object] = {}  # per file: a file's subjects share their options
        for subject in subjects_of(check.subject):
            try:
                path = subject.path
                if path not in options:
                    options[path] = options_for(check, doc, rules_for(path))
                hits = list(check.function(subject, options[path]))
            except Exception as exc:  # noqa: BLE001 - a rule bug must not end the run
                import traceback

                message = f"{type(exc).__name__}: {exc}"
                errors.append(InternalError(path, check.rule_id, message, traceback.format_exc()))
                continue
            callers = _callers_by_address(subject) if hits else {}
            for hit in hits:
                rules = rules_for(hit.span.path)
                if rules.selects(check.rule_id):
                    finding = hit.finding(check.rule_id, rules.severity(check.rule_id, doc.severity), doc.name)
                    finding = replace(finding, callers=callers.get(hit.address, ()))
                    key = (check.rule_id, hit.span, hit.address, hit.message)
                    known = findings.get(key)
                    findings[key] = finding if known is None else with_callers(known, finding.callers)
    return Checked(sorted(findings.values(), key=Finding.sort_key), errors)


def options_for(check: RegisteredCheck, doc: RuleDoc, rules: PathRules) -> object:
    """The check's options dataclass: catalog defaults, then every config layer in force for the file."""
    return check.options_from(rules.options(check.rule_id, doc.option_defaults()))


class PathRulesCache:
    """``settings.for_path`` memoised for one run: many findings share a file."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._by_path: dict[str, PathRules] = {}

    def __call__(self, path: str) -> PathRules:
        if path not in self._by_path:
            self._by_path[path] = self._settings.for_path(path)
        return self._by_path[path]


def check(evaluation: Evaluation, settings: Settings, cache: Cache | None = None) -> Checked:
    """The check stage: every selected check over each root as the evaluation yields it, through the cache if any."""
    from ddblint.rules.by_root import run_checks_by_root

    return run_checks_by_root(evaluation.roots, evaluation.facts, settings, cache)
