"""What ``ddblint migrate`` tells the user: files written, Terraform changes, and the order of steps.

Plain text on purpose: the ``removed`` blocks and shell commands are meant to be
copied, and colour codes or wrapping would break them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ddblint.migrate.files import data_file_name, script_file_name
from ddblint.migrate.plan import Candidate, MigrationPlan, Refusal
from ddblint.migrate.terraform import MIGRATION_FILE, MINIMUM_TERRAFORM, removed_block, state_rm_command
from ddblint.report import display_path


@dataclass(frozen=True)
class MigrationReport:
    plan: MigrationPlan
    out_dir: Path
    file_states: Mapping[Path, str]  # "new" or "unchanged", per written path
    wrote_terraform: bool
    cwd: str
    with_secrets: frozenset[str] = frozenset()  # tables whose items hold secrets (DDB024)


def by_root(candidates: Sequence[Candidate]) -> dict[str, list[Candidate]]:
    grouped: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate.root_dir, []).append(candidate)
    return grouped


def resource_place(candidate: Candidate, cwd: str) -> str:
    span = candidate.item_set.span
    return f"{display_path(span.path, cwd)}:{span.line}"


def render_migration(report: MigrationReport) -> str:
    plan = report.plan
    if not plan.tables:
        return "Nothing was migrated.\n"
    items = sum(len(t.items) for t in plan.tables)
    sets = len(plan.migrated)
    lines = [
        f"Migrating {sets} item set{'s' if sets != 1 else ''} out of Terraform: "
        f"{items:,} items into {len(plan.tables)} table{'s' if len(plan.tables) != 1 else ''}.",
        "",
        "1. Seed data and seeding scripts:",
    ]
    lines += _seed_lines(report)
    lines += ["", f"2. Take the items out of Terraform state without deleting them (Terraform {MINIMUM_TERRAFORM}+):"]
    lines += _terraform_lines(report)
    lines += ["", f"   Terraform older than {MINIMUM_TERRAFORM}: instead of the removed blocks, run in the root module"]
    for root, candidates in by_root(plan.migrated).items():
        lines.append(f"   {display_path(root, report.cwd)}/:")
        lines += [f"     {state_rm_command(c)}" for c in candidates]
    lines += [
        "",
        "3. Delete these resource blocks from your .tf files (ddblint does not edit them), then check that",
        "   `terraform plan` shows the items being removed from state, with nothing destroyed:",
    ]
    lines += [f"   {resource_place(c, report.cwd)}  {c.item_set.address}" for c in plan.migrated]
    lines += _secret_lines(report)
    return "\n".join(lines) + "\n"


def _secret_lines(report: MigrationReport) -> list[str]:
    tables = [t for t in report.plan.tables if t.name in report.with_secrets]
    if not tables:
        return []
    lines = ["", "Secrets: these items hold passwords, tokens or keys (DDB024), now in plain text in:"]
    for table in tables:
        lines.append(f"   {_path(report.out_dir / data_file_name(table), report)}  written mode 0600 (owner only)")
    lines.append("   Keep them out of version control; load the secrets from a secret store instead.")
    return lines


def _seed_lines(report: MigrationReport) -> list[str]:
    lines: list[str] = []
    for table in report.plan.tables:
        data = report.out_dir / data_file_name(table)
        script = report.out_dir / script_file_name(table)
        sources = ", ".join(c.item_set.address for c in table.sources)
        private = ", mode 0600: holds secrets" if table.name in report.with_secrets else ""
        lines.append(
            f"   {_shown(data, report)}  {len(table.items):,} items for table {table.name}, from {sources}{private}"
        )
        lines.append(f"   {_shown(script, report)}  loads them: python {_path(script, report)} --dry-run, then without")
    return lines


def _terraform_lines(report: MigrationReport) -> list[str]:
    lines: list[str] = []
    for root, candidates in by_root(report.plan.migrated).items():
        target = Path(root) / MIGRATION_FILE
        if report.wrote_terraform:
            lines.append(f"   {_shown(target, report)}  {len(candidates)} removed block(s)")
            continue
        if lines:
            lines.append("")
        lines.append(f"   add to the root module in {display_path(root, report.cwd)}/ (or run again with --write):")
        for candidate in candidates:
            lines.append("")
            lines += [f"     {line}".rstrip() for line in removed_block(candidate.item_set.address).splitlines()]
    return lines


def _path(path: Path, report: MigrationReport) -> str:
    return display_path(os.path.abspath(path), report.cwd)


def _shown(path: Path, report: MigrationReport) -> str:
    unchanged = " (unchanged)" if report.file_states.get(path) == "unchanged" else ""
    return f"{_path(path, report)}{unchanged}"


def render_refusal(refusal: Refusal, cwd: str) -> str:
    place = f"{display_path(refusal.span.path, cwd)}:{refusal.span.line}"
    return f"cannot migrate {refusal.address} ({place}): {refusal.reason}"
