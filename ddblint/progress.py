"""How far a long run has got: modules discovered, files parsed, root modules checked.

:func:`ddblint.api.lint` reports to a :class:`Progress`; the base class shows
nothing (library calls, tests, ``--quiet``, stderr not a terminal). The CLI
passes a :class:`TerminalProgress` when stderr is a terminal: it stays silent
for the first second, so quick runs print nothing, and only then imports Rich
and draws on stderr, never on stdout where reports go. The display is redrawn
from the thread doing the work (no refresh thread), so worker processes are
forked from a single-threaded parent, and it is erased when the run ends.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

SHOW_AFTER = 1.0  # seconds: runs shorter than this never show a display
REDRAW_EVERY = 0.1


class Progress:
    """Receives a run's progress and shows nothing."""

    def discovered(self, modules: int) -> None:
        """``modules`` module directories were found (relevant or not)."""

    def parsing(self, files: int) -> None:
        """``files`` more files are about to be parsed (or read from the cache)."""

    def parsed(self, files: int) -> None:
        """``files`` more files are parsed."""

    def checking(self, modules: int) -> None:
        """``modules`` root modules are about to be analysed."""

    def checked(self, modules: int) -> None:
        """``modules`` more root modules are analysed."""

    def close(self) -> None:
        """The run is over: remove any display."""


class TerminalProgress(Progress):
    """A Rich display on a terminal stream, drawn once the run has lasted :data:`SHOW_AFTER` seconds."""

    def __init__(self, stream: TextIO, clock: Any = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._started = clock()
        self._last_draw = 0.0
        self._counts = {"discovered": 0, "parsed": 0, "to_parse": 0, "checked": 0, "to_check": 0}
        self._display: Any = None
        self._tasks: dict[str, Any] = {}

    @property
    def showing(self) -> bool:
        return self._display is not None

    def discovered(self, modules: int) -> None:
        self._update("discovered", modules)

    def parsing(self, files: int) -> None:
        self._update("to_parse", files)

    def parsed(self, files: int) -> None:
        self._update("parsed", files)

    def checking(self, modules: int) -> None:
        self._update("to_check", modules)

    def checked(self, modules: int) -> None:
        self._update("checked", modules)

    def _update(self, counter: str, amount: int) -> None:
        self._counts[counter] += amount
        now = self._clock()
        if self._display is None and now - self._started < SHOW_AFTER:
            return
        if now - self._last_draw < REDRAW_EVERY:
            return
        self._last_draw = now
        if self._display is None:
            self._start()
        self._draw()

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=self._stream, stderr=True)
        self._display = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            auto_refresh=False,
            transient=True,
        )
        self._display.start()
        self._tasks = {
            "discovered": self._display.add_task("modules discovered", total=None),
            "parsed": self._display.add_task("files parsed", total=None),
            "checked": self._display.add_task("root modules checked", total=None),
        }

    def _draw(self) -> None:
        counts = self._counts
        display = self._display
        display.update(self._tasks["discovered"], completed=counts["discovered"], total=counts["discovered"] or None)
        display.update(self._tasks["parsed"], completed=counts["parsed"], total=counts["to_parse"] or None)
        display.update(self._tasks["checked"], completed=counts["checked"], total=counts["to_check"] or None)
        display.refresh()

    def close(self) -> None:
        if self._display is None:
            return
        self._display.stop()
        self._display = None


def progress_for(stream: TextIO | None = None, quiet: bool = False) -> Progress:
    """The display a command-line run should get: none unless ``stream`` is a terminal and not quiet."""
    target = stream if stream is not None else sys.stderr
    if quiet or not _is_terminal(target):
        return Progress()
    return TerminalProgress(target)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
