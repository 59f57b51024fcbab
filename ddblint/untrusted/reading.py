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
    descriptor = os.open(path, _OPEN_FLAGS)  # read with os.read: a buffered file object costs more than the read
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(path)
        cap = None if max_bytes is None else max_bytes + 1
        want = status.st_size + 1 if cap is None else min(status.st_size + 1, cap)  # one more: the end, or too large
        data = os.read(descriptor, want)
        if len(data) < want:  # the end: a regular file reads short only there
            return data
        parts = [data]  # the file grew since fstat: read on to its end or the cap
        total = len(data)
        while cap is None or total < cap:
            chunk = os.read(descriptor, 1 << 20 if cap is None else min(1 << 20, cap - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
        return b"".join(parts)
    finally:
        os.close(descriptor)
