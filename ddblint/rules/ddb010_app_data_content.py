"""DDB010 app-data-content: items whose attributes look like application records."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.app_data import Signal, judge
from ddblint.rules.item_sets import decoded

MAX_ATTRIBUTES_SHOWN = 4
MAX_CATEGORIES_SHOWN = 2  # the message names the strongest evidence; the rest is counted


def _describe(category: str, found: list[Signal]) -> str:
    """``personal data (`email`: email addresses, `first_name`)``: names and kinds, never values."""
    details: dict[str, list[str]] = {}
    for signal in found:
        listed = details.setdefault(signal.attribute, [])
        if signal.detail and signal.detail not in listed:
            listed.append(signal.detail)
    shown = [
        f"`{attribute}`" + (f": {', '.join(kinds[:3])}" if kinds else "")
        for attribute, kinds in list(details.items())[:MAX_ATTRIBUTES_SHOWN]
    ]
    return f"{category} ({'; '.join(shown)})"


@rule("DDB010")
def app_data_content(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Judged on the evaluated items only; see :func:`ddblint.rules.app_data.judge` for the thresholds."""
    items = [instance.value for instance in decoded(item_set)]
    verdict = judge(items) if items else None
    if verdict is None:
        return
    categories = list(verdict.evidence.items())
    evidence = ", ".join(_describe(category, found) for category, found in categories[:MAX_CATEGORIES_SHOWN])
    if len(categories) > MAX_CATEGORIES_SHOWN:
        evidence += f" and {len(categories) - MAX_CATEGORIES_SHOWN} more kinds"
    subject = "its item carries" if len(items) == 1 else f"its {len(items):,} items carry"
    message = f"`{item_set.address}` holds application data: {subject} {evidence}."
    identity = f"{item_set.address}|" + ",".join(verdict.evidence)
    yield Hit(message, item_set.span, item_set.address, tuple(verdict.evidence), identity)
