"""Check that the ``hcl2`` package we import really is python-hcl2 8.x.

checkov depends on ``bc-python-hcl2``, a fork that installs the same top-level
``hcl2`` package. Installed side by side they overwrite each other's files, and
the result fails in confusing ways deep inside a parse. We look before we parse
and stop with a message that says what was found and how to fix it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from typing import Any

SUPPORTED_MAJOR = 8
DISTRIBUTIONS = ("python-hcl2", "bc-python-hcl2")


class ForeignHcl2Error(Exception):
    """The importable ``hcl2`` is not python-hcl2 8.x (or is a mix of two packages)."""


def _installed_distributions() -> dict[str, str]:
    """Versions of the distributions that install ``hcl2``, by name.

    Read from the ``.dist-info`` directories beside the importable package,
    where pip puts them: one directory listing, where importing
    :mod:`importlib.metadata` costs more than a pre-commit run's own work.
    :mod:`importlib.metadata` answers when none is there (an egg, say).
    """
    spec = importlib.util.find_spec("hcl2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    found = distributions_in(os.path.dirname(locations[0])) if locations else {}
    return found or _distributions_from_metadata()


def distributions_in(directory: str) -> dict[str, str]:
    """The python-hcl2 and bc-python-hcl2 versions whose ``.dist-info`` is in ``directory``."""
    wanted = {_normalised(name): name for name in DISTRIBUTIONS}
    try:
        names = os.listdir(directory)
    except OSError:
        return {}
    found = {}
    for entry in names:
        stem, dash, version = entry.removesuffix(".dist-info").partition("-")
        if entry.endswith(".dist-info") and dash and _normalised(stem) in wanted:
            found[wanted[_normalised(stem)]] = version
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _distributions_from_metadata() -> dict[str, str]:
    from importlib import metadata

    found = {}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def check_hcl2() -> None:
    """Raise :class:`ForeignHcl2Error` unless python-hcl2 8.x alone provides ``hcl2``."""
    found = _installed_distributions()
    advice = (
        "Install ddblint in an environment of its own, e.g. `pipx install ddblint` or "
        "`uv tool install ddblint`, so it does not share `hcl2` with checkov."
    )
    if "bc-python-hcl2" in found:
        listing = ", ".join(f"{name} {version}" for name, version in sorted(found.items()))
        raise ForeignHcl2Error(
            f"this environment has bc-python-hcl2 (checkov's fork), which installs the same `hcl2` "
            f"package as python-hcl2 and overwrites its files (found: {listing}). {advice}"
        )
    version = found.get("python-hcl2")
    if version is None:
        raise ForeignHcl2Error(f"python-hcl2 is not installed, but an `hcl2` package was found. {advice}")
    if version.split(".")[0] != str(SUPPORTED_MAJOR):
        raise ForeignHcl2Error(
            f"ddblint needs python-hcl2 {SUPPORTED_MAJOR}.x, found {version}. "
            f"Run `pip install 'python-hcl2>={SUPPORTED_MAJOR},<{SUPPORTED_MAJOR + 1}'`. {advice}"
        )


@functools.lru_cache(maxsize=1)
def hcl2_parser() -> Any:
    """python-hcl2's Lark parser, after checking the package is the one we support."""
    check_hcl2()
    try:
        import hcl2.parser
        from hcl2.postlexer import PostLexer
        from lark import Lark
    except ImportError as exc:  # pragma: no cover - depends on a broken install
        raise ForeignHcl2Error(f"the installed `hcl2` package is incomplete ({exc}).") from None
    grammar_path = os.path.join(os.path.dirname(hcl2.parser.__file__), "hcl2.lark")
    with open(grammar_path, encoding="utf-8") as handle:
        grammar = linewise_heredocs(handle.read())
    # python-hcl2's own grammar and post-lexer, but without position propagation
    # (see ddblint.parse.hcl._edge_token).
    tables = parser_tables_path(grammar)
    return _tables_parser(tables, grammar, PostLexer) or _kept(
        Lark(grammar, parser="lalr", propagate_positions=False, postlex=PostLexer()), tables, grammar
    )


_HEREDOC_BODY = r"(?:(?:.|\n)*?\r?\n)??\s*(?P="  # python-hcl2 8's heredoc terminals, up to the closing marker
_LINEWISE_BODY = r"(?:[^\n]*\n)*?\s*(?P="


def linewise_heredocs(grammar: str) -> str:
    """The grammar with heredoc bodies matched a line at a time instead of a character at a time.

    ``(?:.|\n)*?`` keeps one backtracking frame per character: a 5 MB heredoc took
    over a gigabyte to lex. Whole lines match the same bodies (they end with a
    newline before the closing marker either way) with one frame per line. A
    grammar without the expected terminals is left as it is.
    """
    return grammar.replace(_HEREDOC_BODY, _LINEWISE_BODY) if grammar.count(_HEREDOC_BODY) == 2 else grammar


def parser_tables_path(grammar: str) -> str | None:
    """Where the parser tables built from ``grammar`` are kept, or None where nothing can be kept.

    Building them takes about a second, so they are kept between runs in ddblint's
    own cache directory (``$XDG_CACHE_HOME/ddblint``), never in the shared temporary
    directory where Lark would put them. Like the rule catalog they depend on the
    installed code alone, not on what is linted. The name holds everything they are
    built from (the grammar's text, Lark's and Python's versions), so an upgrade
    writes a new file.
    """
    from lark import __version__ as lark_version

    from ddblint.cache.location import default_directory
    from ddblint.cache.store import LAYOUT, digest

    key = digest(grammar.encode("utf-8"), lark_version.encode(), sys.version.encode())
    directory = os.path.join(default_directory(), LAYOUT, "parser")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return os.path.join(directory, f"hcl2-{key}.tables")


def _tables_parser(path: str | None, grammar: str, postlex: type) -> Any:
    """The parser rebuilt from kept tables, or None when there are none (or they are not ours).

    The file is ``marshal`` data of Lark's own serialised form: dictionaries, lists,
    strings and numbers, turned back into Lark's rule and terminal classes by name.
    Unlike Lark's ``cache=`` pickles, reading it can never run code.
    """
    import marshal

    from lark import Lark

    if path is None or not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as handle:
            kept = marshal.loads(handle.read(), **_NO_CODE)
        if not isinstance(kept, dict) or kept.get("grammar") != grammar:
            return None
        return Lark._load_from_dict(kept["data"], kept["memo"], postlex=postlex())  # type: ignore[no-untyped-call]
    except Exception:  # noqa: BLE001 - unreadable, damaged or foreign tables are simply built again
        return None


def _kept(parser: Any, path: str | None, grammar: str) -> Any:
    """Keep ``parser``'s tables for the next run (best effort), and return it."""
    import marshal

    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    if path is None:
        return parser
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {**data["options"], "postlex": None}  # given again when loading
    try:
        blob = marshal.dumps({"grammar": grammar, "data": data, "memo": memo})
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass
    return parser


# Python 3.13's marshal can refuse code objects outright; earlier ones never run what they read either.
_NO_CODE: dict[str, bool] = {"allow_code": False} if sys.version_info >= (3, 13) else {}
