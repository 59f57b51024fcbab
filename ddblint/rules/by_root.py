"""Checks run one root module at a time, so an unchanged root's findings come from the cache.

On a warm run the checks would otherwise be the largest cost left: every rule
walks every item again. Checks are pure functions of their subject and options,
so a root's findings can be reused when the root's analysis is unchanged (its
:class:`~ddblint.cache.roots.RootCache` key), the settings are the same, and so
are the tables attached to its item sets after the analysis (a later stage can
resolve a table by name from another root).

Findings are stored, and returned, with every secret of the run masked as the
filter stage masks them (the masked spellings are part of the key), so the
cache holds no secret a report would not show.

Running the checks per root gives the same findings, in the same order, as one
run over everything: subjects keep their order, a finding reported twice keeps
its first copy, and internal errors are ordered by rule as the engine orders them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ddblint.cache.store import Cache, key_material
from ddblint.config.settings import Settings
from ddblint.evaluate.analysis import Analysis, ItemSet, TableLoad
from ddblint.findings import Finding, InternalError, with_callers
from ddblint.rules.engine import Checked, run_checks


def _settings_key(settings: Settings) -> bytes:
    """The settings that can change a finding; scheduling and caching choices are left out."""
    return key_material(dataclasses.replace(settings, jobs=None, cache=True, cache_dir=None))


def _by_root(analysis: Analysis) -> tuple[dict[str, tuple[list[ItemSet], list[TableLoad]]], list[ItemSet]]:
    """Each root's item sets (in analysis order) and table loads; sets no load claims are returned apart."""
    root_of = {id(s): load.root_dir for load in analysis.loads for s in load.item_sets}
    parts: dict[str, tuple[list[ItemSet], list[TableLoad]]] = {}
    for load in analysis.loads:
        parts.setdefault(load.root_dir, ([], []))[1].append(load)
    unclaimed: list[ItemSet] = []
    for item_set in analysis.item_sets:
        root = root_of.get(id(item_set))
        if root is None:
            unclaimed.append(item_set)
        else:
            parts[root][0].append(item_set)
    return parts, unclaimed


def run_checks_by_root(analysis: Analysis, settings: Settings, cache: Cache, root_keys: dict[str, str]) -> Checked:
    """:func:`ddblint.rules.engine.run_checks`, reusing the findings of roots whose inputs are unchanged."""
    from ddblint.filter.redact import Redactor  # the filter's own masking: a report shows nothing the cache holds

    redact = Redactor.for_secrets(s.text for item_set in analysis.item_sets for _, s in item_set.secrets)
    settings_key = _settings_key(settings) + key_material(redact.forms)
    parts, unclaimed = _by_root(analysis)
    results = [run_checks(Analysis(problems=analysis.problems, item_sets=unclaimed), settings)]
    for root, (item_sets, loads) in parts.items():
        subjects = Analysis(item_sets=item_sets, loads=loads)
        key = _findings_key(cache, root_keys.get(root), settings_key, subjects)
        cached = cache.load("findings", key) if key is not None else None
        if isinstance(cached, Checked) and _is_checked(cached):
            results.append(cached)
            continue
        found = run_checks(subjects, settings)
        checked = Checked(
            [redact.finding(f) for f in found.findings],
            [dataclasses.replace(e, message=redact(e.message)) for e in found.errors],
        )
        if key is not None:
            cache.store("findings", key, checked)
        results.append(checked)
    return _merge(results)


def _findings_key(cache: Cache, root_key: str | None, settings_key: bytes, subjects: Analysis) -> str | None:
    if root_key is None:
        return None
    tables = key_material([s.table for s in subjects.item_sets] + [load.table for load in subjects.loads])
    return cache.key(b"findings", root_key.encode(), settings_key, tables)


def _is_checked(value: Checked) -> bool:
    return all(isinstance(f, Finding) for f in value.findings) and all(
        isinstance(e, InternalError) for e in value.errors
    )


def _merge(results: list[Checked]) -> Checked:
    findings: dict[tuple[str, Any, str, str], Finding] = {}
    errors: list[InternalError] = []
    for part in results:
        for finding in part.findings:
            key = (finding.rule_id, finding.span, finding.address, finding.message)
            known = findings.get(key)
            findings[key] = finding if known is None else with_callers(known, finding.callers)
        errors.extend(part.errors)
    errors.sort(key=lambda e: e.rule_id)
    return Checked(sorted(findings.values(), key=Finding.sort_key), errors)
