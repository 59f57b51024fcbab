"""Find an item's table by name anywhere in the scanned repository.

Within one root module, items are matched to tables by reference or by name
(:mod:`ddblint.evaluate.expand`). Teams also split tables and their seed items into
separate roots (``infra/tables`` and ``infra/seed``), where the item can only
name its table with a string. This second pass matches those names against
every table the scan knows, loading extra modules only when the prefilter's
:class:`~ddblint.discover.prefilter.TableIndex` says they declare a table
and spell one of the names, so the byte prefilter keeps its benefit and no
file is read again. A name that matches tables with different key
schemas stays unresolved: key rules then say nothing rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from ddblint.discover.prefilter import TableIndex
from ddblint.evaluate.analysis import Analysis, ItemSet, Table
from ddblint.evaluate.expand import root_tables
from ddblint.evaluate.expressions import FileGateway
from ddblint.model.module import Module

ModulesLoader = Callable[[list[str]], list[Module]]


def wanted_names(item_sets: Iterable[ItemSet]) -> set[str]:
    """The table names that item sets without a table spell: a root with any waits for the by-name pass."""
    return {s.table_name for s in item_sets if s.table is None and s.table_name}


def tables_by_name(
    wanted: set[str],
    known: list[Table],
    index: TableIndex,
    load_modules: ModulesLoader,
    analysed: Iterable[str],
    gateway: FileGateway,
) -> dict[str, Table]:
    """The one table each wanted name names, among ``known`` (every root's) and the index's other modules.

    ``analysed`` are the module directories whose tables are already in ``known``. The others' tables are
    evaluated through ``gateway``: confined, capped and on the run's budget, as the analysis.
    """
    if not wanted:
        return {}
    tables = list(known)
    for module in load_modules(index.candidates(wanted, skip=analysed)):
        tables.extend(root_tables(module, gateway))
    return _unambiguous(tables, wanted)


def attach_tables_by_name(analysis: Analysis, found: dict[str, Table]) -> None:
    """Give unresolved item sets the table their ``table_name`` names in ``found``, updating ``analysis``."""
    if found:
        replace_sets(analysis, lambda s: found.get(s.table_name) if s.table is None and s.table_name else None)


def _unambiguous(tables: list[Table], names: set[str]) -> dict[str, Table]:
    """One table per wanted name; names whose tables disagree on the key schema are left out."""
    by_name: dict[str, list[Table]] = {}
    for table in tables:
        if table.name in names:
            by_name.setdefault(table.name, []).append(table)
    chosen: dict[str, Table] = {}
    for name, matches in by_name.items():
        schemas = {_schema(t) for t in matches}
        if len(schemas) == 1:
            chosen[name] = min(matches, key=lambda t: (t.span.path, t.span.line))
    return chosen


def _schema(table: Table) -> tuple[object, ...]:
    keys = (table.hash_key, table.range_key)
    return (*keys, tuple(table.attribute_types.get(k) for k in keys if k is not None))


def replace_sets(analysis: Analysis, table_of: Callable[[ItemSet], Table | None]) -> None:
    """Give each item set the table ``table_of`` finds for it, everywhere the analysis holds it (sets and loads)."""
    replaced: dict[int, ItemSet] = {}
    for item_set in analysis.item_sets:
        table = table_of(item_set)
        if table is not None:
            replaced[id(item_set)] = replace(item_set, table=table)
    analysis.item_sets = [replaced.get(id(s), s) for s in analysis.item_sets]
    loads = []
    for load in analysis.loads:
        sets = tuple(replaced.get(id(s), s) for s in load.item_sets)
        table = load.table or next((s.table for s in sets if s.table is not None), None)
        loads.append(replace(load, item_sets=sets, table=table))
    analysis.loads = loads
