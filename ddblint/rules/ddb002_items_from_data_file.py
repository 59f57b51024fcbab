"""DDB002 items-from-data-file: an item set driven by the contents of a data file."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import counting_line


@rule("DDB002")
def items_from_data_file(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """A file of records is a data set whatever its size today: it grows, and the app owns it."""
    total = item_set.total
    if not total.data_files:
        return
    files = ", ".join(total.data_files)
    if total.largest is None:
        size = "its items"
    else:  # an empty fileset() today: nothing to count yet, but whatever lands there becomes items
        size = f"{total.largest:,} items" if total.largest else "its items (none today)"
    message = f"`{item_set.address}` takes {size} from {files} ({total.via})."
    identity = f"{item_set.address}|{files}"
    yield Hit(message, item_set.span, item_set.address, total.data_files, identity, counting_line(item_set))
