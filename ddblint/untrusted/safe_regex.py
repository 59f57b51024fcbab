"""Regular expressions over untrusted text, run as Terraform runs them: on RE2.

Python's ``re`` backtracks, so a pattern like ``^(a|a)*$`` takes exponential
time on a string that almost matches; RE2 (the engine behind Go's ``regexp``
and so Terraform's ``replace``) runs in time linear in the text, whatever the
pattern. Replacement templates follow Go's ``Regexp.Expand``: ``$1``, ``${1}``,
``$name``, ``${name}`` and ``$$``; a group that does not exist expands to nothing.
Patterns of ddblint's own that read lines of a scanned or configuration file
run here too when Python's engine would backtrack on them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_TEMPLATE_NAME = re.compile(r"\$(?:\$|\{(\w+)\}|(\w+))")  # Go takes the longest run of word characters
_MAX_MEMORY = 64 << 20  # bytes RE2 may use for one compiled pattern


class RegexError(ValueError):
    """A pattern RE2 does not accept (a syntax error, a backreference, a lookahead)."""


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: str, dot_matches_newline: bool = False) -> Any:
    """The pattern compiled by RE2, with errors as :class:`RegexError` and none printed to stderr."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = _MAX_MEMORY
    options.dot_nl = dot_matches_newline
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RegexError(f"invalid regular expression ({detail})") from None


def substitute(pattern: str, template: str, text: str) -> str:
    """Every match of ``pattern`` in ``text`` replaced by ``template`` expanded for that match."""
    compiled = compile_re2(pattern)
    names: dict[str, int] = dict(compiled.groupindex)
    groups: int = compiled.groups

    def expand(match: Any) -> str:
        def group(reference: re.Match[str]) -> str:
            name = reference.group(1) or reference.group(2)
            if name is None:
                return "$"
            index = int(name) if name.isdigit() and len(name) < 6 else names.get(name, -1)
            if not 0 <= index <= groups:
                return ""
            return match.group(index) or ""

        return _TEMPLATE_NAME.sub(group, template)

    return str(compiled.sub(expand, text))
