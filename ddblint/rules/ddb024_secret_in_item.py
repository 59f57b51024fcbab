"""DDB024 secret-in-item: a password, token or key stored in an item, so in state and plan output."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ddblint.model.module import ItemSet
from ddblint.rules import Hit, rule
from ddblint.rules.item_sets import observe, summarize
from ddblint.rules.secrets import secrets_in_item_set


@rule("DDB024")
def secret_in_item(item_set: ItemSet, options: Mapping[str, Any]) -> Iterator[Hit]:
    """The message names what and where, never the value: reporters also mask it in code frames."""
    found = secrets_in_item_set(item_set)
    if not found:
        return
    observations = observe((key, secret.path, f"{secret.kind} in `{secret.path}`") for key, secret in found)
    message = f"`{item_set.address}` stores {summarize(item_set, observations)} in plain text."
    paths = tuple(sorted(o.group for o in observations))
    yield Hit(message, item_set.span, item_set.address, paths, f"{item_set.address}|" + ",".join(paths))
