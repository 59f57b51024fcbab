"""Generate one root module whose tables are written by N single-item blocks.

The population of one table is judged as a whole (every block's items together,
as one ``for_each`` would be), so this tree is the case where a step that
compares blocks with each other would show: N copy-pasted roster entries, each
a person with a phone number, a tenth of them with ``ignore_changes`` and a
creation time from ``timestamp()`` (stamped records, DDB011), and a fifth into a
second table named by a variable, whose key schema only the population gives
(every tenth of those writes its key as a number: DDB022), in files of 100
blocks. Its cost must grow linearly with N; ``run.py --table-blocks`` measures it.

The output is a pure function of N: two runs write byte-identical trees.

Usage::

    python tests/benchmarks/one_table.py OUTDIR --blocks N
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BLOCKS_PER_FILE = 100

TABLE = """\
resource "aws_dynamodb_table" "roster" {
  name         = "roster"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def entry(index: int) -> str:
    """One roster entry: its own person and phone number, so every block adds evidence."""
    stamped = index % 10 == 0
    lifecycle = "\n  lifecycle {\n    ignore_changes = [item]\n  }\n" if stamped else ""
    created = "    created_at = { S = timestamp() }\n" if stamped else ""
    external = index % 5 == 1
    table = "var.external_table" if external else "aws_dynamodb_table.roster.name"
    hash_key = '"pk"' if external else "aws_dynamodb_table.roster.hash_key"
    key = f'N = "{index}"' if external and index % 50 == 1 else f'S = "ENGINEER#{index:05d}"'
    return (
        f'resource "aws_dynamodb_table_item" "entry_{index:05d}" {{\n'
        f"  table_name = {table}\n"
        f"  hash_key   = {hash_key}\n"
        "  item = jsonencode({\n"
        f"    pk        = {{ {key} }}\n"
        f'    full_name = {{ S = "Engineer {index:05d}" }}\n'
        f'    phone     = {{ S = "+44 7700 {index:06d}" }}\n'
        f"{created}"
        "  })\n"
        f"{lifecycle}}}\n"
    )


def generate(root: Path, blocks: int) -> dict[str, int]:
    """Write the tree under ``root`` (created; must not exist) and return its counts."""
    root.mkdir(parents=True)
    (root / "table.tf").write_text(TABLE, encoding="utf-8")
    files = 1
    total = 0
    for start in range(0, blocks, BLOCKS_PER_FILE):
        text = "\n".join(entry(i) for i in range(start, min(start + BLOCKS_PER_FILE, blocks)))
        (root / f"roster_{start // BLOCKS_PER_FILE:04d}.tf").write_text(text, encoding="utf-8")
        files += 1
        total += len(text)
    return {"blocks": blocks, "files": files, "total_bytes": total + len(TABLE)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path, help="directory to create (must not exist)")
    parser.add_argument("--blocks", type=int, required=True, help="item blocks writing the one table")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.outdir, args.blocks)
    except FileExistsError as error:
        print(f"one_table: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
