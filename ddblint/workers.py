"""Roots evaluated and checked in worker processes, each handed back as the outcome a warm run would read.

Evaluating and checking the roots is most of a cold run's work, and done one root
after another in one process it leaves the other CPUs to the parser alone. Roots
are independent but for the tables some of them find by name or module output in
other roots, so a worker can run the evaluate and check stages for one root at a
time and hand back what a warm run takes from the cache: the root's outcome
(:mod:`ddblint.cache.outcomes`), with the cache entries it made (parse results)
for the run's process to store.

The run's process takes the outcomes in the roots' order and charges the run's
budget what each root spent, exactly as it does a cached outcome, so the findings
do not depend on how many processes there are: a root a worker gives no outcome
for (its tables are found in other roots, an item set no table load claims, it
was cut short by the budget, the worker died) is evaluated in the run's process
as before.

Workers are forked after discovery and the prefilter (Linux only: elsewhere the
run's process evaluates every root) and inherit what those stages found. Each
holds one root's modules at a time, parsed by itself, and lets go of them when
the root's outcome is sent.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ddblint.cache.store import Cache

if TYPE_CHECKING:  # the pool and the outcomes load only for a run with roots to send
    from concurrent.futures import Future, ProcessPoolExecutor

    from ddblint.cache.outcomes import RootOutcome
    from ddblint.config.settings import Settings
    from ddblint.discover.files import Discovery
    from ddblint.discover.prefilter import Prefiltered

MIN_ROOTS = 8  # fewer roots than this are evaluated sooner than worker processes start
CHUNK_ROOTS = 8  # consecutive roots per task: the modules they share are parsed once


@dataclass(frozen=True)
class _Run:
    """What a forked worker inherits: the run's discovery, prefilter and settings, and its cache if any."""

    discovery: Discovery
    prefiltered: Prefiltered
    settings: Settings
    cache: Cache | None


# What a task hands back: each root's outcome entry as (key, blob), None where it has none, and (with a
# cache) every entry it made, as (namespace, key, blob).
Handed = tuple[dict[int, tuple[str, bytes] | None], list[tuple[str, str, bytes]]]

_INHERITED: _Run | None = None  # set in the run's process before the workers are forked


class RootWorkers:
    """An :class:`~ddblint.evaluate.roots.Elsewhere`: a pool of forked processes, a few roots per task."""

    def __init__(self, discovery: Discovery, prefiltered: Prefiltered, settings: Settings, cache: Cache | None) -> None:
        self._run = _Run(discovery, prefiltered, settings, cache)
        self._workers = settings.jobs or _available_cpus()
        self._pool: ProcessPoolExecutor | None = None
        self._task_of: dict[int, Future[Handed]] = {}
        self._outcomes: dict[int, tuple[str, bytes] | None] = {}  # of the tasks already collected

    def start(self, indexes: list[int], changed: set[int] | None = None) -> bool:
        if self._workers < 2 or len(indexes) < MIN_ROOTS or not sys.platform.startswith("linux"):
            return False
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _INHERITED
        _INHERITED = self._run
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(self._workers, mp_context=context, initializer=_leave_interrupts_to_the_run)
        for first in range(0, len(indexes), CHUNK_ROOTS):
            chunk = indexes[first : first + CHUNK_ROOTS]
            task = self._pool.submit(_outcomes_of, chunk, bool(changed and changed.intersection(chunk)))
            self._task_of.update(dict.fromkeys(chunk, task))
        return True

    def outcome(self, index: int) -> RootOutcome | None:
        task = self._task_of.pop(index, None)
        if task is not None and index not in self._outcomes:
            self._collect(task)
        entry = self._outcomes.pop(index, None)
        if entry is None:
            return None
        from ddblint.cache.codec import CacheFormatError, decode
        from ddblint.cache.outcomes import RootOutcome

        try:
            found = decode(entry[1], entry[0])
        except CacheFormatError:
            return None
        return found if isinstance(found, RootOutcome) else None

    def _collect(self, task: Future[Handed]) -> None:
        """A task's outcomes, kept until asked for; the entries it made go to the run's cache."""
        try:
            outcomes, entries = task.result()
        except Exception:  # noqa: BLE001 - a worker that died leaves its roots to this process
            return
        self._outcomes.update(outcomes)
        if self._run.cache is not None:
            for namespace, key, blob in entries:
                self._run.cache.store_blob(namespace, key, blob)

    def close(self) -> None:
        global _INHERITED
        if self._pool is not None:
            for task in self._task_of.values():
                task.cancel()
            self._pool.shutdown(cancel_futures=True)  # after Ctrl-C: the tasks not started are dropped
            self._pool = None
        _INHERITED = None


def _leave_interrupts_to_the_run() -> None:
    """A worker ignores Ctrl-C: the run's process stops the pool, without a traceback from each worker."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcomes_of(indexes: list[int], parses: bool = True) -> Handed:
    """Worker side: evaluate and check these roots, in order, alone; each one's outcome entry and every
    entry made (outcomes, and with ``parses`` the parse results)."""
    from ddblint.cache.outcomes import RootOutcomes
    from ddblint.evaluate.roots import evaluate
    from ddblint.model.loader import load
    from ddblint.progress import Progress
    from ddblint.rules.engine import check

    run = _INHERITED
    assert run is not None  # forked from RootWorkers.start
    cache = run.cache.for_worker(parses) if run.cache is not None else Cache.detached()
    settings = dataclasses.replace(run.settings, jobs=1)  # no pool inside a worker
    roots = [run.prefiltered.roots[index] for index in indexes]
    prefiltered = dataclasses.replace(run.prefiltered, roots=roots)
    quiet = Progress()
    loader = load(run.discovery, prefiltered, settings, cache, quiet)
    check(evaluate(run.discovery, prefiltered, loader, settings, cache, quiet, alone_only=True), settings, cache)
    entries = cache.hand_back()
    keys = RootOutcomes(cache, settings, run.discovery.reach, loader.module_files, prefiltered.contents.peek)
    stored = {key: blob for namespace, key, blob in entries if namespace == "outcomes"}
    opened = run.discovery.file_modules  # the open roots, as evaluate tells them
    outcomes: dict[int, tuple[str, bytes] | None] = {}
    for index, root in zip(indexes, roots):
        key = keys.key(root, root in opened)
        outcomes[index] = (key, stored[key]) if key in stored else None
    return outcomes, entries if run.cache is not None else []


def _available_cpus() -> int:
    from ddblint.parse.schedule import available_cpus

    return available_cpus()
