"""What a cache directory holds, entry by entry, for tests that look inside it or damage it."""

from __future__ import annotations

import os
from pathlib import Path

from ddblint.cache import store
from ddblint.cache.packs import pack_entries, pack_paths, write_pack


def namespaces(directory: Path) -> list[str]:
    base = directory / store.LAYOUT
    return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.exists() else []


def stored(directory: Path, namespace: str) -> dict[str, bytes]:
    """The newest copy of each entry of ``namespace`` in the cache at ``directory``, by key."""
    found: dict[str, bytes] = {}
    for path in pack_paths(str(directory / store.LAYOUT / namespace)):
        found.update(pack_entries(path))
    return found


def replace(directory: Path, namespace: str, entries: dict[str, bytes]) -> None:
    """Make ``entries`` all the namespace holds: one pack in place of its packs."""
    folder = str(directory / store.LAYOUT / namespace)
    old = pack_paths(folder)
    assert write_pack(folder, entries.items()) is not None
    for path in old:
        os.unlink(path)
