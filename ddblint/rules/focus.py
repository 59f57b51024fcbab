"""The line inside a resource that shows a finding's problem, for code frames.

A finding's span is the whole resource block; a reader looks for the one line
that explains it: the ``for_each`` or ``count`` that multiplies the items, the
argument that is wrong, the attribute of the item that holds the secret.
Positions come from the parsed block; inside the ``item`` expression, whose
tree keeps no positions for object keys, the line is found in the expression's
own source text. 0 means "no better line than the block's first".
"""

from __future__ import annotations

import re

from ddblint.evaluate.analysis import ItemSet


def argument_line(item_set: ItemSet, *names: str) -> int:
    """The line of the first of ``names`` the resource sets, else 0."""
    for name in names:
        attribute = item_set.resource.attribute(name)
        if attribute is not None:
            return attribute.position.line
    return 0


def counting_line(item_set: ItemSet) -> int:
    """The ``for_each`` or ``count`` line: where the number of items comes from."""
    return argument_line(item_set, "for_each", "count")


def lifecycle_line(item_set: ItemSet) -> int:
    """The ``lifecycle`` block's line, which holds ``ignore_changes``."""
    blocks = item_set.resource.block.blocks_of("lifecycle")
    return blocks[0].position.line if blocks else 0


def item_line(item_set: ItemSet, key: str | None = None, text: str | None = None) -> int:
    """The line of the ``item`` argument where ``key`` is set (``email = ...``, ``"email":``)
    or ``text`` appears; the ``item`` line when neither is found there; 0 without one.
    """
    attribute = item_set.resource.attribute("item")
    if attribute is None:
        return 0
    source = attribute.source
    found = -1
    if key:
        match = re.search(rf'(?<![\w.-])"?{re.escape(key)}"?\s*[=:]', source)
        found = match.start() if match else -1
    if found < 0 and text:
        found = source.find(text)
    if found < 0:
        return attribute.position.line
    return attribute.position.line + source.count("\n", 0, found)
