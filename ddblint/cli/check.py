"""``ddblint check PATHS``: lint, report, and exit with the build-gating code.

The options are declared in ``Annotated`` metadata, so their defaults are the
function's own and the module loads without Typer: a command line of paths
alone calls :func:`check` directly (see :mod:`ddblint.cli`), and Typer, which
costs more than linting a few files, is imported only to parse options.
"""

from __future__ import annotations

import math
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from ddblint.cli.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cannot_write_report, fail, report_internal_error
from ddblint.report import FORMATS
from ddblint.report.escape import plain

if TYPE_CHECKING:
    import typer

    from ddblint.config.settings import Settings
    from ddblint.findings import Severity
    from ddblint.report import ReportOptions
    from ddblint.result import Result


# The choices of --format, made from the one list of formats (a light import: no reporter loads).
OutputFormat = Enum("OutputFormat", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


COLOR_HELP = "Colour: auto (a terminal, unless NO_COLOR is set), always (also FORCE_COLOR), never."


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"

    @property
    def wanted(self) -> bool | None:
        """True or False when forced; None to decide from the stream, NO_COLOR and FORCE_COLOR."""
        return None if self is Color.auto else self is Color.always


def check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Directories or files to lint (default: .).")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat(
        "full"
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE (atomically).")
    ] = None,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", help="Lowest severity that fails the run.")] = None,
    max_items: Annotated[int | None, typer.Option("--max-items", min=1, help="DDB001 threshold (default 10).")] = None,
    var_file: Annotated[
        list[Path] | None, typer.Option("--var-file", help="Extra tfvars file for root modules (repeatable).")
    ] = None,
    sarif_category: Annotated[str | None, typer.Option("--sarif-category", help="SARIF automationDetails.id.")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parser processes (default: automatic).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", help="Keep the cache in DIR (default: user cache).")
    ] = None,
    max_file_size: Annotated[
        int | None,
        typer.Option(
            "--max-file-size", min=1, help="Skip files larger than BYTES with a DDB000 finding (default 5 MiB)."
        ),
    ] = None,
    parse_timeout: Annotated[
        float | None,
        typer.Option("--parse-timeout", min=0.001, help="Seconds the parser may spend on one file (default 10)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display and no summary on stderr.")] = False,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed", help="Also report suppressed findings (SARIF: with `suppressions`).")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this config file instead of searching for one.")
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore config files: defaults and flags only.")] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rules or prefixes (DDB001,DDB01).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Also these rules or prefixes.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Not these rules or prefixes.")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Skip paths matching GLOB (replaces config).")
    ] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Suppress the findings recorded in FILE.")] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Record today's findings in FILE.")
    ] = None,
    show_settings: Annotated[
        bool, typer.Option("--show-settings", help="Print the effective settings and exit.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule has, not the findings.")
    ] = False,
    color: Annotated[
        Color,
        typer.Option("--color", help=COLOR_HELP),
    ] = Color.auto,
) -> int:
    """Lint Terraform files for aws_dynamodb_table_item misuse."""
    from ddblint.config.effective import CommandLine, describe, effective_settings, without_baseline
    from ddblint.config.source import ConfigError
    from ddblint.discover.files import UsageError
    from ddblint.filter.baseline import BaselineError

    if parse_timeout is not None and not math.isfinite(parse_timeout):
        return fail(f"--parse-timeout must be a finite number of seconds, not {parse_timeout}")
    targets = [str(p) for p in (paths or [Path(".")])]
    cache_note = _choose_cache(targets, not no_cache, cache_dir)
    command_line = CommandLine(
        config=str(config) if config else None,
        isolated=isolated,
        select=tuple(select) if select is not None else None,
        extend_select=tuple(extend_select or ()),
        ignore=tuple(ignore or ()),
        exclude=tuple(exclude) if exclude is not None else None,
        fail_on=fail_on.value if fail_on is not None else None,
        baseline=str(baseline) if baseline else None,
        max_items=max_items,
        var_files=tuple(str(v) for v in var_file or ()),
        jobs=jobs,
        cache=not no_cache,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
        max_file_size=max_file_size,
        parse_timeout=parse_timeout,
    )
    try:
        effective = effective_settings(targets, command_line)
    except ConfigError as exc:
        return fail(str(exc))
    if show_settings:
        sys.stdout.write(describe(effective))
        return EXIT_OK
    if write_baseline is not None:
        effective = without_baseline(effective)
    settings = effective.settings
    if cache_note and not quiet:
        sys.stderr.write(cache_note)
    try:
        result = _lint(targets, settings, quiet)
    except (UsageError, BaselineError, ConfigError) as exc:
        return fail(str(exc))
    except _Hcl2Mismatch as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
        return report_internal_error(exc, debug)
    if write_baseline is not None:
        return _write_baseline(result, write_baseline)
    if result.notes and not quiet:
        sys.stderr.write("".join(f"ddblint: note: {note}\n" for note in result.notes))
    if result.stale_baseline and not quiet and settings.baseline:
        from ddblint.report.summary import stale_notice

        sys.stderr.write(stale_notice(result.stale_baseline, settings.baseline))
    try:
        if statistics:
            from ddblint.report.statistics import render_statistics

            render_statistics(result, sys.stdout)
        else:
            options = _options(sarif_category, show_suppressed, color, settings.max_file_size)
            write_report(result, output_format.value, output, options, quiet)
    except OSError as exc:
        return cannot_write_report(output, exc)
    return exit_code(result, settings.fail_on, debug)


class _Hcl2Mismatch(Exception):
    pass


def _write_baseline(result: Result, path: Path) -> int:
    """Recording a baseline accepts today's findings: it does not fail the run."""
    from ddblint.filter.baseline import write_baseline

    try:
        count = write_baseline(str(path), result.findings)
    except OSError as exc:
        return fail(f"cannot write the baseline to {path}: {exc.strerror or exc}")
    sys.stderr.write(f"ddblint: recorded {count} finding{'s' if count != 1 else ''} in {plain(str(path))}\n")
    return EXIT_OK


def _choose_cache(targets: list[str], enabled: bool, directory: Path | None) -> str:
    """Tell the catalog which cache it may use, before anything reads it; a note if the cache is not used."""
    from ddblint.cache.location import cache_directory, default_directory
    from ddblint.catalog.entries import use_cache
    from ddblint.repo_paths import common_root, find_repo_root

    chosen = str(directory) if directory is not None else None
    repository = find_repo_root(common_root([os.path.abspath(t) for t in targets]))
    use_cache(enabled, chosen, repository)
    if not enabled or cache_directory(enabled, chosen, repository) is not None:
        return ""
    return (
        f"ddblint: not using the cache in {plain(chosen or default_directory())}: it is inside the scanned "
        f"repository {plain(repository)}, where a pull request could plant entries; running without it\n"
    )


def _lint(targets: list[str], settings: Settings, quiet: bool) -> Result:
    import gc

    from ddblint.api import lint
    from ddblint.parse.compat import ForeignHcl2Error
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


def _options(category: str | None, show_suppressed: bool, color: Color, max_file_size: int) -> ReportOptions:
    from ddblint.report import ReportOptions

    return ReportOptions(
        cwd=os.getcwd(),
        sarif_category=category,
        show_suppressed=show_suppressed,
        color=color.wanted,
        max_file_size=max_file_size,
    )


def write_report(result: Result, format_name: str, output: Path | None, options: ReportOptions, quiet: bool) -> None:
    """Write the report; when it is for machines or in a file, tell the build log on stderr too."""
    from ddblint.report import get_reporter
    from ddblint.report.summary import summary_line, wants_summary

    reporter = get_reporter(format_name)
    if output is None:
        reporter(result, sys.stdout, options)
    else:
        from ddblint.atomic import atomic_writer

        with atomic_writer(output) as stream:
            reporter(result, stream, options)
    if not quiet and wants_summary(format_name, output is not None):
        sys.stderr.write(summary_line(result, str(output) if output else None) + "\n")


def exit_code(result: Result, gate: Severity | None, debug: bool) -> int:
    """1 when an unsuppressed finding is at or above ``gate``; 2 after an internal error."""
    if result.internal_errors:
        for error in result.internal_errors:
            sys.stderr.write(
                f"ddblint: internal error in rule {error.rule_id} while checking {plain(error.path)}: "
                f"{plain(error.message)}\n"
            )
            if debug:
                sys.stderr.write(error.traceback)
        sys.stderr.write("This is a bug in ddblint; the other modules were linted. Run with --debug for tracebacks.\n")
        return EXIT_ERROR
    if gate is None:
        return EXIT_OK
    failing = any(f.severity >= gate and not f.suppressed for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_OK
