"""``ddblint config [PATHS]``: the effective settings for these paths, and where each came from."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ddblint.cli.errors import EXIT_OK, fail


def config(
    paths: list[Path] | None = typer.Argument(None, help="The paths a check would lint (default: .)."),
    config_file: Path | None = typer.Option(None, "--config", help="Use this config file instead of searching."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore config files: show the defaults."),
) -> None:
    """Print the effective settings (file:line, command line or default for each) without linting."""
    from ddblint.config.effective import CommandLine, describe, effective_settings
    from ddblint.config.source import ConfigError

    targets = [str(p) for p in (paths or [Path(".")])]
    command_line = CommandLine(config=str(config_file) if config_file else None, isolated=isolated)
    try:
        effective = effective_settings(targets, command_line)
    except ConfigError as exc:
        raise typer.Exit(fail(str(exc))) from None
    sys.stdout.write(describe(effective))
    raise typer.Exit(EXIT_OK)
