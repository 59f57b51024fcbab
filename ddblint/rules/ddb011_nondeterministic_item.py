"""DDB011 nondeterministic-item: an item built from values that change on every run."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import ignores_item

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


@rule("DDB011")
def nondeterministic_item(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """With ``ignore_changes`` on the item, the value is taken once at creation: no diff, no finding."""
    if not item_set.nondeterministic or ignores_item(item_set):
        return
    by_effect: dict[str, list[str]] = {}
    for source in item_set.nondeterministic:
        by_effect.setdefault(_effect(source), []).append(f"`{source}`")
    causes = "; ".join(_cause(sources, effect) for effect, sources in by_effect.items())
    subject = "every item" if item_set.template is not None else "its item"  # a template: all it will have
    message = f"`{item_set.address}` builds {subject} from changing values: {causes}."
    identity = f"{item_set.address}|{','.join(item_set.nondeterministic)}"
    first = item_set.nondeterministic[0].removesuffix(")")
    focus = item_line(item_set, text=first)
    yield Hit(message, item_set.span, item_set.address, item_set.nondeterministic, identity, focus)
