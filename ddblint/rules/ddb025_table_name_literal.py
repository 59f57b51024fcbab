"""DDB025 table-name-literal: ``table_name`` spelled out while the table resource is right there."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from ddblint.model import ItemSet
from ddblint.rules import Hit, rule


def _table_in_same_module(item_set: ItemSet) -> str | None:
    """``aws_dynamodb_table.x`` when the item's table is declared in the item's own module instance."""
    table = item_set.table
    if table is None or os.path.dirname(table.span.path) != os.path.dirname(item_set.resource.path):
        return None
    prefix = f"{item_set.module_address}." if item_set.module_address else ""
    if not table.address.startswith(prefix):
        return None
    local = table.address[len(prefix) :]
    return local if local.count(".") == 1 else None


@rule("DDB025")
def table_name_literal(item_set: ItemSet, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Only literals that name a table of the same module: elsewhere no reference can be written."""
    literal = item_set.table_name_literal
    table = _table_in_same_module(item_set) if literal is not None else None
    if table is None:
        return
    message = (
        f'`{item_set.address}` names its table with the literal `table_name = "{literal}"` while `{table}` '
        "is declared in the same module: Terraform sees no dependency, so a first apply may write the item "
        "before the table exists, and a renamed table leaves the item pointing at the old name. "
        f"Write `table_name = {table}.name`."
    )
    yield Hit(message, item_set.span, item_set.address, (), f"{item_set.address}|{literal}")
