"""Results of earlier runs kept on disk, keyed by everything they depend on.

Where: ``$XDG_CACHE_HOME/ddblint`` (else ``~/.cache/ddblint``), or the directory
given with ``--cache-dir``. A directory inside the scanned repository is not
used (the run goes on without a cache): a pull request can add files there, and
an entry planted under the right key could hide findings. Entries cannot run
code when read (see :mod:`ddblint.cache.codec`). Keys hold file *contents*, not
paths, so checkouts of one repository (and CI jobs that restore the directory)
share entries.

Layout: ``<dir>/v3/<namespace>/<pack>``: a run writes the entries it makes
to one pack file per namespace (see :mod:`ddblint.cache.packs`), mode 0600 in
directories of mode 0700, and renames it into place once whole, so a
concurrent run sees its entries whole or not at all. A read looks a key up in
the packs' indexes, the newest pack first; an entry that cannot be read, or was
written for another key, counts as missing and is written again, to the run's
own pack, which then comes first. When a namespace holds more than
:data:`MAX_PACKS` packs, the run that reads it merges them into one (the newest
copy of each entry). A half-written pack (``.tmp-*``) a killed run left is
removed by a later run that writes to its namespace, once it is six hours old.
Nothing else is ever pruned: remove the directory to reclaim the space.

Only the process that opened the cache writes: a copy sent to a parser worker
reads, and its :meth:`Cache.store_blob` does nothing (the worker hands its
entries back to the parent with its results).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ddblint.cache.codec import CacheFormatError, decode, encode
from ddblint.cache.location import cache_directory
from ddblint.cache.packs import PackReader, PackWriter, open_pack, pack_paths, remove_stale_temporaries, write_pack

if TYPE_CHECKING:
    from ddblint.config.settings import Settings

LAYOUT = "v3"  # v2 kept one file per entry, v1 held pickles: neither is read
MAX_PACKS = 8  # packs per namespace before a run merges them
MAX_READ_PACKS = 64  # the newest packs a run reads; older ones (planted, or never merged) are misses


def digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def _source_files() -> Iterator[Path]:
    """The code results depend on: ddblint itself, python-hcl2's grammar and version, Lark's version."""
    yield from sorted(Path(__file__).resolve().parent.parent.rglob("*.py"))
    for package, names in (
        ("hcl2", ("version.py", "hcl2.lark", "parser.py", "postlexer.py")),
        ("lark", ("__init__.py",)),
    ):
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        for name in names:
            yield Path(spec.origin).parent / name


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Changes whenever code that shapes a cached result changes, release or not.

    An editable install keeps its version number while its code changes, so the
    sources themselves are hashed (a few milliseconds, once per process: the
    catalog and the run each open the cache), with the Python version, whose
    ``marshal`` wrote the entries.
    """
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(sys.version.encode())
    for path in _source_files():
        hasher.update(str(path.name).encode())
        with contextlib.suppress(OSError):
            hasher.update(path.read_bytes())
    return hasher.digest()


def settings_material(settings: Settings) -> bytes:
    """The settings that can change a finding, for a key; scheduling and caching choices are left out."""
    import dataclasses

    return key_material(dataclasses.replace(settings, jobs=None, cache=True, cache_dir=None))


def key_material(value: Any) -> bytes:
    """Bytes that change whenever ``value`` does, for a key: its ``repr``, which value classes spell out whole."""
    return repr(value).encode("utf-8", "surrogatepass")


class Cache:
    """One cache directory; every method fails soft, because a cache is only ever an optimisation.

    Call :meth:`close` when the run is over: it puts the run's packs in place.
    """

    def __init__(self, directory: str) -> None:
        self.directory = os.path.join(directory, LAYOUT)
        self.fingerprint = code_fingerprint()
        self._owner = os.getpid()
        self._packs: dict[str, list[PackReader]] = {}  # namespace -> its packs on disk, newest first
        self._writers: dict[str, PackWriter] = {}
        self._handed: list[tuple[str, str, bytes]] | None = None  # a worker's entries, for its parent
        self._skipped: frozenset[str] = frozenset()  # namespaces whose entries this copy does not make

    def __getstate__(self) -> dict[str, Any]:
        """A copy for another process: the same directory and code, none of this process's packs."""
        return {"directory": self.directory, "fingerprint": self.fingerprint, "_owner": self._owner}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _packs={}, _writers={}, _handed=None, _skipped=frozenset())

    @classmethod
    def detached(cls) -> Cache:
        """A cache with nothing on disk, for a root worker of a run without one: it only hands entries back."""
        cache = cls.__new__(cls)
        cache.__setstate__({"directory": "", "fingerprint": code_fingerprint(), "_owner": -1})
        cache._handed = []
        return cache

    def for_worker(self, parses: bool = True) -> Cache:
        """A copy for a forked root worker: it opens the packs itself (a forked reader shares its file
        offsets with the parent's) and keeps the entries it makes for :meth:`hand_back`; with
        ``parses`` false, no parse results (they cost a cold run a tenth of its time to encode)."""
        twin = Cache.__new__(Cache)
        twin.__setstate__(self.__getstate__())
        twin._handed = []
        twin._skipped = frozenset() if parses else frozenset({"parse"})
        return twin

    def hand_back(self) -> list[tuple[str, str, bytes]]:
        """In a worker: the entries (namespace, key, blob) it made since the last call, for the parent to store."""
        handed, self._handed = self._handed or [], []
        return handed

    def key(self, *parts: bytes) -> str:
        """A key for a result computed by this code from ``parts``."""
        return digest(self.fingerprint, *parts)

    def _readers(self, namespace: str) -> list[PackReader]:
        readers = self._packs.get(namespace)
        if readers is None and not self.directory:
            readers = self._packs[namespace] = []
        if readers is None:
            newest = reversed(pack_paths(os.path.join(self.directory, namespace))[-MAX_READ_PACKS:])
            found = (open_pack(path) for path in newest)
            readers = self._packs[namespace] = [pack for pack in found if pack is not None]
        return readers

    def load(self, namespace: str, key: str) -> Any | None:
        """The entry stored for ``key``, or None: missing, damaged, foreign, or written for another key."""
        for pack in self._readers(namespace):
            if key in pack.entries:
                blob = pack.read(key)
                try:
                    return None if blob is None else decode(blob, key)
                except CacheFormatError:
                    return None
        return None

    def keeps(self, namespace: str) -> bool:
        """Whether entries of ``namespace`` are worth encoding: a detached cache keeps only roots' outcomes."""
        if namespace in self._skipped:
            return False
        return bool(self.directory) or namespace == "outcomes"

    def store(self, namespace: str, key: str, value: Any) -> None:
        if not self.keeps(namespace):
            return
        blob = encode(value, key)
        if blob is not None:
            self.store_blob(namespace, key, blob)

    def store_blob(self, namespace: str, key: str, blob: bytes) -> None:
        """Add an already encoded entry to the run's pack; a full disk or a read-only directory just means no entry."""
        if os.getpid() != self._owner:  # a worker's copy: its parent stores what the worker hands back
            if self._handed is not None:
                self._handed.append((namespace, key, blob))
            return
        writer = self._writers.get(namespace)
        if writer is None:
            writer = self._writers[namespace] = PackWriter(os.path.join(self.directory, namespace))
        writer.add(key, blob)

    def close(self) -> None:
        """Put the run's packs in place, merge a namespace's packs when there are too many, and let go of them."""
        if os.getpid() != self._owner:
            return
        writers, self._writers = self._writers, {}
        for namespace, writer in writers.items():
            if writer.finish() is not None and namespace in self._packs:
                self._merge_when_many(namespace)
            remove_stale_temporaries(os.path.join(self.directory, namespace), time.time())
        for readers in self._packs.values():
            for pack in readers:
                pack.close()
        self._packs = {}

    def _merge_when_many(self, namespace: str) -> None:
        """One pack in place of many: the newest copy of each entry a run would read, then every old pack goes."""
        paths = pack_paths(os.path.join(self.directory, namespace))
        if len(paths) <= MAX_PACKS:
            return
        readers = [pack for pack in map(open_pack, paths[-MAX_READ_PACKS:]) if pack is not None]
        newest: dict[str, PackReader] = {}
        for pack in readers:  # oldest first: a later copy of a key replaces an earlier one
            newest.update(dict.fromkeys(pack.entries, pack))
        merged = write_pack(
            os.path.join(self.directory, namespace),
            ((key, blob) for key, pack in newest.items() if (blob := pack.read(key)) is not None),
        )
        for pack in readers:
            pack.close()
        if merged is not None:
            for path in paths:
                with contextlib.suppress(OSError):
                    os.unlink(path)


def open_cache(enabled: bool, directory: str | None, scanned_repository: str | None = None) -> Cache | None:
    """The run's cache, or None when caching is off, not allowed there, or the directory cannot be created."""
    chosen = cache_directory(enabled, directory, scanned_repository)
    if chosen is None:
        return None
    try:
        os.makedirs(chosen, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Cache(chosen)


@contextmanager
def run_cache(enabled: bool, directory: str | None, scanned_repository: str | None = None) -> Iterator[Cache | None]:
    """:func:`open_cache` for the length of a run: its packs are put in place when the run ends, however it ends."""
    cache = open_cache(enabled, directory, scanned_repository)
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()
