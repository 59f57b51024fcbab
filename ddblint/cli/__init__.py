"""The ``ddblint`` command: a thin Typer shell over :func:`ddblint.api.lint`.

``ddblint PATHS`` is short for ``ddblint check PATHS``: when the first
argument is not a subcommand, ``check`` is implied. A directory whose name
matches a subcommand (``rules``) is linted when written as ``./rules``.

A command line of paths alone, the pre-commit hook's, is not handed to Typer:
with no option there is nothing to parse, so :func:`~ddblint.cli.check.check`
runs with its own defaults. Importing Typer and its parsing (which converts
every parameter through pydantic) would cost more than linting a few files.
Before that, :func:`ddblint.nothing.nothing_to_check` answers the hook's most
common run, files that have nothing to do with DynamoDB items, without loading
the checker at all; this module imports little for the same reason.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing: see the module's docstring
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    import typer

SUBCOMMANDS = {"check", "rule", "rules", "config", "migrate", "state"}
_TOP_LEVEL_FLAGS = {"--help", "-h", "--install-completion", "--show-completion"}
VERSION_FLAGS = {"-V", "--version"}
COMPLETION_VARIABLE = "_DDBLINT_COMPLETE"  # set by the shell completion scripts Typer installs


def build_app() -> typer.Typer:
    """The Typer application, built only when a command line has something to parse."""
    import typer

    from ddblint.cli import check, config, explain, migrate, state

    app = typer.Typer(
        name="ddblint",
        help="Find aws_dynamodb_table_item misuse (application data kept in Terraform) before it ships.",
        add_completion=True,
        no_args_is_help=False,
        # Typer escapes "[default: ...]" for Rich even with markup off, printing "\\[default"; with
        # Rich markup on, the escape is read, and help is only ever shown at a terminal.
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def options(version: bool = typer.Option(False, "--version", "-V", help="Print the version and exit.")) -> None:
        """Listed in the help only: :func:`main` answers ``-V`` wherever it is on the line."""

    app.command("check")(_with_evaluated_annotations(check.check))
    app.command("rule")(explain.rule)
    app.command("rules")(explain.rules)
    app.command("config")(config.config)
    app.command("migrate")(migrate.migrate)
    app.command("state")(state.state)
    return app


def _with_evaluated_annotations(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` with its ``Annotated`` options evaluated for Typer.

    The command's module names ``typer`` only for type checkers, so that it
    loads without Typer; Typer reads the signature and type hints given here.
    """
    import functools
    import inspect  # only when Typer parses options: the hook's paths-only run skips it

    import typer

    signature = inspect.signature(command, eval_str=True, locals={"typer": typer})

    @functools.wraps(command)
    def evaluated(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    evaluated.__signature__ = signature  # type: ignore[attr-defined]
    evaluated.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    return evaluated


def _with_default_command(argv: list[str]) -> list[str]:
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in _TOP_LEVEL_FLAGS):
        return argv
    return ["check", *argv]


def _paths_only(args: list[str]) -> list[str] | None:
    """The paths of ``check PATH...`` or ``check -- PATH...`` (the hook's form); None when an option may follow.

    After ``--`` every argument is a path, so a committed file named ``--write-baseline=main.tf``
    is linted, not obeyed.
    """
    if args[0] != "check":
        return None
    if args[1:2] == ["--"]:
        return args[2:]
    return None if any(arg.startswith("-") for arg in args[1:]) else args[1:]


# The options of ``check`` that take no value (tests/test_startup.py keeps this in step with its signature).
CHECK_FLAGS = frozenset(
    {"--no-cache", "--quiet", "-q", "--show-suppressed", "--debug", "--isolated", "--show-settings", "--statistics"}
)
# Options of ``check`` a command line may use without Typer: the CI and benchmark forms
# (``ddblint . --format sarif -o out.sarif --quiet``). Flags, then options with a value.
_SIMPLE_FLAGS = {"--quiet": "quiet", "-q": "quiet", "--no-cache": "no_cache", "--show-suppressed": "show_suppressed"}
_SIMPLE_VALUES = {"--format": "output_format", "-f": "output_format", "--output": "output", "-o": "output"}
_SIMPLE_VALUES |= {"--cache-dir": "cache_dir", "--jobs": "jobs", "-j": "jobs"}


def _simple_check(args: list[str]) -> dict[str, Any] | None:
    """The arguments of ``check`` for a command line of paths and the options above, each valid; None for
    anything else, which Typer parses (and explains, when it is wrong). Importing and running Typer costs
    a warm run over a large repository a tenth of its time."""
    if args[0] != "check":
        return None
    from pathlib import Path

    given: dict[str, Any] = {}
    paths: list[Path] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths.extend(Path(path) for path in rest)
            break
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _SIMPLE_FLAGS and not equals:
            given[_SIMPLE_FLAGS[name]] = True
        elif name in _SIMPLE_VALUES:
            value = value if equals else next(rest, "")
            parsed = _simple_value(_SIMPLE_VALUES[name], value)
            if parsed is None:
                return None
            given[_SIMPLE_VALUES[name]] = parsed
        elif arg.startswith("-") or not arg:
            return None
        else:
            paths.append(Path(arg))
    return {"paths": paths or None, **given}


def _simple_value(name: str, value: str) -> object | None:
    """``value`` as ``check`` takes it, or None when Typer should say what is wrong with it."""
    if not value or value.startswith("-"):
        return None
    if name == "output_format":
        from ddblint.cli.check import OutputFormat

        return OutputFormat(value) if value in OutputFormat.__members__ else None
    if name == "jobs":
        return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 6 and int(value) >= 1 else None
    from pathlib import Path

    return Path(value)


def _empty_path_given(args: list[str]) -> bool:
    """``ddblint ""``: a path argument that is empty (the path type would read it as ``.``, the whole tree).

    An empty argument is a path unless it is an option's value: after ``--``, or after a flag
    (``-q ""``), it is a path too.
    """
    for index, arg in enumerate(args[1:]):
        before = args[index]
        if before == "--":
            return "" in args[index + 1 :]
        if arg == "" and (not before.startswith("-") or before in CHECK_FLAGS or "=" in before):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns (and exits with) the run's exit code."""
    given = list(sys.argv[1:] if argv is None else argv)
    if VERSION_FLAGS.intersection(given[: given.index("--")] if "--" in given else given):
        from ddblint import __version__

        print(f"ddblint {__version__}")
        raise SystemExit(0)
    completing = bool(os.environ.get(COMPLETION_VARIABLE))
    args = given if completing else _with_default_command(given)
    code: int | str | None
    if _empty_path_given(args):
        from ddblint.cli.errors import fail

        raise SystemExit(fail("an empty path was given; name a directory or file (`.` for the current one)"))
    try:
        paths = None if completing else _paths_only(args)
        simple = None if completing or paths is not None else _simple_check(args)
        if paths is not None:
            code = _check_paths(paths)
        elif simple is not None:
            from ddblint.cli.check import check

            code = check(**simple)
        else:
            code = build_app()(args=args, prog_name="ddblint", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # Ctrl-C: the shell's code for it, and no traceback
        code = 130
    except Exception as exc:  # noqa: BLE001 - click's usage errors and anything unforeseen
        code = _usage_or_internal(exc)
    code = int(code or 0)
    raise SystemExit(code)


def _check_paths(paths: list[str]) -> int:
    """``ddblint PATHS``: the one line of a run with nothing to check when that is proven early, else the check."""
    from ddblint.nothing import nothing_to_check

    report = nothing_to_check(paths)
    if report is None:
        from pathlib import Path

        from ddblint.cli.check import check

        return check(paths=[Path(arg) for arg in paths] or None)
    try:
        sys.stdout.write(report)
    except OSError as exc:
        from ddblint.cli.errors import cannot_write_report

        return cannot_write_report(None, exc)
    return 0


def _usage_or_internal(exc: Exception) -> int:
    import typer

    if isinstance(exc, typer.Exit):
        return exc.exit_code
    if isinstance(exc, typer.Abort):
        return 130
    show = getattr(exc, "show", None)
    if callable(show):  # click's usage errors, whether Typer vendors click or not, print themselves
        show()
        return 2
    from ddblint.cli.errors import report_internal_error

    return report_internal_error(exc, debug="--debug" in sys.argv)
