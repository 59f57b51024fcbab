"""Find an item's table through the output of the module that declares it.

Teams keep their tables in a module of their own (``module "tables"``) and pass
``module.tables.users_table`` to the items, or to the modules that write them.
The value of an output is known only after apply, but what it refers to is
written down: an ``output`` whose ``value`` is ``aws_dynamodb_table.users.name``
(or ``.id``) names the table, and its key schema is in that module. This pass
follows such names one level: from the module the output is read in, through
its call, to the callee's output and table. The callee is loaded on demand, as
the by-name pass does; an output that names anything else leaves the item
unresolved, and key rules then judge it with its population.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace

from ddblint.evaluate.analysis import Analysis, ItemSet, Table
from ddblint.evaluate.expand import root_tables, root_value
from ddblint.evaluate.expressions import FileGateway
from ddblint.evaluate.table_names import ModulesLoader, replace_sets
from ddblint.evaluate.values import Unknown
from ddblint.model.module import TABLE_TYPE, Module
from ddblint.repo_paths import is_inside

# ``module.a["x"].module.tables.users_table``: the calls down to the reader, the callee, the output.
_OUTPUT = re.compile(r"^(?P<path>(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)module\.(?P<call>[\w-]+)\.(?P<output>[\w-]+)$")
_CALL = re.compile(r"module\.([\w-]+)(?:\[[^\]]*\])?\.")


def wants_table_by_output(item_sets: Iterable[ItemSet]) -> bool:
    """Whether a set's table is named by a module output: its root waits for the end of the run.

    The lookup evaluates outputs on the run's budget, which the roots draw on in
    their order; done at the end, it draws in the same order however the roots are streamed.
    """
    return any(_by_output(s) for s in item_sets)


def _by_output(item_set: ItemSet) -> bool:
    return item_set.table is None and _OUTPUT.match(item_set.table_origin) is not None


def attach_tables_by_output(
    analysis: Analysis, load_modules: ModulesLoader, scan_root: str, gateway: FileGateway
) -> None:
    """Give item sets whose table name is a module output the table that output names.

    Outputs and tables are evaluated through ``gateway``: confined, capped and on the run's budget.
    """
    found: dict[tuple[str, str], Table | None] = {}
    for item_set in analysis.item_sets:
        if _by_output(item_set):
            key = (item_set.root_dir, item_set.table_origin)
            if key not in found:
                found[key] = _table_of(item_set, load_modules, scan_root, gateway)
    if any(table is not None for table in found.values()):
        replace_sets(analysis, lambda s: found.get((s.root_dir, s.table_origin)) if s.table is None else None)


def _table_of(item_set: ItemSet, load_modules: ModulesLoader, scan_root: str, gateway: FileGateway) -> Table | None:
    match = _OUTPUT.match(item_set.table_origin)
    if match is None:
        return None
    reader = _module_at(item_set.root_dir, _CALL.findall(match["path"]), load_modules, scan_root)
    callee = _module_at(reader.dir, [match["call"]], load_modules, scan_root) if reader is not None else None
    value = callee.outputs.get(match["output"]) if callee is not None else None
    if callee is None or value is None:
        return None
    named = root_value(callee, value, gateway)
    if not (isinstance(named, Unknown) and named.resource is not None and named.resource[0] == ""):
        return None
    address = named.resource[1]
    if not address.startswith(TABLE_TYPE + "."):
        return None
    table = next((t for t in root_tables(callee, gateway) if t.address == address), None)
    prefix = f"{match['path']}module.{match['call']}."
    return replace(table, address=prefix + table.address) if table is not None else None


def _module_at(directory: str, calls: list[str], load_modules: ModulesLoader, scan_root: str) -> Module | None:
    """The module reached from ``directory`` through the local calls named ``calls``, in order."""
    loaded = load_modules([directory])
    module = loaded[0] if loaded else None
    root = os.path.abspath(scan_root)
    for name in calls:
        call = next((c for c in module.calls if c.name == name), None) if module is not None else None
        target = module.local_call_dir(call) if module is not None and call is not None else None
        if target is None or not is_inside(os.path.abspath(target), root) or not os.path.isdir(target):
            return None
        loaded = load_modules([target])
        module = loaded[0] if loaded else None
    return module
