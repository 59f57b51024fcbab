"""The key schema the items written into one table agree on, when the table itself is not known.

DDB020 and DDB022 compare items with their table's key schema. When the table is
not resolved (its name comes from a variable, it is declared in another module or
root), the items still have to agree with each other: a table has one hash key,
at most one range key, and one type per key attribute. The ``hash_key`` and
``range_key`` arguments and the key types every instance of the table's
population writes (from every block, module call and ``for_each``) are counted
once; what most of them say is the schema, and an item that says otherwise is
wrong whichever block it is written in. When they split evenly, every side is
reported, since at least one of them fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ddblint.dynamodb.item_json import attribute_type
from ddblint.evaluate.analysis import ItemInstance, ItemSet, TableLoad
from ddblint.rules.item_sets import judged_instances

NO_ARGUMENT = ""  # a range_key argument left out: a side of the vote like any name


def unresolved(item_set: ItemSet) -> bool:
    """The set's table, or its hash key, is not known: only the population can say what its keys are."""
    return item_set.table is None or item_set.table.hash_key is None


@dataclass(frozen=True)
class Vote:
    """How many instances give each answer to one question (the hash key's name, ``pk``'s type)."""

    counts: Counter[str]

    @property
    def agreed(self) -> str | None:
        """The answer most instances give, when one answer leads; None on a tie or with no answer."""
        ranked = self.counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def dissents(self, answer: str) -> bool:
        """``answer`` is not the one the rest agree on (every answer dissents on a tie)."""
        return len(self.counts) > 1 and answer != self.agreed

    def others(self, answer: str) -> str:
        """``7 other items: `pk```: what the instances not giving ``answer`` say, the commonest first."""
        rest = [(a, n) for a, n in self.counts.most_common() if a != answer]
        shown = ", ".join(f"`{a}`" if a != NO_ARGUMENT else "no argument" for a, _ in rest[:2])
        total = sum(n for _, n in rest)
        return f"{total:,} other item{'s' if total != 1 else ''}: {shown}"


@dataclass(frozen=True)
class PopulationKeys:
    """The key arguments and key types of the unresolved part of one table's population."""

    hash_key: Vote
    range_key: Vote
    types: dict[str, Vote]  # key attribute name -> the descriptors written for it
    carried: Counter[str]  # key attribute name -> the instances whose item holds it

    def lacks(self, instance: ItemInstance) -> Iterator[str]:
        """The key attributes ``instance`` must carry and does not, while another item does.

        An item alone, or one whose every sibling also lacks the key, is not judged:
        then ddblint has only the item's own say, and the table may prove it right.
        """
        if not isinstance(instance.value, dict):
            return
        for name in self.expected(instance):
            if name is not None and name not in instance.value and self.carried[name] > 0:
                yield name

    def expected(self, instance: ItemInstance) -> tuple[str | None, str | None]:
        """The hash and range key names ``instance`` must carry: the agreed ones, else its own arguments."""
        own = (_argument(instance.hash_key), _argument(instance.range_key, absent=NO_ARGUMENT))
        agreed = (self.hash_key.agreed, self.range_key.agreed)
        names = tuple(a if a is not None else o for a, o in zip(agreed, own, strict=True))
        return names[0] or None, names[1] or None


def _argument(value: Any, absent: str | None = None) -> str | None:
    """A key argument as a vote: its name, ``absent`` when not written, None when unknown."""
    if value is None:
        return absent
    return value if isinstance(value, str) else None


def _unresolved_instances(load: TableLoad) -> Iterator[ItemInstance]:
    for item_set in load.item_sets:
        if unresolved(item_set):
            yield from judged_instances(item_set)


def population_keys(load: TableLoad) -> PopulationKeys:
    """Count, in two linear passes, what the unresolved sets of ``load`` write for the table's keys."""
    hash_votes: Counter[str] = Counter()
    range_votes: Counter[str] = Counter()
    for instance in _unresolved_instances(load):
        if (name := _argument(instance.hash_key)) is not None:
            hash_votes[name] += 1
        if (name := _argument(instance.range_key, absent=NO_ARGUMENT)) is not None:
            range_votes[name] += 1
    keys = PopulationKeys(Vote(hash_votes), Vote(range_votes), {}, Counter())
    for instance in _unresolved_instances(load):
        if not isinstance(instance.value, dict):
            continue
        for name in keys.expected(instance):
            if name is None or name not in instance.value:
                continue
            keys.carried[name] += 1
            if (written := attribute_type(instance.value[name])) is not None:
                keys.types.setdefault(name, Vote(Counter())).counts[written] += 1
    return keys
