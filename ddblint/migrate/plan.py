"""Decide what ``ddblint migrate`` can move out of Terraform, item by item, or why not.

A migration is only safe when ddblint knows every item exactly as Terraform would
write it: the data file becomes the only copy the application keeps, and the
``removed`` blocks take every instance out of state. So an item set is refused,
with the reason, when its size is not fixed, when only part of it was evaluated,
or when any item holds a value only Terraform can know.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ddblint.dynamodb.item_json import validate_item
from ddblint.evaluate.analysis import ItemInstance, ItemSet, key_literal
from ddblint.evaluate.values import Unknown, contains_unknown
from ddblint.span import Span

FLAGGING_RULES = ("DDB001", "DDB002", "DDB003")
"""The rules that say an item set is application data rather than seed data."""

TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
"""DynamoDB's table naming rule; it also keeps the generated file names safe."""

REASONS_SHOWN = 3


class MigrationError(Exception):
    """A usage problem: an address that names no item set, a bad ``--table-name``."""


@dataclass(frozen=True)
class Candidate:
    """An item set chosen for migration and the root module directory it is planned from."""

    item_set: ItemSet
    root_dir: str


@dataclass(frozen=True)
class Refusal:
    """An item set that cannot be migrated, and why, in words a user can act on."""

    address: str
    span: Span
    reason: str


@dataclass(frozen=True)
class SeedTable:
    """The items bound for one table, from one or more item sets, in a stable order."""

    name: str
    partition_key: str
    sort_key: str | None
    items: tuple[dict[str, Any], ...]
    sources: tuple[Candidate, ...]


@dataclass(frozen=True)
class MigrationPlan:
    tables: tuple[SeedTable, ...]
    refusals: tuple[Refusal, ...]

    @property
    def migrated(self) -> tuple[Candidate, ...]:
        return tuple(c for table in self.tables for c in table.sources)


def choose_candidates(
    item_sets: Sequence[tuple[ItemSet, str]], flagged: Iterable[str], addresses: Sequence[str]
) -> list[Candidate]:
    """The item sets named by ``addresses``, or else those the flagging rules reported.

    ``item_sets`` pairs every analysed set with its root module directory;
    ``flagged`` holds the addresses findings of :data:`FLAGGING_RULES` carry.
    """
    wanted = set(addresses) if addresses else set(flagged)
    known = {item_set.address for item_set, _ in item_sets}
    unknown = sorted(set(addresses) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise MigrationError(f"no aws_dynamodb_table_item {unknown[0]!r} in the given paths (item sets: {listed})")
    chosen = [Candidate(item_set, root) for item_set, root in item_sets if item_set.address in wanted]
    return sorted(chosen, key=lambda c: (c.root_dir, c.item_set.address))


def plan_migration(candidates: Sequence[Candidate], table_name: str | None = None) -> MigrationPlan:
    """Check each candidate is fully known, then group the items by table.

    ``table_name`` replaces the table every candidate writes to; it is for names
    only known at apply time (``"${var.env}-users"``), so it may only be given
    when all candidates write into one table.
    """
    if table_name is not None:
        _check_table_override(candidates, table_name)
    refusals: list[Refusal] = []
    accepted: list[tuple[Candidate, str, str, str | None]] = []
    for candidate in candidates:
        item_set = candidate.item_set
        name = table_name or _table_name(item_set)
        partition_key, sort_key = _key_names(item_set)
        problem = _incomplete(item_set) or _target_problem(item_set, name, partition_key)
        if problem is not None or name is None or partition_key is None:
            refusals.append(Refusal(item_set.address, item_set.span, problem or "the target table is not known"))
            continue
        accepted.append((candidate, name, partition_key, sort_key))
    tables, conflicts = _group_by_table(accepted)
    return MigrationPlan(tuple(tables), tuple(refusals + conflicts))


def _check_table_override(candidates: Sequence[Candidate], table_name: str) -> None:
    if not TABLE_NAME.fullmatch(table_name):
        raise MigrationError(f"--table-name {table_name!r} is not a valid DynamoDB table name")
    labels = sorted({c.item_set.table_label for c in candidates})
    if len(labels) > 1:
        raise MigrationError(
            f"--table-name names one table, but the item sets write into {len(labels)}: {', '.join(labels)}; "
            "pick one with --resource"
        )


def _target_problem(item_set: ItemSet, name: str | None, partition_key: str | None) -> str | None:
    """Why the table to seed cannot be named or keyed, or None."""
    if name is None:
        return f"the name of {item_set.table_label} is only known at apply time; pass --table-name"
    if not TABLE_NAME.fullmatch(name):
        return f"{name!r} is not a valid DynamoDB table name"
    if partition_key is None:
        return f"the partition key of {item_set.table_label} is unknown; include its aws_dynamodb_table in the paths"
    return None


def _incomplete(item_set: ItemSet) -> str | None:
    """Why the items are not all known exactly, or None when they are."""
    total = item_set.total
    why = f": {total.unknown}" if total.unknown else ""
    via = f" ({total.via})" if total.via else ""
    if total.exact is None and total.upper is None:
        return f"the number of items has no bound{via}{why}"
    if total.exact is None:
        return f"the number of items is not fixed, up to {total.upper:,}{via}{why}"
    if total.exact == 0:
        return "it writes no items: delete the resource block instead"
    if len(item_set.instances) < total.exact:
        return (
            f"ddblint evaluated {len(item_set.instances):,} of its {total.exact:,} items{via}; "
            "migrate only what is evaluated in full"
        )
    reasons = [r for r in (_instance_problem(i) for i in item_set.instances) if r is not None]
    if not reasons:
        return None
    more = f" (and {len(reasons) - REASONS_SHOWN:,} more)" if len(reasons) > REASONS_SHOWN else ""
    return f"{len(reasons):,} of its items are not known exactly: " + "; ".join(reasons[:REASONS_SHOWN]) + more


def _instance_problem(instance: ItemInstance) -> str | None:
    label = f"item {instance_suffix(instance.key)}".rstrip()
    if instance.nondeterministic:
        return f"{label} uses {', '.join(instance.nondeterministic)}, a new value on every run"
    unknown = contains_unknown(instance.value)
    if isinstance(unknown, Unknown):
        return f"{label}: {unknown.reason}"
    if instance.value is None:
        return f"{label}: {instance.json_error or 'the item is not JSON'}"
    problems = validate_item(instance.value)
    if problems:
        where = f" at {problems[0].path}" if problems[0].path else ""
        return f"{label} is not valid DynamoDB JSON{where}: {problems[0].message}"
    return None


def instance_suffix(key: object) -> str:
    """How Terraform writes an instance key: ``["a"]``, ``[3]``, or nothing for a single instance."""
    if key is None:
        return ""
    return f"[{key_literal(key)}]"


def _table_name(item_set: ItemSet) -> str | None:
    if item_set.table is not None and item_set.table.name is not None:
        return item_set.table.name
    return item_set.table_name_literal


def _key_names(item_set: ItemSet) -> tuple[str | None, str | None]:
    """The table's key attributes: from its declaration, else from the items' own arguments."""
    if item_set.table is not None and item_set.table.hash_key is not None:
        return item_set.table.hash_key, item_set.table.range_key
    first = item_set.instances[0] if item_set.instances else None
    if first is None or not isinstance(first.hash_key, str):
        return None, None
    return first.hash_key, first.range_key if isinstance(first.range_key, str) else None


@dataclass
class _TableDraft:
    partition_key: str
    sort_key: str | None
    items: dict[str, tuple[dict[str, Any], str]]  # primary key -> (item, address that wrote it)
    sources: list[Candidate]


def _group_by_table(
    accepted: Sequence[tuple[Candidate, str, str, str | None]],
) -> tuple[list[SeedTable], list[Refusal]]:
    """One :class:`SeedTable` per name; a set whose keys clash with what is there is refused whole."""
    drafts: dict[str, _TableDraft] = {}
    refusals: list[Refusal] = []
    for candidate, name, partition_key, sort_key in accepted:
        draft = drafts.setdefault(name, _TableDraft(partition_key, sort_key, {}, []))
        problem, items = _keyed_items(candidate.item_set, draft, partition_key, sort_key)
        if problem is not None:
            refusals.append(Refusal(candidate.item_set.address, candidate.item_set.span, problem))
            continue
        draft.items.update(items)
        draft.sources.append(candidate)
    tables = [
        SeedTable(name, d.partition_key, d.sort_key, tuple(item for item, _ in d.items.values()), tuple(d.sources))
        for name, d in sorted(drafts.items())
        if d.sources
    ]
    return tables, refusals


def _keyed_items(
    item_set: ItemSet, draft: _TableDraft, partition_key: str, sort_key: str | None
) -> tuple[str | None, dict[str, tuple[dict[str, Any], str]]]:
    if (partition_key, sort_key) != (draft.partition_key, draft.sort_key):
        return f"its key ({partition_key}, {sort_key}) differs from the table's other items", {}
    items: dict[str, tuple[dict[str, Any], str]] = {}
    for instance in item_set.instances:
        item: dict[str, Any] = instance.value
        label = f"item {instance_suffix(instance.key)}".rstrip()
        missing = [k for k in (partition_key, sort_key) if k is not None and k not in item]
        if missing:
            return f"{label} has no key attribute `{missing[0]}`", {}
        key = json.dumps([item.get(k) for k in (partition_key, sort_key) if k is not None], sort_keys=True)
        earlier = items.get(key) or draft.items.get(key)
        if earlier is not None and earlier[0] != item:
            return f"{label} has the key {key} of a different item from {earlier[1]}", {}
        items[key] = (item, item_set.address)
    return None, items
