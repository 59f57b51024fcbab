"""Questions the content rules ask of an item set, answered once.

Content rules report once per item set, but a problem may sit in a few of its
items only; the message then names one of them (``each.key = "user-7"``) and
how many share the problem, so the user can find it without a plan. Rules
also share what the set's ``lifecycle`` says about who owns the item content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ddblint.evaluate.analysis import ItemInstance, ItemSet, key_literal
from ddblint.evaluate.secrets import IN_SOURCE  # a problem written in the resource's code: in every item


def decoded(item_set: ItemSet) -> list[ItemInstance]:
    """The instances whose item is a known JSON object: what content rules may judge."""
    return [i for i in item_set.instances if isinstance(i.value, dict)]


def judged_instances(item_set: ItemSet) -> tuple[ItemInstance, ...]:
    """The instances whose keys and shape rules check: the listed ones, or the template standing for them all."""
    if item_set.instances or item_set.template is None:
        return item_set.instances
    return (item_set.template,)


def content(item_set: ItemSet) -> list[object]:
    """The decoded items a content rule judges: the listed ones, or the template standing for them all."""
    listed: list[object] = [i.value for i in decoded(item_set)]
    if not listed and item_set.template is not None:
        listed.append(item_set.template.value)
    return listed


def instance_label(item_set: ItemSet, key: object) -> str:
    """``each.key = "user-7"`` or ``count.index = 3``; empty for a single item or an unknown key."""
    if key is None:
        return ""
    if item_set.resource.attribute("count") is not None:
        return f"count.index = {key}"
    return f"each.key = {key_literal(key)}"


def where(item_set: ItemSet, keys: Sequence[object]) -> str:
    """Where a problem was seen, for a message: `` (in 3 of 40 items, e.g. each.key = "a")``.

    Empty when the set is a single item: the resource itself is the place.
    """
    listed = len(item_set.instances)
    if listed <= 1 or not keys or IN_SOURCE in keys:
        return ""
    example = instance_label(item_set, keys[0])
    example_text = f", e.g. {example}" if example else ""
    if len(keys) == listed:
        return f" (in all {listed:,} items{example_text})"
    return f" (in {len(keys):,} of {listed:,} items{example_text})"


def table_in_same_module(item_set: ItemSet) -> str | None:
    """``aws_dynamodb_table.x`` when the item's table is declared in the item's own module
    instance, where a reference to it can be written; None otherwise (no table, or one in
    another module or root, reached by name).
    """
    table = item_set.table
    if table is None or os.path.dirname(table.span.path) != os.path.dirname(item_set.resource.path):
        return None
    prefix = f"{item_set.module_address}." if item_set.module_address else ""
    if not table.address.startswith(prefix):
        return None
    local = table.address[len(prefix) :]
    return local if local.count(".") == 1 else None


def total_of(sets: Sequence[ItemSet]) -> int | None:
    """How many items ``sets`` write together, over every module call; None when unbounded."""
    uppers = [s.total.upper for s in sets]
    return None if any(u is None for u in uppers) else sum(u or 0 for u in uppers)


def size_of(sets: Sequence[ItemSet]) -> str:
    """``12 items``, ``up to 12 items`` or ``an unbounded number of items``: what ``sets`` write together."""
    if any(s.total.upper is None for s in sets):
        return "an unbounded number of items"
    if all(s.total.exact is not None for s in sets):
        return f"{sum(s.total.exact or 0 for s in sets):,} items"
    return f"up to {sum(s.total.upper or 0 for s in sets):,} items"


def ignores_item(item_set: ItemSet) -> bool:
    """``lifecycle { ignore_changes = [item] }`` (or ``all``): Terraform writes the item once, then leaves it."""
    return any(name in ("item", "all") for name in item_set.ignore_changes)


@dataclass
class Observation:
    """One kind of problem across a set: what groups it (an attribute path, say), its text
    as first seen, and the instances that have it.
    """

    group: str
    text: str
    keys: list[object] = field(default_factory=list)


def observe(found: Iterable[tuple[object, str, str]]) -> list[Observation]:
    """Group ``(instance key, group, text)`` triples by group, keeping the first text of each.

    Messages quoting per-item values (``write "7"``) would otherwise repeat once per item.
    """
    groups: dict[str, Observation] = {}
    for key, group, text in found:
        groups.setdefault(group, Observation(group, text)).keys.append(key)
    return list(groups.values())


def summarize(item_set: ItemSet, observations: Sequence[Observation], limit: int = 3) -> str:
    """``a (in 2 of 9 items, e.g. ...); b; and 4 more``: the first few, each with where it was seen."""
    shown = [f"{o.text}{where(item_set, o.keys)}" for o in observations[:limit]]
    hidden = len(observations) - limit
    if hidden > 0:
        shown.append(f"and {hidden} more")
    return "; ".join(shown)


def sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it already ends a sentence (``did you mean "S"?``)."""
    return text if text.endswith((".", "?", "!")) else f"{text}."
