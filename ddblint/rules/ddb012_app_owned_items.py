"""DDB012 app-owned-items: an item set whose content Terraform is told to ignore."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.item_sets import ignores_item


@rule("DDB012")
def app_owned_items(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """One seed item with ``ignore_changes`` is the seed-once pattern; a set of them is app data."""
    if not ignores_item(item_set) or not item_set.is_set:
        return
    total = item_set.total
    if total.exact is not None:
        size = f"{total.exact:,} items"
    elif total.upper is not None:
        size = f"up to {total.upper:,} items"
    else:
        size = "an unbounded number of items"
    via = f" ({total.via})" if total.via else ""
    ignored = "all" if "all" in item_set.ignore_changes else "item"
    setting = "ignore_changes = all" if ignored == "all" else "ignore_changes = [item]"
    message = f"`{item_set.address}` writes {size}{via} with `{setting}`."
    yield Hit(message, item_set.span, item_set.address, total.data_files, f"{item_set.address}|{ignored}")
