"""Reporters: each turns a finished :class:`~ddblint.result.Result` into text on a stream.

Nothing upstream knows which reporter runs. A reporter module is imported only
when chosen, so a plain-text run never pays for Rich.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from ddblint.config.defaults import DEFAULT_MAX_BYTES
from ddblint.findings import Finding, callers_text

if TYPE_CHECKING:
    from ddblint.result import Result

FORMATS = ("full", "concise", "json", "sarif", "github", "junit", "gitlab")  # --format's choices, in this order
MACHINE_READABLE = frozenset({"json", "sarif", "github", "junit", "gitlab"})  # a summary line goes to stderr


@dataclass(frozen=True)
class ReportOptions:
    """What reporters may vary on: where paths are relative to, and presentation choices."""

    cwd: str
    color: bool | None = None  # None: decide from the stream, NO_COLOR and FORCE_COLOR
    show_suppressed: bool = False
    sarif_category: str | None = None
    width: int | None = None  # columns of the full report; None: the terminal's, or COLUMNS, or 120
    max_file_size: int = DEFAULT_MAX_BYTES  # the run's max-file-size: a code frame reads no larger file


class Reporter(Protocol):
    def __call__(self, result: Result, stream: TextIO, options: ReportOptions) -> None: ...


_MODULES = {"json": "json_report"}  # a module named json.py would read as the standard library's


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"ddblint.report.{_MODULES.get(name, name)}")
    reporter: Reporter = module.render
    return reporter


def display_path(path: str, cwd: str) -> str:
    """Paths relative to the current directory, as a user would type them."""
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return relative.replace(os.sep, "/")


def message_and_callers(finding: Finding, shown: Callable[[str], str]) -> str:
    """The message, then the module calls that produce the finding, their paths as ``shown`` writes them."""
    via = callers_text(finding, shown)
    message = finding.message
    if via and message.endswith("."):
        return f"{message[:-1]}{via}."
    return message + via


def relative_to(cwd: str) -> Callable[[str], str]:
    """:func:`display_path` for one directory."""
    return functools.partial(_display_from, cwd)


def _display_from(cwd: str, path: str) -> str:
    return display_path(path, cwd)


def no_color(color: bool | None) -> bool:
    """``--color never``, or ``NO_COLOR`` set to something: an empty ``NO_COLOR=`` does not count."""
    if color is not None:
        return not color
    return bool(os.environ.get("NO_COLOR"))


def force_terminal(color: bool | None, stream: TextIO) -> bool | None:
    """``--color always`` or a non-empty ``FORCE_COLOR`` style a pipe; an empty ``FORCE_COLOR=`` does not.

    None lets Rich decide for a terminal; False keeps Rich from reading an empty
    ``FORCE_COLOR`` as set, and ``--color never`` from styling at all.
    """
    if color is False:
        return False
    if color or os.environ.get("FORCE_COLOR"):
        return True
    return None if stream.isatty() else False
