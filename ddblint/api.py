"""The library entry point: ``lint(paths, settings) -> Result``.

The CLI is a thin shell over this function, and tests call it directly. It
reads as the pipeline: each line is one stage, and what a stage returns is all
the next one gets. Data flows one way: discover, prefilter, load (parse into
the model), evaluate, check, filter, result. Evaluate hands its roots over one
at a time, so check is done with each root before the next is evaluated, and
what the filter reads of them all is small (see ``RunFacts``).
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from ddblint.cache.store import run_cache
from ddblint.catalog.entries import use_cache as use_catalog_cache
from ddblint.config.settings import Settings
from ddblint.discover.files import Discovery, discover
from ddblint.discover.prefilter import prefilter
from ddblint.findings import one_per_place
from ddblint.progress import Progress
from ddblint.repo_paths import find_repo_root
from ddblint.result import Result


def lint(
    paths: list[str],
    settings: Settings | None = None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    keep_analysis: bool = False,
) -> Result:
    """Lint ``paths``; ``today`` (default: the real date) decides which ``until=`` suppressions expired.

    Each root's item sets are let go of once they are checked; ``keep_analysis`` keeps them all in
    ``Result.analysis`` instead, for a caller that reads them (``ddblint migrate``).
    """
    settings = settings or Settings()
    progress = progress or Progress()
    discovery = discover(paths or ["."], settings.exclude)
    if settings.nested_configs and discovery.config_candidates:
        from ddblint.config.nested import with_nested_configs

        settings = with_nested_configs(settings, discovery.config_candidates)
    progress.discovered(len(discovery.requested))
    repository = find_repo_root(discovery.root)  # a cache inside it is not used: see ddblint.cache.store
    use_catalog_cache(settings.cache, settings.cache_dir, repository)
    with run_cache(settings.cache, settings.cache_dir, repository) as cache:  # entries land when the run ends
        prefiltered = prefilter(discovery, settings)
        if not prefiltered.relevant and not _reports_without_modules(discovery, settings):
            return Result.empty(discovery)
        # The later stages load only when there is something for them to do.
        from ddblint.evaluate.roots import evaluate
        from ddblint.filter.apply import filter_findings
        from ddblint.model.loader import load
        from ddblint.rules.engine import check
        from ddblint.workers import RootWorkers

        loader = load(discovery, prefiltered, settings, cache, progress)
        elsewhere = RootWorkers(discovery, prefiltered, settings, cache)  # roots evaluated in other processes
        evaluation = evaluate(discovery, prefiltered, loader, settings, cache, progress, keep_analysis, elsewhere)
        checked = check(evaluation, settings, cache)  # each root checked as it is evaluated, then let go of
        checked = replace(checked, findings=one_per_place(checked.findings))  # one finding per place
        filtered = filter_findings(checked, evaluation.facts, settings, today, prefiltered.subjects)
        return Result.of(discovery, evaluation.facts, filtered)


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
