"""Every fixture finds the same with and without the cache, cold or warm, in one process or in workers.

Speed-ups (parser workers, the parse and analysis caches) must never change
what a run reports; the generated monorepo gets the same comparison in
tests/test_scale.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from tests.conftest import fixture_dirs
from tests.test_cache import cached, outcome


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_a_fixture_finds_the_same_whatever_the_cache_and_workers(fixture: Path, tmp_path: Path) -> None:
    target = [str(fixture)]
    uncached = outcome(lint(target, Settings(cache=False, jobs=1)))
    assert outcome(lint(target, Settings(cache=False, jobs=2))) == uncached
    assert outcome(lint(target, cached(tmp_path, jobs=2))) == uncached  # cold
    assert outcome(lint(target, cached(tmp_path, jobs=1))) == uncached  # warm
