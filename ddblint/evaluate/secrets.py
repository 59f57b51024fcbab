"""Find secrets in items: passwords, tokens, access keys, private keys.

An item's content lands in Terraform state and plan output in plain text, so a
secret written into an item is readable by everyone who can read either. Two
sources are searched: the evaluated items (which see values that came from
locals, variables and files), and the literal strings of the ``item``
expression itself (which still see ``password = "..."`` when another part of
the item, a ``timestamp()`` say, makes the evaluated item unknown).

A :class:`Secret` keeps the secret text only so reporters can redact it; it
is left out of ``repr`` and no message may quote it. Which text is a secret is
:mod:`ddblint.evaluate.secret_values`' question; where a flagged set is written,
for the report to mask, :mod:`ddblint.evaluate.secret_places`'.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ddblint.dynamodb.item_json import TYPE_DESCRIPTORS
from ddblint.dynamodb.item_leaves import leaves
from ddblint.evaluate.secret_places import MAX_EXPR_DEPTH, VALUE_PRESERVING_CALLS, Written, source_literals
from ddblint.evaluate.secret_values import (
    FORMAT_VERB,
    MIN_SECRET_CHARS,
    REFERENCE_PREFIXES,
    classify,
    looks_generated,
    secret_shape,
)
from ddblint.parse.syntax import (
    Call,
    Conditional,
    Directive,
    Expr,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
    literal_string,
)
from ddblint.untrusted.safe_regex import compile_re2

if TYPE_CHECKING:
    from ddblint.model.module import Resource

IN_SOURCE = "<source>"  # the key of secrets seen only in the item expression, in no evaluated instance
# Values searched for secrets in one item: more than a 400 KB item can hold, so no padding hides one,
# where the content rules stop at a sample.
MAX_SECRET_LEAVES = 60_000


# Calls whose result does not give their argument back: the item holds a hash, not the secret.
_ONE_WAY_CALLS = {"bcrypt", "md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512", "uuidv5"}


@dataclass(frozen=True)
class Secret:
    """A secret found in an item: where (``path``, ``name``), what (``kind``), and its
    ``text`` for redaction only.
    """

    path: str
    name: str
    kind: str
    text: str = field(repr=False)
    # The literal strings written where the item expression spells this value, when a function
    # transforms them on the way (``replace("...", "Q", "W")``, ``base64encode("...")``): no piece
    # of the value reads as they do, and a code frame would print them in clear.
    sources: tuple[str, ...] = field(default=(), repr=False)

    def spellings(self) -> tuple[str, ...]:
        """Every text a report must mask for this secret: its value and the literals it is made from."""
        return (self.text, *self.sources)


def item_set_secrets(
    resource: Resource,
    values: Iterable[tuple[object, object, str | None]],
    local_exprs: Mapping[str, Expr] | None = None,
) -> tuple[tuple[object, Secret], ...]:
    """Every secret of an item set with the instance key it was seen in.

    ``values`` are the evaluated items, as (instance key, decoded item, the JSON
    text it was decoded from). Literals of the ``item`` expression that no
    evaluated instance shows (because the item as a whole is unknown, or not JSON) come last,
    keyed :data:`IN_SOURCE`. An item written as one literal text that an instance
    was decoded from shows all its secrets in that instance: it is not decoded again.
    ``local_exprs`` are the module's locals, whose literals a secret may be made from.
    """
    found: list[tuple[object, Secret]] = []
    decoded_from: set[str | None] = set()  # the texts of the instances that decoded to an item
    for key, value, text in values:
        if isinstance(value, dict):
            decoded_from.add(text)
        found.extend((key, secret) for secret in find_secrets(value))
    seen = {(secret.path, secret.text) for _, secret in found}
    item_attribute = resource.attribute("item")
    if item_attribute is None:
        return tuple(found)
    written = _literal_text(item_attribute.expr)
    if written is not None and written in decoded_from:
        return tuple(found)
    for secret in find_literal_secrets(item_attribute.expr, evaluated=bool(decoded_from)):
        if (secret.path, secret.text) not in seen:
            seen.add((secret.path, secret.text))
            found.append((IN_SOURCE, secret))
    for_each = resource.attribute("for_each")
    where = Written(item_attribute.expr, for_each.expr if for_each is not None else None, local_exprs or {})
    return tuple((key, _with_sources(secret, where)) for key, secret in found)


def _with_sources(secret: Secret, written: Written) -> Secret:
    sources = source_literals(secret.text, secret.path, written)
    return replace(secret, sources=sources) if sources else secret


def find_secrets(item: object) -> list[Secret]:
    """Secrets among the string values of a decoded item (valid DynamoDB JSON or not), under any
    descriptor: ``password = { N = "hunter2" }`` is a wrong item, and still a password in state."""
    return list(_classified((leaf.path, leaf.name, leaf.value) for leaf in leaves(item, MAX_SECRET_LEAVES)))


def find_literal_secrets(expr: Expr, evaluated: bool = True) -> list[Secret]:
    """Secrets among the literal strings written in an ``item`` expression; where the item was not
    ``evaluated``, also among the literal pieces of the values functions and templates build."""
    return list(_classified(_literal_strings(expr, "", "", 0, pieces=not evaluated)))


def _classified(candidates: Iterable[tuple[str, str, object]]) -> Iterator[Secret]:
    for path, name, value in candidates:
        if not isinstance(value, str):
            continue
        found = classify(name, value)
        if found is not None:
            kind, text = found
            yield Secret(path, name, kind, text)


def _literal_strings(expr: Expr, path: str, name: str, depth: int, pieces: bool) -> Iterator[tuple[str, str, object]]:
    """(path, attribute name, text) of every literal string in an item expression.

    With ``pieces`` (the item could not be evaluated, so nothing else sees its values), a literal
    under an attribute's name counts wherever it is written: as an argument of any function but a
    one-way hash (``strrev("...")`` holds the secret as much as its result does) and as the text
    between a template's interpolations (``"${var.env}-S3cret..."``), when it looks like part of a
    secret rather than a word or a format (see :func:`_secret_piece`). A template that is JSON
    text but for its interpolations (a heredoc item with ``${timestamp()}`` in it) is read as JSON
    with each interpolation standing for an unknown value.
    """
    if depth > MAX_EXPR_DEPTH:
        return
    text = _literal_text(expr)
    if text is None and pieces and not name and isinstance(expr, Template):
        text = _template_text(expr)
    if text is not None:
        if name:
            yield path, name, text
        decoded = _json_object(text)
        if decoded is None and pieces and not name:
            yield from _loose_pairs(text)
        yield from ((leaf.path, leaf.name, leaf.value) for leaf in leaves(decoded, MAX_SECRET_LEAVES))
    elif isinstance(expr, ObjectExpr):
        for key_expr, value_expr in expr.elements:
            key = literal_string(key_expr)
            if key is None:
                continue
            child_name = name if key in TYPE_DESCRIPTORS else key
            child_path = f"{path}.{key}" if path else key
            yield from _literal_strings(value_expr, child_path, child_name, depth + 1, pieces)
    elif isinstance(expr, TupleExpr):
        for index, element in enumerate(expr.items):
            yield from _literal_strings(element, f"{path}[{index}]", name, depth + 1, pieces)
    elif isinstance(expr, Call) and expr.name in VALUE_PRESERVING_CALLS:
        for argument in expr.args:
            yield from _literal_strings(argument, path, name, depth + 1, pieces)
    elif isinstance(expr, Conditional):
        yield from _literal_strings(expr.then, path, name, depth + 1, pieces)
        yield from _literal_strings(expr.otherwise, path, name, depth + 1, pieces)
    elif pieces and name:
        yield from _pieces_under(expr, path, name, depth)
    elif pieces and isinstance(expr, Call) and expr.name not in _ONE_WAY_CALLS:
        # JSON text a function finishes: ``format("{...\"password\": ...}", var.env)``, ``replace(<<EOT ...)``
        for argument in expr.args:
            yield from _literal_strings(argument, path, name, depth + 1, pieces)


def _pieces_under(expr: Expr, path: str, name: str, depth: int) -> Iterator[tuple[str, str, object]]:
    """The literal pieces of a value written under ``name`` that a function or a template builds."""
    if isinstance(expr, Template):
        parts: tuple[str | Expr, ...] = expr.parts
        if parts and isinstance(parts[0], str) and parts[0].startswith(REFERENCE_PREFIXES):
            return  # where a secret lives, built: ``"arn:aws:secretsmanager:${var.region}:..."``
    elif isinstance(expr, Call) and expr.name not in _ONE_WAY_CALLS:
        parts = expr.args
    else:
        return
    for part in parts:
        if isinstance(part, str):
            if _secret_piece(part):
                yield path, name, part
        elif isinstance(part, Literal) and isinstance(part.value, str):
            if _secret_piece(part.value):
                yield path, name, part.value
        elif not isinstance(part, Directive) and depth < MAX_EXPR_DEPTH:
            yield from _literal_strings(part, path, name, depth + 1, pieces=True)


def _secret_piece(text: str) -> bool:
    """Whether a literal piece of a built value may be part of a secret: not a format string, a
    phrase or a name (``"Bearer "``, ``"%s/%s"``, ``"-api-key-v1"``), but a run without spaces a
    generator made (``"-R3allyS3cret-991"``) or one with a secret's shape (an access key id)."""
    own = FORMAT_VERB.sub("", text).strip().strip("-_:/.,;|")
    if len(own) < MIN_SECRET_CHARS or any(char.isspace() for char in own):
        return False
    return looks_generated(own) or secret_shape(own) is not None


def _template_text(template: Template) -> str | None:
    """A template that starts as a JSON object, as text with each interpolation as ``0`` (valid in a
    JSON string and as a JSON value) and each directive as nothing; else None."""
    first = template.parts[0] if template.parts else None
    if not isinstance(first, str) or not first.lstrip().startswith("{"):
        return None
    return "".join(_json_stand_in(part) for part in template.parts)


# ``"name": "value"`` or ``"name": {"S": "value"}`` in JSON-like text; RE2 runs it in linear time.
_LOOSE_PAIR = r'"((?:[^"\\]|\\.)*)"\s*:\s*(?:\{\s*"([A-Z]{1,4})"\s*:\s*)?"((?:[^"\\]|\\.)*)"'


def _loose_pairs(text: str) -> Iterator[tuple[str, str, object]]:
    """(path, name, value) of each string pair in item text that is not JSON: a trailing comma, a
    directive's leftovers (``[%{ for r in var.regions }"${r}",%{ endfor }]``). Each is read as it stands."""
    for count, found in enumerate(compile_re2(_LOOSE_PAIR).finditer(text)):
        if count >= MAX_SECRET_LEAVES:
            return
        name, descriptor, value = (_json_unescaped(group or "") for group in found.groups())
        yield (f"{name}.{descriptor}" if descriptor else name), name, value


def _json_unescaped(text: str) -> str:
    try:
        decoded = json.loads(f'"{text}"')
    except ValueError:
        return text
    return decoded if isinstance(decoded, str) else text


def _json_stand_in(part: str | Expr) -> str:
    """A template part as JSON text: literal text as it is, an interpolation as ``0``, a directive as nothing."""
    if isinstance(part, str):
        return part
    return "" if isinstance(part, Directive) else "0"


def _literal_text(expr: Expr) -> str | None:
    """The string a literal or an interpolation-free template spells, else None."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and all(isinstance(part, str) for part in expr.parts):
        return "".join(part for part in expr.parts if isinstance(part, str))
    return None


def _json_object(text: str) -> object:
    """A heredoc or string item written as JSON text, decoded; None when it is not JSON."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
