"""DDB022 key-type-mismatch: a key attribute's type differs from the table's attribute definition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ddblint.dynamodb.item_json import attribute_type
from ddblint.evaluate.analysis import ItemInstance, ItemSet, Table
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import judged_instances, observe, summarize


def _problems(instance: ItemInstance, table: Table) -> Iterator[tuple[Any, str, str]]:
    """Key attributes whose descriptor is not the type the table declares for them."""
    for name in (table.hash_key, table.range_key):
        declared = table.attribute_types.get(name) if name is not None else None
        if declared is None or name not in instance.value:
            continue
        written = attribute_type(instance.value[name])
        if written is not None and written != declared:
            text = f"`{name}` as `{written}`, declared `{declared}`"
            yield instance.key, f"{name}:{written}", text


@rule("DDB022")
def key_type_mismatch(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Values whose descriptor is malformed are DDB021's; only well-formed mismatches count here."""
    table = item_set.table
    if table is None:
        return
    observations = observe(
        found
        for instance in judged_instances(item_set)
        if isinstance(instance.value, dict)
        for found in _problems(instance, table)
    )
    if not observations:
        return
    message = (
        f"`{item_set.address}` writes keys of `{table.address}` with the wrong type: "
        f"{summarize(item_set, observations)}."
    )
    identity = f"{item_set.address}|{table.address}|" + ",".join(sorted(o.group for o in observations))
    focus = item_line(item_set, observations[0].group.split(":")[0])
    yield Hit(message, item_set.span, item_set.address, (), identity, focus)
