"""Results of earlier runs kept on disk, keyed by everything they depend on.

Where: ``$XDG_CACHE_HOME/ddblint`` (else ``~/.cache/ddblint``), or the directory
given with ``--cache-dir``. Not a ``.ddblint_cache/`` inside the scanned tree:
entries are pickles, and loading a pickle can run code, so the cache must live
where only the user writes, never in a tree that a pull request can add files
to. Keys hold file *contents*, not paths, so checkouts of one repository (and CI
jobs that restore the directory) share entries.

Layout: ``<dir>/v1/<namespace>/<2 hex digits>/<rest of the key>``, one pickle
per entry. A writer fills a temporary file beside the entry and renames it into
place, so a concurrent run sees an entry whole or not at all; an entry that
cannot be loaded counts as missing and is rewritten. Nothing is ever pruned:
remove the directory to reclaim the space.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ddblint.parse.syntax import room_for_deep_trees

LAYOUT = "v1"


def default_directory() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ddblint")


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
    catalog and the run each open the cache), with the Python version that
    pickled the entries.
    """
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(sys.version.encode())
    for path in _source_files():
        hasher.update(str(path.name).encode())
        with contextlib.suppress(OSError):
            hasher.update(path.read_bytes())
    return hasher.digest()


def dump(value: Any) -> bytes | None:
    """``value`` as a pickle, or None when it cannot be pickled (then it is simply not cached)."""
    try:
        with room_for_deep_trees():
            return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
        return None


class Cache:
    """One cache directory; every method fails soft, because a cache is only ever an optimisation."""

    def __init__(self, directory: str) -> None:
        self.directory = os.path.join(directory, LAYOUT)
        self.fingerprint = code_fingerprint()

    def key(self, *parts: bytes) -> str:
        """A key for a result computed by this code from ``parts``."""
        return digest(self.fingerprint, *parts)

    def _path(self, namespace: str, key: str) -> str:
        return os.path.join(self.directory, namespace, key[:2], key[2:])

    def load(self, namespace: str, key: str) -> Any | None:
        try:
            with open(self._path(namespace, key), "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a truncated, foreign or stale entry is a miss
            return None

    def store(self, namespace: str, key: str, value: Any) -> None:
        blob = dump(value)
        if blob is not None:
            self.store_blob(namespace, key, blob)

    def store_blob(self, namespace: str, key: str, blob: bytes) -> None:
        """Write an already pickled entry; a full disk or a read-only directory just means no entry."""
        target = self._path(namespace, key)
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(target))
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def open_cache(enabled: bool, directory: str | None) -> Cache | None:
    """The run's cache, or None when caching is off or the directory cannot be created."""
    if not enabled:
        return None
    chosen = directory or default_directory()
    try:
        os.makedirs(chosen, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Cache(chosen)
