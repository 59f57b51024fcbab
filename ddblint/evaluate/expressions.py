"""A small HCL expression evaluator with an explicit Unknown and provenance.

It evaluates what item code is made of (literals, templates, references,
operators, conditionals, for-expressions, splats and the functions in
:mod:`ddblint.evaluate.functions`) in the scope of one module instance. Anything that
only ``terraform apply`` could know becomes an :class:`Unknown` with a reason.
Every evaluation draws on the run's budget of steps and of characters built
(:mod:`ddblint.evaluate.budget`), so no expression can hang a run or exhaust
its memory, and a
:class:`Trace` records which data files, decoders and nondeterministic
functions a value came from, so rules can say *where* a number comes from.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ddblint.config.defaults import DEFAULT_MAX_BYTES
from ddblint.evaluate.budget import ELEMENT_WEIGHT, Budget, BudgetExceeded
from ddblint.evaluate.functions import ARGUMENT_ERRORS_ALLOWED, DATA_READERS, EXPANDING, call, failed
from ddblint.evaluate.values import (
    BUDGET_EXCEEDED,
    EvalError,
    Sized,
    TfSet,
    Unknown,
    bounded_number,
    expanded_size,
    first_unknown,
    size_of,
    to_number,
    to_string,
    whole,
    whole_number,
)
from ddblint.model.module import Module
from ddblint.parse.syntax import (
    BinaryOp,
    Call,
    Conditional,
    Directive,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Negate,
    Not,
    ObjectExpr,
    Reference,
    Splat,
    SplatAttr,
    Template,
    TupleExpr,
)
from ddblint.repo_paths import is_inside
from ddblint.untrusted.reading import NotRegularFile, read_regular

STEP_BUDGET = 2_000_000  # steps of one expression; the run's budget (ddblint.evaluate.budget) bounds them all
_STEP_CHUNK = 1024  # steps charged to the run's budget at a time


@dataclass
class Trace:
    """Where a value came from: data files read, decoders used, nondeterministic sources."""

    data_files: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    nondeterministic: list[str] = field(default_factory=list)

    def absorb(self, other: Trace) -> None:
        for mine, theirs in (
            (self.data_files, other.data_files),
            (self.readers, other.readers),
            (self.nondeterministic, other.nondeterministic),
        ):
            for entry in theirs:
                if entry not in mine:
                    mine.append(entry)


class FileGateway:
    """The only door to the disk for ``file()`` and friends: confined to the scan root.

    Every question an evaluation asks the disk goes through one of its four
    methods, so a cached analysis can be checked by asking them again.
    """

    def __init__(self, root_limit: str, max_bytes: int = DEFAULT_MAX_BYTES, budget: Budget | None = None) -> None:
        self.root_limit = os.path.realpath(root_limit)
        self.max_bytes = max_bytes  # max-file-size, as for the files that are parsed
        self._cache: dict[str, str | Unknown] = {}
        self.budget = budget if budget is not None else Budget()  # the run's, shared by every root

    def spend(self, characters: int) -> None:
        """Charge what an evaluation built against the run's budget; past it, the expression is unknown."""
        self.budget.spend_characters(characters)

    def resolve(self, path: str, bases: list[str]) -> str | Unknown:
        if "\x00" in path:
            return Unknown("a file path cannot hold a NUL character", path.replace("\x00", "\\0"))
        candidates = [path] if os.path.isabs(path) else [os.path.join(b, path) for b in bases]
        chosen = next((c for c in candidates if os.path.exists(c)), candidates[0])
        real = os.path.realpath(chosen)
        if not is_inside(real, self.root_limit):
            return Unknown(f"{path} is outside the scanned directory, so ddblint does not read it", path)
        return real

    def read(self, real: str, shown: str) -> str | Unknown:
        if real in self._cache:
            return self._cache[real]
        try:
            result = _read_regular_file(real, shown, self.max_bytes)
        except (OSError, UnicodeDecodeError) as exc:
            result = Unknown(f"cannot read {shown}: {getattr(exc, 'strerror', None) or exc}", shown)
        self._cache[real] = result
        return result

    def is_file(self, real: str) -> bool:
        """Terraform's ``fileexists``; a named pipe or device is no file to read."""
        return os.path.isfile(real)

    def glob(self, real: str, pattern: str) -> list[str] | Unknown:
        """Files under ``real`` matching ``pattern``, as sorted ``/``-separated relative paths."""
        from ddblint.evaluate.fileset import MAX_ENTRIES, PatternError, match_files

        try:
            found = match_files(real, pattern)
        except PatternError as exc:
            return Unknown(f"fileset(): {exc}", pattern)
        if found is None:
            return Unknown(f"fileset() would look at more than {MAX_ENTRIES:,} files", pattern)
        return found


def _read_regular_file(real: str, shown: str, max_bytes: int) -> str | Unknown:
    """A data file's text; a named pipe or device is not read (:func:`ddblint.untrusted.reading.read_regular`)."""
    try:
        data = read_regular(real, max_bytes)
    except NotRegularFile:
        return Unknown(f"{shown} is not a regular file, so ddblint does not read it", shown)
    if len(data) > max_bytes:
        return Unknown(f"{shown} is larger than {max_bytes:,} bytes", shown)
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as reading in text mode would


@dataclass
class ModuleScope:
    """Everything names resolve against in one instance of one module."""

    module: Module
    module_address: str
    root_dir: str
    gateway: FileGateway
    variables: dict[str, tuple[object, Trace]]
    locals: dict[str, tuple[object, Trace]] = field(default_factory=dict)
    locals_in_progress: list[str] = field(default_factory=list)
    # One Unknown per attribute of a resource, data source or module output, shared by every
    # evaluation in this instance: an item set of 20,000 items refers to its table 20,000 times.
    references: dict[tuple[str, str, str, str], Unknown] = field(default_factory=dict)
    # What ``jsonencode`` made in this instance: text -> the value decoding the text would give.
    # An item whose text is here is taken as that value, never decoded.
    encoded_json: dict[str, object] = field(default_factory=dict)


class _Namespace:
    def __init__(self, name: str) -> None:
        self.name = name


class _ResourceRef:
    """``aws_x.name`` on its way to ``aws_x.name.attribute``."""

    def __init__(self, kind: str, type_: str, name: str = "") -> None:
        self.kind = kind  # "resource", "data" or "module"
        self.type = type_
        self.name = name

    @property
    def address(self) -> str:
        prefix = {"data": "data.", "module": "module."}.get(self.kind, "")
        return f"{prefix}{self.type}.{self.name}" if self.name else f"{prefix}{self.type}"


_NAMESPACES = {"var", "local", "each", "count", "path", "data", "module", "terraform", "self"}
_SENTINELS = (_Namespace, _ResourceRef)


class Evaluator:
    """Evaluates expressions for one scope, with ``each``/``count`` bound as given."""

    def __init__(
        self, scope: ModuleScope, each: tuple[object, object] | None = None, count_index: object = None
    ) -> None:
        self.scope = scope
        self.each = each
        self.count_index = count_index
        self.trace = Trace()
        self.steps = 0
        self._budget = scope.gateway.budget
        self._env: list[dict[str, object]] = []

    # -- entry points -------------------------------------------------------

    def evaluate(self, expr: Expr) -> object:
        """Evaluate to a value or an Unknown; never raises for bad input."""
        try:
            if self._budget.steps < 0:
                self._budget.refuse()  # spent: not even a literal is evaluated
            return self._final(self.eval(expr))
        except BudgetExceeded:
            self._budget.cut += 1
            return Unknown(BUDGET_EXCEEDED)
        except RecursionError:
            return Unknown("nests too deeply to evaluate")
        except EvalError as exc:
            return Unknown(str(exc))
        finally:
            self._budget.steps -= self.steps % _STEP_CHUNK  # the rest is charged as it is taken (see eval)

    def _final(self, value: object) -> object:
        if isinstance(value, _ResourceRef):
            return Unknown(f"{value.address} is known only after apply", value.address)
        if isinstance(value, _Namespace):
            return Unknown(f"{value.name} is not a value", value.name)
        return value

    # -- the tree walk ------------------------------------------------------

    def eval(self, expr: Expr) -> object:
        self.steps += 1
        if self.steps % _STEP_CHUNK == 0:
            if self.steps > STEP_BUDGET:
                raise BudgetExceeded
            self._budget.spend_steps(_STEP_CHUNK)
        if type(expr) is Literal:
            return expr.value
        return _EVALUATE[type(expr)](self, expr)

    def _eval_template(self, expr: Template) -> object:
        pieces: list[str] = []
        for part in expr.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self._final(self.eval(part))
            if isinstance(value, Unknown):
                return value
            if isinstance(value, (dict, list, tuple, Sized)):
                return Unknown("a collection cannot be placed in a string template")
            pieces.append(to_string(value))
        return self._built("".join(pieces))

    def _built(self, value: object) -> object:
        """Count the characters of strings this evaluation builds: steps alone do not bound memory."""
        if isinstance(value, str):
            self.scope.gateway.spend(len(value))
        elif isinstance(value, (list, dict)):
            self.scope.gateway.spend(len(value) * ELEMENT_WEIGHT)
        return value

    def _eval_directive(self, expr: Directive) -> object:
        return Unknown("template directives (%{ ... }) are not evaluated by ddblint")

    def _eval_tuple(self, expr: TupleExpr) -> object:
        return [self._final(self.eval(item)) for item in expr.items]

    def _eval_object(self, expr: ObjectExpr) -> object:
        result: dict[str, object] = {}
        for key_expr, value_expr in expr.elements:
            key = self._final(self.eval(key_expr))
            if isinstance(key, Unknown):
                return Unknown(f"an object key is unknown: {key.reason}", key.origin, len(expr.elements))
            result[to_string(key)] = self._final(self.eval(value_expr))
        return result

    def _eval_ref(self, expr: Reference) -> object:
        return self._lookup(expr.name)

    def _lookup(self, name: str) -> object:
        for frame in reversed(self._env):
            if name in frame:
                return frame[name]
        if name in _NAMESPACES:
            return _Namespace(name)
        return _ResourceRef("resource", name)

    def _eval_attr(self, expr: GetAttr) -> object:
        return self._get(self.eval(expr.obj), expr.name)

    def _get(self, obj: object, name: str) -> object:
        if isinstance(obj, _Namespace):
            return self._namespace_get(obj.name, name)
        if isinstance(obj, _ResourceRef):
            return self._resource_get(obj, name)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, dict):
            if name in obj:
                return obj[name]
            raise EvalError(f"no attribute {name!r}")
        raise EvalError(f"cannot read .{name} of a {type(obj).__name__}")

    def _namespace_get(self, namespace: str, name: str) -> object:
        scope = self.scope
        if namespace == "var":
            if name not in scope.variables:
                return Unknown(f"var.{name} is not declared", f"var.{name}", external=True)
            value, trace = scope.variables[name]
            self.trace.absorb(trace)
            return value
        if namespace == "local":
            return self._local(name)
        if namespace == "each":
            if self.each is None:
                return Unknown("each is only set inside a for_each resource", "each")
            if name in ("key", "value"):
                return self.each[0] if name == "key" else self.each[1]
        if namespace == "count" and name == "index":
            if self.count_index is None:
                return Unknown("count.index is only set inside a count resource", "count.index")
            return self.count_index
        if namespace == "path":
            if name == "module":
                relative = os.path.relpath(scope.module.dir, scope.root_dir)
                return relative if relative != "." else "."
            if name == "root":
                return "."
            if name == "cwd":
                return scope.root_dir
        if namespace == "data":
            return _ResourceRef("data", name)
        if namespace == "module":
            return _ResourceRef("module", name)
        if namespace == "terraform" and name == "workspace":
            return Unknown("terraform.workspace is chosen at run time", "terraform.workspace", external=True)
        return Unknown(f"{namespace}.{name} is not evaluated by ddblint", f"{namespace}.{name}")

    def _resource_get(self, ref: _ResourceRef, name: str) -> object:
        if not ref.name:
            return _ResourceRef(ref.kind, ref.type, name)
        key = (ref.kind, ref.type, ref.name, name)
        value = self.scope.references.get(key)
        if value is None:
            value = self.scope.references[key] = self._reference(ref, name)
        if value.nondeterministic:
            self._note_nondeterministic(value.origin)
        return value

    def _reference(self, ref: _ResourceRef, name: str) -> Unknown:
        address = f"{ref.address}.{name}"
        if ref.kind == "data":
            return Unknown(f"data source {ref.address} is read only at plan or apply time", address, external=True)
        if ref.kind == "module":
            # The output's place, so a table reached through it can still be found (evaluate.table_outputs).
            reason = f"module output {address} is known only after apply"
            return Unknown(reason, address, resource=(self.scope.module_address, address), external=True)
        if ref.type.startswith("random_"):
            return Unknown(f"{address} is generated randomly by Terraform", address, nondeterministic=True)
        if ref.type.startswith("time_"):
            return Unknown(f"{address} is the time Terraform created it", address, nondeterministic=True)
        resource = (self.scope.module_address, ref.address)
        return Unknown(f"{address} is known only after apply", address, resource=resource, external=True)

    def _local(self, name: str) -> object:
        scope = self.scope
        if name in scope.locals:
            value, trace = scope.locals[name]
            self.trace.absorb(trace)
            return value
        if name not in scope.module.locals:
            return Unknown(f"local.{name} is not defined", f"local.{name}")
        if name in scope.locals_in_progress:
            cycle = " -> ".join(f"local.{n}" for n in scope.locals_in_progress + [name])
            return Unknown(f"locals refer to each other in a cycle ({cycle})", f"local.{name}")
        scope.locals_in_progress.append(name)
        inner = Evaluator(scope)
        try:
            value = inner.evaluate(scope.module.locals[name][0].expr)
        finally:
            scope.locals_in_progress.pop()
        self.steps += inner.steps
        scope.locals[name] = (value, inner.trace)
        self.trace.absorb(inner.trace)
        return value

    def _eval_index(self, expr: Index) -> object:
        return self._index(self.eval(expr.obj), self._final(self.eval(expr.key)))

    def _index(self, obj: object, key: object) -> object:
        if isinstance(obj, _ResourceRef):
            return obj
        unknown = first_unknown(obj, key)
        if unknown is not None:
            return unknown
        if isinstance(obj, Sized):
            return Unknown(f"{obj.what} is too large to evaluate", obj.what)
        if isinstance(obj, dict):
            text = to_string(key)
            if text in obj:
                return obj[text]
            raise EvalError(f"no key {text!r}")
        if isinstance(obj, (list, tuple)) and isinstance(key, (int, float, str)) and not isinstance(key, bool):
            index = whole_number(key)
            if index is None:
                raise EvalError(f"an index must be a whole number, got {to_string(key)}")
            if 0 <= index < len(obj):
                return obj[index]
            raise EvalError(f"index {index} out of range")
        raise EvalError("invalid index")

    def _eval_splat(self, expr: Splat) -> object:
        obj = self._final(self.eval(expr.obj))
        if isinstance(obj, (Unknown, Sized)):
            return obj if isinstance(obj, Unknown) else Unknown(f"{obj.what} is too large", obj.what)
        elements = obj if isinstance(obj, (list, tuple)) else ([] if obj is None else [obj])
        results = []
        for element in elements:
            value = element
            for op in expr.ops:
                if isinstance(op, SplatAttr):
                    value = self._get(value, op.name)
                else:
                    self.steps += 2  # the element's name and key, as when they were evaluated as nodes
                    value = self._index(value, self._final(self.eval(op.key)))
            results.append(self._final(value))
        return results

    def _eval_call(self, expr: Call) -> object:
        name, arg_exprs, expand = expr.name, expr.args, expr.expand_last
        if name in ARGUMENT_ERRORS_ALLOWED:
            args = [self._attempt(a) for a in arg_exprs]
        else:
            args = [self._final(self.eval(a)) for a in arg_exprs]
        if expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            if not isinstance(last, (list, tuple)):
                return Unknown(f"cannot expand a {type(last).__name__} into {name}() arguments")
            args.extend(last)
        if name in DATA_READERS and name not in self.trace.readers:
            self.trace.readers.append(name)
        if name in EXPANDING:  # what they build is as large as their arguments with every shared part copied
            self.scope.gateway.spend(sum(expanded_size(a, self._budget.characters + 1) for a in args))
        result = call(name, args, _FilesForEvaluator(self))
        if isinstance(result, Unknown) and result.nondeterministic:
            self._note_nondeterministic(result.origin)
        return self._built(result)

    def _note_nondeterministic(self, origin: str) -> None:
        if origin not in self.trace.nondeterministic:
            self.trace.nondeterministic.append(origin)

    def _attempt(self, expr: Expr) -> object:
        try:
            value = self._final(self.eval(expr))
        except EvalError as exc:
            return failed(str(exc))
        return value

    def _eval_op(self, expr: BinaryOp) -> object:
        operator, rhs_expr = expr.operator, expr.rhs
        lhs = self._final(self.eval(expr.lhs))
        if operator == "&&" and lhs is False:
            return False
        if operator == "||" and lhs is True:
            return True
        rhs = self._final(self.eval(rhs_expr))
        unknown = first_unknown(lhs, rhs)
        if unknown is not None:
            return replace(unknown, bound=None, resource=None)
        if operator == "==":
            return _equal(lhs, rhs)
        if operator == "!=":
            return not _equal(lhs, rhs)
        if operator in ("&&", "||"):
            if not isinstance(lhs, bool) or not isinstance(rhs, bool):
                raise EvalError(f"{operator} needs booleans")
            return (lhs and rhs) if operator == "&&" else (lhs or rhs)
        a, b = _number(lhs), _number(rhs)
        if operator == "+":
            return bounded_number(a + b)
        if operator == "-":
            return bounded_number(a - b)
        if operator == "*":
            return bounded_number(a * b)
        if operator == "/":
            if b == 0:
                raise EvalError("division by zero")
            return whole(a / b)
        if operator == "%":
            if b == 0:
                raise EvalError("division by zero")
            return a % b
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[operator]

    def _eval_not(self, expr: Not) -> object:
        value = self._final(self.eval(expr.operand))
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, bool):
            raise EvalError("! needs a boolean")
        return not value

    def _eval_neg(self, expr: Negate) -> object:
        value = self._final(self.eval(expr.operand))
        return value if isinstance(value, Unknown) else -_number(value)

    def _eval_cond(self, expr: Conditional) -> object:
        test = self._final(self.eval(expr.test))
        if isinstance(test, Unknown):
            return self._both_branches(test, expr.then, expr.otherwise)
        if not isinstance(test, bool):
            raise EvalError("a condition must be a boolean")
        return self._final(self.eval(expr.then if test else expr.otherwise))

    def _both_branches(self, test: Unknown, then_expr: Expr, else_expr: Expr) -> Unknown:
        """An unknown condition: the result is unknown, but bounded by its largest branch."""
        bounds = []
        for branch in (then_expr, else_expr):
            value = self._final(self.eval(branch))
            if isinstance(value, Unknown):
                bounds.append(value.bound)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                bounds.append(whole_number(value))
            else:
                bounds.append(size_of(value) if not isinstance(value, str) else None)
        bound = None if None in bounds else max(b for b in bounds if b is not None)
        return replace(test, bound=bound, resource=None)

    def _eval_for(self, expr: ForExpr) -> object:
        key_var, value_var, key_expr, value_expr = expr.key_var, expr.value_var, expr.key, expr.value
        condition, grouped = expr.condition, expr.grouped
        collection = self._final(self.eval(expr.collection))
        if isinstance(collection, Unknown):
            return collection
        if isinstance(collection, Sized):
            return Sized(collection.size, collection.what, collection.exact and condition is None)
        pairs = _iterate(collection)
        if pairs is None:
            raise EvalError(f"cannot iterate over a {type(collection).__name__}")
        object_result: dict[str, object] = {}
        groups: dict[str, list[object]] = {}  # ``=> value...``: every value of a key, in order
        list_result: list[object] = []
        for key, value in pairs:
            frame = {value_var: value}
            if key_var is not None:
                frame[key_var] = key
            self._env.append(frame)
            try:
                if condition is not None:
                    keep = self._final(self.eval(condition))
                    if isinstance(keep, Unknown):
                        return replace(keep, bound=len(pairs), resource=None)
                    if keep is not True:
                        continue
                item = self._final(self.eval(value_expr))
                if key_expr is None:
                    list_result.append(item)
                    continue
                result_key = self._final(self.eval(key_expr))
                if isinstance(result_key, Unknown):
                    return replace(result_key, bound=len(pairs), resource=None)
                text = to_string(result_key)
                if grouped:
                    groups.setdefault(text, []).append(item)
                elif text in object_result:
                    raise EvalError(f"duplicate key {text!r} in a for-expression")
                else:
                    object_result[text] = item
            finally:
                self._env.pop()
        if key_expr is None:
            return list_result
        return groups if grouped else object_result


_EVALUATE: dict[type[object], Callable[[Evaluator, Any], object]] = {  # Any: each method takes its own node type
    Template: Evaluator._eval_template,
    Reference: Evaluator._eval_ref,
    GetAttr: Evaluator._eval_attr,
    Index: Evaluator._eval_index,
    Splat: Evaluator._eval_splat,
    Call: Evaluator._eval_call,
    BinaryOp: Evaluator._eval_op,
    Not: Evaluator._eval_not,
    Negate: Evaluator._eval_neg,
    Conditional: Evaluator._eval_cond,
    TupleExpr: Evaluator._eval_tuple,
    ObjectExpr: Evaluator._eval_object,
    ForExpr: Evaluator._eval_for,
    Directive: Evaluator._eval_directive,
}  # one method per node type (Literal is answered inline: the commonest node)


class _FilesForEvaluator:
    """Adapts :class:`FileGateway` to the functions' :class:`Files` protocol for one evaluator."""

    def __init__(self, evaluator: Evaluator) -> None:
        self._evaluator = evaluator
        scope = evaluator.scope
        self._bases = [scope.root_dir, scope.module.dir]

    def _resolve(self, path: str) -> str | Unknown:
        return self._evaluator.scope.gateway.resolve(path, self._bases)

    def read(self, path: str) -> str | Unknown:
        if self._evaluator.scope.gateway.budget.characters < 0:
            self._evaluator.scope.gateway.budget.refuse()  # spent: what the file holds could not be built
        real = self._resolve(path)
        if isinstance(real, Unknown):
            return real
        return self._evaluator.scope.gateway.read(real, path)

    def exists(self, path: str) -> bool | Unknown:
        real = self._resolve(path)
        return real if isinstance(real, Unknown) else self._evaluator.scope.gateway.is_file(real)

    def glob(self, directory: str, pattern: str) -> list[str] | Unknown:
        real = self._resolve(directory)
        if isinstance(real, Unknown):
            return real
        return self._evaluator.scope.gateway.glob(real, pattern)

    def note_data_file(self, path: str) -> None:
        trace = self._evaluator.trace
        shown = os.path.normpath(path).replace(os.sep, "/")
        if shown not in trace.data_files:
            trace.data_files.append(shown)

    def note_json(self, text: str, value: object) -> None:
        self._evaluator.scope.encoded_json[text] = value

    def render(self, template_text: str, variables: dict[str, object]) -> object:
        from ddblint.parse.hcl import HclSyntaxError, template_from_text

        try:
            template = template_from_text(template_text)
        except (HclSyntaxError, RecursionError) as exc:
            raise EvalError(f"templatefile(): {exc}") from None
        self._evaluator._env.append(dict(variables))
        try:
            return self._evaluator._final(self._evaluator.eval(template))
        finally:
            self._evaluator._env.pop()


def _iterate(collection: object) -> list[tuple[object, object]] | None:
    if isinstance(collection, dict):
        return [(k, collection[k]) for k in sorted(collection)]
    if isinstance(collection, TfSet):
        return [(v, v) for v in collection]
    if isinstance(collection, (list, tuple)):
        return list(enumerate(collection))
    return None


def _equal(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _number(value: object) -> int | float:
    number = to_number(value)
    if number is not None:
        return number
    if isinstance(value, bool):
        raise EvalError("a boolean is not a number")
    raise EvalError(f"{value!r} is not a number" if isinstance(value, str) else "not a number")


def evaluate_attribute(
    scope: ModuleScope, expr: Expr, each: tuple[object, object] | None = None, count_index: object = None
) -> tuple[object, Trace]:
    """Evaluate one expression; errors become Unknowns that say what went wrong."""
    evaluator = Evaluator(scope, each, count_index)
    return evaluator.evaluate(expr), evaluator.trace
