"""Paths as the repository sees them: relative to the root of the git checkout.

CI reports (SARIF, JSON, GitHub annotations) name files relative to the
repository, not to where the scan started, so that ``ddblint .`` at the root
and ``ddblint ..`` from a subdirectory name every file, and fingerprint every
finding, the same way. Symbolic links are resolved first: code scanning can
only place a result on the file the link points to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def find_repo_root(start: str) -> str:
    """The nearest directory at or above ``start`` holding ``.git``; ``start`` itself when there is none.

    ``.git`` may be a file as well as a directory: worktrees and submodules use a file.
    """
    start = os.path.realpath(start)
    current = start
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return start
        current = parent


@dataclass(frozen=True)
class RepoPaths:
    """Turns the absolute paths findings carry into repository-relative ones.

    Answers are kept per path: a large report names the same few files thousands of times.
    """

    root: str
    _known: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

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
        if not real.startswith(self.root.rstrip(os.sep) + os.sep):
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
