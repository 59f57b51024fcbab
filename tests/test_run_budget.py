"""Budgets are per run: many roots, each under the evaluation budget alone, cannot add up to a hang.

Every root draws on one budget of characters built and evaluation steps; once
it is spent, what is left to evaluate is unknown and the roots it hides say so
with a DDB000, never silently. Which root runs out depends only on the tree:
not on ``--jobs`` and not on what the cache holds.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.evaluate.budget import CHARACTER_BUDGET
from tests.test_cache import cached, outcome
from tests.test_hostile import TABLE

ROOTS = 12
BIG = 4_000_000  # characters: each root builds it about three times (file(), jsonencode, the item)


def many_roots_each_reading_a_large_file(tmp_path: Path) -> Path:
    tmp_path.mkdir()
    (tmp_path / "big.txt").write_text("y" * BIG)
    for n in range(ROOTS):
        root = tmp_path / f"root{n:02d}"
        root.mkdir()
        (root / "main.tf").write_text(
            TABLE + 'resource "aws_dynamodb_table_item" "copy" {\n  table_name = aws_dynamodb_table.t.name\n'
            '  hash_key   = "id"\n  item       = jsonencode({ id = { S = file("../big.txt") } })\n}\n'
        )
    return tmp_path


def by_root(findings: list[tuple[str, ...]], tree: Path) -> dict[str, set[str]]:
    roots: dict[str, set[str]] = {}
    for finding in findings:
        rule, path = finding[0], finding[1]
        root = os.path.relpath(path, tree).split(os.sep)[0]
        roots.setdefault(root, set()).add(rule)
    return roots


def test_many_roots_each_reading_large_files_together_over_the_runs_budget(tmp_path: Path) -> None:
    tree = many_roots_each_reading_a_large_file(tmp_path / "tree")
    assert ROOTS * 3 * BIG > CHARACTER_BUDGET > 3 * BIG  # each root fits alone; together they do not
    started = time.process_time()
    result = lint([str(tree)], Settings(cache=False, jobs=1))
    assert time.process_time() - started < 30
    assert not result.internal_errors
    rules = by_root([(f.rule_id, f.span.path) for f in result.findings], tree)
    assert sorted(rules) == [f"root{n:02d}" for n in range(ROOTS)]  # no root is silent
    judged = [root for root, found in sorted(rules.items()) if "DDB023" in found]
    cut = [root for root, found in sorted(rules.items()) if "DDB000" in found]
    assert judged and cut and judged + cut == sorted(rules)  # the first roots are judged, the rest cut short
    cut_short = re.compile(
        r"[0-9,]+ expressions? (was|were) too costly to evaluate in this root module \(past the run's "
        r"evaluation budget, or over 2,000,000 steps alone\), so left unknown and not checked"
    )
    assert all(cut_short.fullmatch(f.message) for f in result.findings if f.rule_id == "DDB000")


def test_where_the_runs_budget_runs_out_depends_on_neither_jobs_nor_the_cache(tmp_path: Path) -> None:
    tree = str(many_roots_each_reading_a_large_file(tmp_path / "tree"))
    uncached = outcome(lint([tree], Settings(cache=False, jobs=1)))
    assert any(f[0] == "DDB000" for f in uncached)
    assert outcome(lint([tree], Settings(cache=False, jobs=2))) == uncached
    assert outcome(lint([tree], cached(tmp_path, jobs=2))) == uncached  # cold
    assert outcome(lint([tree], cached(tmp_path, jobs=1))) == uncached  # warm
    (tmp_path / "tree" / "root00" / "main.tf").write_text(TABLE)  # the first root now spends nothing
    after_edit = outcome(lint([tree], Settings(cache=False, jobs=1)))
    assert outcome(lint([tree], cached(tmp_path, jobs=1))) == after_edit  # warm but for one root


def test_many_roots_each_taking_many_steps_together_over_the_runs_step_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps of the expression walk are the run's too: each root takes 30,000, the run may take 100,000."""
    from ddblint.evaluate import budget

    monkeypatch.setattr(budget, "RUN_STEP_BUDGET", 100_000)
    for n in range(6):
        root = tmp_path / f"root{n}"
        root.mkdir()
        (root / "main.tf").write_text(
            TABLE + "locals {\n  n = length([for i in range(10000) : i + 1])\n}\n"
            'resource "aws_dynamodb_table_item" "many" {\n  count      = local.n > 0 ? 20 : 0\n'
            '  table_name = aws_dynamodb_table.t.name\n  hash_key   = "id"\n'
            '  item       = jsonencode({ id = { S = "x${count.index}" } })\n}\n'
        )
    rules = by_root([(f.rule_id, f.span.path) for f in lint([str(tmp_path)], Settings(cache=False)).findings], tmp_path)
    assert sorted(rules) == [f"root{n}" for n in range(6)]
    assert [sorted(found) for _, found in sorted(rules.items())][:3] == [["DDB001"]] * 3
    assert ["DDB000", "DDB003"] in [sorted(found) for found in rules.values()]  # past the budget: no bound, and said
