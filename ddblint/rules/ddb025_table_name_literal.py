"""DDB025 table-name-literal: ``table_name`` spelled out while the table resource is right there."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import argument_line
from ddblint.rules.item_sets import table_in_same_module


@rule("DDB025")
def table_name_literal(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Only literals that name a table of the same module: elsewhere no reference can be written."""
    literal = item_set.table_name_literal
    table = table_in_same_module(item_set) if literal is not None else None
    if table is None:
        return
    message = f'`{item_set.address}` has `table_name = "{literal}"` while `{table}` is declared in the same module.'
    identity = f"{item_set.address}|{literal}"
    yield Hit(message, item_set.span, item_set.address, (), identity, argument_line(item_set, "table_name"))
