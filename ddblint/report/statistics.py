"""``--statistics``: how many findings each rule has, without the findings themselves.

For a first look at a large repository, or a dashboard: one line per rule, most
frequent first, as ``ruff --statistics`` prints them.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ddblint.result import Result


def render_statistics(result: Result, stream: TextIO) -> None:
    active = [f for f in result.findings if not f.suppressed]
    counts = Counter((f.rule_id, f.rule_name, f.severity.label) for f in active)
    if not counts:
        stream.write("No problems.\n")
        return
    width = len(f"{max(counts.values()):,}")
    name_width = max(len(name) for _, name, _ in counts)
    for (rule_id, name, severity), count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        stream.write(f"{count:>{width},}  {rule_id}  {name:<{name_width}}  {severity}\n")
