"""The model rules look at: modules as parsed, and the item sets they produce.

Two layers. ``Module`` and its parts are what the files *say* (blocks grouped
by directory). ``ItemSet``, ``Table`` and ``TableLoad`` are what the files
*mean* once expressions are evaluated and module calls expanded: how many
items each ``aws_dynamodb_table_item`` writes, into which table, with which
content. Rules only read the second layer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ddblint.cache.pickling import pickled_by_constructor
from ddblint.findings import Span
from ddblint.parse.syntax import Attribute, Block, ParsedFile, ParseProblem

ITEM_TYPE = "aws_dynamodb_table_item"
TABLE_TYPE = "aws_dynamodb_table"


def span_of(path: str, block: Block | Attribute) -> Span:
    p = block.position
    return Span(path, p.line, p.column, p.end_line, p.end_column)


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Resource:
    """A ``resource`` or ``data`` block and the file it is in."""

    type: str
    name: str
    block: Block
    path: str

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def span(self) -> Span:
        return span_of(self.path, self.block)

    def attribute(self, name: str) -> Attribute | None:
        return self.block.attributes.get(name)


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    default: Attribute | None
    path: str


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ModuleCall:
    name: str
    source: str
    block: Block
    path: str

    @property
    def span(self) -> Span:
        return span_of(self.path, self.block)


@dataclass(slots=True)
class Module:
    """One directory of Terraform files, as written."""

    dir: str
    files: list[ParsedFile] = field(default_factory=list)
    variables: dict[str, Variable] = field(default_factory=dict)
    locals: dict[str, tuple[Attribute, str]] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    data: list[Resource] = field(default_factory=list)
    calls: list[ModuleCall] = field(default_factory=list)
    tfvars: dict[str, Attribute] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)

    def local_call_dir(self, call: ModuleCall) -> str | None:
        """The directory a ``./`` or ``../`` module source points to, else None."""
        if not call.source.startswith(("./", "../")):
            return None
        return os.path.normpath(os.path.join(self.dir, call.source))


def is_tfvars(path: str) -> bool:
    name = os.path.basename(path)
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


def build_module(directory: str, files: list[ParsedFile], var_files: list[ParsedFile] = ()) -> Module:  # type: ignore[assignment]
    """Group a directory's parsed files into a :class:`Module`.

    tfvars files are applied in Terraform's order: ``terraform.tfvars``, then
    ``*.auto.tfvars`` by name, then ``--var-file`` arguments; later ones win.
    """
    module = Module(directory)
    tfvars_files = sorted(
        (f for f in files if is_tfvars(f.path)),
        key=lambda f: (not os.path.basename(f.path).startswith("terraform.tfvars"), f.path),
    )
    for parsed in sorted(files, key=lambda f: f.path):
        module.files.append(parsed)
        if parsed.problem is not None:
            module.problems.append(parsed.problem)
            continue
        if is_tfvars(parsed.path):
            continue
        for block in parsed.blocks:
            _add_block(module, block, parsed.path)
    for parsed in list(tfvars_files) + list(var_files):
        if parsed.problem is not None and parsed not in module.files:
            module.problems.append(parsed.problem)
        module.tfvars.update(parsed.attributes)
    return module


def _add_block(module: Module, block: Block, path: str) -> None:
    labels = block.labels
    if block.type == "resource" and len(labels) == 2:
        module.resources.append(Resource(labels[0], labels[1], block, path))
    elif block.type == "data" and len(labels) == 2:
        module.data.append(Resource(labels[0], labels[1], block, path))
    elif block.type == "variable" and len(labels) == 1:
        module.variables[labels[0]] = Variable(labels[0], block.attributes.get("default"), path)
    elif block.type == "locals":
        for name, attribute in block.attributes.items():
            module.locals[name] = (attribute, path)
    elif block.type == "module" and len(labels) == 1:
        source = block.attributes.get("source")
        text = source.expr[1] if source is not None and source.expr[0] == "lit" else ""
        module.calls.append(ModuleCall(labels[0], str(text), block, path))


# -- the evaluated layer -------------------------------------------------------


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Count:
    """How many instances ``count``/``for_each`` (or a module fan-out) make.

    ``exact`` when known; otherwise ``upper`` when only a bound is known (a
    toggle ``var.on ? 1 : 0``); neither when unbounded, with ``unknown`` saying
    why and ``external`` telling whether only Terraform could know (a variable
    without a value, a data source) rather than ddblint declining to compute it.
    """

    exact: int | None = 1
    upper: int | None = 1
    via: str = ""
    data_files: tuple[str, ...] = ()
    unknown: str = ""
    external: bool = False
    origin_span: Span | None = None

    @property
    def bounded(self) -> bool:
        return self.upper is not None

    @property
    def largest(self) -> int | None:
        return self.exact if self.exact is not None else self.upper

    def times(self, other: Count) -> Count:
        """The count of ``self`` inside each of ``other``'s instances."""
        exact = None if self.exact is None or other.exact is None else self.exact * other.exact
        upper = None if self.upper is None or other.upper is None else self.upper * other.upper
        return Count(
            exact=exact,
            upper=upper,
            via="; ".join(v for v in (other.via, self.via) if v),
            data_files=other.data_files + self.data_files,
            unknown=self.unknown or other.unknown,
            external=self.external or other.external,
            origin_span=self.origin_span or other.origin_span,
        )


ONE = Count()


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Table:
    """An ``aws_dynamodb_table`` with the key schema item rules check against."""

    address: str
    name: str | None
    hash_key: str | None
    range_key: str | None
    attribute_types: dict[str, str]
    span: Span


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ItemInstance:
    """One evaluated item: ``value`` is the decoded item object, or an Unknown."""

    key: Any
    value: Any
    hash_key: Any = None
    range_key: Any = None
    nondeterministic: tuple[str, ...] = ()
    text: str | None = None  # the item's JSON text, when it evaluated to a string
    json_error: str = ""  # why ``text`` is not usable JSON, if it is not


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class ItemSet:
    """One ``aws_dynamodb_table_item`` resource in one module instance path."""

    address: str
    resource: Resource
    module_address: str
    count: Count
    fanout: Count
    table: Table | None
    table_label: str
    instances: tuple[ItemInstance, ...]
    ignore_changes: tuple[str, ...]
    table_name_literal: str | None = None
    table_name: str | None = None  # ``table_name`` when it evaluates to a known string, literal or not
    nondeterministic: tuple[str, ...] = ()
    total: Count = ONE  # items over all module instances: what the table really receives

    @property
    def span(self) -> Span:
        return self.resource.span

    @property
    def is_set(self) -> bool:
        """More than one item: ``count``/``for_each`` or module fan-out can exceed 1."""
        total = self.total
        return total.upper is None or total.upper > 1


@pickled_by_constructor
@dataclass(frozen=True, slots=True)
class TableLoad:
    """All item sets that write into one table from one root module."""

    table_label: str
    table: Table | None
    root_dir: str
    item_sets: tuple[ItemSet, ...]


@dataclass(slots=True)
class Analysis:
    """The whole evaluated model handed to rules."""

    modules: list[Module] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    item_sets: list[ItemSet] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loads: list[TableLoad] = field(default_factory=list)
