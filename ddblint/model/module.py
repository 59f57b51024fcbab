"""Modules as written: a directory's parsed files grouped into variables, locals, resources and calls.

What the files *mean* once expressions are evaluated and module calls expanded
(item sets, tables, counts) is :mod:`ddblint.evaluate.analysis`; nothing here evaluates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from ddblint.discover.files import is_auto_loaded_values
from ddblint.model.variable_bounds import declared_size_bound
from ddblint.parse.syntax import Attribute, Block, Call, Expr, Literal, ParsedFile
from ddblint.problems import ParseProblem
from ddblint.span import Span

ITEM_TYPE = "aws_dynamodb_table_item"
TABLE_TYPE = "aws_dynamodb_table"


def span_of(path: str, block: Block | Attribute) -> Span:
    p = block.position
    return Span(path, p.line, p.column, p.end_line, p.end_column)


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

    def item_object(self) -> Expr | None:
        """``x`` of ``item = jsonencode(x)``: the item as a value, before it became JSON text."""
        attribute = self.attribute("item")
        expr = attribute.expr if attribute is not None else None
        if isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1 and not expr.expand_last:
            return expr.args[0]
        return None


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    default: Attribute | None
    path: str
    size_bound: int | None = None  # what the declaration caps its size at (a validation, an object type)


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
    outputs: dict[str, Attribute] = field(default_factory=dict)  # output name -> its ``value``
    tfvars: dict[str, Attribute] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)

    def local_exprs(self) -> dict[str, Expr]:
        """Each local's expression, by name."""
        return {name: attribute.expr for name, (attribute, _) in self.locals.items()}

    def local_call_dir(self, call: ModuleCall) -> str | None:
        """The directory a ``./`` or ``../`` module source points to, else None."""
        if not call.source.startswith(("./", "../")):
            return None
        return os.path.normpath(os.path.join(self.dir, call.source))


def is_tfvars(path: str) -> bool:
    return is_auto_loaded_values(os.path.basename(path))


def build_module(directory: str, files: list[ParsedFile], var_files: Sequence[ParsedFile] = ()) -> Module:
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


# The blocks ddblint reads and the labels Terraform requires on each.
_LABELS = {
    "resource": ("type", "name"),
    "data": ("type", "name"),
    "variable": ("name",),
    "module": ("name",),
    "output": ("name",),
}


def _add_block(module: Module, block: Block, path: str) -> None:
    labels = block.labels
    wanted = _LABELS.get(block.type)
    if wanted is not None and len(labels) != len(wanted):
        span = span_of(path, block)
        written = f"{len(labels)} label" + ("" if len(labels) == 1 else "s")
        message = f"a `{block.type}` block takes {' and '.join(wanted)} as labels; this one has {written}"
        module.problems.append(ParseProblem(path, message, span.line, span.column))
        return
    if block.type == "resource" and len(labels) == 2:
        module.resources.append(Resource(labels[0], labels[1], block, path))
    elif block.type == "data" and len(labels) == 2:
        module.data.append(Resource(labels[0], labels[1], block, path))
    elif block.type == "variable" and len(labels) == 1:
        bound = declared_size_bound(labels[0], block)
        module.variables[labels[0]] = Variable(labels[0], block.attributes.get("default"), path, bound)
    elif block.type == "locals":
        for name, attribute in block.attributes.items():
            module.locals[name] = (attribute, path)
    elif block.type == "output" and len(labels) == 1 and (value := block.attributes.get("value")) is not None:
        module.outputs[labels[0]] = value
    elif block.type == "module" and len(labels) == 1:
        source = block.attributes.get("source")
        text = source.expr.value if source is not None and isinstance(source.expr, Literal) else ""
        module.calls.append(ModuleCall(labels[0], str(text), block, path))
