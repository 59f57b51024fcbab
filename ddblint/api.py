"""The library entry point: ``lint(paths, settings) -> Result``.

The CLI is a thin shell over this function, and tests call it directly.
Data flows one way: discover, prefilter, parse, model, evaluate, check, filter.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import replace
from typing import TYPE_CHECKING

from ddblint.cache.scan_memo import FileScanMemo
from ddblint.cache.store import Cache, open_cache
from ddblint.config.settings import Settings
from ddblint.discover.callers import find_callers, subject_findings
from ddblint.discover.files import (
    Discovery,
    ModuleBytes,
    ScanMemo,
    discover,
    relevant_modules,
    scan_bytes,
)
from ddblint.discover.graph import reachable, root_modules
from ddblint.filter.redact import Redactor
from ddblint.model.loader import ModuleLoader
from ddblint.parse.syntax import ParseProblem
from ddblint.progress import Progress
from ddblint.result import Result

if TYPE_CHECKING:  # the later stages load only when there is something for them to do
    from ddblint.cache.roots import RootCache
    from ddblint.evaluate.expand import RootAnalyser, RootAnalysis
    from ddblint.model.module import Analysis, Module
    from ddblint.parse.schedule import FileParser


def _byte_scan(
    discovery: Discovery, source: ModuleLoader, settings: Settings, memo: ScanMemo | None = None
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
    source = ModuleLoader(discovery, settings, functools.partial(_file_parser, settings, cache, progress))
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
    roots = root_modules(sorted(d for d in relevant if d in requested or d in context), scanned)
    files_seen = sum(len(files) for d, files in discovery.modules.items() if d in requested)
    if not relevant and not _reports_without_modules(discovery, settings):
        return Result(root=discovery.root, files_seen=files_seen, modules_seen=len(requested))
    from ddblint.filter.apply import filter_findings
    from ddblint.filter.redact import redactor_for
    from ddblint.model.module import Analysis
    from ddblint.rules.engine import run_checks

    if relevant:
        modules, analysis, root_cache = _analyse(discovery, source, scanned, relevant, roots, cache, settings, progress)
    else:  # nothing to parse or evaluate, so neither stage is even imported
        modules, analysis, root_cache = {}, Analysis(), None
    analysis.problems = _unique_problems(discovery.problems + analysis.problems)
    if cache is None or root_cache is None:
        findings, errors = run_checks(analysis, settings)
    else:
        from ddblint.rules.by_root import run_checks_by_root

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
    from ddblint.parse.schedule import FileParser

    return FileParser(settings, cache, progress)


def _analyse(
    discovery: Discovery,
    source: ModuleLoader,
    scanned: dict[str, ModuleBytes],
    relevant: set[str],
    roots: list[str],
    cache: Cache | None,
    settings: Settings,
    progress: Progress,
) -> tuple[dict[str, Module], Analysis, RootCache | None]:
    """Parse the relevant modules, evaluate every root, and resolve tables named by literal names."""
    from ddblint.evaluate.expand import analyse
    from ddblint.evaluate.table_names import attach_tables_by_name

    source.load_many(sorted(reachable(sorted(relevant), scanned)))  # the modules and all they call, in one batch
    modules = {d: m for d in sorted(relevant) if (m := source(d)) is not None}
    root_cache = _root_cache(cache, discovery.reach, source)
    progress.checking(len(roots))
    analysis = analyse(modules, roots, discovery.reach, source, _counted(root_cache, discovery.reach, source, progress))
    attach_tables_by_name(analysis, discovery.modules, source.modules, discovery.reach, settings.max_file_size)
    source.close()
    return modules, analysis, root_cache


def _root_cache(cache: Cache | None, scan_root: str, source: ModuleLoader) -> RootCache | None:
    if cache is None:
        return None
    from ddblint.cache.roots import RootCache

    return RootCache(cache, scan_root, source, source.digests, source.var_files, source.gets_var_files)


def _counted(root_cache: RootCache | None, scan_root: str, source: ModuleLoader, progress: Progress) -> RootAnalyser:
    """Analyse each root module (through the cache when there is one), counting progress."""

    from ddblint.evaluate.expand import analyse_root

    def analyse_one(module: Module, root: str) -> RootAnalysis:
        part = analyse_root(module, root, scan_root, source) if root_cache is None else root_cache(module, root)
        progress.checked(1)
        return part

    return analyse_one


def _unique_problems(problems: list[ParseProblem]) -> list[ParseProblem]:
    return list(dict.fromkeys(problems))
