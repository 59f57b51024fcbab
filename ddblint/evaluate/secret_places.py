"""Where an item set's secrets are written, so a report can mask what spells nothing of them.

A secret assembled from pieces or transformed on the way (``replace("...", "Q",
"W")``, ``"${"ab"}${"cd"}"``) reads like none of the literals it is made from,
so text alone cannot mask them. Two answers serve the report: the literals a
secret is made from (:func:`source_literals`), masked wherever they appear, and the
lines that write a flagged item set (:func:`written_places`), on which every
literal is masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ddblint.evaluate.masking import MASKED_ANYWHERE, Place
from ddblint.evaluate.secret_values import FORMAT_VERB
from ddblint.parse.syntax import (
    Call,
    Conditional,
    Expr,
    GetAttr,
    Literal,
    ObjectExpr,
    Reference,
    Template,
    TupleExpr,
    literal_string,
    nodes,
    referenced_names,
)

if TYPE_CHECKING:
    from ddblint.model.module import Module, ModuleCall, Resource
    from ddblint.parse.syntax import Attribute

MAX_EXPR_DEPTH = 64
MIN_SOURCE_CHARS = 3  # a shorter literal beside a secret (``"-"``, ``"%s"``) gives nothing away
_PATH_STEP = re.compile(r"([^.\[\]]+)")  # ``profile.M.tokens.L[0].S``: profile, M, tokens, L, 0, S

# Calls whose result still holds their literal arguments as they are; ``bcrypt("...")``
# and other transforms do not put the literal itself into the item.
VALUE_PRESERVING_CALLS = {
    "jsonencode",
    "merge",
    "tomap",
    "tolist",
    "toset",
    "tostring",
    "concat",
    "coalesce",
    "try",
    "trimspace",
}


@dataclass(frozen=True)
class Written:
    """Where an item set's values are written: the item, its ``for_each``, and the module's locals."""

    item: Expr
    for_each: Expr | None
    local_exprs: Mapping[str, Expr]


def source_literals(text: str, path: str, written: Written) -> tuple[str, ...]:
    """The literals the secret ``text`` at ``path`` (``password.S``) is made from that a report would
    not mask by what they spell.

    Those are the literals written where the item spells it, those of the locals that place reads
    (``local.password``, and the locals they read), and, when it reads ``each``, those of the ``for_each``
    expression (``for_each = { admin = "..." }`` with ``replace(each.value, ...)``). A literal that reads
    as part of the secret is masked by what it spells, and so is one that holds the whole of a secret
    long enough to be masked wherever it stands.
    """
    value = text.casefold()
    places = _written_at(written.item, path)
    found: set[str] = set()
    for expr in places + _locals_read(places, written.local_exprs):
        found |= _all_literals(expr)
    if written.for_each is not None and any("each" in referenced_names(expr) for expr in places):
        found |= _all_literals(written.for_each)
    return tuple(sorted(literal for literal in found if not _masked_as_spelled(literal.casefold(), value)))


def _masked_as_spelled(literal: str, value: str) -> bool:
    """Whether a report masks ``literal`` (casefolded) for what it spells of the secret ``value``: it is
    part of the secret, or holds it long enough to be masked anywhere, or as a whole word."""
    if literal in value:
        return True
    if len(value) >= MASKED_ANYWHERE:
        return value in literal
    return re.search(rf"(?<![a-z0-9_]){re.escape(value)}(?![a-z0-9_])", literal) is not None


def _locals_read(exprs: list[Expr], local_exprs: Mapping[str, Expr]) -> list[Expr]:
    """The expressions of the locals ``exprs`` read, and of the locals those read, each once."""
    found: dict[str, Expr] = {}
    pending = list(exprs)
    while pending and len(found) < MAX_EXPR_DEPTH:
        for name in _names_read(pending.pop(), "local"):
            if name in local_exprs and name not in found:
                found[name] = local_exprs[name]
                pending.append(local_exprs[name])
    return list(found.values())


def _names_read(expr: Expr, namespace: str) -> set[str]:
    """The names an expression reads in ``namespace`` (``local.password``, ``var.env``)."""
    return {
        node.name
        for node in nodes(expr)
        if isinstance(node, GetAttr) and isinstance(node.obj, Reference) and node.obj.name == namespace
    }


def written_places(
    resource: Resource, module: Module | None, calls_above: Sequence[tuple[Module, ModuleCall]] = ()
) -> tuple[Place, ...]:
    """The lines that write an item set's content, once it holds a secret: a report masks every
    literal there, so pieces too short or too transformed to be told by what they spell are masked
    by where they stand.

    They are its ``item`` attribute, the ``for_each`` it reads through ``each``, and the locals,
    variable defaults and ``.tfvars`` values of its module that either reads (locals transitively);
    then, up the module calls that lead to it (innermost first), the arguments that set those
    variables, with the call's ``for_each`` and what they read of the calling module in turn.
    """
    item = resource.attribute("item")
    if item is None:
        return ()
    written = _with_for_each([(resource.path, item)], resource.path, resource.attribute("for_each"))
    places, names = _what_it_reads(written, module)
    for calling_module, call in calls_above:
        given = call.block.attributes
        arguments = [(call.path, given[name]) for name in sorted(names) if name in given]
        if not arguments:
            break
        arguments = _with_for_each(arguments, call.path, call.block.attributes.get("for_each"))
        more, names = _what_it_reads(arguments, calling_module)
        places += more
    return tuple((path, a.position.line, a.position.end_line) for path, a in places)


def _with_for_each(
    written: list[tuple[str, Attribute]], path: str, for_each: Attribute | None
) -> list[tuple[str, Attribute]]:
    """``written``, and the block's ``for_each`` when any of it reads ``each``."""
    if for_each is not None and any("each" in referenced_names(a.expr) for _, a in written):
        return [*written, (path, for_each)]
    return written


def _what_it_reads(
    written: list[tuple[str, Attribute]], module: Module | None
) -> tuple[list[tuple[str, Attribute]], set[str]]:
    """``written`` with the locals (transitively) and variable defaults of ``module`` it reads, and the
    names of the variables read: a caller's arguments set them."""
    exprs = [attribute.expr for _, attribute in written]
    if module is None:
        return written, set().union(*(_names_read(expr, "var") for expr in exprs))
    read = _locals_read(exprs, module.local_exprs())
    read_ids = {id(expr) for expr in read}
    found = written + [(path, a) for a, path in module.locals.values() if id(a.expr) in read_ids]
    names: set[str] = set().union(*(_names_read(expr, "var") for expr in exprs + read))
    for name in sorted(names):
        variable = module.variables.get(name)
        if variable is not None and variable.default is not None:
            found.append((variable.path, variable.default))
    # The values files give: every file of attributes and no blocks, as a .tfvars file is parsed.
    found += [
        (f.path, f.attributes[name]) for f in module.files if not f.blocks for name in names if name in f.attributes
    ]
    return found, names


def _written_at(item: Expr, path: str) -> list[Expr]:
    """The expressions that write the attribute at ``path``, followed through the item expression's
    objects, tuples and value-preserving calls; where a function, a condition or a template builds the
    value, that expression. None when the path leads out of the item before naming an attribute."""
    steps = [step for step in _PATH_STEP.findall(path) if step]
    found: list[Expr] = []
    pending = [(item, 0, 0)]
    while pending:
        expr, taken, depth = pending.pop()
        if depth > MAX_EXPR_DEPTH:
            continue
        if taken == len(steps):
            found.append(expr)
        elif isinstance(expr, Call) and expr.name in VALUE_PRESERVING_CALLS:
            pending.extend((argument, taken, depth + 1) for argument in expr.args)
        elif isinstance(expr, Conditional):  # either branch may write the item
            pending.extend(((expr.then, taken, depth + 1), (expr.otherwise, taken, depth + 1)))
        elif isinstance(expr, ObjectExpr):
            pending.extend((v, taken + 1, depth + 1) for k, v in expr.elements if literal_string(k) == steps[taken])
        elif isinstance(expr, TupleExpr) and steps[taken].isdigit() and int(steps[taken]) < len(expr.items):
            pending.append((expr.items[int(steps[taken])], taken + 1, depth + 1))
        elif taken > 0:
            found.append(expr)
    return found


def _gives_away(text: str) -> bool:
    """Whether a literal beside a secret holds text of its own: not a separator (``"-"``), not a
    format string's verbs (``"%s%s"``) and not punctuation (``"---"``)."""
    own = FORMAT_VERB.sub("", text).strip()
    return len(own) >= MIN_SOURCE_CHARS and any(char.isalnum() for char in own)


def _all_literals(expr: Expr) -> set[str]:
    """Every literal string in ``expr`` (a string literal, a template's text), at any depth, long
    enough to give something away; names (``var.env``, ``replace``) are code, not literals."""
    found: set[str] = set()
    for node in nodes(expr):
        if isinstance(node, Literal):
            texts: tuple[object, ...] = (node.value,)
        elif isinstance(node, Template):
            texts = node.parts  # the interpolated parts are nodes of their own
        else:
            continue
        found.update(text for text in texts if isinstance(text, str) and _gives_away(text))
    return found
