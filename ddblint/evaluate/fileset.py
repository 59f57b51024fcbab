"""The directory walk behind ``fileset()``: Terraform's pattern syntax, and no way to make it loop.

Python's ``glob`` follows symlinks into directories under ``**``, so two links
back to a parent directory make it walk for ever. This walk never enters a
symlinked directory and gives up after :data:`MAX_ENTRIES` entries.

Patterns as Terraform documents them: ``*`` and ``?`` match within one path
segment, ``**`` (a whole segment) matches any number of directories,
``[abc]``/``[^abc]`` match one character of a class, ``{a,b}`` one of the
alternatives; hidden files are matched like any other.

The pattern becomes a regular expression run on RE2, so a pattern of many
stars against long names takes linear time, and a malformed class such as
``[z-a]`` is a :class:`PatternError`. Paths are matched with NUL (which no
file name holds) in place of ``/``, so that classes and stars cannot cross a
directory boundary without the lookaheads RE2 does not have.
"""

from __future__ import annotations

import os
import re
from typing import Any

MAX_ENTRIES = 100_000
_SEPARATOR = "\x00"  # stands for "/" in the paths a pattern is matched against


class PatternError(ValueError):
    """A pattern with an unclosed ``[`` or ``{``, a malformed class, or a NUL."""


def match_files(directory: str, pattern: str) -> list[str] | None:
    """Regular files below ``directory`` matching ``pattern``, as sorted ``/``-separated relative paths.

    None when the walk would look at more than :data:`MAX_ENTRIES` entries.
    """
    matcher = compile_pattern(pattern)
    found: list[str] = []
    entries = 0
    for current, subdirectories, files in os.walk(directory):  # symlinked directories are listed, not entered
        subdirectories.sort()
        entries += len(subdirectories) + len(files)
        if entries > MAX_ENTRIES:
            return None
        prefix = os.path.relpath(current, directory).replace(os.sep, "/")
        for name in files:
            relative = name if prefix == "." else f"{prefix}/{name}"
            if matcher.fullmatch(relative.replace("/", _SEPARATOR)) and os.path.isfile(os.path.join(current, name)):
                found.append(relative)
    return sorted(found)


def compile_pattern(pattern: str) -> Any:
    """An RE2 pattern that fully matches the paths (``/`` written as NUL) the glob matches."""
    from ddblint.untrusted.safe_regex import RegexError, compile_re2

    if _SEPARATOR in pattern:
        raise PatternError("a pattern cannot hold a NUL character")
    segments = pattern.removeprefix("./").split("/")
    pieces: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            pieces.append(".*" if last else "(?:.*\\x00)?")
        else:
            pieces.append(_segment(segment) + ("" if last else "\\x00"))
    try:
        return compile_re2("".join(pieces), dot_matches_newline=True)
    except RegexError as exc:
        raise PatternError(f"{pattern!r}: {exc}") from None


def _segment(text: str) -> str:
    """A regular expression for one path segment's worth of pattern."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "*":
            out.append("[^\\x00]*")
        elif char == "?":
            out.append("[^\\x00]")
        elif char == "\\" and i + 1 < len(text):
            i += 1
            out.append(re.escape(text[i]))
        elif char == "[":
            end = text.find("]", i + 2)
            if end < 0:
                raise PatternError(f"unclosed [ in {text!r}")
            members = text[i + 1 : end]
            negate = members[:1] in ("^", "!")
            members = members[1:] if negate else members
            escaped = "".join("\\" + c if c in "\\[]^" else c for c in members)
            out.append(f"[^\\x00{escaped}]" if negate else f"[{escaped}]")
            i = end
        elif char == "{":
            end = _closing_brace(text, i)
            alternatives = _split_alternatives(text[i + 1 : end])
            out.append("(?:" + "|".join(_segment(a) for a in alternatives) + ")")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise PatternError(f"unclosed {{ in {text!r}")


def _split_alternatives(text: str) -> list[str]:
    """``a,{b,c}`` splits at the top-level comma only."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    parts.append(current)
    return parts
