"""The library entry point: ``lint(paths, settings) -> Result``.

The CLI is a thin shell over this function, and tests call it directly.
Data flows one way: discover, prefilter, parse, model, evaluate, check, filter.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ddblint.cache import Cache, open_cache
from ddblint.callers import find_callers, subject_findings
from ddblint.discover import (
    Discovery,
    ModuleBytes,
    ScanMemo,
    discover,
    is_auto_loaded,
    list_module_files,
    relevant_modules,
    scan_bytes,
)
from ddblint.progress import Progress
from ddblint.redact import Redactor
from ddblint.scan_memo import FileScanMemo
from ddblint.settings import Settings
from ddblint.syntax import ParseProblem

if TYPE_CHECKING:  # the later stages load only when there is something for them to do
    from ddblint.baseline import BaselineEntry
    from ddblint.engine import InternalError
    from ddblint.expand import RootAnalyser, RootAnalysis
    from ddblint.findings import Finding
    from ddblint.model import Analysis, Module
    from ddblint.root_cache import RootCache
    from ddblint.schedule import FileParser


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
    redact: Redactor = field(default_factory=Redactor)  # masks every secret found; reporters apply it to source text

    @property
    def has_items(self) -> bool:
        return self.item_sets > 0 or any(f.rule_id == "DDB000" for f in self.findings)


class _ModuleSource:
    """Parses module directories on demand, so callees outside the given paths still load."""

    def __init__(self, discovery: Discovery, settings: Settings, new_parser: Callable[[], FileParser]) -> None:
        self._discovery = discovery
        self._settings = settings
        self._new_parser = new_parser
        self._started_parser: FileParser | None = None
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
        from ddblint.model import build_module

        wanted = {d: [f for f in self.files_of(d) if is_auto_loaded(os.path.basename(f))] for d in directories}
        parsed = self._parser.parse([f for files in wanted.values() for f in files] + self._var_files)
        var_files = [parsed[v] for v in self._var_files]
        for directory, files in wanted.items():
            extra = var_files if self.gets_var_files(directory) else []
            self._cache[directory] = build_module(directory, [parsed[f] for f in files], extra)

    @property
    def _parser(self) -> FileParser:
        """Started on first use: a run with nothing relevant never loads the parser."""
        if self._started_parser is None:
            self._started_parser = self._new_parser()
        return self._started_parser

    def gets_var_files(self, directory: str) -> bool:
        """``--var-file`` values apply to the module directories the user asked for."""
        return directory in self._discovery.requested

    @property
    def var_files(self) -> list[str]:
        return self._var_files

    @property
    def digests(self) -> dict[str, str]:
        return self._parser.digests

    def __call__(self, directory: str) -> Module | None:
        if directory not in self._cache:
            self.load_many([directory])
        return self._cache[directory]

    def close(self) -> None:
        """No more modules will be asked for: stop any parser processes."""
        if self._started_parser is not None:
            self._started_parser.close()

    def modules(self, directories: list[str]) -> list[Module]:
        self.load_many([d for d in directories if d not in self._cache])
        return [m for d in directories if (m := self._cache[d]) is not None]


def _byte_scan(
    discovery: Discovery, source: _ModuleSource, settings: Settings, memo: ScanMemo | None = None
) -> dict[str, ModuleBytes]:
    """Scan the given modules and, transitively, the local modules they call."""
    scanned: dict[str, ModuleBytes] = {}
    pending = list(discovery.modules)
    while pending:
        directory = pending.pop()
        if directory in scanned:
            continue
        info = scan_bytes(directory, source.files_of(directory), settings.max_file_size, memo)
        scanned[directory] = info
        pending.extend(d for d in info.local_sources if d not in scanned and source.files_of(d))
    return scanned


def lint(
    paths: list[str],
    settings: Settings | None = None,
    root: str | None = None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> Result:
    """Lint ``paths``; ``today`` (default: the real date) decides which ``until=`` suppressions expired."""
    settings = settings or Settings()
    progress = progress or Progress()
    discovery = discover(paths or ["."], settings.exclude, root)
    requested = set(discovery.modules)
    progress.discovered(len(requested))
    cache = open_cache(settings.cache, settings.cache_dir)
    source = _ModuleSource(discovery, settings, functools.partial(_file_parser, settings, cache, progress))
    memo = FileScanMemo(cache, discovery.root) if cache is not None else None
    scanned = _byte_scan(discovery, source, settings, memo)
    relevant = relevant_modules(scanned)
    context = find_callers(discovery.file_modules & relevant, discovery.root, settings.exclude, settings.max_file_size)
    if context:
        discovery.modules.update(context)
        scanned = _byte_scan(discovery, source, settings, memo)
        relevant = relevant_modules(scanned)
    if memo is not None:
        memo.save()
    roots = _roots(sorted(d for d in relevant if d in requested or d in context), scanned)
    files_seen = sum(len(files) for d, files in discovery.modules.items() if d in requested)
    if not relevant and not _reports_without_modules(discovery, settings):
        return Result(root=discovery.root, files_seen=files_seen, modules_seen=len(requested))
    from ddblint.engine import run_checks
    from ddblint.filter import filter_findings
    from ddblint.model import Analysis
    from ddblint.redact import redactor_for

    if relevant:
        modules, analysis, root_cache = _analyse(discovery, source, scanned, relevant, roots, cache, settings, progress)
    else:  # nothing to parse or evaluate, so neither stage is even imported
        modules, analysis, root_cache = {}, Analysis(), None
    analysis.problems = _unique_problems(discovery.problems + analysis.problems)
    if cache is None or root_cache is None:
        findings, errors = run_checks(analysis, settings)
    else:
        from ddblint.root_checks import run_checks_by_root

        findings, errors = run_checks_by_root(analysis, settings, cache, root_cache.analysis_keys)
    filtered = filter_findings(findings, analysis, settings, today)
    if context:
        filtered = replace(filtered, findings=subject_findings(filtered.findings, requested, scanned))
    redact = redactor_for(analysis.item_sets) if analysis.item_sets else Redactor()
    return Result(
        root=discovery.root,
        findings=[redact.finding(f) for f in filtered.findings],
        internal_errors=[replace(e, message=redact(e.message)) for e in errors + filtered.internal_errors],
        files_seen=files_seen,
        modules_seen=len(requested),
        modules_parsed=len(modules),
        item_sets=len(analysis.item_sets),
        analysis=analysis,
        stale_baseline=filtered.stale_baseline,
        redact=redact,
    )


def _reports_without_modules(discovery: Discovery, settings: Settings) -> bool:
    """Whether a run that parses nothing may still report something.

    With no module relevant, no rule has a subject but the directories discovery
    could not read (DDB000), and the filter has nothing to judge but the
    configuration's own entries: ``suppress`` entries (a missing reason) and a
    baseline (a file that cannot be read). Without any of these the result is
    empty, and the checking stages are not even imported: the common pre-commit
    run on files that have nothing to do with DynamoDB.
    """
    return bool(discovery.problems or settings.suppress or settings.baseline)


def _file_parser(settings: Settings, cache: Cache | None, progress: Progress) -> FileParser:
    from ddblint.schedule import FileParser

    return FileParser(settings, cache, progress)


def _analyse(
    discovery: Discovery,
    source: _ModuleSource,
    scanned: dict[str, ModuleBytes],
    relevant: set[str],
    roots: list[str],
    cache: Cache | None,
    settings: Settings,
    progress: Progress,
) -> tuple[dict[str, Module], Analysis, RootCache | None]:
    """Parse the relevant modules, evaluate every root, and resolve tables named by literal names."""
    from ddblint.expand import analyse
    from ddblint.table_names import attach_tables_by_name

    source.load_many(sorted(_reachable(sorted(relevant), scanned)))  # the modules and all they call, in one batch
    modules = {d: m for d in sorted(relevant) if (m := source(d)) is not None}
    root_cache = _root_cache(cache, discovery.reach, source)
    progress.checking(len(roots))
    analysis = analyse(modules, roots, discovery.reach, source, _counted(root_cache, discovery.reach, source, progress))
    attach_tables_by_name(analysis, discovery.modules, source.modules, discovery.reach, settings.max_file_size)
    source.close()
    return modules, analysis, root_cache


def _roots(candidates: list[str], scanned: dict[str, ModuleBytes]) -> list[str]:
    """The modules to instantiate: those no other module calls, then one per cycle of calls.

    A module that only calls itself, or a ring of modules that call each other,
    has no caller above it; without this it would be silently left unlinted
    (the expansion then reports the cycle).
    """
    callees = {target for d in scanned for target in scanned[d].local_sources if target != d}
    roots = [d for d in candidates if d not in callees]
    reached = _reachable(roots, scanned)
    for directory in candidates:
        if directory not in reached:
            roots.append(directory)
            reached |= _reachable([directory], scanned)
    return sorted(roots)


def _reachable(starts: list[str], scanned: dict[str, ModuleBytes]) -> set[str]:
    seen = set(starts)
    pending = list(starts)
    while pending:
        for target in scanned[pending.pop()].local_sources:
            if target in scanned and target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _root_cache(cache: Cache | None, scan_root: str, source: _ModuleSource) -> RootCache | None:
    if cache is None:
        return None
    from ddblint.root_cache import RootCache

    return RootCache(cache, scan_root, source, source.digests, source.var_files, source.gets_var_files)


def _counted(root_cache: RootCache | None, scan_root: str, source: _ModuleSource, progress: Progress) -> RootAnalyser:
    """Analyse each root module (through the cache when there is one), counting progress."""

    from ddblint.expand import analyse_root

    def analyse_one(module: Module, root: str) -> RootAnalysis:
        part = analyse_root(module, root, scan_root, source) if root_cache is None else root_cache(module, root)
        progress.checked(1)
        return part

    return analyse_one


def _unique_problems(problems: list[ParseProblem]) -> list[ParseProblem]:
    return list(dict.fromkeys(problems))
