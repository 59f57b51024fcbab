"""Find the Terraform files to lint and group them into module directories.

The walk skips ``.terraform/``, ``.git/`` and configured excludes, never
follows a symlink out of the scanned root or round a loop, and reports
directories it cannot read. Which of the modules need parsing at all is the
prefilter's question (:mod:`ddblint.discover.prefilter`).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ddblint.discover.repo_root import find_repo_root
from ddblint.problems import ParseProblem

SKIPPED_DIRS = {".terraform", ".git", ".ddblint_cache", "node_modules", ".terragrunt-cache"}


class UsageError(Exception):
    """A command-line mistake (a path that does not exist): exit code 2."""


def is_terraform_file(name: str) -> bool:
    if is_ignored_by_terraform(name):
        return False
    return name.endswith((".tf", ".tf.json")) or is_values_file(name)


def is_ignored_by_terraform(name: str) -> bool:
    """Editor backups and hidden files (``.x.tf``, ``#x.tf#``, ``x.tf~``): Terraform never loads them."""
    return name.startswith((".", "#")) or name.endswith("~")


def is_values_file(name: str) -> bool:
    """Variable files: auto-loaded ones, and any ``.tfvars`` a user points us at."""
    return name.endswith((".tfvars", ".tfvars.json"))


def is_auto_loaded(name: str) -> bool:
    """Files Terraform reads on its own; other ``.tfvars`` need ``--var-file``."""
    if name.endswith((".tf", ".tf.json")):
        return True
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


@dataclass
class Discovery:
    """Module directories (absolute) with their files, and the problems met on the way."""

    root: str
    modules: dict[str, list[str]] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)
    requested: set[str] = field(default_factory=set)  # module dirs named by the user's paths
    file_modules: set[str] = field(default_factory=set)  # module dirs of named files (the pre-commit case)
    reach: str = ""  # how far module calls and file() may reach (default: root); see _reach()

    def __post_init__(self) -> None:
        self.reach = self.reach or self.root

    def files_of(self, directory: str, excludes: tuple[str, ...]) -> list[str]:
        """A module directory's Terraform files, listed on first ask when the walk did not reach it.

        Module calls lead outside the paths given (``../modules/x``); such a
        directory is listed once, and only when it lies within :attr:`reach`.
        """
        if directory in self.modules:
            return self.modules[directory]
        if not os.path.isdir(directory):
            return []
        real = os.path.realpath(directory)
        if not _inside(real, self.reach):
            return []
        files = list_module_files(directory, self.root, excludes)
        self.modules[directory] = files
        return files


def common_root(paths: Iterable[str]) -> str:
    """The directory the scan is confined to: the common parent of what was asked for."""
    dirs = [p if os.path.isdir(p) else os.path.dirname(p) for p in paths]
    return os.path.commonpath(dirs) if dirs else os.getcwd()


def discover(paths: list[str], excludes: Iterable[str] = (), root: str | None = None) -> Discovery:
    absolute = [os.path.abspath(p) for p in paths]
    for given, path in zip(paths, absolute):
        if not os.path.lexists(path):
            raise UsageError(f"{given}: no such file or directory")
    scan_root = root or common_root(absolute)
    found = Discovery(os.path.realpath(scan_root))
    patterns = tuple(excludes)
    for path in absolute:
        if os.path.isdir(path):
            _walk(path, found, patterns, set())
        else:
            directory = os.path.dirname(path)
            found.requested.add(directory)
            found.file_modules.add(directory)
            _add_directory_files(directory, found, patterns)
    found.reach = _reach(found)
    return found


def _reach(found: Discovery) -> str:
    """The scan root, or the git repository holding it when files are named.

    Named files are the pre-commit case: their modules call ``../../modules/x``
    and read data files beside their callers, which a root confined to the files'
    own directories would cut off. Excludes stay relative to the scan root.
    """
    return find_repo_root(found.root) if found.file_modules else found.root


def _excluded(path: str, root: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative + "/", p) or fnmatch.fnmatch(os.path.basename(path), p)
        for p in patterns
    )


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root + os.sep)


def _walk(directory: str, found: Discovery, patterns: tuple[str, ...], seen: set[str]) -> None:
    """Depth-first walk; ``seen`` holds real paths so a symlink loop is entered once.

    A real path is resolved only for symlinked directories; a plain subdirectory's
    real path is its parent's plus its name, which saves a system call per path part.
    """
    stack = [(directory, os.path.realpath(directory))]
    while stack:
        current, real = stack.pop()
        if real in seen:
            continue
        seen.add(real)
        if not _inside(real, found.root):
            continue
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            found.problems.append(ParseProblem(current, f"cannot read directory: {exc.strerror or exc}"))
            continue
        files: list[str] = []
        for entry in entries:
            if _excluded(entry.path, found.root, patterns):
                continue
            try:
                if entry.is_dir():
                    if entry.name not in SKIPPED_DIRS:
                        linked = entry.is_symlink()
                        child_real = os.path.realpath(entry.path) if linked else os.path.join(real, entry.name)
                        stack.append((entry.path, child_real))
                elif entry.is_file() and is_terraform_file(entry.name):
                    if entry.is_symlink() and not _inside(os.path.realpath(entry.path), found.root):
                        continue
                    files.append(entry.path)
            except OSError:
                continue
        if files:
            found.modules[current] = files
            found.requested.add(current)


def _add_directory_files(directory: str, found: Discovery, patterns: tuple[str, ...]) -> None:
    if directory in found.modules:
        return
    found.modules[directory] = list_module_files(directory, found.root, patterns, found.problems)


def list_module_files(
    directory: str, root: str, patterns: tuple[str, ...] = (), problems: list[ParseProblem] | None = None
) -> list[str]:
    """The Terraform files of one directory (not its subdirectories)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        if problems is not None:
            problems.append(ParseProblem(directory, f"cannot read directory: {exc.strerror or exc}"))
        return []
    files = []
    for entry in entries:
        try:
            if not (entry.is_file() and is_terraform_file(entry.name)):
                continue
            if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root):
                continue
        except OSError:
            continue
        if not _excluded(entry.path, root, patterns):
            files.append(entry.path)
    return files
