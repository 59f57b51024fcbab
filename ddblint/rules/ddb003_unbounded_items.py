"""DDB003 unbounded-items: the number of items depends on values unknown until plan or apply."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import Count, ItemSet
from ddblint.evaluate.values import BUDGET_EXCEEDED
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import counting_line


@rule("DDB003")
def unbounded_items(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Only values Terraform alone can know count; what ddblint cannot evaluate is not a finding.

    Except a count too costly to evaluate: a set that large (a module fanned out a
    thousand times over two thousand items each) would otherwise pass unjudged.
    """
    total = item_set.total
    if total.bounded or not (total.external or BUDGET_EXCEEDED in total.unknown):
        return
    message = f"`{item_set.address}` has no bound on its item count ({total.via}): {total.unknown}{_bound_hint(total)}."
    identity = f"{item_set.address}|{total.via}"
    yield Hit(message, item_set.span, item_set.address, (), identity, counting_line(item_set))


def _bound_hint(total: Count) -> str:
    """Where the count comes from a variable the author declared, the declaration is where a bound goes."""
    if not total.unknown_origin.startswith("var.") or BUDGET_EXCEEDED in total.unknown:
        return ""
    return "; a `validation` on it would bound it"
