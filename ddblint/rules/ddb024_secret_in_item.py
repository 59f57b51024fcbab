"""DDB024 secret-in-item: a password, token or key stored in an item, so in state and plan output."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.evaluate.analysis import ItemSet
from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.focus import item_line
from ddblint.rules.item_sets import observe, summarize


@rule("DDB024")
def secret_in_item(item_set: ItemSet, options: NoOptions) -> Iterator[Hit]:
    """The message names what and where, never the value: reporters also mask it in code frames."""
    found = item_set.secrets
    if not found:
        return
    observations = observe((key, secret.path, f"{secret.kind} in `{secret.path}`") for key, secret in found)
    message = f"`{item_set.address}` stores {summarize(item_set, observations)} in plain text."
    paths = tuple(sorted(o.group for o in observations))
    identity = f"{item_set.address}|" + ",".join(paths)
    focus = item_line(item_set, observations[0].group.split(".")[0])
    yield Hit(message, item_set.span, item_set.address, paths, identity, focus)
