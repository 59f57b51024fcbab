"""DDB001 too-many-items: a table receives more items from Terraform than seed data needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ddblint.evaluate.analysis import ItemSet, TableLoad
from ddblint.rules import Hit, rule
from ddblint.rules.focus import counting_line

MAX_SETS_SHOWN = 3  # the largest contributors; a table written by 10,000 blocks names three, counts the rest


@dataclass(frozen=True)
class TooManyItemsOptions:
    max_items: int  # the default is the catalog's


def _describe(item_set: ItemSet, amount: int) -> str:
    total = item_set.total
    bound = "" if total.exact is not None else "up to "
    via = f" ({total.via})" if total.via else ""
    return f"`{item_set.address}` {bound}{amount:,}{via}"


@rule("DDB001")
def too_many_items(load: TableLoad, options: TooManyItemsOptions) -> Iterator[Hit]:
    """Counts every item written into one table, after count, for_each and module fan-out."""
    limit = options.max_items
    counted = [(s, s.total.largest) for s in load.item_sets if s.total.largest is not None]
    total = sum(amount for _, amount in counted if amount is not None)
    if total <= limit:
        return
    biggest, _ = max(counted, key=lambda pair: pair[1] or 0)
    exact = all(s.total.exact is not None for s, _ in counted)
    amount = f"{total:,} items" if exact else f"up to {total:,} items"
    if len(counted) == 1:
        total_count = biggest.total
        via = f" ({total_count.via})" if total_count.via else ""
        subject = f"`{biggest.address}` writes {amount} into `{load.table_label}`{via}"
    else:
        largest = sorted(counted, key=lambda p: -(p[1] or 0))
        parts = ", ".join(_describe(s, n or 0) for s, n in largest[:MAX_SETS_SHOWN])
        if len(largest) > MAX_SETS_SHOWN:
            parts += f" and {len(largest) - MAX_SETS_SHOWN:,} more"
        subject = f"{len(counted)} item resources write {amount} into `{load.table_label}`: {parts}"
    message = f"{subject}, more than max-items ({limit})."
    evidence = tuple(dict.fromkeys(f for s, _ in counted for f in s.total.data_files))
    identity = f"{load.table_label}|{total}|" + ",".join(sorted(s.address for s, _ in counted))
    yield Hit(message, biggest.span, biggest.address, evidence, identity, counting_line(biggest))
