"""The byte prefilter's verdicts from the last run, reused for files whose size and mtime are unchanged.

On a warm run, reading every file of a large repository is the largest cost
left after parse results and analyses come from the cache; a ``stat`` is a
quarter of the system calls of an ``open``, ``read`` and ``close``. As with
git's index, a file modified within the clock's granularity of being scanned
could keep its size and mtime, so a verdict is remembered only for files last
modified a while before the scan.
"""

from __future__ import annotations

import os
import time

from ddblint.cache.store import Cache
from ddblint.discover.prefilter import FileBytes

SETTLED_AFTER_NS = 2_000_000_000  # a file untouched this long is not being written to

# path -> (size, mtime in ns, verdict)
_Entries = dict[str, tuple[int, int, FileBytes]]


class FileScanMemo:
    """Verdicts for one scan root, loaded at start and saved (if anything changed) at the end."""

    def __init__(self, cache: Cache, scan_root: str) -> None:
        self._cache = cache
        self._key = cache.key(b"prefilter", scan_root.encode("utf-8", "surrogatepass"))
        loaded = cache.load("prefilter", self._key)
        self._known: _Entries = loaded if isinstance(loaded, dict) else {}
        self._used: _Entries = {}
        self._stats: dict[str, os.stat_result] = {}
        self._changed = False
        self._now_ns = time.time_ns()

    def get(self, path: str) -> FileBytes | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        entry = self._known.get(path)
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            self._used[path] = entry
            return entry[2]
        self._stats[path] = stat
        return None

    def put(self, path: str, found: FileBytes) -> None:
        stat = self._stats.pop(path, None)
        if stat is None or self._now_ns - stat.st_mtime_ns < SETTLED_AFTER_NS:
            return
        self._used[path] = (stat.st_size, stat.st_mtime_ns, found)
        self._changed = True

    def save(self) -> None:
        """Keep what this run used, then let go of it all: tens of megabytes the later stages can reuse.

        Rewriting every verdict costs a large repository a fifth of a second,
        so it is done for new verdicts, or once files that are gone (or were
        edited moments ago) account for a hundredth of the memo, not for each.
        """
        dropped = len(self._known) - len(self._used)
        if self._changed or dropped > len(self._known) // 100:
            self._cache.store("prefilter", self._key, self._used)
        self._known, self._used, self._stats = {}, {}, {}
