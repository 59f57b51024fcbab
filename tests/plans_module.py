"""A small Terraform module whose DDB001 finding the suppression, config and baseline tests hide."""

from __future__ import annotations

from pathlib import Path

TABLE = """
resource "aws_dynamodb_table" "{table}" {{
  name         = "{table}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {{
    name = "pk"
    type = "S"
  }}
}}
"""


def plans_tf(count: int = 40, above: str = "", name: str = "plans", table: str = "plans") -> str:
    """An item set of ``count`` items into its own table (DDB001 fires above 10); ``above`` goes above it."""
    lines = [
        "locals {",
        f'  {name} = {{ for i in range({count}) : "plan-${{i}}" => {{ tier = i }} }}',
        "}",
        "",
        *([above] if above else []),
        f'resource "aws_dynamodb_table_item" "{name}" {{',
        f"  for_each   = local.{name}",
        f"  table_name = aws_dynamodb_table.{table}.name",
        f"  hash_key   = aws_dynamodb_table.{table}.hash_key",
        "  item       = jsonencode({ pk = { S = each.key }, tier = { N = tostring(each.value.tier) } })",
        "}",
    ]
    return "\n".join(lines) + "\n" + TABLE.format(table=table)


def resource_line(text: str, name: str = "plans") -> int:
    """The 1-based line of the item resource's first line."""
    marker = f'resource "aws_dynamodb_table_item" "{name}"'
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(marker))


def write_module(directory: Path, text: str, name: str = "main.tf") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
