"""DDB003 unbounded-items: the number of items depends on values unknown until plan or apply."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import counting_line


@rule("DDB003")
def unbounded_items(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Only values Terraform alone can know count; what ddblint cannot evaluate is not a finding."""
    total = item_set.total
    if total.bounded or not total.external:
        return
    message = f"`{item_set.address}` has no bound on its item count ({total.via}): {total.unknown}."
    identity = f"{item_set.address}|{total.via}"
    yield Hit(message, item_set.span, item_set.address, (), identity, counting_line(item_set))
