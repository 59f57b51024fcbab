"""What a run produced: the one value every reporter reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ddblint.filter.redact import Redactor

if TYPE_CHECKING:
    from ddblint.filter.baseline import BaselineEntry
    from ddblint.findings import Finding
    from ddblint.model.module import Analysis
    from ddblint.rules.engine import InternalError


@dataclass
class Result:
    """Everything a reporter needs, and nothing that depends on which reporter runs."""

    root: str
    findings: list[Finding] = field(default_factory=list)
    internal_errors: list[InternalError] = field(default_factory=list)
    files_seen: int = 0
    modules_seen: int = 0
    modules_parsed: int = 0
    item_sets: int = 0
    analysis: Analysis | None = None
    stale_baseline: list[BaselineEntry] = field(default_factory=list)  # entries no finding matched
    redact: Redactor = field(default_factory=Redactor)  # masks every secret found; reporters apply it to source text

    @property
    def has_items(self) -> bool:
        return self.item_sets > 0 or any(f.rule_id == "DDB000" for f in self.findings)
