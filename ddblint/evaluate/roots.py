"""The evaluate stage of a run: every root module instantiated, then tables found by name.

In: the loaded modules, the prefilter's roots and table index. Out: the
:class:`~ddblint.evaluate.analysis.Analysis` the rules check, with every problem
met on the way (discovery's included, each once) and, when there is a cache,
a key per root that changes whenever that root's analysis can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ddblint.evaluate.analysis import Analysis
from ddblint.evaluate.expand import RootAnalysis, analyse, analyse_root
from ddblint.evaluate.expressions import FileGateway
from ddblint.evaluate.table_names import attach_tables_by_name

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
    modules = {d: m for d in sorted(prefiltered.relevant) if (m := loader(d)) is not None}
    root_cache = None
    if cache is not None and modules:
        from ddblint.cache.roots import RootCache

        root_cache = RootCache(cache, discovery.reach, loader, settings.max_file_size)

    def analyse_one(module: Module, root: str) -> RootAnalysis:
        if root_cache is not None:
            part = root_cache(module, root)
        else:
            part = analyse_root(module, root, discovery.reach, loader, FileGateway(discovery.reach, max_bytes))
        progress.checked(1)
        return part

    progress.checking(len(prefiltered.roots))
    analysis = analyse(modules, prefiltered.roots, discovery.reach, loader, analyse_one)
    attach_tables_by_name(analysis, prefiltered.tables, loader.modules, discovery.reach)
    loader.close()
    analysis.problems = list(dict.fromkeys(discovery.problems + analysis.problems))
    if root_cache is not None:
        analysis.root_keys = root_cache.analysis_keys
    return analysis
