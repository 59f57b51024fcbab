"""DDB023 item-too-large: an item over DynamoDB's 400 KB limit, measured as DynamoDB measures it."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.dynamodb.item_json import DYNAMODB_ITEM_LIMIT, item_size, validate_item
from ddblint.evaluate.analysis import ItemInstance, ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import decoded, where


def _may_exceed(instance: ItemInstance) -> bool:
    """Whether the item's JSON text is over the limit at all.

    The UTF-8 bytes of the JSON text bound DynamoDB's size from above: every
    name and string is in the text at least as long as DynamoDB counts it, a
    number's digits at least as long as its size, base64 longer than its bytes,
    and the text adds quotes, braces and descriptors where DynamoDB adds at most
    four bytes per map or list element. Most items are far under, and skip the
    exact computation.
    """
    text = instance.text
    if text is None:
        return True
    return len(text) * 4 > DYNAMODB_ITEM_LIMIT and len(text.encode("utf-8", "surrogatepass")) > DYNAMODB_ITEM_LIMIT


@rule("DDB023")
def item_too_large(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """Invalid items have no meaningful size: DDB021 reports them instead."""
    candidates = [i for i in decoded(item_set) if _may_exceed(i) and not validate_item(i.value)]
    sizes = [(i.key, item_size(i.value)) for i in candidates]
    over = sorted((pair for pair in sizes if pair[1] > DYNAMODB_ITEM_LIMIT), key=lambda pair: -pair[1])
    if not over:
        return
    largest = over[0][1]
    sized = f"{largest:,} bytes" if len(over) == 1 else f"up to {largest:,} bytes"
    message = (
        f"`{item_set.address}` is {sized}{where(item_set, [key for key, _ in over])}, over DynamoDB's "
        f"400 KB item limit ({DYNAMODB_ITEM_LIMIT:,} bytes)."
    )
    identity = f"{item_set.address}|{len(over)}"
    yield Hit(message, item_set.span, item_set.address, (), identity, item_line(item_set))
