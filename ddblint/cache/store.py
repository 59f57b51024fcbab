"""Results of earlier runs kept on disk, keyed by everything they depend on.

Where: ``$XDG_CACHE_HOME/ddblint`` (else ``~/.cache/ddblint``), or the directory
given with ``--cache-dir``. A directory inside the scanned repository is not
used (the run goes on without a cache): a pull request can add files there, and
an entry planted under the right key could hide findings. Entries cannot run
code when read (see :mod:`ddblint.cache.codec`). Keys hold file *contents*, not
paths, so checkouts of one repository (and CI jobs that restore the directory)
share entries.

Layout: ``<dir>/v2/<namespace>/<2 hex digits>/<rest of the key>``, one entry
per file, mode 0600 in directories of mode 0700. A writer fills a temporary
file beside the entry and renames it into place, so a concurrent run sees an
entry whole or not at all; an entry that cannot be read, or was written for
another key, counts as missing and is rewritten. Nothing is ever pruned: remove
the directory to reclaim the space.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ddblint.cache.codec import CacheFormatError, decode, encode

LAYOUT = "v2"  # v1 held pickles; it is never read


def default_directory() -> str:
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    configured = os.environ.get("XDG_CACHE_HOME", "")
    base = configured if os.path.isabs(configured) else os.path.join(os.path.expanduser("~"), ".cache")
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


def key_material(value: Any) -> bytes:
    """Bytes that change whenever ``value`` does, for a key: its ``repr``, which value classes spell out whole."""
    return repr(value).encode("utf-8", "surrogatepass")


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
        """The entry stored for ``key``, or None: missing, damaged, foreign, or written for another key."""
        try:
            with open(self._path(namespace, key), "rb") as handle:
                return decode(handle.read(), key)
        except (OSError, CacheFormatError):
            return None

    def store(self, namespace: str, key: str, value: Any) -> None:
        blob = encode(value, key)
        if blob is not None:
            self.store_blob(namespace, key, blob)

    def store_blob(self, namespace: str, key: str, blob: bytes) -> None:
        """Write an already encoded entry; a full disk or a read-only directory just means no entry."""
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


def inside(directory: str, tree: str) -> bool:
    """Whether ``directory`` is ``tree`` or below it, symlinks resolved."""
    real, root = os.path.realpath(directory), os.path.realpath(tree)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def cache_directory(enabled: bool, directory: str | None, scanned_repository: str | None = None) -> str | None:
    """The directory a run's cache lives in; None when caching is off or it lies in the scanned repository."""
    if not enabled:
        return None
    chosen = directory or default_directory()
    if scanned_repository is not None and inside(chosen, scanned_repository):
        return None
    return chosen


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
