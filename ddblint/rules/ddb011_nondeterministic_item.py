"""DDB011 nondeterministic-item: an item built from values that change on every run."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet, TableLoad
from ddblint.parse.syntax import ObjectExpr, literal_string
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import content, ignores_item, size_of, total_of

# What each source does to the plan, by the function or resource type it comes from.
_EFFECTS = {
    "timestamp()": "returns a new time on every run",
    "plantimestamp()": "returns the time of each plan",
    "uuid()": "returns a new id on every run",
    "bcrypt()": "salts its hash afresh on every run",
}


def _effect(source: str) -> str:
    if source in _EFFECTS:
        return _EFFECTS[source]
    return "is generated at apply"


def _cause(sources: list[str], effect: str) -> str:
    """```a` returns ...`` or, for several sources with one effect, ```a`, `b` are generated ...``."""
    if len(sources) == 1:
        return f"{sources[0]} {effect}"
    return f"{', '.join(sources)} {effect.replace('is generated', 'are generated', 1)}"


def _shape(item_set: ItemSet) -> tuple[object, ...]:
    """What makes blocks copies of one record: the item's attribute names, else the block itself.

    A changing value makes the item unknown as a whole, so the names are read from
    the evaluated item when there is one, else from the written ``jsonencode({...})``.
    """
    items = content(item_set)
    first = items[0] if items else None
    if isinstance(first, dict):
        return ("attributes", *sorted(first))
    written = _written_names(item_set)
    if written is not None:
        return ("attributes", *sorted(written))
    return ("block", *item_set.block_place)


def _written_names(item_set: ItemSet) -> list[str] | None:
    """The attribute names of ``item = jsonencode({ name = ..., ... })`` as written, if all are literal."""
    body = item_set.resource.item_object()
    if not isinstance(body, ObjectExpr):
        return None
    names = [literal_string(key) for key, _ in body.elements]
    return None if any(n is None for n in names) else [n for n in names if n is not None]


def _stamped_once(load: TableLoad) -> dict[int, str | None]:
    """For each set that takes changing values once (``ignore_changes``), by ``id``: why that is
    no excuse (the items of its shape the table receives), or None when it is a lone seed.

    Sets are grouped by the shape of their item, and each group is weighed once.
    """
    groups: dict[tuple[object, ...], list[ItemSet]] = {}
    for item_set in load.item_sets:
        if item_set.nondeterministic and ignores_item(item_set):
            groups.setdefault(_shape(item_set), []).append(item_set)
    reasons: dict[int, str | None] = {}
    for group in groups.values():
        largest = total_of(group)
        reason = None if largest is not None and largest <= 1 else _set_aside(group)
        reasons.update((id(s), reason) for s in group)
    return reasons


def _set_aside(group: list[ItemSet]) -> str:
    """Why ``ignore_changes`` does not excuse the group: how many items of this shape are stamped, from where."""
    blocks = len({s.block_place for s in group})
    calls = len(group) - blocks
    by = f" ({blocks:,} blocks)" if blocks > 1 else (f" ({len(group):,} module calls)" if calls else "")
    return f"{size_of(group)} of one shape{by}"


@rule("DDB011")
def nondeterministic_item(load: TableLoad, options: NoOptions) -> Iterator[Hit]:
    """Judged on the table's population: ``ignore_changes`` excuses a value taken once, for one seed.

    A single item with ``ignore_changes`` keeps its creation-time value: no diff,
    no finding. Items of one shape stamped that way, from one ``for_each``, from
    sibling blocks or from copies of a module, are records created with their
    own time or id, and each block that writes them is reported.
    """
    stamped_once = _stamped_once(load)
    for item_set in load.item_sets:
        if not item_set.nondeterministic:
            continue
        reason = stamped_once.get(id(item_set), "")
        if reason is not None:
            yield _hit(item_set, reason)


def _hit(item_set: ItemSet, stamped: str) -> Hit:
    """``stamped`` names the items of one shape stamped once; empty for an item rewritten on every run."""
    sources = ", ".join(f"`{source}`" for source in item_set.nondeterministic)
    if stamped:
        message = f"`{item_set.address}` stamps {stamped} with {sources} under `ignore_changes`: records, not a seed."
    else:
        by_effect: dict[str, list[str]] = {}
        for source in item_set.nondeterministic:
            by_effect.setdefault(_effect(source), []).append(f"`{source}`")
        causes = "; ".join(_cause(names, effect) for effect, names in by_effect.items())
        subject = "every item" if item_set.template is not None else "its item"  # a template: all it will have
        message = f"`{item_set.address}` builds {subject} from changing values: {causes}."
    identity = f"{item_set.address}|{','.join(item_set.nondeterministic)}"
    first = item_set.nondeterministic[0].removesuffix(")")
    focus = item_line(item_set, text=first)
    return Hit(message, item_set.span, item_set.address, item_set.nondeterministic, identity, focus)
