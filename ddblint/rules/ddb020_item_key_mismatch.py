"""DDB020 item-key-mismatch: an item or its key arguments disagree with the table's key schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ddblint.evaluate.analysis import ItemInstance, ItemSet, Table, TableLoad
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import argument_line, item_line
from ddblint.rules.item_sets import Observation, judged_instances, observe, summarize
from ddblint.rules.key_schema import NO_ARGUMENT, PopulationKeys, population_keys, unresolved


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


def _population_problems(instance: ItemInstance, keys: PopulationKeys) -> Iterator[tuple[Any, str, str]]:
    """(instance key, group, text) for what ``instance`` says against the rest of its table's population."""
    hash_key = instance.hash_key
    if isinstance(hash_key, str) and keys.hash_key.dissents(hash_key):
        yield instance.key, "hash_key", f'`hash_key = "{hash_key}"` ({keys.hash_key.others(hash_key)})'
    range_key = NO_ARGUMENT if instance.range_key is None else instance.range_key
    if isinstance(range_key, str) and keys.range_key.dissents(range_key):
        given = f'`range_key = "{range_key}"`' if range_key else "no `range_key` argument"
        yield instance.key, "range_key", f"{given} ({keys.range_key.others(range_key)})"
    for name in keys.lacks(instance):
        yield instance.key, f"missing {name}", f"no `{name}` attribute"


def _hit(item_set: ItemSet, observations: list[Observation], subject: str) -> Hit:
    message = f"`{item_set.address}` {subject}: {summarize(item_set, observations, limit=2)}."
    label = item_set.table.address if item_set.table is not None else item_set.table_label
    identity = f"{item_set.address}|{label}|" + ",".join(sorted(o.group for o in observations))
    focus = argument_line(item_set, observations[0].group) or item_line(item_set)
    return Hit(message, item_set.span, item_set.address, (), identity, focus)


@rule("DDB020")
def item_key_mismatch(load: TableLoad, options: NoOptions) -> Iterator[Hit]:
    """Each item against its table's key schema; into a table ddblint cannot resolve, against its population's.

    With no table known, the ``hash_key`` and ``range_key`` arguments that the
    table's items give (from every block, module call and ``for_each``) say what
    its keys are (:mod:`ddblint.rules.key_schema`); unknown arguments say nothing.
    """
    keys = population_keys(load) if any(unresolved(s) for s in load.item_sets) else None
    for item_set in load.item_sets:
        table = item_set.table
        instances = judged_instances(item_set)
        if table is not None and table.hash_key is not None:
            observations = observe(found for instance in instances for found in _problems(instance, table))
            schema = f"hash key `{table.hash_key}`" + (f", range key `{table.range_key}`" if table.range_key else "")
            subject = f"does not match the key schema of `{table.address}` ({schema})"
        elif keys is not None:
            observations = observe(found for instance in instances for found in _population_problems(instance, keys))
            subject = f"disagrees on keys with the items into `{load.table_label}`"
        else:
            continue
        if observations:
            yield _hit(item_set, observations, subject)
