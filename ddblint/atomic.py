"""Write a report or baseline so readers see the old content or the new, never half of it.

Only a regular file can be replaced that way: a rename puts a new regular file
where the name was, which for a device (``/dev/null``), a named pipe or a
terminal would destroy what the user pointed at. So the writer looks first:

- a regular file, or a name with nothing behind it, is written to a temporary
  file beside it and renamed into place; an existing file keeps its mode (and,
  where allowed, its owner), a new one gets the mode ``open(path, "w")`` would
  give under the umask;
- a symlink is followed, and its target is what gets replaced (or created);
- anything else (a device, a pipe, ``/dev/stdout``) is opened and written
  straight through, and stays what it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _replaceable(path: str) -> tuple[str, os.stat_result | None] | None:
    """Where to rename the new file to, with what is there now; None to write straight through."""
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        # nothing there, or a symlink to nothing: create its target
        return os.path.realpath(path), None
    if not stat.S_ISREG(existing.st_mode):
        return None
    real = os.path.realpath(path)
    try:
        same = os.path.samefile(real, path)
    except OSError:
        same = False
    # a regular file reached through a link that names no path (a deleted file, /proc/self/fd/N)
    return (real, existing) if same else None


@contextlib.contextmanager
def atomic_writer(path: Path | str, *, make_parents: bool = False) -> Iterator[TextIO]:
    """A stream for ``path``'s new text, committed only when the block succeeds."""
    where = _replaceable(os.fspath(path))
    if where is None:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    target, existing = where
    directory = os.path.dirname(target) or "."
    if make_parents:
        os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    try:
        if existing is not None:
            with contextlib.suppress(OSError):
                os.fchown(handle, existing.st_uid, existing.st_gid)
        os.fchmod(handle, stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
