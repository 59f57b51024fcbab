"""DDB020 item-key-mismatch: an item or its key arguments disagree with the table's key schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ddblint.evaluate.analysis import ItemInstance, ItemSet, Table
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import argument_line, item_line
from ddblint.rules.item_sets import judged_instances, observe, summarize


def _argument_problems(argument: str, given: Any, expected: str | None) -> Iterator[str]:
    """``hash_key``/``range_key`` as evaluated against the table's key name; unknowns pass."""
    if expected is None:
        return
    if given is None:
        yield f"no `{argument}` argument"
    elif isinstance(given, str) and given != expected:
        yield f'`{argument} = "{given}"`'


def _problems(instance: ItemInstance, table: Table) -> Iterator[tuple[Any, str, str]]:
    """(instance key, group, text) for every disagreement in one instance."""
    for argument, given, expected in (
        ("hash_key", instance.hash_key, table.hash_key),
        ("range_key", instance.range_key, table.range_key),
    ):
        for text in _argument_problems(argument, given, expected):
            yield instance.key, argument, text
    if not isinstance(instance.value, dict):
        return
    for name in (table.hash_key, table.range_key):
        if name is not None and name not in instance.value:
            yield instance.key, f"missing {name}", f"no `{name}` attribute"


@rule("DDB020")
def item_key_mismatch(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Without a resolved table with a known hash key there is nothing to compare: no finding."""
    table = item_set.table
    if table is None or table.hash_key is None:
        return
    observations = observe(found for instance in judged_instances(item_set) for found in _problems(instance, table))
    if not observations:
        return
    schema = f"hash key `{table.hash_key}`" + (f", range key `{table.range_key}`" if table.range_key else "")
    message = (
        f"`{item_set.address}` does not match the key schema of `{table.address}` ({schema}): "
        f"{summarize(item_set, observations, limit=2)}."
    )
    identity = f"{item_set.address}|{table.address}|" + ",".join(sorted(o.group for o in observations))
    first = observations[0].group
    focus = argument_line(item_set, first) or item_line(item_set)
    yield Hit(message, item_set.span, item_set.address, (), identity, focus)
