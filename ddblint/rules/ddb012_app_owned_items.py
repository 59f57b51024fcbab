"""DDB012 app-owned-items: an item set whose content Terraform is told to ignore."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet, TableLoad
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import lifecycle_line
from ddblint.rules.item_sets import ignores_item, size_of, total_of


@rule("DDB012")
def app_owned_items(load: TableLoad, options: NoOptions) -> Iterator[Hit]:
    """One seed item with ``ignore_changes`` is the seed-once pattern; a set of them is app data.

    A block is judged with all its copies in the table's population: a module
    called three times by copy-paste writes a set of three, as ``for_each`` would.
    Separate blocks (a config item and a counter) stay separate seeds.
    """
    blocks: dict[tuple[str, int, int], list[ItemSet]] = {}
    for item_set in load.item_sets:
        if ignores_item(item_set):
            blocks.setdefault(item_set.block_place, []).append(item_set)
    for copies in blocks.values():
        largest = total_of(copies)
        if largest is not None and largest <= 1:
            continue
        first = copies[0]
        via = (
            f" ({len(copies)} module calls)"
            if len(copies) > 1
            else (f" ({first.total.via})" if first.total.via else "")
        )
        setting = "ignore_changes = all" if "all" in first.ignore_changes else "ignore_changes = [item]"
        message = f"`{first.address}` writes {size_of(copies)}{via} with `{setting}`."
        ignored = "all" if "all" in first.ignore_changes else "item"
        for item_set in copies:
            identity = f"{item_set.address}|{ignored}"
            focus = lifecycle_line(item_set)
            yield Hit(message, item_set.span, item_set.address, item_set.total.data_files, identity, focus)
