"""DDB023 item-too-large: an item over DynamoDB's 400 KB limit, measured as DynamoDB measures it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ddblint.dynamo import DYNAMODB_ITEM_LIMIT, item_size, validate_item
from ddblint.item_sets import decoded, where
from ddblint.model import ItemSet
from ddblint.rules import Hit, rule


@rule("DDB023")
def item_too_large(item_set: ItemSet, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Invalid items have no meaningful size: DDB021 reports them instead."""
    sizes = [(i.key, item_size(i.value)) for i in decoded(item_set) if not validate_item(i.value)]
    over = sorted((pair for pair in sizes if pair[1] > DYNAMODB_ITEM_LIMIT), key=lambda pair: -pair[1])
    if not over:
        return
    largest = over[0][1]
    sized = f"{largest:,} bytes" if len(over) == 1 else f"up to {largest:,} bytes"
    message = (
        f"`{item_set.address}` is {sized}{where(item_set, [key for key, _ in over])}, over DynamoDB's "
        f"400 KB item limit ({DYNAMODB_ITEM_LIMIT:,} bytes): the write is rejected and `terraform apply` "
        "fails. Keep large payloads in S3 and store the object key in the item."
    )
    yield Hit(message, item_set.span, item_set.address, (), f"{item_set.address}|{len(over)}")
