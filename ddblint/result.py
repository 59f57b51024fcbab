"""What a run produced: the one value every reporter reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ddblint.filter.redact import Redactor

if TYPE_CHECKING:
    from ddblint.discover.files import Discovery
    from ddblint.evaluate.analysis import Analysis, RunFacts
    from ddblint.filter.apply import Filtered
    from ddblint.filter.baseline import BaselineEntry
    from ddblint.findings import Finding, InternalError


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
    analysis: Analysis | None = None  # every root's item sets, only when asked for (``lint(keep_analysis=True)``)
    stale_baseline: list[BaselineEntry] = field(default_factory=list)  # entries no finding matched
    # what the run could not judge for want of context, told to the user (stderr), never a finding
    notes: list[str] = field(default_factory=list)
    redact: Redactor = field(default_factory=Redactor)  # masks every secret found; reporters apply it to source text

    @classmethod
    def empty(cls, discovery: Discovery) -> Result:
        """A run that found nothing to parse: only what discovery saw."""
        return cls(root=discovery.root, files_seen=_files_seen(discovery), modules_seen=len(discovery.requested))

    @classmethod
    def of(cls, discovery: Discovery, facts: RunFacts, filtered: Filtered) -> Result:
        return cls(
            root=discovery.root,
            findings=filtered.findings,
            internal_errors=filtered.internal_errors,
            files_seen=_files_seen(discovery),
            modules_seen=len(discovery.requested),
            modules_parsed=facts.modules,
            item_sets=facts.item_sets,
            analysis=facts.analysis,
            stale_baseline=filtered.stale_baseline,
            notes=facts.notes,
            redact=filtered.redact,
        )

    @property
    def has_items(self) -> bool:
        return self.item_sets > 0 or any(f.rule_id == "DDB000" for f in self.findings)


def _files_seen(discovery: Discovery) -> int:
    return sum(len(discovery.modules[d]) for d in discovery.requested)
