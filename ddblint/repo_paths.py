"""Paths as the repository sees them: the walk up to the git checkout's root, and names relative to it.

Shared by every stage that looks for something on the way up (the config file,
the callers of a changed module, the repository root itself) and by the
reporters.

CI reports (SARIF, JSON, GitHub annotations) name files relative to the
repository, not to where the scan started, so that ``ddblint .`` at the root
and ``ddblint ..`` from a subdirectory name every file, and fingerprint every
finding, the same way. Symbolic links are resolved first: code scanning can
only place a result on the file the link points to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator


def is_inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or below it; both absolute and normalised (``root`` may be ``/``)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def directories_up(start: str) -> Iterator[str]:
    """``start``, then each parent, up to the repository root (the first holding ``.git``) or ``/``.

    ``.git`` may be a file as well as a directory: worktrees and submodules use a file.
    """
    current = start
    while True:
        yield current
        parent = os.path.dirname(current)
        if is_repository_root(current) or parent == current:
            return
        current = parent


def is_repository_root(directory: str) -> bool:
    return os.path.lexists(os.path.join(directory, ".git"))


def find_repo_root(start: str) -> str:
    """The nearest directory at or above ``start`` holding ``.git``; ``start`` itself when there is none."""
    start = os.path.realpath(start)
    *_, top = directories_up(start)
    return top if is_repository_root(top) else start


def common_root(paths: Iterable[str]) -> str:
    """The directory the scan is confined to: the common parent of what was asked for."""
    dirs = [p if os.path.isdir(p) else os.path.dirname(p) for p in paths]
    return os.path.commonpath(dirs) if dirs else os.getcwd()


class RepoPaths:
    """Turns the absolute paths findings carry into repository-relative ones.

    Answers are kept per path: a large report names the same few files thousands of times.
    A plain class, not a dataclass: this module is on the pre-commit fast lane
    (:mod:`ddblint.nothing`), which does not load ``dataclasses``.
    """

    __slots__ = ("_known", "root")

    def __init__(self, root: str) -> None:
        self.root = root
        self._known: dict[str, str | None] = {}

    @classmethod
    def for_scan(cls, scan_root: str) -> RepoPaths:
        return cls(find_repo_root(scan_root))

    def relative(self, path: str) -> str | None:
        """``dir/main.tf`` with forward slashes, or None for a file outside the repository."""
        if path not in self._known:
            self._known[path] = self._relative(path)
        return self._known[path]

    def _relative(self, path: str) -> str | None:
        real = os.path.realpath(path)
        if real == self.root:
            return "."
        if not is_inside(real, self.root):
            return None
        return os.path.relpath(real, self.root).replace(os.sep, "/")

    def display(self, path: str) -> str:
        """The repository-relative path, or the real absolute path of a file outside it."""
        relative = self.relative(path)
        return relative if relative is not None else os.path.realpath(path)

    def origin(self, origin: str) -> str:
        """A suppression's origin (``path`` or ``path:line``) with its path made repository-relative."""
        path, colon, line = origin.rpartition(":")
        if not (colon and line.isdigit() and path):
            path, line = origin, ""
        if not os.path.isabs(path):
            return origin
        shown = self.display(path)
        return f"{shown}:{line}" if line else shown
