"""Shared test helpers: the fixture tree and a lint call that returns relative findings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.result import Result

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs with the cache on write to a directory of this session, never the developer's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


REAL_WORLD = FIXTURES / "real_world"


def current_umask() -> int:
    """The process's umask, read without changing it for longer than the call."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def fixture_dirs() -> list[Path]:
    """Every scenario directory; ``real_world`` holds one scenario per subdirectory."""
    top = [p for p in FIXTURES.iterdir() if p.is_dir() and p != REAL_WORLD]
    return sorted(top + real_world_dirs())


def real_world_dirs() -> list[Path]:
    """The scenarios modelled on public repository layouts."""
    return sorted(p for p in REAL_WORLD.iterdir() if p.is_dir()) if REAL_WORLD.is_dir() else []


def relative_findings(result: Result, root: Path) -> set[tuple[str, int, str]]:
    return {
        (Path(os.path.relpath(f.span.path, root)).as_posix(), f.span.line, f.rule_id)
        for f in result.findings
        if not f.suppressed
    }


@pytest.fixture
def lint_dir():
    def run(path: Path, **settings: object) -> Result:
        return lint([str(path)], Settings(cache=False, **settings))  # type: ignore[arg-type]

    return run
