"""The default human report: findings grouped by file, a code frame each, a summary by rule."""

from __future__ import annotations

import os
from collections import Counter
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from ddblint.findings import Finding, Severity
from ddblint.report import ReportOptions, display_path, message_and_callers, relative_to

if TYPE_CHECKING:
    from rich.console import Console

    from ddblint.result import Result

MAX_FRAME_LINES = 8
_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_NO_PROBLEMS = "No problems"
_FORCING_STYLES = ("FORCE_COLOR", "TTY_COMPATIBLE")  # environment variables that make Rich style a pipe


def _console(stream: TextIO, options: ReportOptions) -> Console:
    from rich.console import Console

    no_color = options.color is False or (options.color is None and "NO_COLOR" in os.environ)
    return Console(
        file=stream,
        force_terminal=True if options.color else None,
        no_color=no_color,
        highlight=False,
        soft_wrap=False,
        width=None if stream.isatty() else 120,
    )


def _unstyled(stream: TextIO, options: ReportOptions) -> bool:
    """Whether Rich would write ``stream`` as plain text: not a terminal, and no colour asked for."""
    if options.color or any(os.environ.get(name) for name in _FORCING_STYLES):
        return False
    return not stream.isatty()


def _no_problems(result: Result) -> str:
    return (
        f"{_NO_PROBLEMS} in {result.item_sets:,} item sets "
        f"({result.modules_parsed:,} of {result.modules_seen:,} modules read)."
    )


def _frame_lines(finding: Finding, cache: dict[str, list[str]]) -> list[tuple[int, str]]:
    path = finding.span.path
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read(2_000_000).splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    start = finding.span.line
    end = min(max(finding.span.end_line, start), start + MAX_FRAME_LINES - 1)
    return [(n, lines[n - 1]) for n in range(start, end + 1) if 0 < n <= len(lines)]


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    shown = [f for f in result.findings if options.show_suppressed or not f.suppressed]
    if not result.has_items and not shown:
        # One unstyled line, the common pre-commit outcome: not worth loading Rich for.
        stream.write(
            f"No aws_dynamodb_table_item in {result.files_seen:,} Terraform files "
            f"({result.modules_seen:,} modules): nothing to check.\n"
        )
        return
    if not shown and _unstyled(stream, options):
        stream.write(_no_problems(result) + "\n")  # what Rich would write here, without loading it
        return
    from rich.markup import escape
    from rich.table import Table

    console = _console(stream, options)
    sources: dict[str, list[str]] = {}
    for path, group in groupby(shown, key=lambda f: f.span.path):
        console.print(f"[bold underline]{escape(display_path(path, options.cwd))}[/]")
        for finding in group:
            style = _STYLES[finding.severity]
            suppressed = " [dim](suppressed)[/]" if finding.suppressed else ""
            console.print(
                f"  [dim]{finding.span.line}:{finding.span.column}[/] [{style}]{finding.severity.label}[/] "
                f"[bold]{finding.rule_id}[/] [dim]{finding.rule_name}[/]{suppressed}"
            )
            console.print(f"    {escape(message_and_callers(finding, relative_to(options.cwd)))}", soft_wrap=True)
            for number, text in _frame_lines(finding, sources):
                console.print(f"    [dim]{number:>5} |[/] {escape(result.redact(text))}")
            console.print()
    _summary(console, shown, result, Table)


def _summary(console: Console, shown: list[Finding], result: Result, table_class: type) -> None:
    active = [f for f in shown if not f.suppressed]
    if not active:
        from rich.text import Text

        line = Text(_no_problems(result))
        line.stylize("green", 0, len(_NO_PROBLEMS))
        console.print(line)
        return
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in active)
    table = table_class(title=None, show_edge=False, box=None, pad_edge=False)
    table.add_column("rule")
    table.add_column("name")
    table.add_column("severity")
    table.add_column("count", justify="right")
    for (rule_id, name, severity), count in sorted(counts.items()):
        table.add_row(rule_id, name, f"[{_STYLES[severity]}]{severity.label}[/]", str(count))
    console.print(table)
    by_severity = Counter(f.severity for f in active)
    parts = [
        f"{by_severity[s]} {s.label}{'s' if by_severity[s] != 1 else ''}" for s in sorted(by_severity, reverse=True)
    ]
    suppressed = sum(1 for f in result.findings if f.suppressed)
    tail = f", {suppressed} suppressed" if suppressed else ""
    console.print(f"\nFound {len(active)} problem{'s' if len(active) != 1 else ''} ({', '.join(parts)}{tail}).")
    console.print("[dim]Explain a rule with `ddblint rule DDB001`.[/]")
