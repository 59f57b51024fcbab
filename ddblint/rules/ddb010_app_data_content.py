"""DDB010 app-data-content: items whose attributes look like application records."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet, TableLoad
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.app_data import Signal, Verdict, evidence_of, judge, shared_by_blocks
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import content

MAX_ATTRIBUTES_SHOWN = 4
MAX_CATEGORIES_SHOWN = 2  # the message names the strongest evidence; the rest is counted


def _describe(category: str, found: list[Signal], limit: int = MAX_ATTRIBUTES_SHOWN) -> str:
    """``personal data (`email`: email addresses, `first_name`)``: names and kinds, never values."""
    details: dict[str, list[str]] = {}
    for signal in found:
        listed = details.setdefault(signal.attribute, [])
        if signal.detail and signal.detail not in listed:
            listed.append(signal.detail)
    shown = [
        f"`{attribute}`" + (f": {', '.join(kinds[:3])}" if kinds else "")
        for attribute, kinds in list(details.items())[:limit]
    ]
    hidden = len(details) - limit
    return f"{category} ({'; '.join(shown)}{f'; {hidden} more' if hidden > 0 else ''})"


def _hit(item_set: ItemSet, verdict: Verdict, subject: str, limit: int = MAX_ATTRIBUTES_SHOWN) -> Hit:
    categories = list(verdict.evidence.items())
    evidence = ", ".join(_describe(category, found, limit) for category, found in categories[:MAX_CATEGORIES_SHOWN])
    if len(categories) > MAX_CATEGORIES_SHOWN:
        evidence += f" and {len(categories) - MAX_CATEGORIES_SHOWN} more kinds"
    message = f"`{item_set.address}` holds application data: {subject} {evidence}."
    identity = f"{item_set.address}|" + ",".join(verdict.evidence)
    first = categories[0][1][0].attribute if categories and categories[0][1] else None
    focus = item_line(item_set, first)
    return Hit(message, item_set.span, item_set.address, tuple(verdict.evidence), identity, focus)


def _subject(item_set: ItemSet, items: list[object]) -> str:
    if item_set.template is not None:
        return "every item the set will have carries"
    return "its item carries" if len(items) == 1 else f"its {len(items):,} items carry"


@rule("DDB010")
def app_data_content(load: TableLoad, options: NoOptions) -> Iterator[Hit]:
    """Judged on the evaluated items of the table's whole population; see :mod:`ddblint.rules.app_data`.

    Each set is judged on its own first (:func:`judge`). Among the sets that
    look like seeds on their own, personal data or transaction ids that differ
    between separate blocks or module calls make each block that shows them a
    record of the table, as one ``for_each`` over them would.
    """
    unjudged: list[tuple[ItemSet, list[object]]] = []
    for item_set in load.item_sets:
        items = content(item_set)
        verdict = judge(items, template=item_set.template is not None) if items else None
        if verdict is not None:
            yield _hit(item_set, verdict, _subject(item_set, items))
        elif items:
            unjudged.append((item_set, items))
    shared = shared_by_blocks([items for _, items in unjudged]) if len(unjudged) > 1 else set()
    if not shared:
        return
    joined = [(item_set, found) for item_set, items in unjudged if (found := evidence_of(items, shared)) is not None]
    others = len(joined) - 1
    for item_set, verdict in joined:
        plural = "s" if others != 1 else ""
        yield _hit(item_set, verdict, f"like {others} other block{plural} into its table, it carries", 2)
