"""Find the Terraform files to lint and group them into module directories.

The walk skips ``.terraform/``, ``.git/`` and configured excludes, never
follows a symlink out of the scanned root or round a loop, and reports
directories it cannot read. Which of the modules need parsing at all is the
prefilter's question (:mod:`ddblint.discover.prefilter`).
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator

from ddblint.repo_paths import common_root, find_repo_root, is_inside

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module is on the fast lane
if TYPE_CHECKING:
    from ddblint.problems import ParseProblem

SKIPPED_DIRS = {".terraform", ".git", ".ddblint_cache", "node_modules", ".terragrunt-cache"}
# Files that may configure ddblint for their directory; the config stage reads and validates them.
CONFIG_CANDIDATES = (".ddblint.yaml", ".ddblint.yml", "pyproject.toml")
# How much of a module file is searched for a data file's name: the start of any real Terraform file.
_READER_PREFIX = 5 * 1024 * 1024


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
    return name.endswith((".tf", ".tf.json")) or is_auto_loaded_values(name)


def is_auto_loaded_values(name: str) -> bool:
    """``terraform.tfvars`` and ``*.auto.tfvars`` (and their JSON forms): the variable files Terraform reads itself."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


class ModuleFiles:
    """A module directory's files, as paths, kept as names: the full paths of 70,000 files took 7 MB."""

    __slots__ = ("directory", "names")

    def __init__(self, directory: str, paths: Iterable[str]) -> None:
        self.directory = directory
        self.names = tuple(sys.intern(os.path.basename(path)) for path in paths)  # main.tf, once

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[str]:
        return (os.path.join(self.directory, name) for name in self.names)


class Discovery:
    """Module directories (absolute) with their files, and the problems met on the way.

    A plain class, not a dataclass: discovery is on the pre-commit fast lane
    (:mod:`ddblint.nothing`), which does not load ``dataclasses`` (it loads ``inspect``).
    """

    def __init__(self, root: str, data_files: dict[str, set[str]] | None = None, reach: str = "") -> None:
        self.root = root
        self.modules: dict[str, ModuleFiles] = {}
        self.problems: list[ParseProblem] = []
        self.requested: set[str] = set()  # module dirs named by the user's paths
        self.file_modules: set[str] = set()  # module dirs of named files (the pre-commit case)
        self.config_candidates: set[str] = set()  # possible config files inside the scanned tree
        self.data_files = data_files or {}  # named data file -> modules that may read it
        self.reach = reach or root  # how far module calls and file() may reach; see _reach()

    def files_of(self, directory: str, excludes: tuple[str, ...]) -> list[str]:
        """A module directory's Terraform files, listed on first ask when the walk did not reach it.

        Module calls lead outside the paths given (``../modules/x``); such a
        directory is listed once, and only when it lies within :attr:`reach`.
        """
        if directory in self.modules:
            return list(self.modules[directory])
        if not os.path.isdir(directory):
            return []
        real = os.path.realpath(directory)
        if not is_inside(real, self.reach):
            return []
        files = list_module_files(directory, self.root, excludes)
        self.add(directory, files)
        return files

    def add(self, directory: str, files: list[str]) -> None:
        """Record a module directory and its files."""
        self.modules[directory] = ModuleFiles(directory, files)


def discover(paths: list[str], excludes: Iterable[str] = (), root: str | None = None) -> Discovery:
    absolute = [os.path.abspath(p) for p in paths]
    for given, path in zip(paths, absolute):
        if not os.path.lexists(path):
            raise UsageError(f"{given}: no such file or directory")
    patterns = tuple(excludes)
    data = [p for p in absolute if not os.path.isdir(p) and not is_terraform_file(os.path.basename(p))]
    readers = {path: data_file_readers(path, patterns, root or common_root(absolute)) for path in data}
    linted = [p for p in absolute if p not in readers] + [d for found_dirs in readers.values() for d in found_dirs]
    scan_root = root or common_root(linted or absolute)
    found = Discovery(os.path.realpath(scan_root), data_files={p: set(d) for p, d in readers.items()})
    for path in absolute:
        if os.path.isdir(path):
            _walk(path, found, patterns, set())
        elif path not in readers:
            _add_named_module(os.path.dirname(path), found, patterns)
    for directory in sorted({d for found_dirs in readers.values() for d in found_dirs}):
        _add_named_module(directory, found, patterns)
    found.reach = _reach(found)
    return found


def _add_named_module(directory: str, found: Discovery, patterns: tuple[str, ...]) -> None:
    """The module of a file named on the command line, and the config files on its way up to the scan root."""
    found.requested.add(directory)
    found.file_modules.add(directory)
    _add_directory_files(directory, found, patterns)
    current = directory
    while is_inside(os.path.realpath(current), found.root):
        found.config_candidates.update(
            candidate for name in CONFIG_CANDIDATES if os.path.isfile(candidate := os.path.join(current, name))
        )
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent


def data_file_readers(path: str, patterns: tuple[str, ...], scan_root: str) -> list[str]:
    """The modules that may read a data file (JSON, YAML, CSV, a template) that a commit changed.

    Terraform reads data files through ``file()``, ``templatefile()`` and ``fileset()`` with
    paths built from ``path.module``, so a reader is looked for where such files usually
    live: the file's own directory and those above it, up to the root of its git repository
    (or the scan root outside one). A module there is a reader when its bytes name the
    file, or when it calls ``fileset()``, whose pattern need not name it. Nothing is parsed;
    a module elsewhere that reads the file through ``../`` is not looked for.
    """
    name = os.path.basename(path).encode("utf-8", "surrogateescape")
    top = os.path.realpath(find_repo_root(os.path.dirname(path)))
    readers: list[str] = []
    current = os.path.dirname(path)
    while True:
        files = list_module_files(current, scan_root, patterns)
        if files and any(_may_read(file, name) for file in files):
            readers.append(current)
        parent = os.path.dirname(current)
        if os.path.realpath(current) == top or parent == current:
            return readers
        current = parent


def _may_read(file: str, data_file_name: bytes) -> bool:
    try:
        with open(file, "rb") as handle:
            data = handle.read(_READER_PREFIX)
    except OSError:
        return False
    return data_file_name in data or b"fileset(" in data


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
        if not is_inside(real, found.root):
            continue
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            found.problems.append(unreadable_directory(current, exc))
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
                    if entry.is_symlink() and not is_inside(os.path.realpath(entry.path), found.root):
                        continue
                    files.append(entry.path)
                elif entry.name in CONFIG_CANDIDATES and entry.is_file():
                    found.config_candidates.add(entry.path)
                elif is_terraform_file(entry.name):
                    found.problems.append(not_regular(entry.path))
            except OSError:
                continue
        if files:
            found.add(current, files)
            found.requested.add(current)


def not_regular(path: str) -> ParseProblem:
    """A named pipe (or socket, or device) named like a Terraform file: said, never opened."""
    from ddblint.problems import ParseProblem  # a run without problems does not load dataclasses

    return ParseProblem(path, "not a regular file (a named pipe, socket or device); not read")


def unreadable_directory(directory: str, exc: OSError) -> ParseProblem:
    from ddblint.problems import ParseProblem

    return ParseProblem(directory, f"cannot read directory: {exc.strerror or exc}")


def _add_directory_files(directory: str, found: Discovery, patterns: tuple[str, ...]) -> None:
    if directory in found.modules:
        return
    found.add(directory, list_module_files(directory, found.root, patterns, found.problems))


def list_module_files(
    directory: str, root: str, patterns: tuple[str, ...] = (), problems: list[ParseProblem] | None = None
) -> list[str]:
    """The Terraform files of one directory (not its subdirectories)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        if problems is not None:
            problems.append(unreadable_directory(directory, exc))
        return []
    files = []
    for entry in entries:
        try:
            if not (entry.is_file() and is_terraform_file(entry.name)):
                if problems is not None and is_terraform_file(entry.name) and not entry.is_dir():
                    problems.append(not_regular(entry.path))
                continue
            if entry.is_symlink() and not is_inside(os.path.realpath(entry.path), root):
                continue
        except OSError:
            continue
        if not _excluded(entry.path, root, patterns):
            files.append(entry.path)
    return files
