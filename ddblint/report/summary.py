"""The one line a CI log shows when the report itself went to a file or to a machine.

A SARIF or JSON report is unreadable in a build log, and a report written
with ``-o`` is not in the log at all; this line tells whoever reads the log
what the gate saw, on stderr so it never mixes with the report.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ddblint.report import MACHINE_READABLE

if TYPE_CHECKING:
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
        text += f"; report written to {destination}"
    return text
