"""Turn HCL text into ddblint's syntax tree, using python-hcl2's Lark grammar (or a faster equal).

We use python-hcl2's raw Lark parse tree and convert it straight into the
typed nodes of :mod:`ddblint.parse.syntax`. Skipping python-hcl2's own
transformer keeps positions (blocks and attributes take theirs from their
first and last tokens), avoids its ``"${...}"`` string wrapping and costs less time.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from ddblint.parse.syntax import (
    Attribute,
    BinaryOp,
    Block,
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
    Position,
    Reference,
    Splat,
    SplatAttr,
    SplatIndex,
    Template,
    TupleExpr,
)
from ddblint.span import LineStarts
from ddblint.untrusted.numbers import number_from_digits

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_BINARY_OPS = {"||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"}


class HclSyntaxError(Exception):
    """A parse failure with a position, in words a Terraform user understands."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def redefined(name: str, first: Position, line: int) -> HclSyntaxError:
    """An argument set twice in one block, which Terraform refuses: the parser alone would keep the last."""
    return HclSyntaxError(f'the argument "{name}" is set again here; it was set at line {first.line}', line)


def _parser() -> Any:
    from ddblint.parse.compat import hcl2_parser

    return hcl2_parser()


def parse_body(text: str) -> tuple[list[Block], dict[str, Attribute]]:
    """Parse a whole file: its top-level blocks and top-level attributes.

    Most files are read by the hand-written parser of :mod:`ddblint.parse.subset`,
    which builds the same tree; whatever it leaves, errors included, goes to Lark.
    """
    from ddblint.parse.subset import parse_subset  # it builds on this module's helpers

    parsed = parse_subset(text)
    if parsed is not None:
        return parsed
    return parse_body_with_lark(text)


def parse_body_with_lark(text: str) -> tuple[list[Block], dict[str, Attribute]]:
    """Parse a whole file with python-hcl2's grammar: the reference for :mod:`ddblint.parse.subset`."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

    try:
        tree = _parser().parse(text + "\n")
    except UnexpectedCharacters as exc:
        position = exc.pos_in_stream or 0
        raise HclSyntaxError(
            f"unexpected character {text[position : position + 1]!r}",
            exc.line,
            exc.column,
        ) from None
    except UnexpectedEOF:
        line = max(1, len(text.rstrip("\n").split("\n")))
        raise HclSyntaxError("unexpected end of file (an unclosed block or bracket?)", line) from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        shown = str(token).strip() if token is not None else ""
        last_line = max(1, len(text.rstrip("\n").split("\n")))
        if exc.line > last_line or (token is not None and getattr(token, "type", "") == "$END"):
            raise HclSyntaxError("unexpected end of file (an unclosed block or bracket?)", last_line) from None
        what = f"unexpected {shown!r}" if shown else "unexpected end of line"
        raise HclSyntaxError(what, max(exc.line, 1), max(exc.column, 1)) from None
    converter = _Converter(text)
    return converter.body(tree.children[0])


def parse_expression(text: str) -> Expr:
    """Parse one expression (used for ``${...}`` inside heredocs and JSON strings)."""
    blocks, attributes = parse_body(f"__ddblint_expr = {text}")
    if blocks or "__ddblint_expr" not in attributes:
        raise HclSyntaxError(f"not an expression: {text!r}")
    return attributes["__ddblint_expr"].expr


def _edge_token(node: Any, last: bool) -> Any:
    """The first (or last) token under ``node``, skipping newlines and comments.

    The parser is built without Lark's position propagation, which would give
    every one of the half-million nodes of a large repository a position and
    doubles the cost of a parse; blocks and attributes, the only nodes whose
    positions ddblint keeps, take theirs from their edge tokens instead.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if not _is_tree(current):
            if current.type != "NL_OR_COMMENT":
                return current
            continue
        if current.data != "new_line_or_comment":
            stack.extend(current.children if last else reversed(current.children))
    return None


def _position(node: Any) -> Position:
    first, final = _edge_token(node, last=False), _edge_token(node, last=True)
    if first is None or final is None:
        return Position(1, 1, 1, 1)
    return Position(first.line, first.column, final.end_line, final.end_column)


def _is_tree(node: Any) -> bool:
    return hasattr(node, "data")


def _subtrees(node: Any) -> list[Any]:
    return [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]


def unescape(raw: str) -> str:
    """Decode HCL's escapes; ``\\U00110000`` is no character (an error, as in Terraform), and a
    lone surrogate such as ``\\ud800`` becomes U+FFFD, as Go encodes it."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            point = int(code[1:], 16)
            if point > sys.maxunicode:
                raise HclSyntaxError(f"invalid escape \\{code}: not a Unicode character")
            return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)
        return _ESCAPES.get(code, code)

    return _ESCAPE_RE.sub(replace, raw)


class _Converter:
    """Walks one Lark tree; holds the source text so attributes keep their text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = LineStarts(text)

    def _source(self, node: Any) -> str:
        position = _position(node)
        try:
            start = self._lines.start(position.line) + position.column - 1
            end = self._lines.start(position.end_line) + position.end_column - 1
        except IndexError:
            return ""
        return self._text[start:end].strip()

    def body(self, body: Any) -> tuple[list[Block], dict[str, Attribute]]:
        blocks: list[Block] = []
        attributes: dict[str, Attribute] = {}
        for node in _subtrees(body):
            if node.data == "block":
                blocks.append(self.block(node))
            elif node.data == "attribute":
                attribute = self.attribute(node)
                if attribute.name in attributes:
                    raise redefined(attribute.name, attributes[attribute.name].position, attribute.position.line)
                attributes[attribute.name] = attribute
        return blocks, attributes

    def block(self, node: Any) -> Block:
        names: list[str] = []
        body = None
        for child in node.children:
            if not _is_tree(child):
                continue
            if child.data == "body":
                body = child
            elif child.data == "string":
                names.append("".join(p if isinstance(p, str) else "" for p in self._string_parts(child)))
            elif child.data != "new_line_or_comment":
                names.append(str(child.children[0]))
        blocks, attributes = self.body(body) if body is not None else ([], {})
        return Block(names[0], tuple(names[1:]), attributes, tuple(blocks), _position(node))

    def attribute(self, node: Any) -> Attribute:
        name_node, value_node = _subtrees(node)
        name = str(name_node.children[0])
        return Attribute(name, self.expr(value_node), _position(node), self._source(value_node))

    # -- expressions -------------------------------------------------------

    def expr(self, node: Any) -> Expr:
        handler = getattr(self, "_" + node.data)
        result: Expr = handler(node)
        return result

    def _expr_term(self, node: Any) -> Expr:
        return self.expr(_subtrees(node)[0])

    def _int_lit(self, node: Any) -> Expr:
        return Literal(number_from_digits(str(node.children[0])))

    def _float_lit(self, node: Any) -> Expr:
        return Literal(float(str(node.children[0])))

    def _literal_value(self, node: Any) -> Expr:
        return Literal({"true": True, "false": False, "null": None}[str(node.children[0])])

    def _identifier(self, node: Any) -> Expr:
        return Reference(str(node.children[0]))

    def _keyword(self, node: Any) -> Expr:
        return Reference(str(node.children[0]))

    def _string(self, node: Any) -> Expr:
        return template_of_parts(self._string_parts(node))

    def _string_parts(self, node: Any) -> list[str | Expr]:
        parts: list[str | Expr] = []
        for part in node.children:
            if not _is_tree(part):
                continue
            inner = part.children[0]
            if not _is_tree(inner):
                kind = inner.type
                raw = str(inner)
                if kind == "ESCAPED_INTERPOLATION" or kind == "ESCAPED_DIRECTIVE":
                    parts.append(raw[1:])
                else:
                    parts.append(unescape(raw))
            elif inner.data == "interpolation":
                parts.append(self.expr(_subtrees(inner)[0]))
            else:
                parts.append(Directive(inner.data))
        return parts

    def _template_string(self, node: Any) -> Expr:
        return Literal(unescape(str(node.children[0])[2:-2]))

    def _heredoc_template(self, node: Any) -> Expr:
        return heredoc(str(node.children[0]), trim=False)

    def _heredoc_template_trim(self, node: Any) -> Expr:
        return heredoc(str(node.children[0]), trim=True)

    def _tuple(self, node: Any) -> Expr:
        return TupleExpr(tuple([self.expr(c) for c in _subtrees(node)]))

    def _object(self, node: Any) -> Expr:
        elements = []
        for elem in _subtrees(node):
            key_node, value_node = _subtrees(elem)
            key = self.expr(_subtrees(key_node)[0])
            if isinstance(key, Reference):  # a bare name as a key is the literal string
                key = Literal(key.name)
            elements.append((key, self.expr(value_node)))
        return ObjectExpr(tuple(elements))

    def _function_call(self, node: Any) -> Expr:
        names = [str(c.children[0]) for c in node.children if _is_tree(c) and c.data == "identifier"]
        arguments = [c for c in node.children if _is_tree(c) and c.data == "arguments"]
        args: tuple[Expr, ...] = ()
        expand = False
        if arguments:
            args = tuple([self.expr(c) for c in _subtrees(arguments[0])])
            expand = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in arguments[0].children)
        return Call("::".join(names), args, expand)

    def _get_attr_expr_term(self, node: Any) -> Expr:
        obj, get_attr = _subtrees(node)
        return GetAttr(self.expr(obj), self._attr_name(get_attr))

    def _attr_name(self, get_attr: Any) -> str:
        return str(_subtrees(get_attr)[0].children[0])

    def _index_expr_term(self, node: Any) -> Expr:
        obj, index = _subtrees(node)
        return Index(self.expr(obj), self._index_key(index))

    def _index_key(self, index: Any) -> Expr:
        if index.data == "short_index":
            token = [c for c in index.children if not _is_tree(c) and c.type == "INT_LITERAL"][0]
            return Literal(int(str(token)))
        return self.expr(_subtrees(index)[0])

    def _splat(self, node: Any) -> Expr:
        obj, splat = _subtrees(node)
        ops: list[SplatAttr | SplatIndex] = []
        for op in _subtrees(splat):
            if op.data == "get_attr":
                ops.append(SplatAttr(self._attr_name(op)))
            else:
                ops.append(SplatIndex(self._index_key(op)))
        return Splat(self.expr(obj), tuple(ops))

    _attr_splat_expr_term = _splat
    _full_splat_expr_term = _splat

    def _conditional(self, node: Any) -> Expr:
        test, then, otherwise = _subtrees(node)
        return Conditional(self.expr(test), self.expr(then), self.expr(otherwise))

    def _binary_op(self, node: Any) -> Expr:
        lhs, term = _subtrees(node)[:2]
        operator_node, rhs = _subtrees(term)
        operator = str(operator_node.children[0]).strip()
        if operator not in _BINARY_OPS:
            where = _position(node)
            raise HclSyntaxError(f"unknown operator {operator!r}", where.line, where.column)
        return BinaryOp(operator, self.expr(lhs), self.expr(rhs))

    def _unary_op(self, node: Any) -> Expr:
        sign = str(node.children[0])
        operand = self.expr(_subtrees(node)[0])
        if sign == "-" and isinstance(operand, Literal) and isinstance(operand.value, (int, float)):
            return Literal(-operand.value)
        return Negate(operand) if sign == "-" else Not(operand)

    def _for_intro(self, node: Any) -> tuple[str | None, str, Expr]:
        parts = _subtrees(node)
        names = [str(p.children[0]) for p in parts[:-1]]
        collection = self.expr(parts[-1])
        if len(names) == 2:
            return names[0], names[1], collection
        return None, names[0], collection

    def _for_tuple_expr(self, node: Any) -> Expr:
        intro, value, *rest = _subtrees(node)
        key_var, value_var, collection = self._for_intro(intro)
        condition = self.expr(_subtrees(rest[0])[0]) if rest else None
        return ForExpr(key_var, value_var, collection, None, self.expr(value), condition, False)

    def _for_object_expr(self, node: Any) -> Expr:
        intro, key, value, *rest = _subtrees(node)
        key_var, value_var, collection = self._for_intro(intro)
        condition = self.expr(_subtrees(rest[0])[0]) if rest else None
        grouped = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in node.children)
        return ForExpr(key_var, value_var, collection, self.expr(key), self.expr(value), condition, grouped)


def template_of_parts(parts: list[str | Expr]) -> Expr:
    """A template that is a single interpolation yields that value unconverted, as in HCL."""
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if not merged:
        return Literal("")
    if len(merged) == 1:
        return Literal(merged[0]) if isinstance(merged[0], str) else merged[0]
    return Template(tuple(merged))


_HEREDOC_OPENER = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def heredoc_body(raw: str) -> str:
    """The text between a heredoc token's opening line and its closing marker's line.

    Cut at the last line rather than matched by a pattern: ``(.*?)[ \\t]*MARKER`` retried the
    spaces at every position of a long run of them, quadratic in its length.
    """
    opener = _HEREDOC_OPENER.match(raw)
    if opener is None:
        return ""
    rest = raw[opener.end() :].removesuffix("\n")
    last_break = rest.rfind("\n")
    if rest[last_break + 1 :].removesuffix("\r").lstrip(" \t") != opener.group(1):
        return ""
    return rest[: last_break + 1]


def heredoc(raw: str, trim: bool) -> Expr:
    """Heredoc body as a template; ``<<-`` strips the common leading indentation."""
    body = heredoc_body(raw)
    if trim:
        lines = body.split("\n")
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        body = "\n".join(line[cut:] for line in lines)
    return template_from_text(body)


_TEMPLATE_START = re.compile(r"\$\$\{|%%\{|\$\{|%\{")


def template_from_text(text: str) -> Expr:
    """Split template text into literal parts and parsed ``${...}`` expressions."""
    parts: list[str | Expr] = []
    i = 0
    literal_start = 0
    length = len(text)
    while i < length:
        start = _TEMPLATE_START.search(text, i)  # jump over plain text: a 5 MB heredoc is mostly that
        if start is None:
            break
        i = start.start()
        if text.startswith("$${", i) or text.startswith("%%{", i):
            parts.append(text[literal_start:i] + text[i + 1 : i + 3])
            i += 3
            literal_start = i
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            end = _closing_brace(text, i + 2)
            if end < 0:
                raise HclSyntaxError("unclosed template interpolation", text.count("\n", 0, i) + 1)
            parts.append(text[literal_start:i])
            inner = text[i + 2 : end].strip().strip("~").strip()
            if text[i] == "$":
                parts.append(parse_expression(inner))
            else:
                parts.append(Directive(inner))
            i = end + 1
            literal_start = i
            continue
        i += 1
    parts.append(text[literal_start:])
    return template_of_parts(parts)


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing an interpolation, skipping nested braces and strings."""
    depth = 0
    i = start
    in_string = False
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1
