"""The prefilter's byte scan: what a module's files spell, read as bytes, never parsed.

Each file is read once: whether it names the item type (``aws_dynamodb_table_item``,
escapes decoded as Terraform decodes them), which local modules it calls (``./`` and
``../`` sources), and, when it declares a table, the strings it spells. The walk
follows those calls from module to module.

This module and what it imports stay light (no ``dataclasses``, which loads
``inspect``): besides :mod:`ddblint.discover.prefilter`, the pre-commit fast lane
(:mod:`ddblint.nothing`) scans with it before the rest of ddblint loads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

from ddblint.untrusted.reading import read_regular

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module is on the fast lane
if TYPE_CHECKING:
    from typing import IO

    from ddblint.discover.files import Discovery

ITEM_MARKER = b"aws_dynamodb_table_item"
TABLE_MARKER = b'aws_dynamodb_table"'  # `resource "aws_dynamodb_table" "x"` and the JSON form
# Starts with the literal word so the regex engine can skip ahead with a fast substring search.
_SOURCE_RE = re.compile(rb"""source["']?\s*[:=]\s*"(\.\.?/[^"]*)\"""")
_STRING_RE = re.compile(rb'"((?:[^"\\\n]|\\.)*)"')


def read_prefix(path: str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file (a named pipe is never opened for reading)."""
    return read_regular(path, max_bytes)


class ModuleBytes:
    """What the prefilter learns from a module's raw bytes without parsing them."""

    __slots__ = ("local_sources", "mentions_items", "table_strings")

    def __init__(
        self, mentions_items: bool, local_sources: tuple[str, ...], table_strings: frozenset[str] | None = None
    ) -> None:
        self.mentions_items = mentions_items
        self.local_sources = local_sources  # absolute directories of ``./`` and ``../`` module sources
        self.table_strings = table_strings  # the strings of a module that declares a table, else None


class FileBytes:
    """What the prefilter learns from one file: does it name the item type, which local sources does it spell."""

    __slots__ = ("mentions_items", "sources", "table_strings")

    def __init__(
        self, mentions_items: bool, sources: tuple[str, ...], table_strings: tuple[str, ...] | None = None
    ) -> None:
        self.mentions_items = mentions_items
        self.sources = sources  # as written: "./x", "../modules/y"
        self.table_strings = table_strings  # every string of a file that declares a table


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


ScanFunction = Callable[[str, list[str]], ModuleBytes]  # what a module's files say, given its directory and files


def walk_calls(
    pending: list[str],
    discovery: Discovery,
    excludes: tuple[str, ...],
    scan: ScanFunction,
    scanned: dict[str, ModuleBytes],
) -> Iterator[tuple[str, ModuleBytes]]:
    """Scan ``pending`` and, transitively, the local modules they call; each module as it is scanned.

    Every module scanned is added to ``scanned`` before it is yielded, so a caller that
    stops early (the fast lane, at the first module that names items) has scanned no more.
    """
    while pending:
        directory = pending.pop()
        if directory in scanned:
            continue
        info = scan(directory, discovery.files_of(directory, excludes))
        scanned[directory] = info
        yield directory, info
        pending.extend(d for d in info.local_sources if d not in scanned and discovery.files_of(d, excludes))
