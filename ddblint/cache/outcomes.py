"""Whole outcomes of root modules from earlier runs: a warm run neither parses nor evaluates an unchanged root.

Reusing each parse tree and each root's analysis still leaves a warm run
decoding all of them, most of its time. What the rest of a run needs of a
checked root is much smaller: its findings (masked as the report masks them),
the suppression comments and problems of the modules it reaches, its tables
(an item elsewhere may name one), the spellings of its secrets, its notes and
its counts. That is a root's *outcome*, stored once the root is checked.

An outcome is stored under the root's directory, whether it was judged as an
open root (see :func:`ddblint.evaluate.expand.analyse_root`) and the settings
that can change a finding; a newer outcome of the same root replaces it. It is
used only while everything its analysis read is as it was: the module files of
every directory the root reached (the same files listed, each with the same
content), the answers the disk gives to the evaluation's questions (as for
:mod:`ddblint.cache.roots`), and the run's budget can still afford what it
spent. Roots whose tables are found by name or by module output after every
root is evaluated, and roots with item sets no table load claims, depend on
other roots and get no outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ddblint.cache.answers import RootInputs, asks_the_same
from ddblint.cache.store import Cache, settings_material
from ddblint.evaluate.analysis import Table
from ddblint.evaluate.budget import Spent
from ddblint.model.file_notes import FileNotes
from ddblint.problems import ParseProblem

if TYPE_CHECKING:
    from ddblint.config.settings import Settings
    from ddblint.evaluate.masking import Place


@dataclass(frozen=True)
class ModuleFacts:
    """What a run keeps of a relevant module it loaded: its files' suppression notes and its problems."""

    directory: str
    files: tuple[FileNotes, ...]
    problems: tuple[ParseProblem, ...]


@dataclass(frozen=True)
class RootFacts:
    """What evaluating a root gave the rest of the run, besides its item sets."""

    tables: tuple[Table, ...]
    problems: tuple[ParseProblem, ...]  # the root's own (a cycle of module calls, an internal error)
    modules: tuple[ModuleFacts, ...]  # the relevant modules the root reaches
    secrets: tuple[str, ...]  # every spelling the report masks
    item_sets: int
    notes: tuple[str, ...]
    secret_places: tuple[Place, ...] = ()  # where the item sets holding them are written


@dataclass(frozen=True)
class RootOutcome:
    """A checked root: what it read (to tell whether it still holds), what it gave, and what the checks found."""

    listings: tuple[tuple[str, tuple[str, ...]], ...]  # each directory reached, and its module files
    inputs: RootInputs
    facts: RootFacts
    checked: Any  # the checks' findings and errors (:class:`ddblint.rules.engine.Checked`), masked


# A module directory's module files, as the loader lists them.
Lister = Callable[[str], list[str]]


class RootOutcomes:
    """Reads and writes the outcomes of one run's roots."""

    def __init__(
        self,
        cache: Cache,
        settings: Settings,
        scan_root: str,
        list_files: Lister,
        peek: Callable[[str], bytes | None],
    ) -> None:
        self._cache = cache
        self._settings_key = settings_material(settings)
        self._scan_root = scan_root
        self._max_bytes = settings.max_file_size
        self._list_files = list_files
        self._peek = peek  # bytes the prefilter already read, if any
        # Roots whose stored outcome no longer holds: they changed since, and may change again.
        self.stale: set[str] = set()

    def key(self, root: str, open_root: bool) -> str:
        """Where the root's outcome is stored, whatever it read: a newer outcome replaces an older one."""
        where = f"{self._scan_root}\0{root}\0{'open' if open_root else 'closed'}".encode("utf-8", "surrogatepass")
        return self._cache.key(b"outcome", where, self._settings_key)

    def load(self, root: str, open_root: bool) -> RootOutcome | None:
        """The root's outcome if everything it read is unchanged; the caller charges the run's budget.
        A root with an outcome that no longer holds goes into :attr:`stale`."""
        entry = self._cache.load("outcomes", self.key(root, open_root))
        if not isinstance(entry, RootOutcome) or not isinstance(entry.inputs.spent, Spent):
            return None
        self.stale.add(root)  # until it proves to hold
        if any(tuple(self._list_files(d)) != listed for d, listed in entry.listings):
            return None
        if any(self._digest(path) != digest for path, digest in entry.inputs.files):
            return None
        if not asks_the_same(entry.inputs.answers, self._scan_root, self._max_bytes):
            return None
        self.stale.discard(root)
        return entry

    def store(self, root: str, open_root: bool, inputs: RootInputs, facts: RootFacts, checked: Any) -> None:
        listings = tuple((d, tuple(self._list_files(d))) for d in inputs.directories)
        self._cache.store("outcomes", self.key(root, open_root), RootOutcome(listings, inputs, facts, checked))

    def _digest(self, path: str) -> str | None:
        """The file's content key now, as the parse cache computes it; None if it cannot be read."""
        from ddblint.parse.file import read_bytes
        from ddblint.parse.schedule import content_key

        data = self._peek(path)
        if data is None:
            data, _ = read_bytes(path, self._max_bytes)
        return None if data is None else content_key(self._cache, path, data)
