"""Load module directories on demand: the callees outside the given paths load too."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from ddblint.config.settings import Settings
from ddblint.discover.files import Discovery, is_auto_loaded

if TYPE_CHECKING:
    from ddblint.cache.store import Cache
    from ddblint.discover.prefilter import Prefiltered
    from ddblint.model.module import Module
    from ddblint.parse.schedule import FileParser
    from ddblint.progress import Progress


class ModuleLoader:
    """Parses module directories on demand, so callees outside the given paths still load."""

    def __init__(self, discovery: Discovery, settings: Settings, new_parser: Callable[[], FileParser]) -> None:
        self._discovery = discovery
        self._settings = settings
        self._new_parser = new_parser
        self._started_parser: FileParser | None = None
        self._cache: dict[str, Module | None] = {}
        self._files: dict[str, list[str]] = {}  # the files each loaded directory was built from
        self._var_files = [os.path.abspath(v) for v in settings.var_files]

    def load_many(self, directories: list[str]) -> None:
        from ddblint.model.module import build_module

        wanted = {d: self.module_files(d) for d in directories}
        parsed = self._parser.parse([f for files in wanted.values() for f in files] + self._var_files)
        var_files = [parsed[v] for v in self._var_files]
        for directory, files in wanted.items():
            extra = var_files if self.gets_var_files(directory) else []
            self._cache[directory] = build_module(directory, [parsed[f] for f in files], extra)
            self._files[directory] = files

    def module_files(self, directory: str) -> list[str]:
        """The files a module directory is built from: Terraform's auto-loaded ones."""
        files = self._discovery.files_of(directory, self._settings.exclude)
        return [f for f in files if is_auto_loaded(os.path.basename(f))]

    @property
    def _parser(self) -> FileParser:
        """Started on first use: a run with nothing relevant never loads the parser."""
        if self._started_parser is None:
            self._started_parser = self._new_parser()
        return self._started_parser

    def gets_var_files(self, directory: str) -> bool:
        """``--var-file`` values apply to the module directories the user asked for."""
        return directory in self._discovery.requested

    @property
    def var_files(self) -> list[str]:
        return self._var_files

    @property
    def digests(self) -> dict[str, str]:
        return self._parser.digests

    def __call__(self, directory: str) -> Module | None:
        if directory not in self._cache:
            self.load_many([directory])
        return self._cache[directory]

    def close(self) -> None:
        """No more modules will be asked for: stop any parser processes, let go of the modules."""
        if self._started_parser is not None:
            self._started_parser.close()
        self.release(list(self._cache))

    def prepare(self, directories: list[str]) -> None:
        """Parse, in one batch, those of ``directories`` not loaded yet."""
        missing = [d for d in directories if d not in self._cache]
        if missing:
            self.load_many(missing)

    def release(self, directories: list[str]) -> None:
        """Let go of these modules' parse trees; a module asked for again is parsed again."""
        for directory in directories:
            self._cache.pop(directory, None)
            files = self._files.pop(directory, None)
            if files and self._started_parser is not None:
                self._started_parser.forget(files)

    def modules(self, directories: list[str]) -> list[Module]:
        self.load_many([d for d in directories if d not in self._cache])
        return [m for d in directories if (m := self._cache[d]) is not None]


def load(
    discovery: Discovery, prefiltered: Prefiltered, settings: Settings, cache: Cache | None, progress: Progress
) -> ModuleLoader:
    """A loader for the relevant modules and all they call; the evaluate stage parses them a batch of roots at a time.

    Nothing is parsed here: a run holds the parse trees of the roots being evaluated, not the repository's
    (see :mod:`ddblint.model.batches`).
    """

    def new_parser() -> FileParser:
        from ddblint.parse.schedule import FileParser

        return FileParser(settings, cache, progress, prefiltered.contents)

    return ModuleLoader(discovery, settings, new_parser)
