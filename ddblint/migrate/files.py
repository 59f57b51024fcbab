"""The files a migration writes: seed data, seeding scripts, and the Terraform ``removed`` blocks.

Every file is new or left as it is. A file that exists with the same content is
"unchanged", so running ``ddblint migrate`` twice is harmless; one that exists
with other content is a conflict, reported before anything is written, so a
migration never half-happens and never replaces what a person edited. A data
file whose items hold secrets (what DDB024 flags) is readable by its owner only.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddblint.migrate.plan import SeedTable

_SETTINGS_BLOCK = re.compile(r"# ddblint:settings:start\n.*?# ddblint:settings:end\n", re.DOTALL)


class OutputConflict(Exception):
    """A file ddblint would write exists with different content."""


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    text: str
    executable: bool = False
    private: bool = False  # mode 0600: the items hold secrets

    def state(self) -> str:
        """``"new"``, ``"unchanged"`` or ``"conflict"``, from what is on disk now."""
        try:
            current = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return "new"
        except (OSError, UnicodeDecodeError):
            return "conflict"
        return "unchanged" if current == self.text else "conflict"


def data_file_name(table: SeedTable) -> str:
    return f"{table.name}.json"


def script_file_name(table: SeedTable) -> str:
    return f"seed_{table.name}.py"


def render_items(items: Sequence[dict[str, Any]]) -> str:
    """A JSON list of DynamoDB JSON items, one per line: small diffs when the data changes."""
    if not items:
        return "[]\n"
    lines = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def render_seed_script(table: SeedTable) -> str:
    """The seeding script for ``table``: :mod:`ddblint.migrate.seed_script` with its settings filled in."""
    template = Path(__file__).with_name("seed_script.py").read_text(encoding="utf-8")
    settings = (
        "# ddblint:settings:start\n"
        f"TABLE_NAME = {_literal(table.name)}\n"
        f"PARTITION_KEY = {_literal(table.partition_key)}\n"
        f"SORT_KEY: str | None = {_literal(table.sort_key)}\n"
        f"DATA_FILE = {_literal(data_file_name(table))}\n"
        "# ddblint:settings:end\n"
    )
    rendered, replaced = _SETTINGS_BLOCK.subn(lambda _: settings, template, count=1)
    if replaced != 1:
        raise RuntimeError("the seed script template lost its settings block")
    return rendered


def _literal(text: str | None) -> str:
    """A Python literal in the script's own style: JSON strings are valid Python strings."""
    return "None" if text is None else json.dumps(text, ensure_ascii=False)


def seed_files(tables: Sequence[SeedTable], out_dir: Path, with_secrets: Collection[str] = ()) -> list[PlannedFile]:
    """A data file and a script per table; the data files of tables in ``with_secrets`` are private."""
    files: list[PlannedFile] = []
    for table in tables:
        data = render_items(table.items)
        files.append(PlannedFile(out_dir / data_file_name(table), data, private=table.name in with_secrets))
        files.append(PlannedFile(out_dir / script_file_name(table), render_seed_script(table), executable=True))
    return files


def write_all(files: Sequence[PlannedFile]) -> dict[Path, str]:
    """Write the new files after checking none conflicts; returns each path's state."""
    states = {f.path: f.state() for f in files}
    conflicts = [path for path, state in states.items() if state == "conflict"]
    if conflicts:
        shown = ", ".join(str(p) for p in conflicts)
        raise OutputConflict(f"{shown} already exists with other content; move it away or choose another --out")
    for planned in files:
        if states[planned.path] == "new":
            _create(planned)
        elif planned.private:
            os.chmod(planned.path, 0o600)  # unchanged, but perhaps readable by others
    return states


def _opener(planned: PlannedFile) -> Callable[[str, int], int]:
    """Creates the file 0600 from the start when it is private, so no other user can open it meanwhile."""
    mode = 0o600 if planned.private else 0o666
    return lambda path, flags: os.open(path, flags, mode)


def _create(planned: PlannedFile) -> None:
    """Create exclusively (mode ``x``): a file that appeared meanwhile is never replaced."""
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(planned.path, "x", encoding="utf-8", newline="\n", opener=_opener(planned)) as stream:
            stream.write(planned.text)
    except FileExistsError:
        raise OutputConflict(f"{planned.path} appeared while ddblint was writing; run again") from None
    if planned.executable:
        mode = os.stat(planned.path).st_mode
        os.chmod(planned.path, mode | (mode & 0o444) >> 2)  # executable wherever readable
