"""``ddblint rule ID`` and ``ddblint rules``: the catalog, rendered for people."""

from __future__ import annotations

import sys
from enum import Enum

import typer

from ddblint.cli.errors import fail


def rule(rule_id: str = typer.Argument(..., help="A rule id (DDB001) or name (too-many-items).")) -> None:
    """Explain one rule: what it flags, why it matters, bad and good examples, how to fix."""
    from difflib import get_close_matches

    from ddblint.catalog.entries import load_catalog, rule_by_name_or_id

    doc = rule_by_name_or_id(rule_id)
    if doc is None:
        catalog = load_catalog()
        keys = list(catalog) + [r.name for r in catalog.values()]
        near = get_close_matches(rule_id.upper() if rule_id[:3].lower() == "ddb" else rule_id, keys, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise typer.Exit(fail(f"unknown rule {rule_id!r}{hint}; `ddblint rules` lists them"))
    from rich.console import Console
    from rich.markdown import Markdown

    from ddblint.catalog.docs import rule_markdown

    Console().print(Markdown(rule_markdown(doc)))


class RulesFormat(str, Enum):
    table = "table"
    json = "json"


def rules(
    output_format: RulesFormat = typer.Option(RulesFormat.table, "--format", "-f", help="table, or json for scripts."),
) -> None:
    """List every rule in the catalog."""
    from ddblint.catalog.entries import load_catalog

    catalog = load_catalog().values()
    if output_format is RulesFormat.json:
        import json

        listed = [
            {
                "id": doc.id,
                "name": doc.name,
                "severity": doc.severity.label,
                "summary": doc.summary,
                "tags": list(doc.tags),
                "options": {option.name: option.default for option in doc.options},
            }
            for doc in catalog
        ]
        sys.stdout.write(json.dumps({"version": 1, "rules": listed}, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("id", "name", "severity", "summary"):
        table.add_column(column)
    for doc in catalog:
        table.add_row(doc.id, doc.name, doc.severity.label, doc.summary)
    Console().print(table)
