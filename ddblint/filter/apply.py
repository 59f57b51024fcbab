"""The filter stage: suppressions and baselines, applied after the rules ran.

Rules stay pure and know nothing of this. Here findings are matched, in this
order, against inline comments (``ddblint:ignore``), config ``suppress``
entries and the baseline. A suppressed finding is kept and marked, never
dropped, so machine-readable reports can show it as suppressed. What every
suppression did is then handed to the checks of DDB090 (unused or broken
suppressions) and DDB091 (suppressions without a reason), whose findings go
through the baseline like any other, but not through suppressions: a comment
cannot silence the rule that judges comments.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import PathSuppression, Settings
from ddblint.filter.baseline import BaselineEntry, BaselineMatcher, read_baseline
from ddblint.filter.suppressions import Directive, SuppressionUse, closest_rule, covered_lines, read_directives
from ddblint.findings import Finding, Span, Suppression
from ddblint.model.module import Analysis
from ddblint.rules.engine import InternalError, run_filter_checks

_MISPLACED = (
    "it is neither on the first line of a block nor right above one; put it on or right above the resource it is about"
)


@dataclass(frozen=True)
class Filtered:
    findings: list[Finding]
    internal_errors: list[InternalError]
    stale_baseline: list[BaselineEntry]


@dataclass
class _InlineSuppressor:
    """A comment in force this run: the lines it covers (None: its whole file) and the rules it hid."""

    directive: Directive
    lines: tuple[int, int] | None
    problem: str = ""
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if self.problem or finding.rule_id not in self.directive.rules:
            return False
        return self.lines is None or self.lines[0] <= finding.span.line <= self.lines[1]


@dataclass
class _ConfigSuppressor:
    entry: PathSuppression
    used: set[str] = field(default_factory=set)


def filter_findings(
    findings: list[Finding], analysis: Analysis, settings: Settings, today: datetime.date | None = None
) -> Filtered:
    """Mark suppressed findings, add DDB090/DDB091 findings, apply the baseline."""
    today = today or datetime.date.today()
    rule_ids = tuple(load_catalog())
    linted = {os.path.normpath(parsed.path) for module in analysis.modules for parsed in module.files}
    inline = _inline_suppressors(analysis, rule_ids)
    configured = [_ConfigSuppressor(entry) for entry in settings.suppress]
    marked = [_suppress(f, inline.get(f.span.path, []), configured, settings, today) for f in findings]
    uses = [_inline_use(s, settings, today, rule_ids) for group in inline.values() for s in group]
    uses += [use for s in configured if (use := _config_use(s, settings, linted)) is not None]
    judged, errors = run_filter_checks({"SuppressionUse": uses}, settings)
    every = sorted(marked + judged, key=Finding.sort_key)
    if not settings.baseline:
        return Filtered(every, errors, [])
    return _apply_baseline(every, settings.baseline, settings, linted, errors)


def _inline_suppressors(analysis: Analysis, rule_ids: tuple[str, ...]) -> dict[str, list[_InlineSuppressor]]:
    by_path: dict[str, list[_InlineSuppressor]] = {}
    for module in analysis.modules:
        for parsed in module.files:
            directives = read_directives(parsed, rule_ids)
            if not directives:
                continue
            blocks = [block.position for block in parsed.blocks]
            lines_with_directives = {d.line for d in directives}
            group = by_path.setdefault(parsed.path, [])
            for directive in directives:
                if directive.scope == "file":
                    group.append(_InlineSuppressor(directive, None, directive.problem))
                    continue
                lines = covered_lines(directive, blocks, lines_with_directives)
                problem = directive.problem or ("" if lines is not None else _MISPLACED)
                group.append(_InlineSuppressor(directive, lines, problem))
    return by_path


def _suppress(
    finding: Finding,
    inline: list[_InlineSuppressor],
    configured: list[_ConfigSuppressor],
    settings: Settings,
    today: datetime.date,
) -> Finding:
    """The finding, suppressed by the first live comment or config entry covering it, or told of an expiry."""
    covering = [s for s in inline if s.covers(finding)]
    for suppressor in covering:
        suppressor.used.add(finding.rule_id)
    live = next((s.directive for s in covering if not s.directive.expired(today)), None)
    if live is not None:
        origin = f"{settings.relative(live.path)}:{live.line}"
        return finding.suppressed_by(Suppression("inSource", live.reason, origin))
    relative = settings.relative(finding.span.path)
    for candidate in configured:
        if candidate.entry.applies_to(finding.rule_id, relative):
            candidate.used.add(finding.rule_id)
            return finding.suppressed_by(Suppression("external", candidate.entry.reason, candidate.entry.origin))
    if not covering:
        return finding
    expired = covering[0].directive
    note = f"; the suppression at {settings.relative(expired.path)}:{expired.line} expired on {expired.until}."
    return replace(finding, message=finding.message.rstrip(".") + note)


def _inline_use(
    suppressor: _InlineSuppressor, settings: Settings, today: datetime.date, rule_ids: tuple[str, ...]
) -> SuppressionUse:
    directive = suppressor.directive
    rules_here = settings.for_path(directive.path)
    unused = tuple(r for r in directive.rules if r not in suppressor.used and rules_here.selects(r))
    return SuppressionUse(
        span=Span(directive.path, directive.line, 1, directive.line, 1),
        text=directive.text,
        rules=directive.rules,
        unused_rules=() if suppressor.problem else unused,
        unknown_rules=tuple((word, closest_rule(word, rule_ids)) for word in directive.unknown_rules),
        problem=suppressor.problem,
        missing_reason=not directive.reason and not suppressor.problem,
        expired_on=directive.until if directive.expired(today) else None,
    )


def _config_use(suppressor: _ConfigSuppressor, settings: Settings, linted: Iterable[str]) -> SuppressionUse | None:
    """An entry is judged only when this run linted a file it names: a partial run proves nothing.

    Entries built in code rather than read from a config file have no place to report at.
    """
    entry = suppressor.entry
    if not entry.origin_path:
        return None
    reaches_a_file = any(entry.reaches(settings.relative(path)) for path in linted)
    catalog = load_catalog()
    selected = [r for r in entry.rules if any(i.startswith(r) and settings.may_select(i) for i in catalog)]
    unused = () if suppressor.used or not reaches_a_file else tuple(selected)
    return SuppressionUse(
        span=Span(entry.origin_path, entry.origin_line, 1, entry.origin_line, 1),
        text=f"suppress {', '.join(entry.paths)}: {', '.join(entry.rules)}",
        rules=entry.rules,
        unused_rules=unused,
        missing_reason=not entry.reason,
        in_config=True,
    )


def _apply_baseline(
    findings: list[Finding], path: str, settings: Settings, linted: set[str], errors: list[InternalError]
) -> Filtered:
    baseline = read_baseline(path)
    matcher = BaselineMatcher(baseline)
    shown = settings.relative(baseline.path)
    baselined = Suppression("external", f"in baseline {shown}", shown)
    marked = []
    for finding in findings:
        if matcher.claim(finding) and not finding.suppressed:
            finding = finding.suppressed_by(baselined)
        marked.append(finding)
    return Filtered(marked, errors, matcher.stale(linted))
