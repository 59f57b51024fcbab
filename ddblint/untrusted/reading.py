"""Reading a file that the scanned tree or a setting names: regular files only, never past a limit.

Opening a named pipe for reading blocks until something writes to it, and
``/dev/zero`` never ends, so a pull request that adds either where a ``.tf``
file, a data file or a baseline is expected would stall the run. Files are
opened without blocking and checked on the open descriptor (so nothing can be
swapped in between a check and the open), and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path is a named pipe, a device, a socket or a directory."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a named pipe, device or directory)", path)


def read_regular(path: str, max_bytes: int | None = None) -> bytes:
    """The file's bytes, at most ``max_bytes + 1`` of them (so a caller can tell it is too large).

    Allocates no more than the file holds: ``read(max_bytes + 1)`` would
    allocate the whole limit for every small file. Raises ``OSError``, and
    :class:`NotRegularFile` for anything but a regular file.
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    with open(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(path)
        if max_bytes is None or status.st_size <= max_bytes:
            return handle.read()
        return handle.read(max_bytes + 1)
