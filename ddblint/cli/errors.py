"""How errors reach a user: one clear line, exit code 2, a traceback only with ``--debug``."""

from __future__ import annotations

import sys

from ddblint.report.escape import plain

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def fail(message: str) -> int:
    """A usage or configuration error: say what and where, return exit code 2."""
    sys.stderr.write(f"ddblint: error: {plain(message)}\n")  # it may quote a file name or config key
    return EXIT_ERROR


def cannot_write_report(output: object | None, exc: OSError) -> int:
    """The report could not be written to ``output`` (None: stdout): exit code 2."""
    return fail(f"cannot write the report to {output or 'stdout'}: {exc.strerror or exc}")


def report_internal_error(exc: BaseException, debug: bool) -> int:
    sys.stderr.write(
        f"ddblint: internal error: {type(exc).__name__}: {plain(str(exc))}\n"
        "This is a bug in ddblint; please report it. Run with --debug for the traceback.\n"
    )
    if debug:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return EXIT_ERROR
