"""The byte prefilter: which modules need parsing at all, decided from raw bytes.

A module is relevant when one of its files spells ``aws_dynamodb_table_item``
or it calls (through ``./`` and ``../`` sources) a module that is. Most of a
large repository is never parsed. While the bytes are at hand the prefilter
also keeps what later stages would otherwise read again: the bytes of the
files that will be parsed (:class:`FileContents`), and, for modules that
declare a table, the strings they spell (:class:`TableIndex`), which is where
an item that names its table by a string finds that table in another root.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ddblint.config.settings import Settings
from ddblint.discover.callers import find_callers
from ddblint.discover.files import Discovery
from ddblint.discover.graph import reachable, root_modules
from ddblint.discover.scan import FileContents, ModuleBytes, ScanFunction, scan_bytes, walk_calls


def relevant_modules(modules: dict[str, ModuleBytes]) -> set[str]:
    """Modules that hold items, plus every module that reaches one through local calls."""
    relevant = {d for d, info in modules.items() if info.mentions_items}
    callers: dict[str, set[str]] = {}
    for directory, info in modules.items():
        for target in info.local_sources:
            callers.setdefault(target, set()).add(directory)
    frontier = list(relevant)
    while frontier:
        target = frontier.pop()
        for caller in callers.get(target, ()):
            if caller not in relevant:
                relevant.add(caller)
                frontier.append(caller)
    return relevant


@dataclass(frozen=True)
class TableIndex:
    """The modules that declare a table, with the strings their files spell; built once, by the prefilter."""

    strings: dict[str, frozenset[str]] = field(default_factory=dict)

    def candidates(self, names: set[str], skip: Iterable[str]) -> list[str]:
        """Module directories outside ``skip`` that declare a table and spell one of ``names`` as a string."""
        skipped = set(skip)
        return sorted(d for d, spelled in self.strings.items() if d not in skipped and not names.isdisjoint(spelled))


@dataclass
class Prefiltered:
    """The prefilter's verdict: what to load, from which roots, and what a run's findings are about."""

    scanned: dict[str, ModuleBytes]  # every module the walk from the named ones reached
    relevant: set[str]  # modules with items, and their callers
    roots: list[str]  # the modules to instantiate
    load: list[str]  # the relevant modules and every module they call: what the model loads
    tables: TableIndex
    contents: FileContents
    subjects: set[str] | None = None  # when callers were found: the modules whose findings count


def prefilter(discovery: Discovery, settings: Settings) -> Prefiltered:
    """Scan the named modules and what they call; add the callers of named files' modules where cheap.

    The directories callers were searched in are scanned once, whether or not
    they turn out to call; a module scanned for callers is not read again.
    """
    contents = FileContents()
    seen: dict[str, ModuleBytes] = {}

    def scan(directory: str, files: list[str]) -> ModuleBytes:
        if directory not in seen:
            seen[directory] = scan_bytes(directory, files, settings.max_file_size, contents)
        return seen[directory]

    requested = set(discovery.modules)
    scanned = _walk(list(discovery.modules), discovery, settings, scan, {})
    relevant = relevant_modules(scanned)
    context = find_callers(discovery.file_modules & relevant, discovery.root, settings.exclude, scan)
    subjects = None
    if context:
        for directory, files in context.items():
            discovery.add(directory, files)
        scanned = _walk(list(context), discovery, settings, scan, scanned)
        relevant = relevant_modules(scanned)
        subjects = reachable(sorted(requested), scanned)
    roots = root_modules(sorted(d for d in relevant if d in requested or d in context), scanned)
    load = reachable(sorted(relevant), scanned)
    tables = TableIndex({d: info.table_strings for d, info in seen.items() if info.table_strings is not None})
    contents.retain(load | set(tables.strings))
    return Prefiltered(scanned, relevant, roots, sorted(load), tables, contents, subjects)


def _walk(
    pending: list[str],
    discovery: Discovery,
    settings: Settings,
    scan: ScanFunction,
    scanned: dict[str, ModuleBytes],
) -> dict[str, ModuleBytes]:
    """``scanned`` extended by ``pending`` and, transitively, the local modules they call."""
    for _ in walk_calls(pending, discovery, settings.exclude, scan, scanned):
        pass
    return scanned
