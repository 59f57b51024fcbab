"""Load the roots' modules a batch at a time, and let each module go once the last root that reaches it is done.

Parsing every relevant module before the first root is evaluated would hold the
whole repository's parse trees at once. The roots are evaluated in order, and
the prefilter's call graph tells which module directories each root reaches, so
the modules are parsed a batch of roots at a time (one parse call: the worker
pool still gets enough files to share) and released when no later root reaches
them. A root that waits for the end of the run (see
:mod:`ddblint.evaluate.roots`) keeps its modules until then. A module asked for
again after its release is parsed again, from the same bytes, to the same result.

Of each relevant module, what the rest of the run needs (its files' suppression
notes and its problems) is handed to ``on_load`` once, when it is first loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ddblint.discover.graph import reachable

if TYPE_CHECKING:
    from ddblint.discover.scan import ModuleBytes
    from ddblint.model.loader import ModuleLoader
    from ddblint.model.module import Module

BATCH_DIRECTORIES = 48  # module directories parsed per call: enough chunks of files for the workers


class RootBatches:
    """The modules of ``roots``, loaded ahead in batches and released behind."""

    def __init__(
        self,
        loader: ModuleLoader,
        roots: list[str],
        relevant: set[str],
        scanned: dict[str, ModuleBytes],
        on_load: Callable[[Module], None],
    ) -> None:
        self._loader = loader
        self._roots = roots
        self._relevant = relevant
        self._on_load = on_load
        self._reach = [reachable([root], scanned) for root in roots]
        self._last_use: dict[str, int] = {}
        for index, directories in enumerate(self._reach):
            for directory in directories:
                self._last_use[directory] = index
        self._loaded_until = -1  # roots up to this index have their modules loaded
        self._noted: set[str] = set()
        self._kept: set[str] = set()
        self._answered: set[int] = set()  # roots an earlier run's outcome answers: not loaded ahead

    def answered(self, indexes: set[int]) -> None:
        """These roots need no modules (their outcome is reused): batches leave their directories out."""
        self._answered = indexes

    def relevant_reach(self, index: int) -> list[str]:
        """The relevant module directories the root reaches: those its loading notes."""
        return sorted(self._reach[index] & self._relevant)

    def note(self, directory: str) -> bool:
        """Count a relevant module as noted without loading it; False if it already was."""
        if directory in self._noted:
            return False
        self._noted.add(directory)
        return True

    def module(self, index: int) -> Module | None:
        """The root's module, with every module it reaches loaded (its batch is parsed first if need be)."""
        if index > self._loaded_until:
            self._load_batch(index)
        return self._loader(self._roots[index])

    def _load_batch(self, first: int) -> None:
        directories: set[str] = set()
        index = first
        while index < len(self._roots) and (index == first or len(directories) < BATCH_DIRECTORIES):
            if index == first or index not in self._answered:
                directories |= self._reach[index]
            index += 1
        self._loaded_until = index - 1
        self._load(sorted(directories))

    def _load(self, directories: list[str]) -> None:
        self._loader.prepare(directories)
        for directory in directories:
            if directory in self._relevant and directory not in self._noted:
                self._noted.add(directory)
                module = self._loader(directory)
                if module is not None:
                    self._on_load(module)

    def keep(self, index: int) -> None:
        """The root is finished only at the end of the run: its modules stay until then."""
        self._kept |= self._reach[index]

    def done(self, index: int) -> None:
        """The root is finished: release the modules no later (or waiting) root reaches."""
        self._loader.release(
            [d for d in self._reach[index] if self._last_use.get(d, -1) <= index and d not in self._kept]
        )

    def finish(self) -> None:
        """Every root is finished: note the relevant modules no root reached, then release everything."""
        self._load(sorted(self._relevant - self._noted))
        self._loader.release(sorted(self._relevant | self._kept | set(self._last_use)))
