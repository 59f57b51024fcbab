"""JSON loading that no document can turn into an exception other than a decoding error.

``json.loads`` raises ``ValueError`` for an integer past 4,300 digits and
``RecursionError`` for arrays nested a hundred thousand deep; both would end a
run. Here they are a huge number (kept as infinity, see :mod:`ddblint.untrusted.numbers`)
and a :class:`json.JSONDecodeError`, which every caller already handles.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable
from typing import Any

from ddblint.untrusted.numbers import number_from_digits

Pairs = list[tuple[str, Any]]


def loads(text: str, object_pairs_hook: Callable[[Pairs], Any] | None = None) -> Any:
    """Decode ``text``; ``object_pairs_hook`` sees every key of an object, repeated ones too.

    Past the C scanner's nesting limit the pure-Python scanner takes over: the C
    scanner counts each level against the interpreter's C recursion limit, which
    Python 3.12 fixes at about 1,500 whatever ``sys.setrecursionlimit`` says.
    """
    decoder = json.JSONDecoder(parse_int=number_from_digits, object_pairs_hook=object_pairs_hook)
    try:
        return decoder.decode(text)
    except RecursionError:
        pass
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except RecursionError:
        raise json.JSONDecodeError("nests too deeply to decode", text, 0) from None
