"""Checks run one root module at a time: a root's item sets are let go of once checked, and reused from the cache.

The evaluate stage hands over one root's part at a time
(:class:`~ddblint.evaluate.analysis.RootPart`); checking it right away means a run
holds one root's item sets, not the repository's. Checks are pure functions of
their subject and options, so a root's findings can also be reused when the
root's analysis is unchanged (its :class:`~ddblint.cache.roots.RootCache` key),
the settings are the same, and so are the tables attached to its item sets
after the analysis (a later pass can resolve a table by name from another root).

Findings are stored, and returned, with the root's own secrets masked (the
masked spellings are part of the key), so the cache holds no secret of the
items that produced them; the filter stage masks every finding again with every
secret of the run, which leaves what is already masked as it is.

Running the checks per root gives the same findings, in the same order, as one
run over everything: results are merged in the roots' order whichever root was
finished first, a finding reported twice keeps its first copy, and internal
errors are ordered by rule as the engine orders them.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ddblint.cache.store import Cache, key_material, settings_material
from ddblint.config.settings import Settings
from ddblint.evaluate.analysis import Analysis, ItemSet, RootPart
from ddblint.findings import Caller, Finding, InternalError, with_callers
from ddblint.rules.engine import Checked, run_checks

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ddblint.evaluate.analysis import RunFacts


def run_checks_by_root(roots: Iterable[RootPart], facts: RunFacts, settings: Settings, cache: Cache | None) -> Checked:
    """:func:`ddblint.rules.engine.run_checks` over each root as it comes, then over the run's problems.

    Item sets no table load claims are kept and checked with the problems, at the end.
    """
    settings_key = settings_material(settings) if cache is not None else b""
    results: dict[int, Checked] = {}
    unclaimed: list[ItemSet] = []
    for part in roots:
        if isinstance(part.checked, Checked):  # an earlier run's outcome: nothing to check
            results[part.index] = part.checked
            continue
        claimed = {id(s) for load in part.loads for s in load.item_sets}
        own_unclaimed = [s for s in part.item_sets if id(s) not in claimed]
        unclaimed.extend(own_unclaimed)
        subjects = Analysis(item_sets=[s for s in part.item_sets if id(s) in claimed], loads=part.loads)
        outcome = part.remember if not own_unclaimed else None  # an unclaimed set is checked with the run's problems
        results[part.index] = _checked_root(subjects, part.key, settings, cache, settings_key, keep=outcome is None)
        if part.remember is not None:
            part.remember(results[part.index] if outcome is not None else None)
    first = run_checks(Analysis(problems=facts.problems, item_sets=unclaimed), settings)
    return _merge([first, *(results[index] for index in sorted(results))])


def _checked_root(
    subjects: Analysis,
    root_key: str | None,
    settings: Settings,
    cache: Cache | None,
    settings_key: bytes,
    keep: bool = True,
) -> Checked:
    """One root's findings: from the cache when its inputs are unchanged, else checked (and, ``keep``, stored)
    masked. A root whose outcome is stored needs no findings entry: the outcome holds them."""
    if cache is None or root_key is None:
        return run_checks(subjects, settings)
    from ddblint.filter.redact import Redactor  # the filter's own masking: a report shows nothing the cache holds

    redact = Redactor.for_secrets(text for item_set in subjects.item_sets for text in item_set.secret_spellings())
    key = _findings_key(cache, root_key, settings_key + key_material(redact.forms), subjects)
    cached = cache.load("findings", key)
    if isinstance(cached, Checked) and _is_checked(cached):
        return cached
    found = run_checks(subjects, settings)
    checked = Checked(
        [redact.finding(f) for f in found.findings],
        [dataclasses.replace(e, message=redact(e.message)) for e in found.errors],
    )
    if keep:
        cache.store("findings", key, checked)
    return checked


def _findings_key(cache: Cache, root_key: str, settings_key: bytes, subjects: Analysis) -> str:
    tables = key_material([s.table for s in subjects.item_sets] + [load.table for load in subjects.loads])
    return cache.key(b"findings", root_key.encode(), settings_key, tables)


def _is_checked(value: Checked) -> bool:
    return all(isinstance(f, Finding) for f in value.findings) and all(
        isinstance(e, InternalError) for e in value.errors
    )


def _merge(results: list[Checked]) -> Checked:
    """The roots' findings as one list: a finding several roots make is kept once, with every root's
    callers. The callers are gathered first and merged once per finding: a module's finding reached
    from thousands of roots would be quadratic merged root by root."""
    findings: dict[tuple[str, Any, str, str], Finding] = {}
    callers: dict[tuple[str, Any, str, str], list[Caller]] = {}
    errors: list[InternalError] = []
    for part in results:
        for finding in part.findings:
            key = (finding.rule_id, finding.span, finding.address, finding.message)
            findings.setdefault(key, finding)
            callers.setdefault(key, []).extend(finding.callers)
        errors.extend(part.errors)
    errors.sort(key=lambda e: e.rule_id)
    merged = (with_callers(finding, tuple(callers[key])) for key, finding in findings.items())
    return Checked(sorted(merged, key=Finding.sort_key), errors)
