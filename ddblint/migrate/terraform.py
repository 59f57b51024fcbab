"""The Terraform side of a migration: ``removed`` blocks and their ``terraform state rm`` twins.

Both forget *every* instance of a resource and delete nothing in the table. That
is deliberate: the resource block is deleted afterwards, and any instance still
in state then (one ddblint did not evaluate, say from another tfvars file) would
be destroyed by the next apply. So the commands name whole resources, never
single instances, except where Terraform's own address syntax forces keys: a
resource inside a module called with ``count`` or ``for_each`` lives at
``module.x["key"].aws_dynamodb_table_item.y``, and ``terraform state rm`` only
accepts such addresses with their module keys. For those, the command asks
``terraform state list`` for the instances and removes what it lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from ddblint.migrate.plan import Candidate

MIGRATION_FILE = "ddblint_migration.tf"
"""The new file ``--write`` creates in each root module; existing ``.tf`` files are never edited."""

MINIMUM_TERRAFORM = "1.7"

_INSTANCE_KEY_PATTERN = r'\[("([^"\\]|\\.)*"|[0-9]+)\]'
"""An instance key as ``terraform state list`` prints it: ``["a"]`` or ``[0]`` (ERE syntax)."""


def removed_block(address: str) -> str:
    """A ``removed`` block that forgets every instance of ``address`` (Terraform 1.7+)."""
    return f"removed {{\n  from = {address}\n\n  lifecycle {{\n    destroy = false\n  }}\n}}\n"


def migration_file(candidates: Sequence[Candidate], resource_places: dict[str, str]) -> str:
    """The content of :data:`MIGRATION_FILE` for the candidates of one root module.

    ``resource_places`` maps each address to where its block is (``main.tf:37``),
    for the reminder that the block itself must go.
    """
    lines = [
        "# Written by `ddblint migrate`. These items now live in the seed data files it wrote",
        "# and are loaded by their seeding scripts. Each removed block below takes one resource",
        f"# out of Terraform state without deleting its items from the table (Terraform {MINIMUM_TERRAFORM}+).",
        "# Delete the resource blocks before `terraform plan`; without these removed blocks,",
        "# deleting them would destroy the items:",
    ]
    lines += [f"#   {c.item_set.address} ({resource_places[c.item_set.address]})" for c in candidates]
    body = "\n".join(removed_block(c.item_set.address) for c in candidates)
    return "\n".join(lines) + "\n\n" + body


def state_rm_command(candidate: Candidate) -> str:
    """The ``terraform state rm`` equivalent of the candidate's ``removed`` block, shell-quoted."""
    item_set = candidate.item_set
    if not _has_module_keys(candidate):
        return f"terraform state rm {_single_quoted(item_set.address)}"
    pattern = _address_pattern(item_set.address)
    return f"terraform state list | grep -E {_single_quoted(pattern)} | tr '\\n' '\\0' | xargs -0 terraform state rm"


def _single_quoted(text: str) -> str:
    """POSIX shell quoting that always quotes, so addresses read the same whatever they hold."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _has_module_keys(candidate: Candidate) -> bool:
    """True when a module call on the way has ``count`` or ``for_each``: its instances carry keys."""
    return bool(candidate.item_set.module_address) and bool(candidate.item_set.fanout.via)


def _address_pattern(address: str) -> str:
    """An ERE matching every instance of ``address``, whatever the module and resource keys.

    Terraform names hold only letters, digits, ``_`` and ``-``: nothing to escape.
    """
    parts = address.split(".")
    pattern: list[str] = []
    index = 0
    while index < len(parts) - 2:
        pattern.append(rf"module\.{parts[index + 1]}({_INSTANCE_KEY_PATTERN})?\.")
        index += 2
    pattern.append(rf"{parts[-2]}\.{parts[-1]}({_INSTANCE_KEY_PATTERN})?")
    return "^" + "".join(pattern) + "$"
