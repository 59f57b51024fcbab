"""``ddblint state FILE``: how many item instances a state holds per table, and the bytes they take."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ddblint.cli.check import OutputFormat
from ddblint.cli.errors import EXIT_FINDINGS, EXIT_OK, fail, report_internal_error

if TYPE_CHECKING:
    from ddblint.result import Result


def state(
    file: Path = typer.Argument(..., help="A state file (terraform.tfstate) or `terraform show -json` output."),
    output_format: OutputFormat = typer.Option(OutputFormat("full"), "--format", "-f", help="Report format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to FILE (atomically)."),
    max_items: int | None = typer.Option(None, "--max-items", min=0, help="DDB001 threshold (default 10)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Report aws_dynamodb_table_item instances and their state bytes per table."""
    from ddblint.state.read import StateFileError, read_state
    from ddblint.state.report import max_items_default, render_state, state_result

    limit = max_items if max_items is not None else max_items_default()
    try:
        usage = read_state(str(file))
    except StateFileError as exc:
        raise typer.Exit(fail(str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
        raise typer.Exit(report_internal_error(exc, debug)) from None
    result = state_result(usage, limit)
    if output_format.value == "full":
        if output is None:
            render_state(usage, limit, sys.stdout)
        else:
            from ddblint.atomic import atomic_writer

            with atomic_writer(output) as stream:
                render_state(usage, limit, stream, color=False)
    else:
        _report(result, output_format.value, output)
    raise typer.Exit(EXIT_FINDINGS if result.findings else EXIT_OK)


def _report(result: Result, format_name: str, output: Path | None) -> None:
    from ddblint.report import ReportOptions, get_reporter

    reporter = get_reporter(format_name)
    options = ReportOptions(cwd=os.getcwd())
    if output is None:
        reporter(result, sys.stdout, options)
        return
    from ddblint.atomic import atomic_writer

    with atomic_writer(output) as stream:
        reporter(result, stream, options)
