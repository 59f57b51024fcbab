"""The filter stage: suppressions, baselines, scoping and redaction, applied after the rules ran.

Rules stay pure and know nothing of this. Here findings are matched, in this
order, against inline comments (``ddblint:ignore``), config ``suppress``
entries and the baseline. A suppressed finding is kept and marked, never
dropped, so machine-readable reports can show it as suppressed. The
suppression pass also reports what every suppression did wrong, as its own
output: DDB090 (unused or broken suppressions) and DDB091 (suppressions
without a reason), phrased by those rules' functions. Their findings go
through the baseline like any other, but not through suppressions: a comment
cannot silence the rule that judges comments. Last, findings are scoped to
the modules asked for and every secret the analysis found is masked.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import PathSuppression, Settings
from ddblint.evaluate.analysis import RunFacts
from ddblint.filter.baseline import BaselineEntry, BaselineMatcher, read_baseline
from ddblint.filter.redact import Redactor, whole_file
from ddblint.filter.suppressions import Directive, closest_rule, covered_lines, read_directives
from ddblint.findings import Caller, Finding, InternalError, Suppression
from ddblint.model.file_notes import FileNotes
from ddblint.rules import NoOptions
from ddblint.rules.ddb090_unused_suppression import unused_suppression
from ddblint.rules.ddb091_suppression_without_reason import suppression_without_reason
from ddblint.rules.engine import Checked
from ddblint.rules.suppression_use import SuppressionUse
from ddblint.span import Span

_MISPLACED = (
    "it is neither on the first line of a block nor right above one; put it on or right above the resource it is about"
)


@dataclass(frozen=True)
class Filtered:
    """The findings a report shows (marked, scoped, masked), with the redactor that masked them."""

    findings: list[Finding]
    internal_errors: list[InternalError]
    stale_baseline: list[BaselineEntry]
    redact: Redactor = field(default_factory=Redactor)


@dataclass
class _InlineSuppressor:
    """A comment in force this run: the lines it covers (None: its whole file) and the rules it hid."""

    directive: Directive
    lines: tuple[int, int] | None
    problem: str = ""
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        return self.covers_at(finding.rule_id, finding.span.line)

    def covers_at(self, rule_id: str, line: int) -> bool:
        if self.problem or rule_id not in self.directive.rules:
            return False
        return self.lines is None or self.lines[0] <= line <= self.lines[1]


@dataclass
class _ConfigSuppressor:
    entry: PathSuppression
    used: set[str] = field(default_factory=set)


def filter_findings(
    checked: Checked,
    facts: RunFacts,
    settings: Settings,
    today: datetime.date | None = None,
    subjects: set[str] | None = None,
) -> Filtered:
    """Mark suppressed findings, add DDB090/DDB091 findings, apply the baseline, scope and mask.

    ``subjects``, when given, are the module directories whose findings a run is
    about (the modules asked for and those they call): callers found above them
    only gave them their context.
    """
    marked = _marked(checked.findings, facts.files, settings, today or datetime.date.today())
    # A file with a problem may hold a secret no evaluation saw (a block it could not read): its frames
    # show no literal.
    unread = [whole_file(problem.path) for problem in facts.problems]
    redact = Redactor.for_secrets(facts.secrets, [*facts.secret_places, *unread])
    errors = [replace(e, message=redact(e.message)) for e in checked.errors]
    if settings.baseline:
        marked, stale = _apply_baseline(marked, settings.baseline, settings, _linted(facts.files))
    else:
        stale = []
    if subjects is not None:
        marked = [f for f in marked if os.path.dirname(f.span.path) in subjects]
    return Filtered([redact.finding(f) for f in marked], errors, stale, redact)


def _linted(files: list[FileNotes]) -> set[str]:
    return {os.path.normpath(notes.path) for notes in files}


def _marked(findings: list[Finding], files: list[FileNotes], settings: Settings, today: datetime.date) -> list[Finding]:
    """The suppression pass: findings marked by what covers them, plus what every suppression did wrong."""
    rule_ids = tuple(load_catalog())
    inline = _inline_suppressors(files, rule_ids)
    configured = [_ConfigSuppressor(entry) for entry in settings.suppress]
    marked = [_suppress(f, inline, configured, settings, today) for f in findings]
    uses = [_inline_use(s, settings, today, rule_ids) for group in inline.values() for s in group]
    linted = _linted(files)
    uses += [use for s in configured if (use := _config_use(s, settings, linted)) is not None]
    return sorted(marked + _judged(uses, settings), key=Finding.sort_key)


_SUPPRESSION_RULES = (("DDB090", unused_suppression), ("DDB091", suppression_without_reason))


def _judged(uses: list[SuppressionUse], settings: Settings) -> list[Finding]:
    """DDB090 and DDB091 findings, each where its own file selects the rule, with that file's severity."""
    catalog = load_catalog()
    found: dict[tuple[str, Span, str], Finding] = {}
    for rule_id, judge in _SUPPRESSION_RULES:
        if not uses or not settings.may_select(rule_id):
            continue
        doc = catalog[rule_id]
        for use in uses:
            for hit in judge(use, NoOptions()):
                rules = settings.for_path(hit.span.path)
                if rules.selects(rule_id):
                    finding = hit.finding(rule_id, rules.severity(rule_id, doc.severity), doc.name)
                    found.setdefault((rule_id, hit.span, hit.message), finding)
    return list(found.values())


def _inline_suppressors(files: list[FileNotes], rule_ids: tuple[str, ...]) -> dict[str, list[_InlineSuppressor]]:
    by_path: dict[str, list[_InlineSuppressor]] = {}
    for notes in files:
        directives = read_directives(notes, rule_ids)
        if not directives:
            continue
        blocks = list(notes.blocks)
        lines_with_directives = {d.line for d in directives}
        group = by_path.setdefault(notes.path, [])
        for directive in directives:
            if directive.scope == "file":
                group.append(_InlineSuppressor(directive, None, directive.problem))
                continue
            lines = covered_lines(directive, blocks, lines_with_directives)
            problem = directive.problem or ("" if lines is not None else _MISPLACED)
            group.append(_InlineSuppressor(directive, lines, problem))
    return by_path


def _by_callers(
    finding: Finding, inline: dict[str, list[_InlineSuppressor]], today: datetime.date
) -> tuple[list[_InlineSuppressor], tuple[Caller, ...]]:
    """Live comments on the ``module`` blocks of the finding's callers, and the callers none of them covers."""
    found: list[_InlineSuppressor] = []
    left: list[Caller] = []
    for caller in finding.callers:
        here = [
            s
            for span in caller.through
            for s in inline.get(span.path, [])
            if s.covers_at(finding.rule_id, span.line) and not s.directive.expired(today)
        ]
        found.extend(here)
        if not here:
            left.append(caller)
    return found, tuple(left)


def _suppress(
    finding: Finding,
    inline: dict[str, list[_InlineSuppressor]],
    configured: list[_ConfigSuppressor],
    settings: Settings,
    today: datetime.date,
) -> Finding:
    """The finding, suppressed by the first live comment or config entry covering it, or told of an expiry.

    A finding inside a module is also covered by comments on its callers' ``module``
    blocks: when every caller's is, the finding is suppressed; otherwise the callers
    that accepted it are dropped from it, and it stands for the rest.
    """
    covering = [s for s in inline.get(finding.span.path, []) if s.covers(finding)]
    if not covering and finding.callers:
        accepted, left = _by_callers(finding, inline, today)
        for suppressor in accepted:
            suppressor.used.add(finding.rule_id)
        if accepted and not left:
            covering = accepted
        elif accepted:
            finding = replace(finding, callers=left)
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
    findings: list[Finding], path: str, settings: Settings, linted: set[str]
) -> tuple[list[Finding], list[BaselineEntry]]:
    baseline = read_baseline(path)
    matcher = BaselineMatcher(baseline)
    shown = settings.relative(baseline.path)
    baselined = Suppression("external", f"in baseline {shown}", shown)
    marked = []
    for finding in findings:
        if matcher.claim(finding) and not finding.suppressed:
            finding = finding.suppressed_by(baselined)
        marked.append(finding)
    return marked, matcher.stale(linted)
