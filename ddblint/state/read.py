"""Read a Terraform state (or ``terraform show -json`` output) and measure what its items cost.

The lint counts items from the configuration; the state shows what they already
cost: every ``aws_dynamodb_table_item`` instance is an object in the state file
that each plan reads and refreshes. This module finds those instances, groups
them by the table they write to, and measures the bytes each takes.

Three inputs are understood, as Terraform documents them:

* a state file, format version 4 (Terraform 0.12 and later):
  ``resources[].instances[].attributes``, with an optional ``module`` address;
* ``terraform show -json STATE``: ``values.root_module`` with ``resources`` and
  recursive ``child_modules``, one object per instance;
* ``terraform show -json PLAN``: the same values under ``planned_values`` (the
  state the plan leads to, measured here) and ``prior_state``.

Sizes are measured by serialising each instance the way the file holds it:
compact when the file is compact (``show -json``), indented like the file
otherwise (state files use two spaces), including the indentation of its depth.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ddblint.model.module import ITEM_TYPE
from ddblint.span import LineStarts
from ddblint.untrusted import safe_json
from ddblint.untrusted.reading import read_regular

STATE_VERSION = 4
SHOW_JSON_MAJOR = "1"
UNKNOWN_TABLE = "(known after apply)"

_INDENT = re.compile(r"\{[ \t]*\r?\n( +)\"")
_MODULE_KEY = re.compile(r'\[("([^"\\]|\\.)*"|[0-9]+)\]')
_ITEM_TYPE_KEY = re.compile(r'"type"\s*:\s*"' + ITEM_TYPE + '"')


class StateFileError(Exception):
    """The file is not a state or ``show -json`` document ddblint can read; the message says why."""


@dataclass(frozen=True)
class ItemResource:
    """The instances of one item resource that write to one table, over all its module instances."""

    address: str
    table: str
    instances: int
    state_bytes: int
    line: int
    column: int


@dataclass(frozen=True)
class TableUsage:
    table: str
    resources: tuple[ItemResource, ...]

    @property
    def instances(self) -> int:
        return sum(r.instances for r in self.resources)

    @property
    def state_bytes(self) -> int:
        return sum(r.state_bytes for r in self.resources)


@dataclass(frozen=True)
class StateUsage:
    """Item instances per table in one file, largest table first."""

    path: str
    source: str
    file_bytes: int
    tables: tuple[TableUsage, ...]

    @property
    def instances(self) -> int:
        return sum(t.instances for t in self.tables)

    @property
    def state_bytes(self) -> int:
        return sum(t.state_bytes for t in self.tables)


@dataclass(frozen=True)
class _Instance:
    """One item instance as found: its resource, table, size, and how to find it in the text."""

    address: str
    table: str
    size: int
    locator: tuple[str, Any]  # ("type", k): k-th item resource; ("address", a): an instance address


def read_state(path: str, text: str | None = None) -> StateUsage:
    """Measure the item instances in the state or ``show -json`` file at ``path``, or in
    ``text`` read elsewhere (standard input), which ``path`` then only names."""
    if text is None:
        text = _read_text(path)
    document = _parse_json(path, text)
    match = _INDENT.match(text.lstrip())
    indent = len(match.group(1)) if match else None
    if "version" in document:
        source = f"state file (format version {STATE_VERSION})"
        instances = list(_state_v4_instances(path, document, indent))
    elif "format_version" in document:
        source, instances = _show_json_instances(path, document, indent)
    else:
        raise StateFileError(
            f'{path}: not a Terraform state: no "version" or "format_version" key '
            "(expected a state file or the output of `terraform show -json`)"
        )
    return StateUsage(path, source, len(text.encode("utf-8", "surrogatepass")), _tables(instances, text))


def config_address(module_instance: str) -> str:
    """``module.a["x"].module.b[0]`` -> ``module.a.module.b``: the module as configured.

    Instances of one module call are one resource in the configuration, the thing
    ``ddblint migrate --resource`` and the lint's findings name.
    """
    return _MODULE_KEY.sub("", module_instance)


def _read_text(path: str) -> str:
    try:
        return read_regular(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StateFileError(f"{path}: not UTF-8 text at byte {exc.start}, so not a state file") from None
    except OSError as exc:
        raise StateFileError(f"cannot read {path}: {exc.strerror}") from None


def _parse_json(path: str, text: str) -> dict[str, Any]:
    try:
        document = safe_json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateFileError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(document, dict):
        raise StateFileError(f"{path}: expected a JSON object, found {type(document).__name__}")
    return document


def _size(value: Any, indent: int | None, depth: int) -> int:
    """Bytes ``value`` takes in a file written compactly or with ``indent`` spaces, at ``depth``."""
    if indent is None:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return len(text.encode("utf-8", "surrogatepass")) + (text.count("\n") + 1) * indent * depth


def _field(path: str, where: str, value: dict[str, Any], key: str, kind: type) -> Any:
    found = value.get(key)
    if not isinstance(found, kind):
        what = "missing" if key not in value else f"a {type(found).__name__}, not a {kind.__name__}"
        raise StateFileError(f'{path}: {where}: "{key}" is {what}')
    return found


def _state_v4_instances(path: str, document: dict[str, Any], indent: int | None) -> Iterator[_Instance]:
    version = document.get("version")
    if version != STATE_VERSION:
        raise StateFileError(
            f"{path}: state format version {version!r}; ddblint reads version {STATE_VERSION} "
            "(Terraform 0.12 and later) or the output of `terraform show -json`"
        )
    resources = _field(path, "state", document, "resources", list)
    item_resources = 0
    for index, resource in enumerate(resources):
        where = f"resources[{index}]"
        if not isinstance(resource, dict):
            raise StateFileError(f"{path}: {where} is not an object")
        kind = _field(path, where, resource, "type", str)
        name = _field(path, where, resource, "name", str)
        if kind != ITEM_TYPE:
            continue
        item_resources += 1
        if resource.get("mode", "managed") != "managed":
            continue
        module = resource.get("module")
        address = f"{config_address(module)}.{kind}.{name}" if isinstance(module, str) and module else f"{kind}.{name}"
        for number, instance in enumerate(_field(path, where, resource, "instances", list)):
            attributes = _attributes(path, f"{where}.instances[{number}]", instance)
            size = _size(instance, indent, depth=4)
            yield _Instance(address, _table_name(attributes), size, ("type", item_resources))


def _attributes(path: str, where: str, instance: Any) -> dict[str, Any]:
    if not isinstance(instance, dict):
        raise StateFileError(f"{path}: {where} is not an object")
    for key in ("attributes", "attributes_flat"):  # attributes_flat: states from providers of the 0.11 era
        if isinstance(instance.get(key), dict):
            found: dict[str, Any] = instance[key]
            return found
    raise StateFileError(f'{path}: {where}: "attributes" is missing')


def _table_name(attributes: dict[str, Any]) -> str:
    name = attributes.get("table_name")
    return name if isinstance(name, str) and name else UNKNOWN_TABLE


def _show_json_instances(path: str, document: dict[str, Any], indent: int | None) -> tuple[str, list[_Instance]]:
    version = str(document.get("format_version"))
    if version.split(".")[0] != SHOW_JSON_MAJOR:
        raise StateFileError(
            f"{path}: `terraform show -json` format_version {version}; ddblint reads {SHOW_JSON_MAJOR}.x"
        )
    if any(key in document for key in ("planned_values", "prior_state", "resource_changes")):
        if "planned_values" in document:
            values = _field(path, "plan", document, "planned_values", dict)
            return "terraform show -json (plan: the state after apply)", _module_instances(path, values, indent, 2)
        prior = _field(path, "plan", document, "prior_state", dict)
        values = prior.get("values", {})
        return "terraform show -json (plan: the prior state)", _module_instances(path, values, indent, 3)
    values = document.get("values", {})  # an empty state has no "values"
    return "terraform show -json (state)", _module_instances(path, values, indent, 2)


def _module_instances(path: str, values: Any, indent: int | None, depth: int) -> list[_Instance]:
    """Instances under ``values.root_module``, whose object sits ``depth`` levels into the file."""
    if not isinstance(values, dict):
        raise StateFileError(f'{path}: "values" is not an object')
    if "root_module" not in values:
        return []
    found: list[_Instance] = []
    pending = [(_field(path, "values", values, "root_module", dict), "root_module", depth)]
    while pending:
        module, where, level = pending.pop()
        if not isinstance(module, dict):
            raise StateFileError(f"{path}: {where} is not an object")
        prefix = f"{config_address(module['address'])}." if isinstance(module.get("address"), str) else ""
        for index, resource in enumerate(_list_field(path, where, module, "resources")):
            found += _show_json_instance(path, f"{where}.resources[{index}]", resource, prefix, indent, level + 2)
        children = _list_field(path, where, module, "child_modules")
        pending += [(c, f"{where}.child_modules[{i}]", level + 2) for i, c in reversed(list(enumerate(children)))]
    return found


def _list_field(path: str, where: str, module: dict[str, Any], key: str) -> list[Any]:
    """An optional list of a module object: absent or null is empty; anything else but a list is an error."""
    value = module.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise StateFileError(f'{path}: {where}: "{key}" is a {type(value).__name__}, not a list')
    return value


def _show_json_instance(
    path: str, where: str, resource: Any, prefix: str, indent: int | None, depth: int
) -> list[_Instance]:
    if not isinstance(resource, dict):
        raise StateFileError(f"{path}: {where} is not an object")
    kind = _field(path, where, resource, "type", str)
    if kind != ITEM_TYPE or resource.get("mode", "managed") != "managed":
        return []
    name = _field(path, where, resource, "name", str)
    address = _field(path, where, resource, "address", str)
    values = resource.get("values")
    table = _table_name(values) if isinstance(values, dict) else UNKNOWN_TABLE
    return [_Instance(f"{prefix}{kind}.{name}", table, _size(resource, indent, depth), ("address", address))]


def _tables(instances: list[_Instance], text: str) -> tuple[TableUsage, ...]:
    grouped: dict[tuple[str, str], list[_Instance]] = {}
    for instance in instances:
        grouped.setdefault((instance.table, instance.address), []).append(instance)
    resources: dict[str, list[ItemResource]] = {}
    locate = _Locator(text)
    for (table, address), members in grouped.items():
        line, column = locate(members[0].locator)
        total = sum(m.size for m in members)
        resources.setdefault(table, []).append(ItemResource(address, table, len(members), total, line, column))
    tables = [
        TableUsage(table, tuple(sorted(found, key=lambda r: (-r.instances, -r.state_bytes, r.address))))
        for table, found in resources.items()
    ]
    return tuple(sorted(tables, key=lambda t: (-t.instances, -t.state_bytes, t.table)))


_ADDRESS_KEY = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')


class _Locator:
    """Line and column of a resource in the text, so findings point into the file.

    Every offset is found in one pass over the text and every line by a binary
    search over the line starts, so 10,000 item resources take one pass, not
    10,000.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._type_offsets: list[int] | None = None
        self._address_offsets: dict[str, int] | None = None
        self._lines: LineStarts | None = None

    def __call__(self, locator: tuple[str, Any]) -> tuple[int, int]:
        kind, value = locator
        offset = -1
        if kind == "type":
            if self._type_offsets is None:
                self._type_offsets = [m.start() for m in _ITEM_TYPE_KEY.finditer(self._text)]
            if 0 < value <= len(self._type_offsets):
                offset = self._type_offsets[value - 1]
        else:
            offset = self._addresses().get(value, -1)
        if offset < 0:
            return 1, 1
        if self._lines is None:
            self._lines = LineStarts(self._text)
        return self._lines.line_column(offset)

    def _addresses(self) -> dict[str, int]:
        """The first offset of every ``"address": "..."`` in the text, by the address it spells."""
        if self._address_offsets is None:
            self._address_offsets = {}
            for match in _ADDRESS_KEY.finditer(self._text):
                try:
                    address = json.loads(f'"{match.group(1)}"')
                except json.JSONDecodeError:
                    continue
                self._address_offsets.setdefault(address, match.start())
        return self._address_offsets
