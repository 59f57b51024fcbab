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

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Protocol

from ddblint.config.settings import Settings
from ddblint.discover.callers import find_callers
from ddblint.discover.files import Discovery
from ddblint.discover.graph import reachable, root_modules
from ddblint.untrusted.reading import read_regular

ITEM_MARKER = b"aws_dynamodb_table_item"
TABLE_MARKER = b'aws_dynamodb_table"'  # `resource "aws_dynamodb_table" "x"` and the JSON form
# Starts with the literal word so the regex engine can skip ahead with a fast substring search.
_SOURCE_RE = re.compile(rb"""source["']?\s*[:=]\s*"(\.\.?/[^"]*)\"""")
_STRING_RE = re.compile(rb'"((?:[^"\\\n]|\\.)*)"')


def read_prefix(path: str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file (a named pipe is never opened for reading)."""
    return read_regular(path, max_bytes)


@dataclass(frozen=True)
class ModuleBytes:
    """What the prefilter learns from a module's raw bytes without parsing them."""

    mentions_items: bool
    local_sources: tuple[str, ...]  # absolute directories of ``./`` and ``../`` module sources
    table_strings: frozenset[str] | None = None  # the strings of a module that declares a table, else None


@dataclass(frozen=True, slots=True)
class FileBytes:
    """What the prefilter learns from one file: does it name the item type, which local sources does it spell."""

    mentions_items: bool
    sources: tuple[str, ...]  # as written: "./x", "../modules/y"
    table_strings: tuple[str, ...] | None = None  # every string of a file that declares a table


IN_MEMORY_BYTES = 2 * 1024 * 1024  # the prefilter's bytes kept in memory; the rest wait in a spool file


class FileContents:
    """Bytes the prefilter read, kept for the parser so that no file is read twice in a run.

    Only files of modules that may be parsed are kept: those that mention items
    or call other modules until the relevant modules are known, and those that
    declare a table, which an item in another root may name.

    Past :data:`IN_MEMORY_BYTES` they go to a spool file instead (an unlinked
    temporary file, mode 0600, gone when the run ends): what a run holds in
    memory then follows the root being evaluated, not the size of the
    repository's relevant part. It is read with ``pread``, so processes forked
    from the run read it side by side.
    """

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._in_memory = 0
        self._spool: IO[bytes] | None = None
        self._spooled: dict[str, tuple[int, int]] = {}  # path -> (offset, length) in the spool file
        self._spool_end = 0

    def keep(self, path: str, data: bytes) -> None:
        if self._in_memory + len(data) <= IN_MEMORY_BYTES or not self._spooling():
            self._data[path] = data
            self._in_memory += len(data)
            return
        assert self._spool is not None
        try:
            os.pwrite(self._spool.fileno(), data, self._spool_end)
        except OSError:  # a full disk: keep it in memory after all
            self._data[path] = data
            return
        self._spooled[path] = (self._spool_end, len(data))
        self._spool_end += len(data)

    def _spooling(self) -> bool:
        if not hasattr(os, "pread"):  # Windows: everything stays in memory
            return False
        if self._spool is None:
            import tempfile

            try:
                self._spool = tempfile.TemporaryFile(prefix="ddblint-")  # noqa: SIM115 - open until the run ends
            except OSError:
                return False
        return True

    def take(self, path: str) -> bytes | None:
        """The bytes read for ``path``, handed over once: the parser is their last reader."""
        data = self._data.pop(path, None)
        if data is not None:
            self._in_memory -= len(data)
            return data
        place = self._spooled.pop(path, None)
        return None if place is None else self._read(place)

    def peek(self, path: str) -> bytes | None:
        """The bytes read for ``path``, left in place for the parser."""
        data = self._data.get(path)
        if data is not None:
            return data
        place = self._spooled.get(path)
        return None if place is None else self._read(place)

    def _read(self, place: tuple[int, int]) -> bytes | None:
        assert self._spool is not None
        try:
            return os.pread(self._spool.fileno(), place[1], place[0])
        except OSError:
            return None

    def size(self, path: str) -> int | None:
        data = self._data.get(path)
        if data is not None:
            return len(data)
        place = self._spooled.get(path)
        return None if place is None else place[1]

    def retain(self, directories: set[str]) -> None:
        self._data = {p: d for p, d in self._data.items() if os.path.dirname(p) in directories}
        self._in_memory = sum(map(len, self._data.values()))
        self._spooled = {p: place for p, place in self._spooled.items() if os.path.dirname(p) in directories}


_ESCAPE_RE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|/)")


def _unescaped(data: bytes) -> bytes:
    """``data`` with the escapes that can spell a name decoded: HCL's and JSON's ``\\u0069``, HCL's
    ``\\U00000069`` and JSON's ``\\/``. Terraform decodes them in labels, keys and strings, so
    ``"aws_dynamodb_table_\\u0069tem"`` names the item type; the prefilter must see it too."""

    def decode(match: re.Match[bytes]) -> bytes:
        code = match.group(1) or match.group(2)
        if code is None:
            return b"/"
        point = int(code, 16)
        return chr(point).encode("utf-8", "surrogatepass") if point <= 0x10FFFF else match.group(0)

    return _ESCAPE_RE.sub(decode, data)


def scan_file(data: bytes) -> FileBytes:
    """What a file's bytes say about items, local module calls and table names, escapes decoded as Terraform would."""
    if b"\\" in data and _ESCAPE_RE.search(data):
        data = _unescaped(data)
    sources: tuple[str, ...] = ()
    if b"source" in data:
        sources = tuple(m.group(1).decode("utf-8", "replace") for m in _SOURCE_RE.finditer(data))
    strings = None
    if TABLE_MARKER in data:
        strings = tuple(dict.fromkeys(m.group(1).decode("utf-8", "replace") for m in _STRING_RE.finditer(data)))
    return FileBytes(ITEM_MARKER in data, sources, strings)


def scan_bytes(
    directory: str,
    files: list[str],
    max_bytes: int,
    contents: FileContents | None = None,
) -> ModuleBytes:
    """What a module's ``.tf`` and ``.tf.json`` files say; the bytes go to ``contents`` if it may be parsed.

    Each file is read afresh every run: a verdict kept by size and mtime can be
    stale (a same-size edit with its mtime put back), and one kept by content
    would cost the read it saves.
    """
    mentions = False
    sources: list[str] = []
    strings: set[str] | None = None
    read: list[tuple[str, bytes]] = []
    for path in files:
        if not path.endswith((".tf", ".tf.json")):
            continue
        try:
            data = read_prefix(path, max_bytes)
        except OSError:
            data = None
        if data is None or len(data) > max_bytes:
            mentions = True  # unreadable or too large to scan: let the parser report it
            continue
        found = scan_file(data)
        read.append((path, data))
        mentions = mentions or found.mentions_items
        sources.extend(os.path.normpath(os.path.join(directory, target)) for target in found.sources)
        if found.table_strings is not None:
            strings = (strings or set()).union(found.table_strings)
    if contents is not None and (mentions or sources or strings is not None):
        for path, data in read:
            contents.keep(path, data)
    table_strings = frozenset(strings) if strings is not None else None
    return ModuleBytes(mentions, tuple(dict.fromkeys(sources)), table_strings)


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
    while pending:
        directory = pending.pop()
        if directory in scanned:
            continue
        info = scan(directory, discovery.files_of(directory, settings.exclude))
        scanned[directory] = info
        pending.extend(d for d in info.local_sources if d not in scanned and discovery.files_of(d, settings.exclude))
    return scanned


class ScanFunction(Protocol):
    def __call__(self, directory: str, files: list[str]) -> ModuleBytes: ...
