"""The default human report: findings grouped by file, then by resource; why and how once per rule.

Each resource gets one code frame with the lines that matter marked and all its
findings under it: two rules firing on one block print the block once. What a
rule is for and how to fix it follows once for every rule that fired, so each
finding's own message can be one short sentence. Rows are laid out by
:mod:`ddblint.report.frame` at the console's width; Rich only colours them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from ddblint.findings import Finding, Severity
from ddblint.nothing import nothing_to_check_line
from ddblint.report import (
    ReportOptions,
    display_path,
    force_terminal,
    message_and_callers,
    no_color,
    relative_to,
)
from ddblint.report.escape import plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ddblint.catalog.entries import RuleDoc
    from ddblint.filter.redact import Redactor
    from ddblint.result import Result

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_NO_PROBLEMS = "No problems"
_FORCING_STYLES = ("FORCE_COLOR", "TTY_COMPATIBLE")  # environment variables that make Rich style a pipe
PIPE_WIDTH = 120  # when the report goes to a file or a pipe and COLUMNS does not say
MESSAGE_INDENT = 6
RULE_TEXT_INDENT = 7  # "  why  " and "  fix  "
MAX_SOURCE_CHARACTERS = 2_000_000


def _console(stream: TextIO, options: ReportOptions) -> Console:
    from rich.console import Console

    return Console(
        file=stream,
        force_terminal=force_terminal(options.color, stream),
        no_color=no_color(options.color),
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
        width=options.width or (None if stream.isatty() else _pipe_width()),
    )


def _pipe_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH


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


@dataclass
class _Source:
    """One file's lines, each redacted the first time a frame shows it.

    A redacted line is kept for the file's later frames: redacting the whole
    file for every frame made a file of many resources quadratic. The redactor
    masks line by line, so a line alone redacts as it does within its file.
    """

    path: str
    lines: list[str]
    redact: Redactor
    shown: dict[int, str] = field(default_factory=dict)

    def text(self, number: int) -> str:
        """Line ``number`` (1-based), redacted and made safe to print."""
        if number not in self.shown:
            self.shown[number] = plain(self.redact.source_line(self.path, self.lines, number))
        return self.shown[number]


@dataclass
class _Sources:
    """Files read once for all their frames; a file that cannot or may not be read gives no frame.

    Only a regular file is read, without blocking and up to the run's largest
    file: a named pipe or a device where a ``.tf`` file was expected is a
    DDB000 finding, and opening it to show that finding's frame would block
    on the pipe or read ``/dev/zero`` without end.
    """

    redact: Redactor
    max_bytes: int
    files: dict[str, _Source] = field(default_factory=dict)

    def __call__(self, path: str) -> _Source:
        if path not in self.files:
            self.files[path] = _Source(path, self._read(path), self.redact)
        return self.files[path]

    def _read(self, path: str) -> list[str]:
        from ddblint.untrusted.reading import read_regular

        try:
            data = read_regular(path, self.max_bytes)
        except OSError:
            return []
        if len(data) > self.max_bytes:
            return []
        # Lines end at "\n" only, as the parser counts them: splitlines() also ends one at a form feed.
        text = data.decode("utf-8", errors="replace")[:MAX_SOURCE_CHARACTERS]
        return [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")] if text else []


def _resource_key(finding: Finding) -> tuple[int, int, str]:
    """Findings of one resource share its span and address; parse and suppression findings stand alone."""
    return (finding.span.line, finding.span.end_line, finding.address)


def render(result: Result, stream: TextIO, options: ReportOptions) -> None:
    shown = [f for f in result.findings if options.show_suppressed or not f.suppressed]
    if not result.has_items and not shown:
        # One unstyled line, the common pre-commit outcome: not worth loading Rich for.
        stream.write(nothing_to_check_line(result.files_seen, result.modules_seen))
        return
    if not shown and _unstyled(stream, options):
        stream.write(_no_problems(result) + "\n")  # what Rich would write here, without loading it
        return
    console = _console(stream, options)
    sources = _Sources(result.redact, options.max_file_size)
    ordered = sorted(shown, key=lambda f: (f.span.path, _resource_key(f), f.rule_id, f.message))
    for path, in_file in groupby(ordered, key=lambda f: f.span.path):
        console.print(_styled([(plain(display_path(path, options.cwd)), "bold underline")]))
        for _, group in groupby(in_file, key=_resource_key):
            _resource(console, list(group), sources(path), relative_to(options.cwd))
    _rules_explained(console, shown)
    _summary(console, shown, result)


def _styled(parts: list[tuple[str, str]]) -> Text:
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for part, style in parts:
        text.append(part, style=style or None)
    return text


def _resource(console: Console, findings: list[Finding], source: _Source, shown_path: Callable[[str], str]) -> None:
    from ddblint.report.frame import frame_lines, frame_rows, hanging

    first = findings[0]
    header = [(f"  {first.span.line}:{first.span.column}", "dim")]
    if first.address:
        header.append((f"  {plain(first.address)}", "bold"))
    console.print(_styled(header))
    marked = {f.focus_line or f.span.line for f in findings}
    numbers = frame_lines(first.span.line, first.span.end_line, marked, len(source.lines))
    digits = max(3, len(str(numbers[-1]))) if numbers else 3
    prefix = 4 + digits + 3  # "  > " or four spaces, the number, " | "
    for row in frame_rows(source.text, numbers, marked, console.width - prefix):
        if row.cut:
            left = f"    {'...':>{digits}} |"
            console.print(_styled([(left, "dim"), (f" {row.cut} line{'s' if row.cut != 1 else ''}", "dim")]))
            continue
        number = str(row.number) if row.number else ""
        marker = ("  > ", "bold") if row.marked else ("    ", "")
        console.print(_styled([marker, (f"{number:>{digits}} | ", "dim"), (row.text, "")]))
    for finding in findings:
        label = [
            ("    ", ""),
            (finding.severity.label, _STYLES[finding.severity]),
            (f" {finding.rule_id}", "bold"),
            (f" {finding.rule_name}", "dim"),
        ]
        if finding.suppressed:
            label.append((" (suppressed)", "dim"))
        console.print(_styled(label))
        message = message_and_callers(finding, shown_path)
        for wrapped in hanging(plain(message), console.width, MESSAGE_INDENT):
            console.print(_styled([(wrapped, "")]))
    console.print()


def _rules_explained(console: Console, shown: list[Finding]) -> None:
    """Why each rule that fired matters and how to fix it, once, from the catalog."""
    from ddblint.catalog.entries import load_catalog
    from ddblint.report.frame import hanging, paragraphs

    catalog = load_catalog()
    fired = sorted({f.rule_id for f in shown if not f.suppressed and f.rule_id in catalog})
    for rule_id in fired:
        doc: RuleDoc = catalog[rule_id]
        for row in hanging(f"{doc.id} {doc.name}: {doc.summary}", console.width, RULE_TEXT_INDENT, first_indent=0):
            console.print(_styled([(row, "bold")]))
        for label, text in (("why", doc.rationale), ("fix", doc.fix)):
            for index, (paragraph, is_code) in enumerate(paragraphs(text)):
                code = [" " * (RULE_TEXT_INDENT + 2) + line for line in paragraph.split("\n")]
                rows = code if is_code else hanging(paragraph, console.width, RULE_TEXT_INDENT)
                lead = f"  {label}  " if index == 0 else " " * RULE_TEXT_INDENT
                for number, row in enumerate(rows):
                    start = lead if number == 0 else ""
                    console.print(_styled([(start, "dim"), (row[len(start) :] if start else row, "")]))
        console.print()


def _summary(console: Console, shown: list[Finding], result: Result) -> None:
    from rich.table import Table

    active = [f for f in shown if not f.suppressed]
    if not active:
        line = _styled([(_NO_PROBLEMS, "green"), (_no_problems(result)[len(_NO_PROBLEMS) :], "")])
        console.print(line)
        return
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in active)
    table = Table(title=None, show_edge=False, box=None, pad_edge=False)
    table.add_column("rule")
    table.add_column("name")
    table.add_column("severity")
    table.add_column("count", justify="right")
    for (rule_id, name, severity), count in sorted(counts.items()):
        table.add_row(rule_id, name, _styled([(severity.label, _STYLES[severity])]), str(count))
    console.print(table)
    by_severity = Counter(f.severity for f in active)
    parts = [
        f"{by_severity[s]} {s.label}{'s' if by_severity[s] != 1 else ''}" for s in sorted(by_severity, reverse=True)
    ]
    suppressed = sum(1 for f in result.findings if f.suppressed)
    tail = f", {suppressed} suppressed" if suppressed else ""
    console.print(f"\nFound {len(active)} problem{'s' if len(active) != 1 else ''} ({', '.join(parts)}{tail}).")
    from ddblint.report.frame import hanging

    for row in hanging(footer(active), console.width, 0):
        console.print(_styled([(row, "dim")]))


def footer(active: list[Finding]) -> str:
    """Points at a rule that fired, the most frequent one: the next command worth typing."""
    counts = Counter(f.rule_id for f in active)
    rule_id = min(counts, key=lambda r: (-counts[r], r))
    return f"Explain a rule with `ddblint rule {rule_id}`; show only its findings with `--select {rule_id}`."
