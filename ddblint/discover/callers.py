"""Find the modules that call a changed module, where that is cheap.

pre-commit hands ddblint the files a commit changes. When one of them belongs to
a module that some other module calls with ``for_each`` or ``count``, that call
multiplies the module's items, and judging the module on its own would count
them once. Finding every caller means reading every ``.tf`` file of the
repository: 1.2 s of bytes on a generated 10,000-module repository (``git grep``
0.6 s, ``grep -r`` 0.4 s), several times the cost of the whole hook. So ddblint
looks only where callers are cheap to find and common: the directories on the
way up from the module to the root of its git repository, read as bytes
without parsing. There a root module calls its own modules as ``./modules/x``.
An ancestor whose local ``source`` reaches the module, or reaches an ancestor
already found to call it, is a caller; the topmost callers become the roots the
module is judged through. A caller elsewhere (``envs/prod`` calling
``../../modules/x``) is not looked for; a scan of the whole repository judges
the module with it. Outside a git repository nothing is searched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ddblint.discover.files import list_module_files
from ddblint.repo_paths import directories_up, is_repository_root

if TYPE_CHECKING:
    from ddblint.discover.scan import ModuleBytes


def find_callers(
    modules: Iterable[str],
    scan_root: str,
    excludes: tuple[str, ...],
    scan: Callable[[str, list[str]], ModuleBytes],
) -> dict[str, list[str]]:
    """Ancestor directories whose local module calls reach ``modules``, with their Terraform files.

    ``scan_root`` and ``excludes`` are those of the run, so an excluded file is
    not read here either. Each ancestor is read once, however many modules share
    it: ``scan`` is the prefilter's, which remembers what it read.
    """
    callers: dict[str, list[str]] = {}
    seen: dict[str, tuple[list[str], tuple[str, ...]]] = {}
    for module in modules:
        reached = {module}
        for ancestor in _ancestors(module):
            if ancestor not in seen:
                files = list_module_files(ancestor, scan_root, excludes)
                seen[ancestor] = (files, scan(ancestor, files).local_sources)
            files, sources = seen[ancestor]
            if reached.intersection(sources):
                callers[ancestor] = files
                reached.add(ancestor)
    return callers


def _ancestors(module: str) -> list[str]:
    """The directories above ``module`` up to its repository root, nearest first; none outside a repository."""
    above = list(directories_up(module))[1:]
    return above if above and is_repository_root(above[-1]) else []
