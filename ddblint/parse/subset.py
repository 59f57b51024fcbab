"""A hand-written parser for the HCL most files are made of, which gives the Lark path's tree or gives up.

Lark's LALR loop over python-hcl2's grammar costs about 10 us a token, and
item maps in ``locals`` blocks are most of the bytes ddblint parses. This
parser reads bodies, blocks, attributes, literals, quoted templates with
interpolations, heredocs, tuples, objects, traversals, function calls,
unary and binary operators, conditionals and for-expressions, and builds
exactly the nodes and positions :mod:`ddblint.parse.hcl` builds from Lark's
tree. It accepts only what that grammar accepts, in the same way, and is
stricter wherever the grammar has quirks: anything else (splats, ``.0``,
template directives, ``provider::`` calls, keywords used as names, a newline
where HCL wants none, a comment before an operator, a syntax error) makes
:func:`parse_subset` return None, and the caller parses the whole file with
Lark, which also words the errors. ``tests/test_parse_subset.py`` holds the
two parsers to that.

The token patterns are the grammar's own (python-hcl2 8), copied because
importing the package imports Lark; a test compares them with the grammar.
"""

from __future__ import annotations

import re

from ddblint.parse.hcl import HclSyntaxError, heredoc, template_of_parts, unescape
from ddblint.parse.syntax import (
    Attribute,
    BinaryOp,
    Block,
    Call,
    Conditional,
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
    TupleExpr,
)
from ddblint.span import LineStarts
from ddblint.untrusted.numbers import number_from_digits

# The grammar's terminals (python-hcl2 8.1's hcl2.lark, heredocs as ddblint.parse.compat rewrites them).
NAME = r"[a-zA-Z_][a-zA-Z0-9_-]*"
STRING_CHARS = r'(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+'
ESCAPED_INTERPOLATION = r"\$\$\{[^}]*\}"
ESCAPED_DIRECTIVE = r"%%\{[^}]*\}"
HEREDOC_TEMPLATE = r"<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:[^\n]*\n)*?\s*(?P=heredoc)\r?\n"
HEREDOC_TEMPLATE_TRIM = r"<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:[^\n]*\n)*?\s*(?P=heredoc_trim)\r?\n"
INT_LITERAL = r"(?:\-[0-9])?(?:[0-9])+"
IGNORED = r"[ \t\r]+"

_NAME = re.compile(NAME)
_STRING_CHARS = re.compile(STRING_CHARS)
_ESCAPED = re.compile(f"{ESCAPED_INTERPOLATION}|{ESCAPED_DIRECTIVE}")
_HEREDOC = re.compile(HEREDOC_TEMPLATE)
_HEREDOC_TRIM = re.compile(HEREDOC_TEMPLATE_TRIM)
_SPACE = re.compile(IGNORED)
# One or more newlines and comments (the grammar's ``new_line_or_comment``), with the spaces around them.
_BREAKS = re.compile(r"(?:[ \t\r]*(?:\n|#[^\n]*\n|//[^\n]*\n|/\*(?:.|\n)*?\*/))+[ \t\r]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# A string without escapes or template sequences, or a whole number, that nothing after it can extend.
_SIMPLE_STRING = re.compile(r'"([^"\\$%\n]*)"')
_SIMPLE_VALUE = re.compile(r'(?:"([^"\\$%\n]*)"|([0-9]+))(?=[ \t\r]*[\n,}\])#])')
# ``key = value`` of both kinds, in an object, where nothing after it can extend the value.
_SIMPLE_ELEMENT = re.compile(
    r'(?:"([^"\\$%\n]*)"|([a-zA-Z_][a-zA-Z0-9_-]*))[ \t]*[=:](?![=>:])[ \t]*'
    r'(?:"([^"\\$%\n]*)"|([0-9]+)|(true|false|null))(?=[ \t\r]*[\n,}#])'
)
# A number followed by one of these is read differently by the grammar's lexer (``1.5``, ``-11[0]``).
_AFTER_NUMBER = frozenset("._[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# After newlines the grammar's post-lexer glues these operators to the newline (a continued line).
_CONTINUES = frozenset("=!<>*/%&|+?")
_DIGITS = frozenset("0123456789")  # not str.isdigit, which takes other scripts' digits too
_KEYWORDS = frozenset({"if", "in", "for", "for_each", "else", "endif", "endfor"})
_LITERALS = {"true": True, "false": False, "null": None}
_NOT_KEYS = _KEYWORDS | frozenset(_LITERALS)  # as bare object keys these are the grammar's other tokens
_LEVELS = (
    ("||",),
    ("&&",),
    ("==", "!="),
    ("<=", ">=", "<", ">"),
    ("+", "-"),
    ("*", "/", "%"),
)
# Longer operators first, so ``<=`` is not read as ``<``.
_OPERATORS = sorted(
    ((operator, level) for level, operators in enumerate(_LEVELS) for operator in operators),
    key=lambda entry: -len(entry[0]),
)
_OPERATOR_STARTS = frozenset(operator[0] for operator, _ in _OPERATORS)
MAX_DEPTH = 100  # deeper nesting is left to Lark, whose tree the converter walks with room to spare


def _simple_value(match: re.Match[str]) -> Literal:
    """The value of a :data:`_SIMPLE_ELEMENT` match."""
    if match.group(3) is not None:
        return Literal(match.group(3))
    if match.group(4) is not None:
        return Literal(number_from_digits(match.group(4)))
    return Literal(_LITERALS[match.group(5)])


class _Decline(Exception):
    """Not for this parser: the file goes to Lark."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.original = text
        self.text = text + "\n"  # as the Lark path parses it: every line comment ends with a newline
        self.pos = 0
        self.end = 0  # offset after the last token read that is not a newline or comment
        self.depth = 0
        self.heredoc_last = False  # the last token was a heredoc, which takes the newline after its marker
        self.lines = LineStarts(self.text)

    # -- positions ---------------------------------------------------------

    def _position(self, start: int, end: int) -> Position:
        line, column = self.lines.line_column(start)
        end_line, end_column = self.lines.line_column(end)
        return Position(line, column, end_line, end_column)

    def _source(self, start: int, end: int) -> str:
        """The value's text, cut as the Lark path cuts it (by line and column in the text as given)."""
        if end > len(self.original):  # the token took the newline the Lark path adds: it finds no such line
            return ""
        return self.original[start:end].strip()

    # -- tokens ------------------------------------------------------------

    def _skip(self) -> str:
        """Skip ignored spaces; the next character ('' at the end)."""
        text = self.text
        pos = self.pos
        if pos >= len(text):
            return ""
        char = text[pos]
        if char in " \t\r":
            spaces = _SPACE.match(text, pos)
            pos = self.pos = spaces.end() if spaces is not None else pos
            return text[pos] if pos < len(text) else ""
        return char

    def _breaks(self) -> bool:
        """Read newlines and comments, if any are next; whether there were some."""
        match = _BREAKS.match(self.text, self.pos)
        if match is None:
            return False
        self.pos = match.end()
        if self.pos < len(self.text) and self.text[self.pos] in _CONTINUES:
            raise _Decline
        return True

    def _take(self, token: str) -> None:
        self._skip()
        if not self.text.startswith(token, self.pos):
            raise _Decline
        self.pos += len(token)
        self.end = self.pos
        self.heredoc_last = False

    def _name(self) -> str:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise _Decline
        self.pos = self.end = match.end()
        self.heredoc_last = False
        return match.group()

    def _plain_name(self) -> str:
        name = self._name()
        if name in _KEYWORDS or name in _LITERALS:
            raise _Decline
        return name

    def _equals(self) -> bool:
        """An ``=`` that is not ``==`` or ``=>``, next after spaces."""
        char = self._skip()
        if char == "=" and self.text[self.pos + 1 : self.pos + 2] not in ("=", ">"):
            self.pos += 1
            return True
        return False

    def _colon(self) -> bool:
        char = self._skip()
        if char == ":" and self.text[self.pos + 1 : self.pos + 2] != ":":
            self.pos += 1
            return True
        return False

    # -- bodies ------------------------------------------------------------

    def body(self, nested: bool) -> tuple[list[Block], dict[str, Attribute]]:
        blocks: list[Block] = []
        attributes: dict[str, Attribute] = {}
        text = self.text
        while True:
            self._breaks()
            char = self._skip()
            if char == "}" and nested:
                return blocks, attributes
            if char == "":
                if nested:
                    raise _Decline
                return blocks, attributes
            start = self.pos
            name = self._name()
            if name in _LITERALS or (name in _KEYWORDS and name != "for_each"):
                raise _Decline
            if self._equals():
                if name in attributes:
                    raise _Decline  # the full parser says where it was set first
                value_start = self._value_start()
                expr = self.expression()
                attributes[name] = Attribute(
                    name, expr, self._position(start, self.end), self._source(value_start, self.end)
                )
            else:
                if name in _KEYWORDS:
                    raise _Decline
                blocks.append(self._block(name, start))
            # the next statement starts on a new line (the grammar would take more; HCL does not)
            if self.heredoc_last or self._breaks():
                continue
            char = self._skip()
            if not (char == "}" and nested) and self.pos < len(text):
                raise _Decline

    def _value_start(self) -> int:
        self._skip()
        return self.pos

    def _block(self, block_type: str, start: int) -> Block:
        labels: list[str] = []
        while True:
            char = self._skip()
            if char == "{":
                break
            if char == '"':
                parts = self._string_parts()
                if not all(isinstance(part, str) for part in parts):
                    raise _Decline
                labels.append("".join(part for part in parts if isinstance(part, str)))
            else:
                labels.append(self._plain_name())
        self.pos += 1
        self._enter()
        blocks, attributes = self.body(nested=True)
        self.depth -= 1
        self._take("}")
        return Block(block_type, tuple(labels), attributes, tuple(blocks), self._position(start, self.end))

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Decline

    # -- expressions -------------------------------------------------------

    def expression(self) -> Expr:
        char = self._skip()
        if char == '"' or char in _DIGITS:
            simple = _SIMPLE_VALUE.match(self.text, self.pos)
            if simple is not None:  # the bulk of item maps: a plain string or whole number, then the end
                self.pos = self.end = simple.end()
                self.heredoc_last = False
                text = simple.group(1)
                return Literal(text if text is not None else number_from_digits(simple.group(2)))
        test = self._binary(0)
        if self._skip() != "?":
            return test
        self.pos += 1
        self._enter()
        self._breaks()
        then = self._before_colon()
        otherwise = self.expression()
        self.depth -= 1
        return Conditional(test, then, otherwise)

    def _before_colon(self) -> Expr:
        """An expression and the ``:`` after it, with the newlines the grammar allows around that."""
        expr = self.expression()
        self._breaks()
        if not self._colon():
            raise _Decline
        self._breaks()
        return expr

    def _operator(self) -> tuple[str, int] | None:
        """The binary operator next in the text and its level (0 binds loosest), if one is."""
        char = self._skip()
        if char not in _OPERATOR_STARTS:
            return None
        text, pos = self.text, self.pos
        for operator, level in _OPERATORS:
            if text.startswith(operator, pos):
                following = text[pos + len(operator) : pos + len(operator) + 1]
                if operator == "/" and following in ("/", "*"):
                    return None  # a comment
                if operator == "%" and following == "{":
                    raise _Decline
                return operator, level
        return None

    def _binary(self, level: int) -> Expr:
        """Operators of ``level`` and above, left-associative, by precedence climbing."""
        lhs = self._unary()
        while True:
            found = self._operator()
            if found is None or found[1] < level:
                return lhs
            operator, found_level = found
            if self.heredoc_last:
                raise _Decline
            self.pos += len(operator)
            self._breaks()
            self._enter()
            rhs = self._binary(found_level + 1)
            self.depth -= 1
            lhs = BinaryOp(operator, lhs, rhs)

    def _unary(self) -> Expr:
        char = self._skip()
        if char not in ("-", "!"):
            return self._term()
        self.pos += 1
        self.heredoc_last = False
        if self._skip() in ("-", "!", "=", ""):
            raise _Decline
        operand = self._term()
        if char == "-" and isinstance(operand, Literal) and isinstance(operand.value, (int, float)):
            return Literal(-operand.value)  # ``-true`` too, as the Lark path has it
        return Negate(operand) if char == "-" else Not(operand)

    def _term(self) -> Expr:
        char = self._skip()
        self._enter()
        expr: Expr
        if char == '"':
            expr = template_of_parts(self._string_parts())
        elif char in _DIGITS:
            expr = self._number()
            self.depth -= 1
            return expr
        elif char == "<":
            expr = self._heredoc()
            self.depth -= 1
            return expr
        elif char == "[":
            expr = self._tuple()
        elif char == "{":
            expr = self._object()
        elif char == "(":
            expr = self._parenthesised()
        else:
            expr = self._named()
        self.depth -= 1
        return self._traversals(expr)

    def _parenthesised(self) -> Expr:
        """``( expression )``, the opening parenthesis next: the Lark path keeps the expression alone."""
        self.pos += 1
        self._breaks()
        expr = self.expression()
        self._breaks()
        self._take(")")
        return expr

    def _number(self) -> Expr:
        match = _NUMBER.match(self.text, self.pos)
        assert match is not None  # the caller saw a digit
        self.pos = self.end = match.end()
        self.heredoc_last = False
        if self._skip() in _AFTER_NUMBER:
            raise _Decline
        digits = match.group()
        if match.group(1) is None and match.group(2) is None:
            return Literal(number_from_digits(digits))
        return Literal(float(digits))

    def _heredoc(self) -> Expr:
        trim = self.text.startswith("<<-", self.pos)
        match = (_HEREDOC_TRIM if trim else _HEREDOC).match(self.text, self.pos)
        if match is None:
            raise _Decline
        self.pos = self.end = match.end()
        expr = heredoc(match.group(), trim=trim)
        # what the grammar's lexer would read next as part of this expression is left to Lark
        if self._skip() in ("[", ".", "?", ":", "=", "!", "<", ">", "*", "/", "%", "&", "|", "+", "-"):
            raise _Decline
        self.heredoc_last = True
        return expr

    def _named(self) -> Expr:
        name = self._name()
        if name in _LITERALS:
            return Literal(_LITERALS[name])
        if name in _KEYWORDS:
            raise _Decline
        if self._skip() == ":" and self.text.startswith("::", self.pos):
            raise _Decline
        if self.text.startswith("(", self.pos):
            return self._call(name)
        return Reference(name)

    def _call(self, name: str) -> Expr:
        self.pos += 1
        self._breaks()
        args: list[Expr] = []
        expand = False
        if self._skip() != ")":
            while True:
                args.append(self.expression())
                if self._breaks():
                    if self._skip() == ",":
                        self.pos += 1
                        self._breaks()
                        if self._skip() == ")":
                            raise _Decline
                        continue
                    break
                char = self._skip()
                if char == ",":
                    self.pos += 1
                    self._breaks()
                    if self._skip() == ")":
                        break
                    continue
                if self.text.startswith("...", self.pos):
                    self.pos += 3
                    expand = True
                    self._breaks()
                break
        self._take(")")
        return Call(name, tuple(args), expand)

    def _starts_for(self) -> bool:
        """Whether a ``for`` keyword is next (a for-expression), not a longer name."""
        match = _NAME.match(self.text, self.pos)
        return match is not None and match.group() == "for"

    def _for_intro(self) -> tuple[str | None, str, Expr]:
        """``for k, v in coll :``, the ``for`` next; the grammar allows newlines only where it reads them."""
        self._name()
        self._breaks()
        self._skip()
        first = self._plain_name()
        second = None
        if self._skip() == ",":
            self.pos += 1
            self._skip()
            second = self._plain_name()
            self._breaks()
        self._breaks()
        self._skip()
        if self._name() != "in":
            raise _Decline
        self._breaks()
        collection = self._before_colon()
        return (first, second, collection) if second is not None else (None, first, collection)

    def _for_condition(self) -> Expr | None:
        self._breaks()
        self._skip()
        if not self._starts_if():
            return None
        self._name()
        self._breaks()
        condition = self.expression()
        self._breaks()
        return condition

    def _starts_if(self) -> bool:
        match = _NAME.match(self.text, self.pos)
        return match is not None and match.group() == "if"

    def _for_tuple(self) -> Expr:
        key_var, value_var, collection = self._for_intro()
        value = self.expression()
        condition = self._for_condition()
        self._take("]")
        return ForExpr(key_var, value_var, collection, None, value, condition, False)

    def _for_object(self) -> Expr:
        key_var, value_var, collection = self._for_intro()
        key = self.expression()
        self._skip()
        if not self.text.startswith("=>", self.pos):
            raise _Decline
        self.pos += 2
        self._breaks()
        value = self.expression()
        self._breaks()
        grouped = self._skip() == "." and self.text.startswith("...", self.pos)
        if grouped:
            self.pos += 3
        condition = self._for_condition()
        self._take("}")
        return ForExpr(key_var, value_var, collection, key, value, condition, grouped)

    def _tuple(self) -> Expr:
        self.pos += 1
        items: list[Expr] = []
        self._breaks()
        self._skip()
        if self._starts_for():
            return self._for_tuple()
        while self._skip() != "]":
            items.append(self.expression())
            self._breaks()
            if self._skip() == ",":
                self.pos += 1
                self._breaks()
            elif self.text[self.pos : self.pos + 1] != "]":
                raise _Decline
        self._take("]")
        return TupleExpr(tuple(items))

    def _object(self) -> Expr:
        self.pos += 1
        elements: list[tuple[Expr, Expr]] = []
        self._breaks()
        self._skip()
        if self._starts_for():
            return self._for_object()
        text = self.text
        while self._skip() != "}":
            simple = _SIMPLE_ELEMENT.match(text, self.pos)
            if simple is not None and simple.group(2) not in _NOT_KEYS:
                self.pos = self.end = simple.end()
                self.heredoc_last = False
                elements.append((Literal(simple.group(1) or simple.group(2) or ""), _simple_value(simple)))
            else:
                key = self._key()
                if isinstance(key, Reference):  # whatever spelled it (``(name)``, ``"${x}"``), as the Lark path has it
                    key = Literal(key.name)
                if not (self._equals() or self._colon()):
                    raise _Decline
                elements.append((key, self.expression()))
            separated = self._breaks()
            if self._skip() == ",":
                self.pos += 1
                separated = True
                self._breaks()
            if not separated and self.text[self.pos : self.pos + 1] != "}":
                raise _Decline
        self._take("}")
        return ObjectExpr(tuple(elements))

    def _key(self) -> Expr:
        char = self._skip()
        simple = _SIMPLE_STRING.match(self.text, self.pos) if char == '"' else None
        if simple is not None:
            self.pos = self.end = simple.end()
            key: Expr = Literal(simple.group(1))
        elif char == '"':
            key = template_of_parts(self._string_parts())
        elif char == "(":
            key = self._parenthesised()
        else:
            key = Literal(self._plain_name())
        if self._skip() in ("[", "."):  # the key is a longer expression
            raise _Decline
        return key

    def _traversals(self, expr: Expr) -> Expr:
        text = self.text
        while True:
            char = self._skip()
            if char == "." and text.startswith("...", self.pos):
                return expr  # an expanded last argument
            if char == ".":
                self.pos += 1
                self._skip()
                if _NAME.match(text, self.pos) is None:
                    raise _Decline  # ``.0``, ``.*``, ``...``: left to Lark
                expr = GetAttr(expr, self._plain_name())
            elif char == "[":
                self.pos += 1
                self._breaks()
                if self._skip() == "*":
                    raise _Decline
                self._enter()
                key = self.expression()
                self.depth -= 1
                self._breaks()
                self._take("]")
                expr = Index(expr, key)
            else:
                return expr

    # -- strings -----------------------------------------------------------

    def _string_parts(self) -> list[str | Expr]:
        """A quoted template's parts, as the Lark path lists them; the opening quote is next."""
        text = self.text
        self.pos += 1
        parts: list[str | Expr] = []
        while True:
            pos = self.pos
            char = text[pos : pos + 1]
            if char == '"':
                self.pos = self.end = pos + 1
                self.heredoc_last = False
                return parts
            if text.startswith("${", pos):
                self.pos = pos + 2
                self._enter()
                parts.append(self.expression())
                self.depth -= 1
                self._take("}")
                continue
            escaped = _ESCAPED.match(text, pos)
            if escaped is not None:
                raw = escaped.group()
                if '"' in raw or "\n" in raw:
                    raise _Decline
                parts.append(raw[1:])
                self.pos = escaped.end()
                continue
            chars = _STRING_CHARS.match(text, pos)
            if chars is None or "\n" in chars.group():
                raise _Decline  # a directive, a newline, an escaped newline, the end of the file
            parts.append(unescape(chars.group()))
            self.pos = chars.end()


def parse_subset(text: str, strict: bool = False) -> tuple[list[Block], dict[str, Attribute]] | None:
    """The file's top-level blocks and attributes, as :func:`ddblint.parse.hcl.parse_body` gives them,
    or None when the file holds something this parser leaves to Lark (including every syntax error).

    A failure of this parser's own is left to Lark too, unless ``strict`` (for its tests) asks to see it.
    """
    parser = _Parser(text)
    try:
        return parser.body(nested=False)
    except (_Decline, HclSyntaxError, RecursionError):
        return None
    except Exception:
        if strict:
            raise
        return None
