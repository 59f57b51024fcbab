"""A run holds one batch of roots at a time: modules go once the last root reaching them is done.

The evaluate stage parses the modules of a few roots at a time and the check
stage takes each root as it comes (see ddblint.model.batches and
ddblint.evaluate.roots). These tests pin what that must not change (the
findings, whatever the batch size) and what it must do (release every module,
a shared one only after its last root, a root waiting for a table by name
until the end).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ddblint.model.batches as batches
from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.model.loader import ModuleLoader

TABLE = """\
resource "aws_dynamodb_table" "users" {{
  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {{
    name = "pk"
    type = "S"
  }}
}}
"""

ITEMS = """\
resource "aws_dynamodb_table_item" "seed" {{
  count      = {count}
  table_name = {table}
  hash_key   = "pk"
  item       = jsonencode({{ id = {{ S = "user-${{count.index}}" }} }})
}}
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _tree(root: Path) -> Path:
    """Roots a and c call one shared module; b calls nothing; d names a table declared in e by string."""
    shared = 'module "shared" {\n  source = "../shared"\n}\n'
    for name in ("a", "c"):
        _write(root / name / "main.tf", shared + TABLE.format(name=f"{name}-users"))
        _write(root / name / "items.tf", ITEMS.format(count=40, table="aws_dynamodb_table.users.name"))
    _write(
        root / "b" / "main.tf",
        TABLE.format(name="b-users") + ITEMS.format(count=3, table="aws_dynamodb_table.users.name"),
    )
    by_reference = "aws_dynamodb_table.users.name"  # resolved within the root: it need not wait
    _write(root / "shared" / "main.tf", TABLE.format(name="shared-users") + ITEMS.format(count=2, table=by_reference))
    _write(root / "d" / "main.tf", ITEMS.format(count=30, table='"e-users"'))
    _write(root / "e" / "main.tf", TABLE.format(name="e-users"))
    return root


def _released(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    real = ModuleLoader.release

    def release(self: ModuleLoader, directories: list[str]) -> None:
        calls.append([Path(d).name for d in directories])
        real(self, directories)

    monkeypatch.setattr(ModuleLoader, "release", release)
    return calls


def test_findings_do_not_depend_on_how_many_roots_a_batch_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree(tmp_path / "repo")
    whole = lint([str(tree)], Settings(cache=False))
    monkeypatch.setattr(batches, "BATCH_DIRECTORIES", 1)
    one_by_one = lint([str(tree)], Settings(cache=False))
    assert {f.rule_id for f in whole.findings} >= {"DDB001"}
    assert one_by_one == whole


def test_a_shared_module_is_released_with_its_last_root_and_every_module_in_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree(tmp_path / "repo")
    monkeypatch.setattr(batches, "BATCH_DIRECTORIES", 1)
    calls = _released(monkeypatch)
    lint([str(tree)], Settings(cache=False))
    per_root = [names for names in calls if names]
    # Roots in order a, b, c, d: a releases itself only, c releases itself and the shared module.
    assert per_root[0] == ["a"]
    assert ["b"] in per_root
    assert sorted(next(names for names in per_root if "c" in names)) == ["c", "shared"]
    # d waits for the by-name pass (its table is declared in e): released only once every root is done.
    assert not any("d" in names for names in per_root[:3])
    assert any("d" in names for names in per_root)


def test_the_item_sets_are_kept_only_when_asked_for(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "repo")
    assert lint([str(tree)], Settings(cache=False)).analysis is None
    kept = lint([str(tree)], Settings(cache=False), keep_analysis=True)
    assert kept.analysis is not None
    by_root = {Path(s.root_dir).name for s in kept.analysis.item_sets}
    assert by_root == {"a", "b", "c", "d"}
    (waiting,) = [s for s in kept.analysis.item_sets if Path(s.root_dir).name == "d"]
    assert waiting.table is not None and waiting.table.name == "e-users"  # found by name in another root
