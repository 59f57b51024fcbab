"""``ddblint migrate PATHS``: move misused item sets out of Terraform (seed data, script, removed blocks)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ddblint.cli.errors import EXIT_ERROR, EXIT_OK, fail, report_internal_error

if TYPE_CHECKING:
    from ddblint.config.effective import CommandLine
    from ddblint.migrate.plan import MigrationPlan


@dataclass(frozen=True)
class _Request:
    """What to migrate and where to put it, as the flags said."""

    targets: list[str]
    addresses: list[str]
    out: Path
    write: bool
    table_name: str | None


def migrate(
    paths: list[Path] | None = typer.Argument(None, help="Directories or files to migrate from (default: .)."),
    resource: list[str] = typer.Option(
        [], "--resource", "-r", help="Migrate this item set (e.g. aws_dynamodb_table_item.users); repeatable."
    ),
    out: Path = typer.Option(Path("seed-data"), "--out", help="Directory for seed data files and scripts."),
    write: bool = typer.Option(False, "--write", help="Create ddblint_migration.tf with the removed blocks."),
    table_name: str | None = typer.Option(None, "--table-name", help="Table the items go to, if only known at apply."),
    var_file: list[Path] = typer.Option([], "--var-file", help="Extra tfvars file for root modules (repeatable)."),
    max_items: int | None = typer.Option(None, "--max-items", min=0, help="DDB001 threshold (default 10)."),
    config: Path | None = typer.Option(None, "--config", help="Use this config file instead of searching for one."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore config files: defaults and flags only."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
) -> None:
    """Write seed data and a boto3 seeding script for each flagged item set, and the Terraform to drop it.

    Item sets are chosen as ddblint check flags them, with the same
    configuration file, thresholds and suppressions.
    """
    from ddblint.config.effective import CommandLine
    from ddblint.config.source import ConfigError
    from ddblint.discover.files import UsageError
    from ddblint.migrate.files import OutputConflict
    from ddblint.migrate.plan import MigrationError
    from ddblint.parse.compat import ForeignHcl2Error

    request = _Request([str(p) for p in (paths or [Path(".")])], resource, out, write, table_name)
    command_line = CommandLine(
        config=str(config) if config else None,
        isolated=isolated,
        max_items=max_items,
        var_files=tuple(str(v) for v in var_file),
    )
    try:
        code = _migrate(request, command_line)
    except (ConfigError, UsageError, MigrationError, OutputConflict, ForeignHcl2Error) as exc:
        code = fail(str(exc))
    except OSError as exc:
        code = fail(f"cannot write {exc.filename}: {exc.strerror}")
    except Exception as exc:  # noqa: BLE001 - the last guard before a traceback
        code = report_internal_error(exc, debug)
    raise typer.Exit(code)


def _tables_with_secrets(plan: MigrationPlan) -> frozenset[str]:
    """Tables some of whose migrated items hold what DDB024 flags, whether or not DDB024 is selected."""
    return frozenset(table.name for table in plan.tables if any(c.item_set.secrets for c in table.sources))


def _migrate(request: _Request, command_line: CommandLine) -> int:
    from ddblint.api import lint
    from ddblint.config.effective import effective_settings
    from ddblint.migrate.files import PlannedFile, seed_files, write_all
    from ddblint.migrate.plan import FLAGGING_RULES, choose_candidates, plan_migration
    from ddblint.migrate.report import MigrationReport, by_root, render_migration, render_refusal, resource_place
    from ddblint.migrate.terraform import MIGRATION_FILE, migration_file

    settings = effective_settings(request.targets, command_line).settings
    result = lint(request.targets, settings, keep_analysis=True)  # the plan reads every item set
    analysis = result.analysis
    item_sets = [(s, load.root_dir) for load in (analysis.loads if analysis else []) for s in load.item_sets]
    flagged = {f.address for f in result.findings if f.rule_id in FLAGGING_RULES and not f.suppressed}
    candidates = choose_candidates(item_sets, flagged, request.addresses)
    if not candidates:
        print("Nothing to migrate: no item set is flagged by DDB001, DDB002 or DDB003.")
        return EXIT_OK
    plan = plan_migration(candidates, request.table_name)
    with_secrets = _tables_with_secrets(plan)
    files = seed_files(plan.tables, request.out, with_secrets)
    if request.write:
        for root, migrated in by_root(plan.migrated).items():
            places = {c.item_set.address: resource_place(c, root) for c in migrated}
            files.append(PlannedFile(Path(root) / MIGRATION_FILE, migration_file(migrated, places)))
    states = write_all(files)
    cwd = os.getcwd()
    sys.stdout.write(render_migration(MigrationReport(plan, request.out, states, request.write, cwd, with_secrets)))
    if with_secrets:
        sys.stderr.write(
            f"ddblint: warning: the migrated items of {', '.join(sorted(with_secrets))} hold secrets (DDB024); "
            "their seed data files are written mode 0600\n"
        )
    for refusal in plan.refusals:
        fail(render_refusal(refusal, cwd))
    return EXIT_ERROR if plan.refusals else EXIT_OK
