"""Turn measured state usage into DDB001 findings, and draw it for people.

Findings reuse DDB001's id, severity and ``max-items`` threshold, so the JSON,
SARIF and GitHub reporters show state measurements exactly like lint findings.
The terminal view is a bar chart, largest table first: with a state, the
question is "where does the weight sit", and bars answer it at a glance.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from ddblint.findings import Finding
from ddblint.report.escape import markup
from ddblint.span import Span
from ddblint.state.read import StateUsage, TableUsage

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ddblint.result import Result

RULE_ID = "DDB001"
BAR_WIDTH = 28
RESOURCES_NAMED = 3
_EIGHTHS = " ▏▎▍▌▋▊▉"


def max_items_default() -> int:
    from ddblint.catalog.entries import load_catalog

    return int(load_catalog()[RULE_ID].option_defaults()["max-items"])


def human_bytes(amount: int) -> str:
    size = float(amount)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GiB"  # pragma: no cover - the loop returns at MiB


def state_findings(usage: StateUsage, max_items: int) -> list[Finding]:
    """One finding per table holding more than ``max_items`` item instances.

    Like the lint's DDB001 it points at the resource holding the most items, the
    one to migrate first, and names the others: a table's single seed item beside
    a large set is not a problem of its own.
    """
    from ddblint.catalog.entries import load_catalog

    doc = load_catalog()[RULE_ID]
    path = os.path.abspath(usage.path)
    findings: list[Finding] = []
    for table in usage.tables:
        if table.instances <= max_items:
            continue
        largest = table.resources[0]
        holders = ", ".join(f"`{r.address}` {r.instances:,}" for r in table.resources[:RESOURCES_NAMED])
        if len(table.resources) > RESOURCES_NAMED:
            holders += f" and {len(table.resources) - RESOURCES_NAMED} more"
        message = (
            f"table `{table.table}` holds {table.instances:,} items from Terraform in state "
            f"({human_bytes(table.state_bytes)} of state; {holders}), more than max-items ({max_items})."
        )
        findings.append(
            Finding(
                rule_id=RULE_ID,
                severity=doc.severity,
                message=message,
                span=Span(path, largest.line, largest.column, largest.line, largest.column),
                address=largest.address,
                evidence=(usage.path,),
                identity=f"state|{table.table}|" + ",".join(sorted(r.address for r in table.resources)),
                rule_name=doc.name,
            )
        )
    return sorted(findings, key=Finding.sort_key)


def state_result(usage: StateUsage, max_items: int) -> Result:
    """A lint :class:`~ddblint.result.Result` holding the findings, for the shared reporters."""
    from ddblint.result import Result

    findings = state_findings(usage, max_items)
    return Result(
        root=os.path.dirname(os.path.abspath(usage.path)),
        findings=findings,
        files_seen=1,
        item_sets=sum(len(t.resources) for t in usage.tables),
    )


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a character, never empty for a non-zero value."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()


def render_state(usage: StateUsage, max_items: int, stream: TextIO, color: bool | None = None) -> None:
    """The chart (instances and state bytes per table, largest first), then the resources, then a summary."""
    from rich.console import Console
    from rich.table import Table

    from ddblint.report import force_terminal, no_color

    console = Console(
        file=stream,
        force_terminal=force_terminal(color, stream),
        no_color=no_color(color),
        highlight=False,
        emoji=False,
        width=None if stream.isatty() else 120,
    )
    console.print(f"[bold]{markup(usage.path)}[/]: {markup(usage.source)}, {human_bytes(usage.file_bytes)}")
    if not usage.tables:
        console.print("No aws_dynamodb_table_item instances in this state.")
        return
    chart = Table(box=None, pad_edge=False, title_justify="left", title="Item instances and state bytes per table")
    chart.add_column("table")
    chart.add_column("items")
    chart.add_column("", justify="right")
    chart.add_column("state bytes")
    chart.add_column("", justify="right")
    most_items = max(t.instances for t in usage.tables)
    most_bytes = max(t.state_bytes for t in usage.tables)
    for table in usage.tables:
        style = "yellow" if table.instances > max_items else "green"
        chart.add_row(
            markup(table.table),
            f"[{style}]{bar(table.instances, most_items)}[/]",
            f"{table.instances:,}",
            f"[cyan]{bar(table.state_bytes, most_bytes)}[/]",
            human_bytes(table.state_bytes),
        )
    console.print(chart)
    console.print()
    console.print(_resource_table(usage))
    _summary(console, usage, max_items)


def _resource_table(usage: StateUsage) -> Table:
    from rich.table import Table

    details = Table(title="Item resources", title_justify="left", show_edge=False)
    for column in ("table", "resource", "at"):
        details.add_column(column)
    details.add_column("items", justify="right")
    details.add_column("state bytes", justify="right")
    details.add_column("per item", justify="right")
    for table in usage.tables:
        for resource in table.resources:
            details.add_row(
                markup(table.table),
                markup(resource.address),
                f"{resource.line}:{resource.column}",
                f"{resource.instances:,}",
                human_bytes(resource.state_bytes),
                human_bytes(resource.state_bytes // max(resource.instances, 1)),
            )
    return details


def _summary(console: Console, usage: StateUsage, max_items: int) -> None:
    over: list[TableUsage] = [t for t in usage.tables if t.instances > max_items]
    share = 100 * usage.state_bytes / max(usage.file_bytes, 1)
    lines = [
        f"\n{usage.instances:,} item instances in {len(usage.tables)} table(s) take "
        f"{human_bytes(usage.state_bytes)}, {share:.0f}% of the file."
    ]
    if over:
        names = ", ".join(f"`{markup(t.table)}`" for t in over)
        lines.append(
            f"[yellow]{len(over)} table(s) over max-items ({max_items}):[/] {names}. "
            "Move their items out of Terraform with `ddblint migrate`."
        )
    else:
        lines.append(f"[green]Every table is within max-items ({max_items}).[/]")
    for line in lines:
        console.print(line)
