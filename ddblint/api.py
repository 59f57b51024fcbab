"""The library entry point: ``lint(paths, settings) -> Result``.

The CLI is a thin shell over this function, and tests call it directly.
Data flows one way: discover, prefilter, parse, model, evaluate, check, filter.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

from ddblint.baseline import BaselineEntry
from ddblint.callers import find_callers, subject_findings
from ddblint.discover import (
    Discovery,
    ModuleBytes,
    discover,
    is_auto_loaded,
    list_module_files,
    relevant_modules,
    scan_bytes,
)
from ddblint.engine import InternalError, run_checks
from ddblint.expand import analyse
from ddblint.filter import filter_findings
from ddblint.findings import Finding
from ddblint.model import Analysis, Module, build_module
from ddblint.schedule import parse_many
from ddblint.settings import Settings
from ddblint.syntax import ParseProblem


@dataclass
class Result:
    """Everything a reporter needs, and nothing that depends on which reporter runs."""

    root: str
    findings: list[Finding] = field(default_factory=list)
    internal_errors: list[InternalError] = field(default_factory=list)
    files_seen: int = 0
    modules_seen: int = 0
    modules_parsed: int = 0
    item_sets: int = 0
    analysis: Analysis | None = None
    stale_baseline: list[BaselineEntry] = field(default_factory=list)  # entries no finding matched

    @property
    def has_items(self) -> bool:
        return self.item_sets > 0 or any(f.rule_id == "DDB000" for f in self.findings)


class _ModuleSource:
    """Parses module directories on demand, so callees outside the given paths still load."""

    def __init__(self, discovery: Discovery, settings: Settings) -> None:
        self._discovery = discovery
        self._settings = settings
        self._cache: dict[str, Module | None] = {}
        self._var_files = [os.path.abspath(v) for v in settings.var_files]

    def files_of(self, directory: str) -> list[str]:
        if directory in self._discovery.modules:
            return self._discovery.modules[directory]
        if not os.path.isdir(directory):
            return []
        reach = self._discovery.reach
        real = os.path.realpath(directory)
        if real != reach and not real.startswith(reach + os.sep):
            return []
        files = list_module_files(directory, self._discovery.root, self._settings.exclude)
        self._discovery.modules[directory] = files
        return files

    def load_many(self, directories: list[str]) -> None:
        wanted = {d: [f for f in self.files_of(d) if is_auto_loaded(os.path.basename(f))] for d in directories}
        parsed = parse_many([f for files in wanted.values() for f in files] + self._var_files, self._settings)
        var_files = [parsed[v] for v in self._var_files]
        for directory, files in wanted.items():
            is_root_var_scope = directory in self._discovery.requested
            extra = var_files if is_root_var_scope else []
            self._cache[directory] = build_module(directory, [parsed[f] for f in files], extra)

    def __call__(self, directory: str) -> Module | None:
        if directory not in self._cache:
            self.load_many([directory])
        return self._cache[directory]


def _byte_scan(discovery: Discovery, source: _ModuleSource, settings: Settings) -> dict[str, ModuleBytes]:
    """Scan the given modules and, transitively, the local modules they call."""
    scanned: dict[str, ModuleBytes] = {}
    pending = list(discovery.modules)
    while pending:
        directory = pending.pop()
        if directory in scanned:
            continue
        info = scan_bytes(directory, source.files_of(directory), settings.max_file_size)
        scanned[directory] = info
        pending.extend(d for d in info.local_sources if d not in scanned and source.files_of(d))
    return scanned


def lint(
    paths: list[str], settings: Settings | None = None, root: str | None = None, today: datetime.date | None = None
) -> Result:
    """Lint ``paths``; ``today`` (default: the real date) decides which ``until=`` suppressions expired."""
    settings = settings or Settings()
    discovery = discover(paths or ["."], settings.exclude, root)
    requested = set(discovery.modules)
    source = _ModuleSource(discovery, settings)
    scanned = _byte_scan(discovery, source, settings)
    relevant = relevant_modules(scanned)
    context = find_callers(discovery.file_modules & relevant, discovery.root, settings.exclude, settings.max_file_size)
    if context:
        discovery.modules.update(context)
        scanned = _byte_scan(discovery, source, settings)
        relevant = relevant_modules(scanned)
    callees = {target for d in relevant for target in scanned[d].local_sources}
    roots = sorted(d for d in relevant if (d in requested or d in context) and d not in callees)
    source.load_many(sorted(relevant))
    modules = {d: m for d in sorted(relevant) if (m := source(d)) is not None}
    analysis = analyse(modules, roots, discovery.reach, source)
    analysis.problems = _unique_problems(discovery.problems + analysis.problems)
    findings, errors = run_checks(analysis, settings)
    if context:
        findings = subject_findings(findings, requested, scanned)
    filtered = filter_findings(findings, analysis, settings, today)
    return Result(
        root=discovery.root,
        findings=filtered.findings,
        internal_errors=errors + filtered.internal_errors,
        files_seen=sum(len(files) for d, files in discovery.modules.items() if d in requested),
        modules_seen=len(requested),
        modules_parsed=len(modules),
        item_sets=len(analysis.item_sets),
        analysis=analysis,
        stale_baseline=filtered.stale_baseline,
    )


def _unique_problems(problems: list[ParseProblem]) -> list[ParseProblem]:
    return list(dict.fromkeys(problems))
