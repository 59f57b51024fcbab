"""``ddblint check PATHS``: lint, report, and exit with the build-gating code."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ddblint.cli.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, fail, report_internal_error

if TYPE_CHECKING:
    from ddblint.api import Result
    from ddblint.findings import Severity
    from ddblint.settings import Settings


class OutputFormat(str, Enum):
    full = "full"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def check(
    paths: list[Path] | None = typer.Argument(None, help="Directories or files to lint (default: .)."),
    output_format: OutputFormat = typer.Option(OutputFormat.full, "--format", "-f", help="Report format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to FILE (atomically)."),
    fail_on: FailOn | None = typer.Option(None, "--fail-on", help="Lowest severity that fails the run."),
    max_items: int | None = typer.Option(None, "--max-items", min=0, help="DDB001 threshold (default 10)."),
    var_file: list[Path] = typer.Option([], "--var-file", help="Extra tfvars file for root modules (repeatable)."),
    sarif_category: str | None = typer.Option(None, "--sarif-category", help="SARIF automationDetails.id."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Parser processes (default: automatic)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Keep the cache in DIR (default: user cache)."),
    max_file_size: int | None = typer.Option(
        None, "--max-file-size", min=1, help="Skip files larger than BYTES with a DDB000 finding (default 5 MiB)."
    ),
    parse_timeout: float | None = typer.Option(
        None, "--parse-timeout", min=0.001, help="Seconds the parser may spend on one file (default 10)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display and no summary on stderr."),
    show_suppressed: bool = typer.Option(False, "--show-suppressed", help="Also print suppressed findings."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    config: Path | None = typer.Option(None, "--config", help="Use this config file instead of searching for one."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore config files: defaults and flags only."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules or prefixes (DDB001,DDB01)."),
    extend_select: list[str] = typer.Option([], "--extend-select", help="Also these rules or prefixes."),
    ignore: list[str] = typer.Option([], "--ignore", help="Not these rules or prefixes."),
    exclude: list[str] | None = typer.Option(None, "--exclude", help="Skip paths matching GLOB (replaces config)."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Suppress the findings recorded in FILE."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Record today's findings in FILE."),
    show_settings: bool = typer.Option(False, "--show-settings", help="Print the effective settings and exit."),
) -> None:
    """Lint Terraform files for aws_dynamodb_table_item misuse."""
    from ddblint.baseline import BaselineError
    from ddblint.config import CommandLine, describe, effective_settings, with_baseline
    from ddblint.config_source import ConfigError
    from ddblint.discover import UsageError

    targets = [str(p) for p in (paths or [Path(".")])]
    command_line = CommandLine(
        config=str(config) if config else None,
        isolated=isolated,
        select=tuple(select) if select is not None else None,
        extend_select=tuple(extend_select),
        ignore=tuple(ignore),
        exclude=tuple(exclude) if exclude is not None else None,
        fail_on=fail_on.value if fail_on is not None else None,
        baseline=str(baseline) if baseline else None,
        max_items=max_items,
        var_files=tuple(str(v) for v in var_file),
        jobs=jobs,
        cache=not no_cache,
    )
    try:
        effective = effective_settings(targets, command_line)
    except ConfigError as exc:
        raise typer.Exit(fail(str(exc))) from None
    if show_settings:
        sys.stdout.write(describe(effective))
        raise typer.Exit(EXIT_OK)
    if write_baseline is not None:
        effective = with_baseline(effective, None)
    settings = _with_limits(effective.settings, cache_dir, max_file_size, parse_timeout)
    try:
        result = _lint(targets, settings, quiet)
    except (UsageError, BaselineError) as exc:
        raise typer.Exit(fail(str(exc))) from None
    except _Hcl2Mismatch as exc:
        raise typer.Exit(fail(str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
        raise typer.Exit(report_internal_error(exc, debug)) from None
    if write_baseline is not None:
        raise typer.Exit(_write_baseline(result, write_baseline))
    if result.stale_baseline and not quiet and settings.baseline:
        from ddblint.baseline import stale_notice

        sys.stderr.write(stale_notice(result.stale_baseline, settings.baseline))
    try:
        _report(result, output_format.value, output, sarif_category, show_suppressed, quiet)
    except OSError as exc:
        raise typer.Exit(fail(f"cannot write the report to {output or 'stdout'}: {exc.strerror or exc}")) from None
    raise typer.Exit(_exit_code(result, settings.fail_on, debug))


class _Hcl2Mismatch(Exception):
    pass


def _write_baseline(result: Result, path: Path) -> int:
    """Recording a baseline accepts today's findings: it does not fail the run."""
    from ddblint.baseline import write_baseline

    try:
        count = write_baseline(str(path), result.findings)
    except OSError as exc:
        return fail(f"cannot write the baseline to {path}: {exc.strerror or exc}")
    sys.stderr.write(f"ddblint: recorded {count} finding{'s' if count != 1 else ''} in {path}\n")
    return EXIT_OK


def _with_limits(
    settings: Settings, cache_dir: Path | None, max_file_size: int | None, parse_timeout: float | None
) -> Settings:
    """Flags for where the cache lives and how much one file may cost win over the config file."""
    from dataclasses import replace

    if cache_dir is not None:
        settings = replace(settings, cache_dir=str(cache_dir))
    if max_file_size is not None:
        settings = replace(settings, max_file_size=max_file_size)
    if parse_timeout is not None:
        settings = replace(settings, parse_time_budget=parse_timeout)
    return settings


def _lint(targets: list[str], settings: Settings, quiet: bool) -> Result:
    import gc

    from ddblint.api import lint
    from ddblint.compat import ForeignHcl2Error
    from ddblint.progress import progress_for

    progress = progress_for(sys.stderr, quiet)
    # A run builds objects that live until it ends, and almost no reference cycles:
    # the collector's passes over a growing heap would only cost time. Freezing
    # before enabling it again spares the report a last pass over them all.
    gc.disable()
    try:
        return lint(targets, settings, progress=progress)
    except ForeignHcl2Error as exc:
        raise _Hcl2Mismatch(str(exc)) from None
    finally:
        gc.freeze()
        gc.enable()
        progress.close()


def _report(
    result: Result, format_name: str, output: Path | None, category: str | None, show_suppressed: bool, quiet: bool
) -> None:
    """Write the report; when it is for machines or in a file, tell the build log on stderr too."""
    from ddblint.report import ReportOptions, get_reporter
    from ddblint.report.summary import summary_line, wants_summary

    options = ReportOptions(cwd=os.getcwd(), sarif_category=category, show_suppressed=show_suppressed)
    reporter = get_reporter(format_name)
    if output is None:
        reporter(result, sys.stdout, options)
    else:
        from ddblint.atomic import atomic_writer

        with atomic_writer(output) as stream:
            reporter(result, stream, options)
    if not quiet and wants_summary(format_name, output is not None):
        sys.stderr.write(summary_line(result, str(output) if output else None) + "\n")


def _exit_code(result: Result, gate: Severity | None, debug: bool) -> int:
    if result.internal_errors:
        for error in result.internal_errors:
            sys.stderr.write(
                f"ddblint: internal error in rule {error.rule_id} while checking {error.path}: {error.message}\n"
            )
            if debug:
                sys.stderr.write(error.traceback)
        sys.stderr.write("This is a bug in ddblint; the other modules were linted. Run with --debug for tracebacks.\n")
        return EXIT_ERROR
    if gate is None:
        return EXIT_OK
    failing = any(f.severity >= gate and not f.suppressed for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_OK
