"""Analyses of root modules from earlier runs, reused while nothing they read has changed.

Evaluating a root module (every item of every module instance it expands) costs
more than parsing it, so a warm run that only reused parse results would spend
most of its time evaluating again. An analysis depends on three things, and the
cache checks all three:

- the code (in the cache key, see :func:`ddblint.cache.store.code_fingerprint`);
- the module files of the root and of every local module it calls, and the
  ``--var-file`` files: their content keys make up the entry's key;
- the data files that ``file()``, ``fileexists()``, ``fileset()`` and
  ``templatefile()`` looked at: every question the evaluation asked the disk is
  recorded with its answer, and the entry is used only if each question, asked
  again, gets the same answer.

Each entry also records what the analysis drew from the run's evaluation
budget: a reused analysis is charged as much, and only when that much is left
(:meth:`ddblint.evaluate.budget.Budget.affords`). An analysis the budget cut
short depends on what the roots before it left, so it is neither stored nor
given a key for its findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeGuard

from ddblint.cache.answers import Question, RootInputs, asks_the_same, summary
from ddblint.cache.store import Cache, key_material
from ddblint.evaluate.budget import Budget, Spent
from ddblint.evaluate.expand import ModuleLoader, RootAnalysis, analyse_root
from ddblint.evaluate.expressions import FileGateway
from ddblint.evaluate.values import Unknown
from ddblint.model.module import Module


class LoadedModules(Protocol):
    """The run's module loader, as far as the cache needs it: modules, and what their files digest to."""

    def __call__(self, directory: str) -> Module | None: ...

    @property
    def digests(self) -> dict[str, str]: ...

    @property
    def var_files(self) -> list[str]: ...

    def gets_var_files(self, directory: str) -> bool: ...


class RecordingGateway(FileGateway):
    """A :class:`FileGateway` that notes every question and the answer it gave."""

    def __init__(self, root_limit: str, max_bytes: int, budget: Budget) -> None:
        super().__init__(root_limit, max_bytes, budget)
        self.answers: dict[Question, Any] = {}

    def _note(self, question: Question, answer: Any) -> Any:
        self.answers.setdefault(question, summary(answer))
        return answer

    def resolve(self, path: str, bases: list[str]) -> str | Unknown:
        return self._note(("resolve", (path, tuple(bases))), super().resolve(path, bases))  # type: ignore[no-any-return]

    def read(self, real: str, shown: str) -> str | Unknown:
        return self._note(("read", (real, shown)), super().read(real, shown))  # type: ignore[no-any-return]

    def is_file(self, real: str) -> bool:
        return self._note(("is_file", (real,)), super().is_file(real))  # type: ignore[no-any-return]

    def glob(self, real: str, pattern: str) -> list[str] | Unknown:
        return self._note(("glob", (real, pattern)), super().glob(real, pattern))  # type: ignore[no-any-return]


class RootCache:
    """A :data:`~ddblint.evaluate.expand.RootAnalyser` that reuses earlier analyses from the cache."""

    def __init__(
        self,
        cache: Cache,
        scan_root: str,
        modules: LoadedModules,
        max_bytes: int,
        budget: Budget,
        open_roots: frozenset[str] = frozenset(),
    ) -> None:
        self._cache = cache
        self._budget = budget  # the run's: a reused analysis is charged what it spent
        self._open_roots = open_roots  # roots whose callers were not all looked for (see analyse_root)
        self._scan_root = scan_root
        self._max_bytes = max_bytes  # the file() size cap: answers under another cap differ
        self._load_module: ModuleLoader = modules
        self._digests = modules.digests
        self._var_files = modules.var_files
        self._var_scopes = modules.gets_var_files  # whether a directory gets the --var-file values
        self.analysis_keys: dict[str, str] = {}  # root -> a key that changes whenever its analysis can
        self.inputs: dict[str, RootInputs] = {}  # root -> all its analysis read, for its outcome (see outcomes)
        self._unstored: dict[str, tuple[str, Any]] = {}  # root -> its fresh analysis's key and entry

    def __call__(self, module: Module, root: str) -> RootAnalysis:
        reached = self._reached(module)
        key = self._key(root, reached)
        if key is not None:
            entry = self._cache.load("roots", key)
            if (
                _is_entry(entry)
                and self._budget.affords(entry[2])
                and asks_the_same(entry[0], self._scan_root, self._max_bytes)
            ):
                self._budget.charge(entry[2])
                self._identify(root, key, reached, entry[0], entry[2])
                return entry[1]
        gateway = RecordingGateway(self._scan_root, self._max_bytes, self._budget)
        open_root = root in self._open_roots
        before = self._budget.left()
        analysis = analyse_root(module, root, self._scan_root, self._load_module, gateway, open_root)
        spent = self._budget.spent_since(before)
        if key is not None and not spent.refused:  # what the run's budget cut off depends on what other roots left
            answers = tuple(gateway.answers.items())
            self._unstored[root] = (key, (answers, analysis, spent))
            self._identify(root, key, reached, answers, spent)
        return analysis

    def settle(self, root: str, store: bool) -> None:
        """Store the root's fresh analysis, or (``store`` false: the root's outcome holds all a warm run
        needs of it) let it go. Encoding an analysis is most of what writing the cache costs a cold run."""
        unstored = self._unstored.pop(root, None)
        if unstored is not None and store:
            self._cache.store("roots", *unstored)

    def _identify(
        self, root: str, key: str, reached: Reached, answers: tuple[tuple[Question, Any], ...], spent: Spent
    ) -> None:
        """Name the analysis by all it was computed from: module files, code, and the disk's answers."""
        self.analysis_keys[root] = self._cache.key(
            b"analysis", key.encode("utf-8", "surrogatepass"), key_material(answers)
        )
        files = tuple((path, self._digests[path]) for path in reached.files)
        self.inputs[root] = RootInputs(reached.directories, files, answers, spent)

    def _reached(self, module: Module) -> Reached:
        """The module directories the root reaches, and the files read as their code (``--var-file`` first)."""
        modules = _reachable(module, self._load_module)
        files = list(self._var_files)
        for reached in modules:
            files += [parsed.path for parsed in reached.files]
        return Reached(tuple(m.dir for m in modules), tuple(files))

    def _key(self, root: str, reached: Reached) -> str | None:
        """Digest of every module file the root can reach; None if one has no stable digest."""
        parts = [self._scan_root, root, "open" if root in self._open_roots else "closed"]
        for directory in reached.directories:
            parts += ["module", directory, str(self._var_scopes(directory))]
        for path in reached.files:
            file_digest = self._digests.get(path)
            if file_digest is None:
                return None
            parts += [path, file_digest]
        return self._cache.key(b"root", "\0".join(parts).encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Reached:
    directories: tuple[str, ...]  # the root's and every local module's it calls, sorted
    files: tuple[str, ...]  # the ``--var-file`` files, then each directory's module files


def _is_entry(value: Any) -> TypeGuard[tuple[tuple[tuple[Question, Any], ...], RootAnalysis, Spent]]:
    """(the disk's answers, the analysis, what it spent), as :meth:`RootCache.__call__` stores them."""
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], tuple)
        and all(isinstance(a, tuple) and len(a) == 2 for a in value[0])
        and isinstance(value[1], RootAnalysis)
        and isinstance(value[2], Spent)
    )


def _reachable(module: Module, load_module: ModuleLoader) -> list[Module]:
    """The module and every local module it calls, directly or not (each once, cycles included)."""
    found: dict[str, Module] = {module.dir: module}
    pending = [module]
    while pending:
        current = pending.pop()
        for call in current.calls:
            target = current.local_call_dir(call)
            if target is None or target in found:
                continue
            callee = load_module(target)
            if callee is None:
                continue
            found[target] = callee
            pending.append(callee)
    return [found[d] for d in sorted(found)]
