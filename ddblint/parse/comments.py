"""An HCL file's comments and heredocs, found as the lexer would find them.

Only a comment can suppress a finding. A ``#`` inside a quoted string
(``note = "see # ddblint:ignore-file DDB001"``) or a heredoc is text, not a
comment, so the scan follows HCL's lexical structure: quoted strings with their
escapes, heredocs up to their closing marker, and template interpolations
(``${ ... }``, ``%{ ... }``) nested in either, which are code again and may hold
strings, objects and comments of their own. The same scan tells which lines are
a heredoc's text, which a code frame masks whole where an item holds a secret:
a ``<<EOT`` in a comment opens nothing. Heredoc markers are python-hcl2's: a
letter, then letters, digits, ``.``, ``_`` or ``-``, the opener at its line's
end and the closer alone on its line after any indentation.
"""

from __future__ import annotations

import re

from ddblint.span import LineStarts

_MARKER = "ddblint:"
_IN_CODE = re.compile(r'"|#|//|/\*|<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n|\{|\}')
_IN_STRING = re.compile(r'\\.|"|\$\$\{|%%\{|[$%]\{|\n', re.DOTALL)
_IN_HEREDOC = re.compile(r"\$\$\{|%%\{|[$%]\{|\n")


class _Scan:
    """One pass over a file; ``stack`` holds, per open interpolation, its open braces and what it sits in."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[tuple[int, str]] = []
        self.stack: list[tuple[int, str | None]] = []  # (open braces, heredoc marker or None for a string)
        self.opened: list[int] = []  # the first body line of each heredoc open
        self.bodies: list[tuple[int, int]] = []  # (first, last) body line of each heredoc
        self.lines: LineStarts | None = None  # built once a line number is asked for

    def run(self) -> list[tuple[int, str]]:
        position, where = 0, "code"
        heredoc = ""
        while position < len(self.text):
            if where == "code":
                position, where, heredoc = self._code(position)
            elif where == "string":
                position, where = self._string(position)
            else:
                position, where = self._heredoc(position, heredoc)
                if where == "code":
                    heredoc = ""
        return self.found

    def _comment(self, start: int, end: int) -> None:
        line_end = self.text.find("\n", start)
        first_line = self.text[start : line_end if line_end != -1 else len(self.text)]
        if _MARKER in first_line:
            self.found.append((self._line_at(start), first_line.rstrip("\r")))

    def _code(self, position: int) -> tuple[int, str, str]:
        match = _IN_CODE.search(self.text, position)
        if match is None:
            return len(self.text), "code", ""
        token, end = match.group(), match.end()
        if token == '"':
            return end, "string", ""
        if token in ("#", "//"):
            line_end = self.text.find("\n", end)
            stop = line_end if line_end != -1 else len(self.text)
            self._comment(match.start(), stop)
            return stop, "code", ""
        if token == "/*":
            close = self.text.find("*/", end)
            stop = close + 2 if close != -1 else len(self.text)
            self._comment(match.start(), stop)
            return stop, "code", ""
        if match.group(1) is not None:
            self.opened.append(self._line_at(end))
            return end, "heredoc", match.group(1)
        if self.stack:
            braces, inside = self.stack[-1]
            if token == "{":
                self.stack[-1] = (braces + 1, inside)
            elif braces:
                self.stack[-1] = (braces - 1, inside)
            else:
                self.stack.pop()  # the interpolation ends: back in its string or heredoc
                return end, ("string" if inside is None else "heredoc"), inside or ""
        return end, "code", ""

    def _string(self, position: int) -> tuple[int, str]:
        match = _IN_STRING.search(self.text, position)
        if match is None:
            return len(self.text), "string"
        token = match.group()
        if token in ('"', "\n"):  # closed, or never closed on its line (the parser reports that)
            return match.end(), "code"
        if token in ("${", "%{"):
            self.stack.append((0, None))
            return match.end(), "code"
        return match.end(), "string"

    def _heredoc(self, position: int, marker: str) -> tuple[int, str]:
        if self._closes(position, marker):
            line_end = self.text.find("\n", position)
            self._body_ends(self._line_at(position) - 1)
            return (line_end if line_end != -1 else len(self.text)), "code"
        match = _IN_HEREDOC.search(self.text, position)
        if match is None:
            self._body_ends(self._line_at(len(self.text)))
            return len(self.text), "heredoc"
        if match.group() in ("${", "%{"):
            self.stack.append((0, marker))
            return match.end(), "code"
        return match.end(), "heredoc"

    def _closes(self, position: int, marker: str) -> bool:
        """Whether the line starting at ``position`` is the heredoc's closing marker."""
        if position > 0 and self.text[position - 1] != "\n":
            return False
        line_end = self.text.find("\n", position)
        return self.text[position : line_end if line_end != -1 else len(self.text)].lstrip().rstrip("\r") == marker

    def _body_ends(self, last: int) -> None:
        if self.opened:
            self.bodies.append((self.opened.pop(), last))

    def _line_at(self, position: int) -> int:
        if self.lines is None:
            self.lines = LineStarts(self.text)
        return self.lines.line(position)


def heredoc_lines(text: str) -> frozenset[int]:
    """The numbers (1-based) of the lines of ``text`` that are a heredoc's text."""
    if "<<" not in text:
        return frozenset()
    scan = _Scan(text)
    scan.run()
    return frozenset(number for first, last in scan.bodies for number in range(first, last + 1))


def directive_comments(text: str) -> list[tuple[int, str]]:
    """(line, comment from its marker to the end of that line) for each comment mentioning ``ddblint:``."""
    if _MARKER not in text:
        return []
    return _Scan(text).run()
