"""DDB090 unused-suppression: a suppression that hides nothing, or cannot hide anything."""

from __future__ import annotations

from collections.abc import Iterator

from ddblint.rules import Hit, NoOptions, rule
from ddblint.rules.suppression_use import SuppressionUse


def _written(use: SuppressionUse) -> str:
    """The suppression without its reason: what it says it hides."""
    return use.text.split("--", 1)[0].strip()


@rule("DDB090")
def unused_suppression(use: SuppressionUse, options: NoOptions) -> Iterator[Hit]:
    """A stale ignore hides the next real finding at that place; a broken one never worked."""
    written = _written(use)
    if use.problem:
        problem = use.problem if use.problem.endswith(("?", ".")) else f"{use.problem}."
        yield Hit(f"`{written}` suppresses nothing: {problem}", use.span, identity=f"{use.text}|problem")
        return
    for word, closest in use.unknown_rules:
        hint = f" (did you mean {closest}?)" if closest else ""
        message = f"`{written}` names `{word}`, which is not a ddblint rule{hint}; it suppresses nothing."
        yield Hit(message, use.span, identity=f"{use.text}|unknown|{word}")
    if use.unused_rules:
        expired = f", and it expired on {use.expired_on}" if use.expired_on else ""
        rules = ", ".join(use.unused_rules)
        message = f"`{written}`: no {rules} finding here to suppress{expired}; remove {rules} from it."
        yield Hit(message, use.span, identity=f"{use.text}|unused|{rules}")
