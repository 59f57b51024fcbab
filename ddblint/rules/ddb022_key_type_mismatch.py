"""DDB022 key-type-mismatch: a key attribute's type differs from the table's attribute definition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ddblint.dynamodb.item_json import attribute_type
from ddblint.evaluate.analysis import ItemInstance, Table, TableLoad
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import judged_instances, observe, summarize
from ddblint.rules.key_schema import PopulationKeys, population_keys, unresolved


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


def _population_problems(instance: ItemInstance, keys: PopulationKeys) -> Iterator[tuple[Any, str, str]]:
    """Key attributes written with a type the rest of the table's population does not write."""
    for name in keys.expected(instance):
        vote = keys.types.get(name) if name is not None else None
        written = attribute_type(instance.value.get(name)) if vote is not None else None
        if vote is not None and written is not None and vote.dissents(written):
            yield instance.key, f"{name}:{written}", f"`{name}` as `{written}` ({vote.others(written)})"


@rule("DDB022")
def key_type_mismatch(load: TableLoad, options: NoOptions) -> Iterator[Hit]:
    """Key types against the table's attribute definitions, or against each other when the table is not known.

    Values whose descriptor is malformed are DDB021's; only well-formed mismatches
    count here. One key attribute has one type in a table, so key types that
    differ between blocks, module calls or instances of one ``for_each`` are
    reported even when the table is declared where ddblint cannot see it.
    """
    keys = population_keys(load) if any(unresolved(s) for s in load.item_sets) else None
    for item_set in load.item_sets:
        table = item_set.table
        items = [i for i in judged_instances(item_set) if isinstance(i.value, dict)]
        if table is not None and not unresolved(item_set):
            observations = observe(found for instance in items for found in _problems(instance, table))
            label, how = table.address, "with the wrong type"
        elif keys is not None:
            observations = observe(found for instance in items for found in _population_problems(instance, keys))
            label, how = load.table_label, "with types its other items do not share"
        else:
            continue
        if not observations:
            continue
        message = f"`{item_set.address}` writes keys of `{label}` {how}: {summarize(item_set, observations)}."
        identity = f"{item_set.address}|{label}|" + ",".join(sorted(o.group for o in observations))
        focus = item_line(item_set, observations[0].group.split(":")[0])
        yield Hit(message, item_set.span, item_set.address, (), identity, focus)
