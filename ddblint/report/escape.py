"""Text from the scanned tree or a configuration, made safe for a terminal or a CI log.

File names, addresses, messages (which quote the code) and source lines are
written by whoever wrote the pull request. Printed as they are, a newline
starts a new log line, which the GitHub runner reads as a workflow command when
it begins with ``::`` (after leading spaces) or holds ``##[`` anywhere; an
escape sequence moves the cursor or recolours the terminal; a bidirectional
override reorders what the reader sees; Rich reads ``[bold]`` as markup. Every
reporter and every notice passes such text through one of these functions:

- :func:`plain` for unstyled text (concise lines, stderr notices);
- :func:`markup` for text inside a Rich markup string (the full report);
- :func:`github_data` and :func:`github_property` for workflow commands.

The JSON and SARIF reports need none of these: they are written with every
character outside ASCII, and every control character, as a JSON escape.

Escapes are visible and unambiguous: ``\\n``-like control characters become
``\\x0a``, a byte that was not UTF-8 in a file name (kept by Python as a lone
surrogate) becomes ``\\xff``, other invisible controls ``\\u202e``.
"""

from __future__ import annotations

import re

_MARKERS = re.compile(r"::|##\[")  # what the runner reads as a command, once on a line of its own
_MARKER_ESCAPES = {"::": ":\\x3a", "##[": "#\\x23["}


def _escaped(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte the file name really holds
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def plain(text: str) -> str:
    """``text`` on one line, with nothing a terminal or a CI runner acts on.

    Every character Python does not count as printable is escaped but the tab:
    controls (newlines, escape sequences, C1), format characters (bidi
    overrides, zero-width joiners), separators other than the space, lone
    surrogates and unassigned code points.
    """
    if not text.isprintable():
        text = "".join(c if c.isprintable() or c == "\t" else _escaped(c) for c in text)
    if "::" in text or "##[" in text:
        text = _MARKERS.sub(lambda m: _MARKER_ESCAPES[m.group()], text)
    return text


def markup(text: str) -> str:
    """:func:`plain`, then Rich's markup escaped; print it with a console whose ``emoji`` is off."""
    from rich.markup import escape

    return escape(plain(text))


def github_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF as the runner unescapes them, the rest :func:`plain`."""
    return plain(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which would end it."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")
