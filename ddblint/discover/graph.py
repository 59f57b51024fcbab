"""The module-call graph the prefilter saw: which modules are roots, and what each reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ddblint.discover.scan import ModuleBytes


def root_modules(candidates: list[str], scanned: dict[str, ModuleBytes]) -> list[str]:
    """The modules to instantiate: those no other module calls, then one per cycle of calls.

    A module that only calls itself, or a ring of modules that call each other,
    has no caller above it; without this it would be silently left unlinted
    (the expansion then reports the cycle).
    """
    callees = {target for d in scanned for target in scanned[d].local_sources if target != d}
    roots = [d for d in candidates if d not in callees]
    reached = reachable(roots, scanned)
    for directory in candidates:
        if directory not in reached:
            roots.append(directory)
            reached |= reachable([directory], scanned)
    return sorted(roots)


def reachable(starts: list[str], scanned: dict[str, ModuleBytes]) -> set[str]:
    seen = set(starts)
    pending = list(starts)
    while pending:
        for target in scanned[pending.pop()].local_sources:
            if target in scanned and target not in seen:
                seen.add(target)
                pending.append(target)
    return seen
