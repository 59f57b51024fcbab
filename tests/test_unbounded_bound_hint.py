"""DDB003 points at the declaration that would bound it, and taking that advice silences it."""

from __future__ import annotations

from pathlib import Path

from ddblint.api import lint
from ddblint.config.settings import Settings

TABLE = """
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""

ITEMS = """
resource "aws_dynamodb_table_item" "seed" {
  for_each   = toset(%s)
  table_name = aws_dynamodb_table.t.name
  hash_key   = "pk"
  item       = jsonencode({ pk = { S = each.key } })
}
"""


def _messages(tmp_path: Path, source: str) -> list[str]:
    (tmp_path / "main.tf").write_text(TABLE + source)
    return [f.message for f in lint([str(tmp_path)], Settings(cache=False)).findings if f.rule_id == "DDB003"]


def test_a_count_from_a_variable_without_a_value_says_a_validation_would_bound_it(tmp_path: Path) -> None:
    source = 'variable "envs" {\n  type = list(string)\n}\n' + ITEMS % "var.envs"
    (message,) = _messages(tmp_path, source)
    assert message.endswith("var.envs has no default and no value in tfvars; a `validation` on it would bound it.")


def test_the_validation_it_suggests_makes_the_set_bounded(tmp_path: Path) -> None:
    source = (
        'variable "envs" {\n  type = list(string)\n  validation {\n'
        '    condition     = length(var.envs) <= 3\n    error_message = "At most three."\n  }\n}\n'
    ) + ITEMS % "var.envs"
    assert _messages(tmp_path, source) == []


def test_a_count_from_a_data_source_suggests_no_validation(tmp_path: Path) -> None:
    source = 'data "aws_s3_objects" "o" {\n  bucket = "b"\n}\n' + ITEMS % "data.aws_s3_objects.o.keys"
    (message,) = _messages(tmp_path, source)
    assert "validation" not in message
