"""What a CI log shows on stderr besides the report: the summary line and stale baseline entries.

A SARIF or JSON report is unreadable in a build log, and a report written
with ``-o`` is not in the log at all; the summary line tells whoever reads the
log what the gate saw, on stderr so it never mixes with the report. Names in
these lines come from the scanned tree, the command line or a baseline, so they
pass through :func:`ddblint.report.escape.plain`.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING

from ddblint.report import MACHINE_READABLE
from ddblint.report.escape import plain

if TYPE_CHECKING:
    from ddblint.filter.baseline import BaselineEntry
    from ddblint.result import Result


def wants_summary(format_name: str, to_file: bool) -> bool:
    return to_file or format_name in MACHINE_READABLE


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_line(result: Result, destination: str | None) -> str:
    """``ddblint: 3 problems (1 error, 2 warnings), 1 suppressed; report written to out.sarif``."""
    active = [f for f in result.findings if not f.suppressed]
    by_severity = Counter(f.severity for f in active)
    counts = ", ".join(_plural(by_severity[s], s.label) for s in sorted(by_severity, reverse=True))
    text = f"ddblint: {_plural(len(active), 'problem')}"
    if counts:
        text += f" ({counts})"
    suppressed = len(result.findings) - len(active)
    if suppressed:
        text += f", {suppressed:,} suppressed"
    text += f" in {_plural(result.files_seen, 'file')}"
    if destination:
        text += f"; report written to {plain(destination)}"
    return text


def stale_notice(entries: list[BaselineEntry], baseline_path: str) -> str:
    """Stale entries are told on stderr, not reported as findings: the code is fine, the baseline is old."""
    shown = plain(os.path.relpath(baseline_path))
    count = len(entries)
    entries_match = "entry no longer matches" if count == 1 else "entries no longer match"
    lines = [
        f"ddblint: {count} {entries_match} a finding in baseline {shown} "
        "(fixed, or changed so that it is a new finding); refresh it with --write-baseline:"
    ]
    lines += [f"  {plain(e.file)}: {plain(e.rule)} {plain(e.address) or '(no resource)'}" for e in entries]
    return "\n".join(lines) + "\n"
