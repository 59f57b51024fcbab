"""Pack files: many cache entries in one file, so a run writes a few files, not one per entry.

Writing an entry as its own file costs a temporary file, a write and a rename
each, and a cold run writes about one entry per parsed file: at a thousand
modules that was a third of the run. A pack holds the entries one run wrote to
one namespace, end to end, then an index and a fixed-size trailer::

    entry | entry | ... | index | b"DDBP" | version (1 byte) | entries (4 bytes) | blake2b-128 of the index

Each index record is ``key (40 ASCII hex digits) | offset (8 bytes) | length
(4 bytes)``, little-endian. The entries are the codec's blobs, each with its own
key and checksum (see :mod:`ddblint.cache.codec`), so an entry that a pack
names wrongly or that was damaged is a miss like any other. The index is read
with :mod:`struct` alone: nothing in a pack is unmarshalled until its entry is
asked for and its header matches.

A pack is written to a temporary file beside it and renamed into place once
complete, so a concurrent run sees a pack whole or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import struct
import time
from collections.abc import Iterable, Iterator
from typing import BinaryIO

MAGIC = b"DDBP"
VERSION = 1
SUFFIX = ".pack"
_RECORD = struct.Struct("<40sQI")
_TRAILER = struct.Struct("<4sBI16s")
_CHECKSUM_BYTES = 16


class PackReader:
    """One pack on disk, open for reading entries by key."""

    def __init__(self, path: str, stream: BinaryIO, entries: dict[str, tuple[int, int]]) -> None:
        self.path = path
        self._stream = stream
        self.entries = entries  # key -> (offset, length)

    def read(self, key: str) -> bytes | None:
        offset, length = self.entries[key]
        try:
            return _read_at(self._stream, offset, length)
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._stream.close()


def open_pack(path: str) -> PackReader | None:
    """The pack at ``path`` with its index read, or None if it is not a whole pack of this version."""
    try:
        # Non-blocking, so a named pipe planted under a pack's name cannot stall the run; only a regular file is read.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    stream = os.fdopen(descriptor, "rb", buffering=0)  # kept open for the run, closed by PackReader.close
    try:
        entries = _read_index(stream)
    except (OSError, ValueError, struct.error):
        entries = None
    if entries is None:
        stream.close()
        return None
    return PackReader(path, stream, entries)


def _read_at(stream: BinaryIO, offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


def _read_index(stream: BinaryIO) -> dict[str, tuple[int, int]] | None:
    size = os.fstat(stream.fileno()).st_size
    if size < _TRAILER.size:
        return None
    magic, version, count, checksum = _TRAILER.unpack(_read_at(stream, size - _TRAILER.size, _TRAILER.size))
    index_start = size - _TRAILER.size - count * _RECORD.size
    if magic != MAGIC or version != VERSION or index_start < 0:
        return None
    index = _read_at(stream, index_start, count * _RECORD.size)
    if len(index) != count * _RECORD.size or hashlib.blake2b(index, digest_size=_CHECKSUM_BYTES).digest() != checksum:
        return None
    entries: dict[str, tuple[int, int]] = {}
    for raw_key, offset, length in _RECORD.iter_unpack(index):
        if offset + length > index_start:
            return None
        entries[raw_key.decode("ascii", "replace")] = (offset, length)
    return entries


def pack_paths(directory: str) -> list[str]:
    """The packs in ``directory``, oldest first (names start with the time they were completed)."""
    try:
        names = sorted(name for name in os.listdir(directory) if name.endswith(SUFFIX))
    except OSError:
        return []
    return [os.path.join(directory, name) for name in names]


class PackWriter:
    """A pack being written: entries go to a temporary file as they come; :meth:`finish` puts it in place."""

    def __init__(self, directory: str) -> None:
        self._directory = directory
        self._records: list[bytes] = []
        self._keys: set[str] = set()
        self._offset = 0
        self._stream: BinaryIO | None = None
        self._temporary = ""
        self._failed = False

    def add(self, key: str, blob: bytes) -> None:
        if self._failed or key in self._keys or len(key) != 40 or not key.isascii():
            return
        try:
            if self._stream is None:
                os.makedirs(self._directory, mode=0o700, exist_ok=True)
                import tempfile  # a run that writes nothing does not load it

                handle, self._temporary = tempfile.mkstemp(prefix=".tmp-", dir=self._directory)
                self._stream = os.fdopen(handle, "wb", buffering=1 << 20)
            self._stream.write(blob)
        except OSError:
            self.abandon()
            return
        self._records.append(_RECORD.pack(key.encode("ascii"), self._offset, len(blob)))
        self._keys.add(key)
        self._offset += len(blob)

    def finish(self) -> str | None:
        """Write the index and rename the pack into place; its path, or None if nothing was (or could be) written."""
        if self._stream is None or self._failed:
            return None
        index = b"".join(self._records)
        checksum = hashlib.blake2b(index, digest_size=_CHECKSUM_BYTES).digest()
        target = os.path.join(self._directory, f"{time.time_ns():020d}-{os.getpid()}-{os.urandom(4).hex()}{SUFFIX}")
        try:
            self._stream.write(index + _TRAILER.pack(MAGIC, VERSION, len(self._records), checksum))
            self._stream.close()
            os.replace(self._temporary, target)
        except OSError:
            self.abandon()
            return None
        self._stream = None
        return target

    def abandon(self) -> None:
        """Drop what was written: a failed write leaves no pack and no temporary file."""
        self._failed = True
        if self._stream is not None:
            with contextlib.suppress(OSError):
                self._stream.close()
            self._stream = None
        if self._temporary:
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)


STALE_SECONDS = 6 * 3600  # a pack still being written after this long was left by a run that was killed


def remove_stale_temporaries(directory: str, now: float) -> None:
    """Delete the half-written packs (``.tmp-*``) a killed run left in ``directory``; a concurrent run's
    pack in progress is younger than :data:`STALE_SECONDS` and stays. Only regular files are removed."""
    try:
        names = [name for name in os.listdir(directory) if name.startswith(".tmp-")]
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        with contextlib.suppress(OSError):
            status = os.lstat(path)
            if stat.S_ISREG(status.st_mode) and now - status.st_mtime > STALE_SECONDS:
                os.unlink(path)


def write_pack(directory: str, entries: Iterable[tuple[str, bytes]]) -> str | None:
    """A pack of ``entries`` in ``directory``, written whole; its path, or None."""
    writer = PackWriter(directory)
    for key, blob in entries:
        writer.add(key, blob)
    return writer.finish()


def pack_entries(path: str) -> Iterator[tuple[str, bytes]]:
    """Every (key, entry) of the pack at ``path``, in the order written; nothing if it is not a whole pack."""
    pack = open_pack(path)
    if pack is None:
        return
    try:
        for key in pack.entries:
            blob = pack.read(key)
            if blob is not None:
                yield key, blob
    finally:
        pack.close()
