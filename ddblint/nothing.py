"""The pre-commit hook's common answer, given before the checker loads: nothing to check.

pre-commit runs ``ddblint FILE...`` on the files a commit changed, and most
commits change no module that has anything to do with DynamoDB items. The
whole run then reads a few files as bytes and prints one line, but loading it
costs several times the interpreter's own start-up: the configuration, the
pipeline's value classes (``dataclasses`` alone loads ``inspect``), the
reporters and the cache store.

So a command line of file names is first given to :func:`nothing_to_check`. It
runs the run's own first stages, discovery (:func:`~ddblint.discover.files.discover`)
and the byte scan with its walk along local module calls
(:mod:`ddblint.discover.scan`), with the settings a run without a config file
has, and answers only when they prove what the full run would do: print
:func:`nothing_to_check_line` and exit 0. That takes every one of these:

- only files are named (a directory is a full scan, not worth doing twice);
- no config file applies (the run's own, or a nested one discovery met):
  a config file can hold errors, suppressions, a baseline or excludes;
- the cache may be used (else the run prints a note about it);
- discovery met no problem (an unreadable directory, a named pipe): those are
  findings;
- no module scanned, named or called from one, names the item type or has a
  file that could not be read whole, so no module is relevant and no caller is
  searched for.

Otherwise it returns None, having stopped at the first reason, and the full
run decides: its output is the same either way.
"""

from __future__ import annotations

import os

from ddblint.cache.location import cache_directory
from ddblint.config.defaults import DEFAULT_MAX_BYTES
from ddblint.config.locate import find_config, is_config_file
from ddblint.discover.files import UsageError, discover
from ddblint.discover.scan import ModuleBytes, scan_bytes, walk_calls
from ddblint.repo_paths import common_root, find_repo_root


def nothing_to_check_line(files: int, modules: int) -> str:
    """The full report of a run in which no module mentions items: the one line this lane may print."""
    return f"No aws_dynamodb_table_item in {files:,} Terraform files ({modules:,} modules): nothing to check.\n"


def nothing_to_check(paths: list[str]) -> str | None:
    """The report of ``ddblint PATHS`` (paths only, no option) if it is :func:`nothing_to_check_line`; else None.

    Whatever goes wrong here (a path that vanished, an unreadable directory)
    goes wrong again in the full run, which reports it as it always does.
    """
    try:
        return _report_if_nothing(paths)
    except (OSError, ValueError, UsageError):
        return None


def _report_if_nothing(paths: list[str]) -> str | None:
    if not paths or not all(os.path.isfile(path) for path in paths):
        return None
    scan_root = common_root([os.path.abspath(path) for path in paths])
    if cache_directory(True, None, find_repo_root(scan_root)) is None or find_config(scan_root) is not None:
        return None
    discovery = discover(paths)
    if discovery.problems or any(is_config_file(candidate) for candidate in discovery.config_candidates):
        return None
    scanned: dict[str, ModuleBytes] = {}
    for _, info in walk_calls(list(discovery.modules), discovery, (), _scan, scanned):
        if info.mentions_items:
            return None
    files = sum(len(discovery.modules[directory]) for directory in discovery.requested)
    return nothing_to_check_line(files, len(discovery.requested))


def _scan(directory: str, files: list[str]) -> ModuleBytes:
    """The prefilter's scan of one module, at the default size limit; nothing kept for a parser."""
    return scan_bytes(directory, files, DEFAULT_MAX_BYTES)
