"""The evaluate stage of a run: every root module instantiated, then tables found by name and by module output.

In: the loaded modules, the prefilter's roots and table index. Out: the
:class:`~ddblint.evaluate.analysis.Analysis` the rules check, with every problem
met on the way (discovery's included, each once) and, when there is a cache,
a key per root that changes whenever that root's analysis can.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ddblint.evaluate.analysis import Analysis
from ddblint.evaluate.budget import Budget
from ddblint.evaluate.expand import UNSEARCHED_CALLER, RootAnalysis, analyse, analyse_root
from ddblint.evaluate.expressions import FileGateway
from ddblint.evaluate.table_names import attach_tables_by_name
from ddblint.evaluate.table_outputs import attach_tables_by_output

if TYPE_CHECKING:
    from ddblint.cache.store import Cache
    from ddblint.config.settings import Settings
    from ddblint.discover.files import Discovery
    from ddblint.discover.prefilter import Prefiltered
    from ddblint.model.loader import ModuleLoader
    from ddblint.model.module import Module
    from ddblint.progress import Progress


def evaluate(
    discovery: Discovery,
    prefiltered: Prefiltered,
    loader: ModuleLoader,
    settings: Settings,
    cache: Cache | None,
    progress: Progress,
) -> Analysis:
    """Analyse each root (through the cache when there is one), then resolve tables named by string."""
    max_bytes = settings.max_file_size
    budget = Budget()  # the run's: every root, in the order of prefiltered.roots, draws on it
    modules = {d: m for d in sorted(prefiltered.relevant) if (m := loader(d)) is not None}
    # Modules named by a file (pre-commit) that no caller above was found for: callers elsewhere may exist.
    open_roots = frozenset(r for r in prefiltered.roots if r in discovery.file_modules)
    root_cache = None
    if cache is not None and modules:
        from ddblint.cache.roots import RootCache

        root_cache = RootCache(cache, discovery.reach, loader, settings.max_file_size, budget, open_roots)

    def analyse_one(module: Module, root: str) -> RootAnalysis:
        if root_cache is not None:
            part = root_cache(module, root)
        else:
            gateway = FileGateway(discovery.reach, max_bytes, budget)
            part = analyse_root(module, root, discovery.reach, loader, gateway, root in open_roots)
        progress.checked(1)
        return part

    progress.checking(len(prefiltered.roots))
    analysis = analyse(modules, prefiltered.roots, discovery.reach, loader, analyse_one)
    gateway = FileGateway(discovery.reach, max_bytes, budget)  # confined, capped and on the run's budget
    attach_tables_by_name(analysis, prefiltered.tables, loader.modules, gateway)
    attach_tables_by_output(analysis, loader.modules, discovery.reach, gateway)
    loader.close()
    analysis.problems = list(dict.fromkeys(discovery.problems + analysis.problems))
    if root_cache is not None:
        analysis.root_keys = root_cache.analysis_keys
    analysis.notes = unsearched_caller_notes(analysis, open_roots, discovery.reach)
    return analysis


def unsearched_caller_notes(analysis: Analysis, open_roots: frozenset[str], scan_root: str) -> list[str]:
    """Item sets whose size only a caller ddblint did not look for could tell (no DDB003 for them)."""
    if not open_roots:
        return []
    notes = []
    for item_set in analysis.item_sets:
        if item_set.total.bounded or UNSEARCHED_CALLER not in item_set.total.unknown:
            continue
        module = os.path.relpath(os.path.dirname(item_set.span.path), scan_root).replace(os.sep, "/")
        notes.append(
            f"`{item_set.address}` in {module}: its item count depends on {item_set.total.unknown.split()[0]}, "
            "which has no default; "
            f"callers were looked for only in {module} and the directories above it up to the repository root, "
            "so it is not reported as unbounded (DDB003); `ddblint .` judges the module through every caller"
        )
    return notes
