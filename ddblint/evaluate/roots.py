"""The evaluate stage of a run: one root module at a time, then tables found by name and by module output.

In: the loaded modules, the prefilter's roots and table index. Out: an
:class:`Evaluation`, whose ``roots`` yield each root's
:class:`~ddblint.evaluate.analysis.RootPart` in turn, so the check stage is done
with a root (and lets go of its item sets) before the next is evaluated. What
the run keeps of every root (secrets, suppression comments, problems, notes)
goes into ``facts`` as the roots are taken.

A root whose item sets name their table only by a string (``table_name =
"users"``) waits until every root is evaluated: the table may be declared in
any of them (see :mod:`ddblint.evaluate.table_names`). So does a root whose
table is named by a module output: that lookup draws on the run's evaluation
budget, and done at the end it draws in the order a run over everything did.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ddblint.evaluate.analysis import Analysis, RootPart, RunFacts, Table
from ddblint.evaluate.budget import Budget
from ddblint.model.batches import RootBatches
from ddblint.model.file_notes import notes_of

if TYPE_CHECKING:
    from ddblint.cache.answers import RootInputs
    from ddblint.cache.outcomes import RootFacts, RootOutcome, RootOutcomes
    from ddblint.cache.roots import RootCache
    from ddblint.cache.store import Cache
    from ddblint.config.settings import Settings
    from ddblint.discover.files import Discovery
    from ddblint.discover.prefilter import Prefiltered
    from ddblint.evaluate.expand import RootAnalysis
    from ddblint.evaluate.expressions import FileGateway
    from ddblint.evaluate.masking import Place
    from ddblint.model.file_notes import FileNotes
    from ddblint.model.loader import ModuleLoader
    from ddblint.model.module import Module
    from ddblint.problems import ParseProblem
    from ddblint.progress import Progress


@dataclass
class Evaluation:
    """Each root's part, in turn (a generator: take it once), and what the run keeps of them all."""

    roots: Iterator[RootPart]
    facts: RunFacts  # complete once ``roots`` is exhausted


class Elsewhere(Protocol):
    """Roots evaluated and checked in other processes, each handed back as its outcome (see ``ddblint.workers``)."""

    def start(self, indexes: list[int], changed: set[int] | None = None) -> bool:
        """Begin on these roots (by their place in the run's order); False if they stay with this process.

        ``changed``: those whose earlier outcome no longer holds. Only their files' parse results are
        stored: a root seen for the first time stores its outcome, and its parse results once it changes.
        """

    def outcome(self, index: int) -> RootOutcome | None:
        """The root's outcome once it is done; None when it has none (it is then evaluated here)."""

    def close(self) -> None: ...


def evaluate(
    discovery: Discovery,
    prefiltered: Prefiltered,
    loader: ModuleLoader,
    settings: Settings,
    cache: Cache | None,
    progress: Progress,
    keep: bool = False,
    elsewhere: Elsewhere | None = None,
    alone_only: bool = False,
) -> Evaluation:
    """Analyse each root (through the cache when there is one) as the roots are taken; ``keep``: every part too.

    ``elsewhere`` evaluates the roots no cached outcome answers in other processes; ``alone_only`` (in such a
    process) skips the roots whose tables other roots may declare, which the run's own process evaluates.
    """
    facts = RunFacts(analysis=Analysis() if keep else None)
    inputs = _Inputs(discovery, prefiltered, loader, settings, cache, progress, elsewhere, alone_only)
    return Evaluation(_parts(inputs, facts), facts)


@dataclass(frozen=True)
class _Inputs:
    """What the evaluate stage was given, for the generator that does its work."""

    discovery: Discovery
    prefiltered: Prefiltered
    loader: ModuleLoader
    settings: Settings
    cache: Cache | None
    progress: Progress
    elsewhere: Elsewhere | None
    alone_only: bool


def _parts(inputs: _Inputs, facts: RunFacts) -> Iterator[RootPart]:
    yield from _Pass(inputs, facts).parts()


class _Pass:
    """One run of the evaluate stage: what it set up for every root, and what it keeps between them."""

    def __init__(self, inputs: _Inputs, facts: RunFacts) -> None:
        self.inputs, self.facts = inputs, facts
        discovery, prefiltered, settings = inputs.discovery, inputs.prefiltered, inputs.settings
        self.budget = Budget()  # the run's: every root, in the order of prefiltered.roots, draws on it
        self._gateway: FileGateway | None = None
        self.notes: dict[int, list[str]] = {}
        self.kept: dict[int, Analysis] | None = {} if facts.analysis is not None else None
        self.tables: list[Table] = []  # every root's, for the tables named by a string
        self.module_facts: dict[str, tuple[tuple[FileNotes, ...], tuple[ParseProblem, ...]]] = {}  # for outcomes
        self.batches = RootBatches(
            inputs.loader, prefiltered.roots, prefiltered.relevant, prefiltered.scanned, self._noted
        )
        # Modules named by a file (pre-commit) that no caller above was found for: callers elsewhere may exist.
        self.open_roots = frozenset(r for r in prefiltered.roots if r in discovery.file_modules)
        self._root_cache: RootCache | None = None
        self.outcomes: RootOutcomes | None = None
        cache = inputs.cache
        if cache is not None and prefiltered.roots and self.kept is None:  # migrate wants every item set
            from ddblint.cache.outcomes import RootOutcomes

            self.outcomes = RootOutcomes(
                cache, settings, discovery.reach, inputs.loader.module_files, prefiltered.contents.peek
            )

    @property
    def root_cache(self) -> RootCache | None:
        """The cache of roots' analyses, made for the first root evaluated here: a warm run that takes
        every root's outcome loads nothing of the evaluator."""
        cache, inputs = self.inputs.cache, self.inputs
        if self._root_cache is None and cache is not None and inputs.prefiltered.roots:
            from ddblint.cache.roots import RootCache

            settings = inputs.settings
            self._root_cache = RootCache(
                cache, inputs.discovery.reach, inputs.loader, settings.max_file_size, self.budget, self.open_roots
            )
        return self._root_cache

    @property
    def gateway(self) -> FileGateway:
        """Where tables by output and by name read files: on the run's budget. The evaluator is loaded
        only for a root evaluated here: a warm run takes every root's outcome without it."""
        if self._gateway is None:
            from ddblint.evaluate.expressions import FileGateway

            self._gateway = FileGateway(self.inputs.discovery.reach, self.inputs.settings.max_file_size, self.budget)
        return self._gateway

    def parts(self) -> Iterator[RootPart]:
        """Each root's part in the run's order; the roots whose tables other roots declare come last."""
        inputs, facts, batches, budget = self.inputs, self.facts, self.batches, self.budget
        roots = inputs.prefiltered.roots
        inputs.progress.checking(len(roots))
        reusable = self._reusable()
        elsewhere, sent = self._sent_elsewhere(reusable)
        batches.answered(set(reusable) | set(sent))
        waiting: list[tuple[int, str, Analysis]] = []  # roots that need the by-name or by-output pass
        try:
            for index, root in enumerate(roots):
                outcome = reusable.pop(index, None)
                if outcome is None and elsewhere is not None and index in sent:
                    outcome = elsewhere.outcome(index)
                if outcome is not None and budget.affords(outcome.inputs.spent):
                    budget.charge(outcome.inputs.spent)  # drawn in the roots' order, as if evaluated here
                    yield self._reused(index, root, outcome)
                    continue
                from ddblint.evaluate.expand import analyse_at
                from ddblint.evaluate.table_names import wanted_names
                from ddblint.evaluate.table_outputs import wants_table_by_output

                part = analyse_at(index, root, batches.module, self._analyse_one)
                if part is None:
                    continue
                self.tables.extend(part.tables)
                facts.problems.extend(part.problems)
                analysis = Analysis(item_sets=part.item_sets, loads=part.loads)
                if wanted_names(part.item_sets) or wants_table_by_output(part.item_sets):
                    if inputs.alone_only:
                        continue  # the run's own process evaluates it with every root's tables
                    batches.keep(index)
                    waiting.append((index, root, analysis))
                else:
                    yield self._finished(index, root, analysis, part)
            yield from self._by_name(waiting)
            self._close_facts()
        finally:
            inputs.loader.close()  # no more modules will be asked for: the parser processes stop
            if elsewhere is not None:
                elsewhere.close()

    def _reusable(self) -> dict[int, RootOutcome]:
        """The roots an earlier run's outcome answers, by their place (the budget is charged as they are taken)."""
        if self.outcomes is None:
            return {}
        found = {}
        for index, root in enumerate(self.inputs.prefiltered.roots):
            outcome = self.outcomes.load(root, root in self.open_roots)
            if outcome is not None:
                found[index] = outcome
        return found

    def _sent_elsewhere(self, reusable: dict[int, RootOutcome]) -> tuple[Elsewhere | None, list[int]]:
        """The other processes the roots no outcome answers were sent to, if any, and those roots."""
        elsewhere = self.inputs.elsewhere if self.kept is None else None
        roots = self.inputs.prefiltered.roots
        sent = [i for i in range(len(roots)) if i not in reusable]
        stale = self.outcomes.stale if self.outcomes is not None else set()
        if elsewhere is None or not elsewhere.start(sent, {i for i in sent if roots[i] in stale}):
            return None, []
        return elsewhere, sent

    def _by_name(self, waiting: list[tuple[int, str, Analysis]]) -> Iterator[RootPart]:
        """The roots whose tables are named by a string or a module output, now that every root's are known."""
        if not waiting:
            return
        from ddblint.evaluate.table_names import attach_tables_by_name, tables_by_name, wanted_names

        prefiltered = self.inputs.prefiltered
        wanted = wanted_names(s for _, _, analysis in waiting for s in analysis.item_sets)
        relevant = prefiltered.relevant  # their tables are in ``self.tables``
        loader = self.inputs.loader
        found = tables_by_name(wanted, self.tables, prefiltered.tables, loader.modules, relevant, self.gateway)
        for index, root, analysis in waiting:
            attach_tables_by_name(analysis, found)
            yield self._finished(index, root, analysis)

    def _close_facts(self) -> None:
        """What the run keeps of every root, complete: problems each once, notes in the roots' order."""
        facts, kept = self.facts, self.kept
        if not self.inputs.alone_only:  # a worker is asked for single roots, not the run's unreached modules
            self.batches.finish()
        facts.problems = list(dict.fromkeys(self.inputs.discovery.problems + facts.problems))
        facts.notes = [note for index in sorted(self.notes) for note in self.notes[index]]
        if kept is not None and facts.analysis is not None:
            for index in sorted(kept):
                facts.analysis.item_sets.extend(kept[index].item_sets)
                facts.analysis.loads.extend(kept[index].loads)
            facts.analysis.problems = facts.problems
            facts.analysis.notes = facts.notes

    def _noted(self, module: Module) -> None:
        """A relevant module, loaded: what the run keeps of it."""
        files = tuple(notes_of(parsed) for parsed in module.files)
        self.facts.files.extend(files)
        self.facts.problems.extend(module.problems)
        self.facts.modules += 1
        if self.outcomes is not None:
            self.module_facts[module.dir] = (files, tuple(module.problems))

    def _analyse_one(self, module: Module, root: str) -> RootAnalysis:
        discovery = self.inputs.discovery
        if self.root_cache is not None:
            part = self.root_cache(module, root)
        else:  # its own file() reads, on the run's budget
            from ddblint.evaluate.expand import analyse_root
            from ddblint.evaluate.expressions import FileGateway

            root_gateway = FileGateway(discovery.reach, self.inputs.settings.max_file_size, self.budget)
            open_root = root in self.open_roots
            part = analyse_root(module, root, discovery.reach, self.inputs.loader, root_gateway, open_root)
        self.inputs.progress.checked(1)
        return part

    def _finished(self, index: int, root: str, analysis: Analysis, alone: RootAnalysis | None = None) -> RootPart:
        """The root's part; ``alone``: its analysis, when no other root's tables were attached to it."""
        from ddblint.evaluate.table_outputs import attach_tables_by_output

        reach = self.inputs.discovery.reach
        attach_tables_by_output(analysis, self.inputs.loader.modules, reach, self.gateway)
        key = self.root_cache.analysis_keys.get(root) if self.root_cache is not None else None
        self.notes[index] = unsearched_caller_notes(analysis, self.open_roots, reach)
        secrets = [text for item_set in analysis.item_sets for text in item_set.secret_spellings()]
        places = [place for item_set in analysis.item_sets for place in item_set.secret_places]
        self.facts.secrets.extend(secrets)
        self.facts.secret_places.extend(places)
        self.facts.item_sets += len(analysis.item_sets)
        if self.kept is not None:
            self.kept[index] = analysis
        remember = None
        if self.root_cache is not None:
            if self.outcomes is None or key is None or alone is None:
                self.root_cache.settle(root, store=True)  # no outcome for this root: its analysis can be reused
            else:
                remember = self._remembering(index, root, analysis, alone, secrets, places)
        self.batches.done(index)
        return RootPart(index, root, analysis.item_sets, analysis.loads, key, remember=remember)

    def _remembering(
        self,
        index: int,
        root: str,
        analysis: Analysis,
        alone: RootAnalysis,
        secrets: list[str],
        places: list[Place],
    ) -> Callable[[object | None], None]:
        """What the check stage calls with the root's findings to store its outcome."""
        from ddblint.cache.outcomes import ModuleFacts, RootFacts

        assert self.root_cache is not None and self.outcomes is not None
        inputs = self.root_cache.inputs.pop(root)
        modules = [
            ModuleFacts(d, *self.module_facts[d]) for d in self.batches.relevant_reach(index) if d in self.module_facts
        ]
        got = RootFacts(
            tuple(alone.tables),
            tuple(alone.problems),
            tuple(modules),
            tuple(secrets),
            len(analysis.item_sets),
            tuple(self.notes[index]),
            tuple(places),
        )
        open_root = root in self.open_roots
        return functools.partial(_remember, self.outcomes, self.root_cache, root, open_root, inputs, got)

    def _reused(self, index: int, root: str, outcome: RootOutcome) -> RootPart:
        """The root's part from an outcome (an earlier run's, or a worker's): what it gave the run, and its findings."""
        facts, got = self.facts, outcome.facts
        self.tables.extend(got.tables)
        facts.problems.extend(got.problems)
        for module in got.modules:
            if self.batches.note(module.directory):
                facts.files.extend(module.files)
                facts.problems.extend(module.problems)
                facts.modules += 1
        facts.secrets.extend(got.secrets)
        facts.secret_places.extend(got.secret_places)
        facts.item_sets += got.item_sets
        self.notes[index] = list(got.notes)
        for path, _ in outcome.inputs.files:
            self.inputs.prefiltered.contents.take(path)  # no parser will ask for these bytes
        self.inputs.progress.checked(1)
        self.batches.done(index)
        return RootPart(index, root, [], [], checked=outcome.checked)


def _remember(
    outcomes: RootOutcomes,
    root_cache: RootCache,
    root: str,
    open_root: bool,
    inputs: RootInputs,
    got: RootFacts,
    checked: object | None,
) -> None:
    """Store the root's outcome with its ``checked`` findings; without them (an item set of the root is
    checked with the run's problems), store its analysis instead."""
    root_cache.settle(root, store=checked is None)
    if checked is not None:
        outcomes.store(root, open_root, inputs, got, checked)


def unsearched_caller_notes(analysis: Analysis, open_roots: frozenset[str], scan_root: str) -> list[str]:
    """Item sets whose size only a caller ddblint did not look for could tell (no DDB003 for them)."""
    if not open_roots:
        return []
    from ddblint.evaluate.expand import UNSEARCHED_CALLER

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
