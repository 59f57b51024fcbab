"""``ddblint state FILE``: how many item instances a state holds per table, and the bytes they take."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from ddblint.cli.check import COLOR_HELP, Color, FailOn, OutputFormat, exit_code, write_report
from ddblint.cli.errors import cannot_write_report, fail, report_internal_error

STDIN_LABEL = "<stdin>"


def state(
    file: Path = typer.Argument(
        ..., help="A state file (terraform.tfstate) or `terraform show -json` output; - reads standard input."
    ),
    output_format: OutputFormat = typer.Option(OutputFormat("full"), "--format", "-f", help="Report format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to FILE (atomically)."),
    fail_on: FailOn = typer.Option(FailOn.warning, "--fail-on", help="Lowest severity that fails the run."),
    max_items: int | None = typer.Option(None, "--max-items", min=0, help="DDB001 threshold (default 10)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stderr."),
    color: Color = typer.Option(Color.auto, "--color", help=COLOR_HELP),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Report aws_dynamodb_table_item instances and their state bytes per table."""
    from ddblint.findings import Severity
    from ddblint.report import ReportOptions
    from ddblint.state.read import StateFileError, read_state
    from ddblint.state.report import max_items_default, render_state, state_result

    limit = max_items if max_items is not None else max_items_default()
    try:
        usage = read_state(STDIN_LABEL, sys.stdin.read()) if str(file) == "-" else read_state(str(file))
    except StateFileError as exc:
        raise typer.Exit(fail(str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
        raise typer.Exit(report_internal_error(exc, debug)) from None
    result = state_result(usage, limit)
    try:
        if output_format.value != "full":
            write_report(result, output_format.value, output, ReportOptions(cwd=os.getcwd()), quiet)
        elif output is None:
            render_state(usage, limit, sys.stdout, color=color.wanted)
        else:
            from ddblint.atomic import atomic_writer

            with atomic_writer(output) as stream:
                render_state(usage, limit, stream, color=False)
    except OSError as exc:
        raise typer.Exit(cannot_write_report(output, exc)) from None
    gate = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    raise typer.Exit(exit_code(result, gate, debug))
