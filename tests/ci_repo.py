"""Small git repositories for the report tests, with Terraform the tests control.

The reports name files relative to the repository root, so their tests need a
real repository around the code, and content whose findings do not change as
rules are added: a module that writes twelve items into a table (DDB001 only)
and a file that cannot be parsed (DDB000).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TWELVE_ITEMS = """\
resource "aws_dynamodb_table" "slots" {
  name         = "slots"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_item" "slots" {
  count      = 12
  table_name = aws_dynamodb_table.slots.name
  hash_key   = aws_dynamodb_table.slots.hash_key
  item       = jsonencode({ pk = { S = "slot-${count.index}" } })
}
"""

UNCLOSED_BLOCK = 'resource "aws_dynamodb_table_item" "broken" {\n  table_name = "x"\n'


def git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def write_module(directory: Path, *, broken: bool = False) -> Path:
    """``main.tf`` with the twelve items (and ``broken.tf`` if asked); returns ``main.tf``."""
    directory.mkdir(parents=True, exist_ok=True)
    main_tf = directory / "main.tf"
    main_tf.write_text(TWELVE_ITEMS, encoding="utf-8")
    if broken:
        (directory / "broken.tf").write_text(UNCLOSED_BLOCK, encoding="utf-8")
    return main_tf


def copy_fixture(source: Path, repo: Path, under: str) -> Path:
    target = repo / under / source.name
    shutil.copytree(source, target)
    return target
