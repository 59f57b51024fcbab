"""The ``ddblint`` command: a thin Typer shell over :func:`ddblint.api.lint`.

``ddblint PATHS`` is short for ``ddblint check PATHS``: when the first
argument is not a subcommand, ``check`` is implied. A directory whose name
matches a subcommand (``rules``) is linted when written as ``./rules``.
"""

from __future__ import annotations

import sys

import typer

from ddblint.cli import check, config, explain, migrate, state

app = typer.Typer(
    name="ddblint",
    help="Find aws_dynamodb_table_item misuse (application data kept in Terraform) before it ships.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.command("check")(check.check)
app.command("rule")(explain.rule)
app.command("rules")(explain.rules)
app.command("config")(config.config)
app.command("migrate")(migrate.migrate)
app.command("state")(state.state)

SUBCOMMANDS = {"check", "rule", "rules", "config", "migrate", "state"}
_TOP_LEVEL_FLAGS = {"--help", "-h", "--version"}


def _with_default_command(argv: list[str]) -> list[str]:
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in _TOP_LEVEL_FLAGS):
        return argv
    return ["check", *argv]


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns (and exits with) the run's exit code."""
    args = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    if args == ["--version"]:
        from ddblint import __version__

        print(f"ddblint {__version__}")
        raise SystemExit(0)
    try:
        code = app(args=args, prog_name="ddblint", standalone_mode=False)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
    except Exception as exc:  # noqa: BLE001 - click's usage errors and anything unforeseen
        code = _usage_or_internal(exc)
    code = int(code or 0)
    raise SystemExit(code)


def _usage_or_internal(exc: Exception) -> int:
    import click

    if isinstance(exc, click.exceptions.Abort):
        return 130
    if isinstance(exc, click.ClickException):
        exc.show()
        return 2
    from ddblint.cli.errors import report_internal_error

    return report_internal_error(exc, debug="--debug" in sys.argv)
