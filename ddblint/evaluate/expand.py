"""From modules as written to item sets as Terraform would create them.

Each root module is instantiated with its variables (tfvars, defaults or
unknown); local module calls are followed, their ``count``/``for_each``
multiplying the items inside and their arguments binding the callee's
variables. The result is a :class:`RootAnalysis` per root: every item set with its exact
(or bounded, or unbounded) size, its evaluated items, and its table.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ddblint.evaluate.analysis import ONE, CallSite, Count, ItemInstance, ItemSet, Table, TableLoad
from ddblint.evaluate.expressions import STEP_BUDGET, FileGateway, ModuleScope, Trace, evaluate_attribute
from ddblint.evaluate.secret_places import written_places
from ddblint.evaluate.secrets import item_set_secrets
from ddblint.evaluate.values import (
    ITERATED_ORIGINS,
    EvalError,
    Sized,
    Unknown,
    contains_unknown,
    to_json,
    to_string,
    type_name,
    whole_number,
)
from ddblint.model.module import ITEM_TYPE, TABLE_TYPE, Module, ModuleCall, Resource, Variable, span_of
from ddblint.parse.syntax import Attribute, Block, Literal, TupleExpr, literal_string, referenced_names
from ddblint.problems import ParseProblem
from ddblint.span import Span
from ddblint.untrusted import safe_json

# Why a variable of an open root (see analyse_root) is unknown; also how an item set's count says so.
UNSEARCHED_CALLER = "a caller ddblint did not look for may set it"
MAX_INSTANCES = 20_000  # items evaluated per item set; larger sets are counted, not built
SAMPLE_INSTANCES = 2_000  # items built of a larger set in fanned-out modules (see _room)
MAX_MODULE_INSTANCES = 1_000
MAX_MODULE_DEPTH = 16

ModuleLoader = Callable[[str], "Module | None"]


@dataclass
class _Instances:
    """What ``count``/``for_each`` evaluate to: a Count and, when small enough, each instance."""

    count: Count
    each: Sequence[tuple[object, object]] | None  # (each.key, each.value); None when too many to list
    uses_count: bool = False


@dataclass
class _Collected:
    """One root module's expansion: where it runs, and what it has found so far."""

    root: str
    gateway: FileGateway
    load_module: ModuleLoader
    tables: list[Table] = field(default_factory=list)
    raw_items: list[tuple[ItemSet, object]] = field(default_factory=list)  # (set, table reference)
    problems: list[ParseProblem] = field(default_factory=list)
    # Items built so far per item set address, over every instance of the modules it is in: at most MAX_INSTANCES.
    built: dict[str, int] = field(default_factory=dict)
    # count/for_each of a resource that reads no variable or local: the same in every instance of its module.
    instances: dict[tuple[str, str], _Instances] = field(default_factory=dict)


@dataclass
class RootAnalysis:
    """What one root module contributes to the analysis; plain values, so it can be cached."""

    tables: list[Table]
    item_sets: list[ItemSet]
    problems: list[ParseProblem]
    loads: list[TableLoad]


# Analyses one root module (with the directory it is in); replaceable, e.g. by a cached version.
RootAnalyser = Callable[[Module, str], RootAnalysis]


def analyse_at(
    index: int, root: str, module_of: Callable[[int], Module | None], analyse_one: RootAnalyser
) -> RootAnalysis | None:
    """The analysis of the ``index``-th root (``module_of`` loads it); None when it has no module."""
    module = module_of(index)
    if module is None:
        return None
    try:
        return analyse_one(module, root)
    except Exception as exc:  # noqa: BLE001 - one root ddblint cannot evaluate must not hide the others
        return _unevaluated_root(module, exc)


def analyse_root(
    module: Module,
    root: str,
    scan_root: str,
    load_module: ModuleLoader,
    gateway: FileGateway | None = None,
    open_root: bool = False,
) -> RootAnalysis:
    """Instantiate one root module and everything it calls; ``gateway`` answers its questions to the disk.

    An ``open_root`` is a module judged as a root only because no caller was looked for
    where it may have one (a pre-commit run): a caller could set the variables it leaves
    without a default, so they are unknown to ddblint, not unknown to Terraform.
    """
    collected = _Collected(root, gateway or FileGateway(scan_root), load_module)
    before = collected.gateway.budget.left()
    variables = _root_variables(module, root, collected.gateway, open_root)
    _instantiate(module, "", variables, ONE, [root], collected, ())
    sets = _resolve_tables(collected)
    spent = collected.gateway.budget.spent_since(before)
    if spent.cut:
        collected.problems.append(_cut_short(module, spent.cut))
    return RootAnalysis(collected.tables, sets, collected.problems, _loads(root, sets))


def _cut_short(module: Module, expressions: int) -> ParseProblem:
    """Expressions of a root left unknown for cost: said once on the root, so what they hide is not silent."""
    counted = "1 expression was" if expressions == 1 else f"{expressions:,} expressions were"
    return ParseProblem(
        _first_file(module),
        f"{counted} too costly to evaluate in this root module (past the run's evaluation budget, "
        f"or over {STEP_BUDGET:,} steps alone), so left unknown and not checked",
    )


def _first_file(module: Module) -> str:
    """Where a finding about a whole root module goes."""
    return module.files[0].path if module.files else os.path.join(module.dir, "main.tf")


def _unevaluated_root(module: Module, exc: Exception) -> RootAnalysis:
    """A root whose evaluation failed: one DDB000 on its first file, saying why; its items are not judged."""
    path = _first_file(module)
    message = f"ddblint cannot evaluate this root module ({type(exc).__name__}: {exc}); its items were not checked"
    return RootAnalysis([], [], [ParseProblem(path, message)], [])


def _root_variables(
    module: Module, root: str, gateway: FileGateway, open_root: bool = False
) -> dict[str, tuple[object, Trace]]:
    """Root variables: tfvars values win over defaults; neither means unknown."""
    scope = ModuleScope(module, "", root, gateway, {})
    variables: dict[str, tuple[object, Trace]] = {}
    for name, variable in module.variables.items():
        if name in module.tfvars:
            variables[name] = evaluate_attribute(scope, module.tfvars[name].expr)
        elif variable.default is not None:
            variables[name] = evaluate_attribute(scope, variable.default.expr)
        elif open_root:
            reason = f"var.{name} has no default, and {UNSEARCHED_CALLER}"
            variables[name] = (Unknown(reason, f"var.{name}", bound=variable.size_bound), Trace())
        else:
            reason = f"var.{name} has no default and no value in tfvars"
            variables[name] = (_unset(reason, variable), Trace())
    return variables


def _unset(reason: str, variable: Variable) -> Unknown:
    """A variable only Terraform will know, bounded by what its declaration allows."""
    if variable.size_bound is not None:
        reason = f"{reason}; its declaration allows at most {variable.size_bound:,}"
    return Unknown(reason, f"var.{variable.name}", bound=variable.size_bound, external=True)


def _instantiate(
    module: Module,
    address: str,
    variables: dict[str, tuple[object, Trace]],
    fanout: Count,
    stack: list[str],
    collected: _Collected,
    callers: tuple[CallSite, ...],
) -> None:
    scope = ModuleScope(module, address, collected.root, collected.gateway, variables)
    for resource in module.resources:
        if resource.type == TABLE_TYPE:
            collected.tables.append(_table(scope, resource))
        elif resource.type == ITEM_TYPE:
            item_set, reference = _item_set(scope, resource, fanout, collected)
            collected.raw_items.append((replace(item_set, root_dir=collected.root, callers=callers), reference))
    for call in module.calls:
        _follow_call(scope, call, fanout, stack, collected, callers)


def _follow_call(
    scope: ModuleScope,
    call: ModuleCall,
    fanout: Count,
    stack: list[str],
    collected: _Collected,
    callers: tuple[CallSite, ...],
) -> None:
    callee_dir = scope.module.local_call_dir(call)
    if callee_dir is None:
        return
    if callee_dir in stack or len(stack) > MAX_MODULE_DEPTH:
        chain = " -> ".join(os.path.relpath(d, collected.root) for d in stack + [callee_dir])
        why = "calls itself" if callee_dir in stack else "nests modules too deeply"
        collected.problems.append(
            ParseProblem(call.path, f"module.{call.name} {why} ({chain}); not followed", call.block.position.line)
        )
        return
    callee = collected.load_module(callee_dir)
    if callee is None:
        return
    instances = _instances(scope, call.block, f"module.{call.name}", call.path)
    call_fanout = instances.count.times(fanout)
    call_fanout = replace(call_fanout, origin_span=call_fanout.origin_span or call.span)
    each_list = instances.each if instances.each is not None and _varies(call, callee) else [(None, None)]
    address = f"{scope.module_address}module.{call.name}."
    sites = (*callers, CallSite(address[:-1], call.span))
    for key, value in each_list[:MAX_MODULE_INSTANCES]:
        each = (key, value) if instances.each is not None and not instances.uses_count else None
        count_index = key if instances.uses_count else None
        arguments = _call_arguments(scope, call, callee, each, count_index)
        # Every instance of a call is expanded under one address: findings are per resource, not per key.
        _instantiate(callee, address, arguments, call_fanout, stack + [callee.dir], collected, sites)


def _varies(call: ModuleCall, callee: Module) -> bool:
    """Whether the instances of a call differ: an argument reads ``each`` or ``count``.

    Otherwise every instance of the module is the same, so one is expanded and
    its counts multiplied by the call's (``call_fanout``): a ``count = 2000``
    over a module of 2,000 items is counted, not built.
    """
    return any(
        {"each", "count"} & referenced_names(argument.expr)
        for name in callee.variables
        if (argument := call.block.attributes.get(name)) is not None
    )


def _call_arguments(
    scope: ModuleScope, call: ModuleCall, callee: Module, each: tuple[object, object] | None, count_index: object
) -> dict[str, tuple[object, Trace]]:
    bound: dict[str, tuple[object, Trace]] = {}
    callee_scope = ModuleScope(callee, "", scope.root_dir, scope.gateway, {})
    for name, variable in callee.variables.items():
        argument = call.block.attributes.get(name)
        if argument is not None:
            value, trace = evaluate_attribute(scope, argument.expr, each, count_index)
            if isinstance(value, Unknown) and value.bound is None and variable.size_bound is not None:
                value = replace(value, bound=variable.size_bound)  # Terraform rejects a larger value
            bound[name] = (value, trace)
        elif variable.default is not None:
            bound[name] = evaluate_attribute(callee_scope, variable.default.expr)
        else:
            reason = f"module.{call.name} does not set var.{name}, which has no default"
            bound[name] = (_unset(reason, variable), Trace())
    return bound


def _instances(scope: ModuleScope, block: Block, owner: str, path: str) -> _Instances:
    """Evaluate ``for_each`` or ``count`` of a resource or module call written in ``path``."""
    for_each = block.attributes.get("for_each")
    count_attr = block.attributes.get("count")
    attribute = for_each or count_attr
    if attribute is None:
        return _Instances(ONE, [(None, None)])
    value, trace = evaluate_attribute(scope, attribute.expr)
    meta = "for_each" if for_each is not None else "count"
    via = _describe_origin(meta, attribute.source, trace)
    if owner.startswith("module."):
        via = f"{owner} {via}"
    files = tuple(trace.data_files)
    span = span_of(path, attribute)
    found = functools.partial(Count, via=via, data_files=files, origin_span=span)
    uses_count = meta == "count"
    if isinstance(value, Unknown):
        if value.bound is not None:
            listed = [(i, None) for i in range(min(value.bound, MAX_INSTANCES))] if uses_count else None
            return _Instances(found(None, value.bound, unknown=value.reason), listed, uses_count)
        counted = found(None, None, unknown=value.reason, external=value.external, unknown_origin=value.origin)
        return _Instances(counted, None, uses_count)
    if uses_count:
        number = whole_number(value) if isinstance(value, (int, float, str)) else None  # "500" counts 500
        if number is None or number < 0:
            reason = f"count must be a non-negative whole number, got {_shown(value)}"
            return _Instances(found(None, None, unknown=reason), None, True)
        listed = [(i, None) for i in range(number)] if number <= MAX_INSTANCES else None
        return _Instances(found(number, number), listed, True)
    if isinstance(value, Sized):
        exact = value.size if value.exact else None
        return _Instances(found(exact, value.size), None)
    if isinstance(value, dict):
        pairs = [(k, value[k]) for k in sorted(value)]
    elif isinstance(value, (list, tuple)):
        keys = _set_keys(value)
        if isinstance(keys, Unknown):
            return _Instances(
                found(None, len(value), unknown=keys.reason, external=keys.external, unknown_origin=keys.origin), None
            )
        pairs = [(k, k) for k in keys]
    else:
        reason = f"for_each needs a map or set, got {type(value).__name__}"
        return _Instances(found(None, None, unknown=reason), None)
    listed = pairs if len(pairs) <= MAX_INSTANCES else None
    return _Instances(found(len(pairs), len(pairs)), listed)


def _shown(value: object) -> str:
    try:
        return repr(to_string(value)) if not isinstance(value, (dict, list, tuple)) else type_name(value)
    except ValueError:
        return type_name(value)


def _set_keys(elements: list[object] | tuple[object, ...]) -> list[str] | Unknown:
    """The instance keys of ``for_each`` over a set: its elements as strings, each once."""
    unknown = contains_unknown(list(elements))
    if unknown is not None:
        return unknown
    keys: dict[str, None] = {}
    for element in elements:
        if isinstance(element, (dict, list, tuple)):
            try:
                keys[to_json(element)] = None
            except EvalError as exc:
                return Unknown(f"for_each over a set holding a value with no key: {exc}")
        else:
            keys[to_string(element)] = None
    return list(keys)


_PLAIN_REFERENCE = re.compile(r"^(local|var)\.[A-Za-z_][A-Za-z0-9_-]*$")


def _describe_origin(meta: str, source: str, trace: Trace) -> str:
    """``for_each over jsondecode(file("data/users.json"))``: short, and naming the data file."""
    joiner = " over " if meta == "for_each" else " = "
    if trace.data_files:
        decoders = [r for r in trace.readers if r not in ("file", "fileset", "templatefile")]
        reader = "file" if any(r == "file" for r in trace.readers) else (trace.readers or ["file"])[0]
        described = f'{reader}("{trace.data_files[0]}")'
        if decoders:
            described = f"{decoders[-1]}({described})"
        if _PLAIN_REFERENCE.match(source):
            return f"{meta}{joiner}{source} = {described}"
        return f"{meta}{joiner}{described}"
    return f"{meta}{joiner}{one_line(source)}"


_WHITESPACE = re.compile(r"\s+")
_ONE_LINE_CHARS = 80  # what a message quotes of source text


def one_line(source: str) -> str:
    """Source text as a message shows it: on one line (a ``for_each`` written over three lines
    is not three lines of output), shortened where long."""
    flat = _WHITESPACE.sub(" ", source).strip()
    return flat if len(flat) <= _ONE_LINE_CHARS else flat[: _ONE_LINE_CHARS - 3] + "..."


def root_tables(module: Module, gateway: FileGateway) -> list[Table]:
    """The tables a module declares, evaluated as a root (tfvars, then defaults); its calls are not followed."""
    scope = _root_scope(module, gateway)
    return [_table(scope, resource) for resource in module.resources if resource.type == TABLE_TYPE]


def root_value(module: Module, attribute: Attribute, gateway: FileGateway) -> Any:
    """``attribute`` of ``module`` evaluated as in a root: what an output refers to, say."""
    return evaluate_attribute(_root_scope(module, gateway), attribute.expr)[0]


def _root_scope(module: Module, gateway: FileGateway) -> ModuleScope:
    return ModuleScope(module, "", module.dir, gateway, _root_variables(module, module.dir, gateway))


def _table(scope: ModuleScope, resource: Resource) -> Table:
    def literal(name: str) -> str | None:
        attribute = resource.attribute(name)
        if attribute is None:
            return None
        value, _ = evaluate_attribute(scope, attribute.expr)
        return value if isinstance(value, str) else None

    attribute_types: dict[str, str] = {}
    for block in resource.block.blocks_of("attribute"):
        name_attr, type_attr = block.attributes.get("name"), block.attributes.get("type")
        if name_attr is None or type_attr is None:
            continue
        name, _ = evaluate_attribute(scope, name_attr.expr)
        kind, _ = evaluate_attribute(scope, type_attr.expr)
        if isinstance(name, str) and isinstance(kind, str):
            attribute_types[name] = kind
    return Table(
        scope.module_address + resource.address,
        literal("name"),
        literal("hash_key"),
        literal("range_key"),
        attribute_types,
        resource.span,
    )


def _item_set(scope: ModuleScope, resource: Resource, fanout: Count, collected: _Collected) -> tuple[ItemSet, object]:
    instances = _resource_instances(scope, resource, collected)
    address = scope.module_address + resource.address
    total = instances.count.times(fanout)
    room = _room(total, fanout) - collected.built.get(address, 0)  # earlier instances of its module built some
    table_attr = resource.attribute("table_name")
    table_ref: object = None
    literal_name = None
    if table_attr is not None:
        table_ref, _ = evaluate_attribute(scope, table_attr.expr)
        if isinstance(table_attr.expr, Literal) and isinstance(table_attr.expr.value, str):
            literal_name = table_attr.expr.value
    evaluated, nondeterministic = _evaluate_items(scope, resource, instances, room)
    first = address not in collected.built
    collected.built[address] = collected.built.get(address, 0) + len(evaluated)
    template = None if evaluated or not first else _template(scope, resource, instances)
    if template is not None:
        nondeterministic.extend(s for s in template.nondeterministic if s not in nondeterministic)
    item_set = ItemSet(
        address=address,
        resource=resource,
        module_address=scope.module_address.rstrip("."),
        count=instances.count,
        fanout=fanout,
        table=None,
        table_label="",
        instances=tuple(evaluated),
        ignore_changes=_ignore_changes(resource.block),
        table_name_literal=literal_name,
        table_name=table_ref if isinstance(table_ref, str) else None,
        nondeterministic=tuple(nondeterministic),
        total=total,
        template=template,
    )
    return item_set, table_ref


# What ``each`` and ``count.index`` stand for in a template: unknown, and marked as the iteration's.
_ITERATED_KEY = Unknown("each.key differs for every instance", ITERATED_ORIGINS[0])
_ITERATED_VALUE = Unknown("each.value differs for every instance", ITERATED_ORIGINS[1])
_ITERATED_INDEX = Unknown("count.index differs for every instance", ITERATED_ORIGINS[2])


def _template(scope: ModuleScope, resource: Resource, instances: _Instances) -> ItemInstance | None:
    """The item every instance writes, when none can be listed (a ``count`` of zero or unknown).

    ``jsonencode({...})`` is evaluated as its object, so what is certain (a
    literal, a ``random_*`` id, an attribute name fed from the iterated
    collection) stays visible beside what only each instance knows.
    """
    item_attr = resource.attribute("item")
    if item_attr is None:
        return None
    each = (_ITERATED_KEY, _ITERATED_VALUE) if not instances.uses_count else None
    index = _ITERATED_INDEX if instances.uses_count else None
    item_object = resource.item_object()
    if item_object is not None:
        value, trace = evaluate_attribute(scope, item_object, each, index)
        text = None
    else:
        raw, trace = evaluate_attribute(scope, item_attr.expr, each, index)
        value, text, _ = _decode_item(raw, scope.encoded_json)
    if not isinstance(value, dict):
        return None
    keys = [resource.attribute(name) for name in ("hash_key", "range_key")]
    hash_key, range_key = (evaluate_attribute(scope, a.expr, each, index)[0] if a else None for a in keys)
    return ItemInstance(None, value, hash_key, range_key, tuple(trace.nondeterministic), text)


def _room(total: Count, fanout: Count) -> int:
    """How many items of one resource block are built, over every instance of the modules it is in.

    All of them up to MAX_INSTANCES (migrate needs every item). A block in a fanned-out
    module whose items are more than that is never built whole: a sample of
    SAMPLE_INSTANCES, enough for the content rules, while the count stays exact.
    """
    fanned_out = fanout.upper is None or fanout.upper > 1
    if fanned_out and (total.upper is None or total.upper > MAX_INSTANCES):
        return SAMPLE_INSTANCES
    return MAX_INSTANCES


def _resource_instances(scope: ModuleScope, resource: Resource, collected: _Collected) -> _Instances:
    """A resource's ``count``/``for_each``, evaluated once per module if it reads no variable or local."""
    meta = resource.block.attributes.get("for_each") or resource.block.attributes.get("count")
    if meta is not None and {"var", "local"} & referenced_names(meta.expr):
        return _instances(scope, resource.block, resource.address, resource.path)
    key = (scope.module.dir, resource.address)
    if key not in collected.instances:
        collected.instances[key] = _instances(scope, resource.block, resource.address, resource.path)
    return collected.instances[key]


def _evaluate_items(
    scope: ModuleScope, resource: Resource, instances: _Instances, room: int = MAX_INSTANCES
) -> tuple[list[ItemInstance], list[str]]:
    item_attr = resource.attribute("item")
    hash_attr = resource.attribute("hash_key")
    range_attr = resource.attribute("range_key")
    nondeterministic: list[str] = []
    evaluated: list[ItemInstance] = []
    listed = instances.each if instances.each is not None else []
    for key, value in listed[: max(room, 0)]:
        each = None if instances.uses_count else (key, value)
        count_index = key if instances.uses_count else None
        if item_attr is None:
            break
        item_value, trace = evaluate_attribute(scope, item_attr.expr, each, count_index)
        for source in trace.nondeterministic:
            if source not in nondeterministic:
                nondeterministic.append(source)
        hash_key = evaluate_attribute(scope, hash_attr.expr, each, count_index)[0] if hash_attr else None
        range_key = evaluate_attribute(scope, range_attr.expr, each, count_index)[0] if range_attr else None
        decoded, text, error = _decode_item(item_value, scope.encoded_json)
        evaluated.append(ItemInstance(key, decoded, hash_key, range_key, tuple(trace.nondeterministic), text, error))
    return evaluated, nondeterministic


def _decode_item(value: object, encoded: dict[str, object]) -> tuple[object, str | None, str]:
    """The item attribute is a JSON string: the item it holds, the text, and why it holds none.

    A text ``jsonencode`` made in the item's module instance (``encoded``) is the
    value it was made from, as decoding would give it; any other text, a heredoc
    or a string from a file, is decoded here, once.
    """
    if isinstance(value, Unknown):
        return value, None, ""
    if isinstance(value, dict):  # not a string at all: Terraform would reject it
        return None, None, "item must be a JSON string (wrap the object in jsonencode())"
    if not isinstance(value, str):
        return None, None, f"item must be a JSON string, got {type(value).__name__}"
    if value in encoded:
        return encoded[value], value, ""
    try:
        return safe_json.loads(value), value, ""
    except json.JSONDecodeError as exc:
        return None, value, f"item is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"


def _ignore_changes(block: Block) -> tuple[str, ...]:
    names: list[str] = []
    for lifecycle in block.blocks_of("lifecycle"):
        attribute = lifecycle.attributes.get("ignore_changes")
        if attribute is None:
            continue
        expr = attribute.expr
        whole = literal_string(expr)  # ignore_changes = all
        if whole is not None:
            names.append(whole)
        elif isinstance(expr, TupleExpr):
            names.extend(name for element in expr.items if (name := literal_string(element)) is not None)
    return tuple(names)


def _resolve_tables(collected: _Collected) -> list[ItemSet]:
    """Attach each item set to its table: by resource reference, else by literal name."""
    by_address = {table.address: table for table in collected.tables}
    by_name: dict[str, Table] = {}
    for known in collected.tables:
        if known.name is not None:
            by_name.setdefault(known.name, known)
    resolved: list[ItemSet] = []
    for item_set, reference in collected.raw_items:
        table: Table | None = None
        label = ""
        if isinstance(reference, Unknown) and reference.resource is not None:
            module_address, resource_address = reference.resource
            if resource_address.startswith(TABLE_TYPE + "."):
                table = by_address.get(module_address + resource_address)
                label = module_address + resource_address
        elif isinstance(reference, str):
            table = by_name.get(reference)
            label = f'table "{reference}"'
        if table is not None:
            label = table.address
        elif not label:
            attribute = item_set.resource.attribute("table_name")
            label = f"table {one_line(attribute.source)}" if attribute is not None else "an unnamed table"
        origin = _origin(reference) if table is None else ""
        resolved.append(replace(item_set, table=table, table_label=label, table_origin=origin))
    calls = _CallsAt(collected.load_module)
    return [_with_secrets(s, collected.load_module, calls) for s in _merge_instances(resolved)]


def _origin(reference: Any) -> str:
    """Where an unknown table name comes from; a module output by its full address in the root."""
    if not isinstance(reference, Unknown):
        return ""
    if reference.resource is not None and reference.resource[1].startswith("module."):
        return "".join(reference.resource)
    return reference.origin


def _with_secrets(item_set: ItemSet, load_module: ModuleLoader, calls: _CallsAt) -> ItemSet:
    values = ((i.key, i.value, i.text) for i in item_set.instances)
    module = load_module(os.path.dirname(item_set.resource.path))
    local_exprs = module.local_exprs() if module else {}
    found = item_set_secrets(item_set.resource, values, local_exprs)
    if not found:
        return item_set
    places = written_places(item_set.resource, module, calls.above(item_set))
    return replace(item_set, secrets=found, secret_places=places)


class _CallsAt:
    """The module calls of the modules loaded, by where each is written: an item set knows its callers
    by their spans, and thousands of calls in one root would make a search per set quadratic."""

    def __init__(self, load_module: ModuleLoader) -> None:
        self._load_module = load_module
        self._by_dir: dict[str, tuple[Module, dict[Span, ModuleCall]] | None] = {}

    def above(self, item_set: ItemSet) -> list[tuple[Module, ModuleCall]]:
        """The module calls that lead from the root to the set, innermost first, each with its module."""
        found: list[tuple[Module, ModuleCall]] = []
        for site in reversed(item_set.callers):
            directory = os.path.dirname(site.span.path)
            if directory not in self._by_dir:
                module = self._load_module(directory)
                self._by_dir[directory] = (module, {c.span: c for c in module.calls}) if module else None
            indexed = self._by_dir[directory]
            call = indexed[1].get(site.span) if indexed is not None else None
            if indexed is None or call is None:
                break
            found.append((indexed[0], call))
        return found


def _merge_instances(item_sets: list[ItemSet]) -> list[ItemSet]:
    """Instances of one resource under a fanned-out module become one item set.

    Each group's instances are gathered in one list and the set rebuilt once:
    a thousand module instances cost a thousand appends, not a thousand copies.
    """
    groups: dict[tuple[str, str], list[ItemSet]] = {}
    for item_set in item_sets:
        groups.setdefault((item_set.address, item_set.table_label), []).append(item_set)
    return [group[0] if len(group) == 1 else _merged(group) for group in groups.values()]


def _merged(group: list[ItemSet]) -> ItemSet:
    instances: list[ItemInstance] = []
    for item_set in group:
        instances.extend(item_set.instances[: MAX_INSTANCES - len(instances)])
    nondeterministic = dict.fromkeys(source for item_set in group for source in item_set.nondeterministic)
    first = group[0]
    merged = replace(first, instances=tuple(instances), nondeterministic=tuple(nondeterministic))
    return replace(merged, total=_sum_counts([s.count for s in group], merged))


def _sum_counts(counts: list[Count], item_set: ItemSet) -> Count:
    """Total over the instances of a fanned-out module whose item counts may differ."""
    exact = None if any(c.exact is None for c in counts) else sum(c.exact or 0 for c in counts)
    upper = None if any(c.upper is None for c in counts) else sum(c.upper or 0 for c in counts)
    listed = len(counts)
    fan = item_set.fanout
    if fan.exact is not None and fan.exact > listed and exact is not None:
        # More module instances than were expanded: scale by the average.
        exact = upper = round(exact * fan.exact / listed)
    unbounded = [c for c in counts if c.upper is None]
    if not unbounded:
        return replace(item_set.total, exact=exact, upper=upper)
    # Why some instances have no count (a budget ran out, a variable has no value) is why the total has none.
    reason = unbounded[0]
    return replace(
        item_set.total,
        exact=None,
        upper=None,
        unknown=reason.unknown,
        external=reason.external,
        unknown_origin=reason.unknown_origin,
    )


def _loads(root: str, item_sets: list[ItemSet]) -> list[TableLoad]:
    """One population per table: by its address or name, else by where its unknown name comes from."""
    groups: dict[tuple[str, str], list[ItemSet]] = {}
    for item_set in item_sets:
        origin = item_set.table_origin
        groups.setdefault(("", origin) if origin else (item_set.table_label, ""), []).append(item_set)
    loads = [TableLoad(sets[0].table_label, sets[0].table, root, tuple(sets)) for sets in groups.values()]
    return sorted(loads, key=lambda load: (load.table_label, load.item_sets[0].table_origin))
