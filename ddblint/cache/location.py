"""Where the cache lives, and whether a run may use it there.

Kept apart from :mod:`ddblint.cache.store` so that the pre-commit fast lane
(:mod:`ddblint.nothing`) can tell whether a run would print the note about a cache
inside the scanned repository without loading the store (``hashlib`` and the codec).
"""

from __future__ import annotations

import os

from ddblint.repo_paths import is_inside


def default_directory() -> str:
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    configured = os.environ.get("XDG_CACHE_HOME", "")
    base = configured if os.path.isabs(configured) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ddblint")


def cache_directory(enabled: bool, directory: str | None, scanned_repository: str | None = None) -> str | None:
    """The directory a run's cache lives in; None when caching is off or it lies in the scanned repository."""
    if not enabled:
        return None
    chosen = directory or default_directory()
    if scanned_repository is not None and is_inside(os.path.realpath(chosen), os.path.realpath(scanned_repository)):
        return None
    return chosen
