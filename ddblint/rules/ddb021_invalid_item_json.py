"""DDB021 invalid-item-json: an item DynamoDB would reject, checked against its data model."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.dynamodb.item_json import validate_item
from ddblint.evaluate.analysis import ItemInstance, ItemSet
from ddblint.evaluate.values import Unknown
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import observe, sentence, summarize


def _problems(instance: ItemInstance) -> Iterator[tuple[object, str, str]]:
    """(instance key, attribute path, text) for each problem; the path groups them across items."""
    if instance.json_error:
        yield instance.key, "", instance.json_error
        return
    if isinstance(instance.value, Unknown):
        return
    for problem in validate_item(instance.value):
        text = f"`{problem.path}`: {problem.message}" if problem.path else problem.message
        yield instance.key, problem.path, text


@rule("DDB021")
def invalid_item_json(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Items that cannot be evaluated are skipped; every evaluated one is held to DynamoDB JSON."""
    observations = observe(found for instance in item_set.instances for found in _problems(instance))
    if not observations:
        return
    count = len(observations)
    message = (
        f"`{item_set.address}` is not valid DynamoDB JSON ({count} problem{'s' if count != 1 else ''}): "
        f"{sentence(summarize(item_set, observations, limit=1))}"
    )
    identity = f"{item_set.address}|" + ",".join(sorted(o.group for o in observations))
    focus = item_line(item_set, observations[0].group.split(".")[0] or None)
    yield Hit(message, item_set.span, item_set.address, (), identity, focus)
