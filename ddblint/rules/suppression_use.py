"""The subject of the rules about suppressions (DDB090, DDB091): what one suppression did in a run."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ddblint.span import Span


@dataclass(frozen=True)
class SuppressionUse:
    """What one suppression (a comment or a config ``suppress`` entry) did in this run.

    The filter stage's suppression pass fills these in after matching suppressions
    to findings; the checks of DDB090 and DDB091 phrase what each one did wrong.
    ``text`` identifies the suppression for fingerprints (never its line).
    """

    span: Span
    text: str
    rules: tuple[str, ...]
    unused_rules: tuple[str, ...] = ()  # named, selected where it stands, and matched by no finding
    unknown_rules: tuple[tuple[str, str], ...] = ()  # (word, closest rule id or "")
    problem: str = ""
    missing_reason: bool = False
    expired_on: datetime.date | None = None
    in_config: bool = False  # a config ``suppress`` entry rather than a comment

    @property
    def path(self) -> str:
        return self.span.path
