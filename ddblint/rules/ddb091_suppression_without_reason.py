"""DDB091 suppression-without-reason: a suppression that does not say why."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.suppression_use import SuppressionUse


@rule("DDB091")
def suppression_without_reason(use: SuppressionUse, options: NoOptions) -> Iterator[Hit]:
    """The reason is what lets a later reader decide whether the suppression still holds."""
    if not use.missing_reason:
        return
    where = "a `reason:`" if use.in_config else "one after `--`"
    message = f"`{use.text}` gives no reason; add {where} saying why the finding is accepted."
    yield Hit(message, use.span, identity=use.text)
