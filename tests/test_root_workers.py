"""Roots evaluated and checked in worker processes give the findings one process gives, whatever happens to them.

The tree has more roots than the workers' threshold, and each kind of root the
run's own process must still handle: one whose table another root declares
(found by name), one that reads a secret, one with a suppression comment, and
copies of one shared module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ddblint import workers
from ddblint.api import lint
from ddblint.config.settings import Settings
from tests.test_cache import cached, outcome

ROOTS = workers.MIN_ROOTS + 4

TABLE = """resource "aws_dynamodb_table" "t" {
  name     = "t-%(n)s"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""
ITEMS = """resource "aws_dynamodb_table_item" "rows" {
  count      = %(count)s
  table_name = aws_dynamodb_table.t.name
  hash_key   = "id"
  item = jsonencode({
    id       = { S = "row-${count.index}" }
    password = { S = replace("Wrk3rSecretQQ%(n)s", "Q", "W") }
  })
}
"""
BY_NAME = """resource "aws_dynamodb_table_item" "named" {
  count      = 15
  table_name = "t-00"
  hash_key   = "id"
  item       = jsonencode({ id = { S = "named-${count.index}" } })
}
"""
SHARED_CALL = 'module "seed" {\n  source = "../modules/seed"\n}\n'
SHARED = """resource "aws_dynamodb_table_item" "seed" {
  count      = 12
  table_name = "elsewhere"
  hash_key   = "id"
  item       = jsonencode({ id = { S = "s${count.index}" } })
}
"""


def tree(root: Path) -> Path:
    (root / "modules" / "seed").mkdir(parents=True)
    (root / "modules" / "seed" / "main.tf").write_text(SHARED)
    for n in range(ROOTS):
        env = root / f"env{n:02d}"
        env.mkdir()
        text = TABLE % {"n": f"{n:02d}"} + ITEMS % {"n": n, "count": 5 + 3 * n}
        if n == 3:
            text = "# ddblint:ignore-file DDB001 -- reviewed seed rows\n" + text
        if n == 5:
            text += BY_NAME
        if n % 4 == 1:
            text += SHARED_CALL
        (env / "main.tf").write_text(text)
    return root


# The roots that need no other root: those with an item set whose table is named by a string do.
ALONE = [n for n in range(ROOTS) if n % 4 != 1 and n != 5]


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The roots whose outcome the run took from a worker."""
    found: list[int] = []
    real = workers.RootWorkers.outcome

    def counting(self: workers.RootWorkers, index: int) -> Any:
        outcome = real(self, index)
        if outcome is not None:
            found.append(index)
        return outcome

    monkeypatch.setattr(workers.RootWorkers, "outcome", counting)
    return found


def test_roots_evaluated_in_workers_find_what_one_process_finds(tmp_path: Path, taken: list[int]) -> None:
    repo = str(tree(tmp_path / "repo"))
    alone = lint([repo], Settings(cache=False, jobs=1))
    assert not taken
    assert {"DDB001", "DDB024"} <= {f.rule_id for f in alone.findings}
    assert any(f.suppressed for f in alone.findings)
    expected = outcome(alone), alone.modules_parsed, alone.item_sets, alone.notes
    for settings in (Settings(cache=False, jobs=2), cached(tmp_path / "cache", jobs=2)):
        taken.clear()
        found = lint([repo], settings)
        assert (outcome(found), found.modules_parsed, found.item_sets, found.notes) == expected
        assert sorted(taken) == ALONE  # the others' tables are declared in other roots
        assert "Wrk3rSecretQQ" not in found.redact('password = { S = replace("Wrk3rSecretQQ1", "Q", "W") }')
    taken.clear()
    warm = lint([repo], cached(tmp_path / "cache", jobs=2))
    assert outcome(warm) == expected[0] and not taken  # warm: every outcome from the cache


def test_a_worker_that_dies_leaves_its_roots_to_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = str(tree(tmp_path / "repo"))
    expected = outcome(lint([repo], Settings(cache=False, jobs=1)))

    def dying(indexes: list[int]) -> workers.Handed:
        os._exit(3)

    monkeypatch.setattr(workers, "_outcomes_of", dying)
    assert outcome(lint([repo], Settings(cache=False, jobs=2))) == expected


def test_a_few_roots_stay_in_the_run_s_process(tmp_path: Path, taken: list[int]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for n in range(workers.MIN_ROOTS - 1):
        (repo / f"env{n}").mkdir()
        (repo / f"env{n}" / "main.tf").write_text(TABLE % {"n": n} + ITEMS % {"n": n, "count": 20})
    assert lint([str(repo)], Settings(cache=False, jobs=2)).findings
    assert not taken


def test_a_root_seen_first_stores_its_outcome_and_its_parse_results_once_it_changes(tmp_path: Path) -> None:
    """Encoding parse results cost a cold run a tenth of its time; only a root that changed needs them."""
    from ddblint.cache.store import Cache
    from ddblint.parse.schedule import content_key
    from tests.cache_entries import stored

    repo = tree(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    main = repo / "env00" / "main.tf"

    def parse_entry_of_main() -> bool:
        key = content_key(Cache(str(cache_dir)), str(main), main.read_bytes())
        return key in stored(cache_dir, "parse")

    lint([str(repo)], cached(cache_dir, jobs=2))
    assert stored(cache_dir, "outcomes") and not parse_entry_of_main()
    main.write_text(main.read_text().replace("count      = 5", "count      = 40"))
    changed = lint([str(repo)], cached(cache_dir, jobs=2))
    assert outcome(changed) == outcome(lint([str(repo)], Settings(cache=False, jobs=1)))
    assert parse_entry_of_main()
