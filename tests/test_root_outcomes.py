"""A warm run takes each unchanged root's outcome whole: no parse tree and no analysis is read back.

Each test compares with a run without a cache: an outcome is only a shortcut, and
whatever a root read (module files, directory listings, data files, settings)
changes, the findings must be those of a run that never cached anything.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.cache import store
from ddblint.config.settings import Settings
from tests.conftest import fixture_dirs
from tests.test_cache import ITEMS_FROM_FILE, TABLE, outcome, write_users


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many entries of each namespace the runs read from the cache."""
    counted: Counter[str] = Counter()
    real = store.Cache.load

    def counting(self: store.Cache, namespace: str, key: str) -> Any:
        counted[namespace] += 1
        return real(self, namespace, key)

    monkeypatch.setattr(store.Cache, "load", counting)
    return counted


def cached(directory: Path, **options: Any) -> Settings:
    return Settings(cache=True, cache_dir=str(directory), **options)


def result_of(path: Path, settings: Settings) -> tuple[Any, ...]:
    found = lint([str(path)], settings)
    return (outcome(found), found.modules_parsed, found.item_sets, found.notes, found.files_seen)


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_a_warm_run_reads_outcomes_only_and_finds_what_no_cache_finds(
    fixture: Path, tmp_path: Path, loads: Counter[str]
) -> None:
    expected = result_of(fixture, Settings(cache=False))
    assert result_of(fixture, cached(tmp_path)) == expected
    loads.clear()
    assert result_of(fixture, cached(tmp_path)) == expected
    assert loads["parse"] == loads["roots"] == 0 or loads["findings"] > 0, loads  # only roots that wait for others
    assert loads["outcomes"] >= 1 or not expected[2], loads


def _module_with_callee(root: Path) -> tuple[Path, Path]:
    env, seed = root / "envs" / "prod", root / "modules" / "seed"
    env.mkdir(parents=True)
    seed.mkdir(parents=True)
    (env / "main.tf").write_text('module "seed" {\n  source = "../../modules/seed"\n}\n')
    (seed / "tables.tf").write_text(TABLE)
    (seed / "items.tf").write_text(ITEMS_FROM_FILE)
    write_users(seed, 20)
    return env, seed


CHANGES = {
    "a called module's file": lambda seed: (seed / "tables.tf").write_text(TABLE.replace('"id"', '"uid"')),
    "a file added to a called module": lambda seed: (seed / "more.tf").write_text(
        'resource "aws_dynamodb_table_item" "extra" {\n  count = 30\n  table_name = aws_dynamodb_table.users.name\n'
        '  hash_key = "id"\n  item = jsonencode({ id = { S = "x${count.index}" } })\n}\n'
    ),
    "a file removed from a called module": lambda seed: (seed / "tables.tf").unlink(),
    "a data file a root reads": lambda seed: write_users(seed, 35),
    "a suppression comment": lambda seed: (seed / "items.tf").write_text(
        "# ddblint:ignore-file DDB001 -- seed data, reviewed\n" + ITEMS_FROM_FILE
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_an_outcome_is_not_taken_once_anything_its_root_read_changes(
    change: str, tmp_path: Path, loads: Counter[str]
) -> None:
    env, seed = _module_with_callee(tmp_path / "repo")
    settings = cached(tmp_path / "cache")
    before = result_of(tmp_path / "repo", settings)
    loads.clear()
    assert result_of(tmp_path / "repo", settings) == before
    assert loads["outcomes"] and not loads["parse"], loads
    CHANGES[change](seed)
    after = result_of(tmp_path / "repo", settings)
    assert after == result_of(tmp_path / "repo", Settings(cache=False))
    assert after != before
    loads.clear()
    assert result_of(tmp_path / "repo", settings) == after  # the new outcome is taken
    assert loads["outcomes"] and not loads["parse"], loads


def test_other_settings_take_another_outcome(tmp_path: Path) -> None:
    env, seed = _module_with_callee(tmp_path / "repo")
    repo = tmp_path / "repo"
    strict, loose = cached(tmp_path / "cache"), cached(tmp_path / "cache", rule_options={"DDB001": {"max-items": 100}})
    for settings in (strict, loose, strict, loose):
        no_cache = Settings(cache=False, rule_options=settings.rule_options)
        assert result_of(repo, settings) == result_of(repo, no_cache)
    assert "DDB001" in [f.rule_id for f in lint([str(repo)], strict).findings]
    assert "DDB001" not in [f.rule_id for f in lint([str(repo)], loose).findings]
