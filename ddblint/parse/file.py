"""Read and parse one file; every failure becomes a :class:`ParseProblem`, never an exception.

A file that cannot be read, is binary, is not UTF-8, is too large, nests too
deeply or takes the parser too long is reported (rule DDB000) and the rest of
the run goes on without it.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

from ddblint.config.defaults import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET
from ddblint.discover.scan import read_prefix
from ddblint.parse.comments import directive_comments
from ddblint.parse.compat import ForeignHcl2Error, hcl2_parser
from ddblint.parse.depth import room_for_deep_trees
from ddblint.parse.hcl import HclSyntaxError, parse_body_with_lark
from ddblint.parse.subset import parse_subset
from ddblint.parse.syntax import Attribute, Block, ParsedFile
from ddblint.parse.tfjson import blocks_from_json, load_document
from ddblint.problems import ParseProblem

_REPEAT_ALARM = 0.05  # seconds between alarms once the budget is spent


class _ParseTimeout(BaseException):
    """Not an ``Exception``: a library's ``except Exception`` must not swallow the interruption."""


@contextlib.contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Interrupt a parse that runs longer than ``seconds`` (main thread on POSIX only).

    The interruption is raised only where it can be caught: inside the guarded
    block, and never in a finaliser or a garbage collection that happened to be
    running (Python would print "Exception ignored" and lose it). There the alarm
    lets it pass and fires again ``_REPEAT_ALARM`` later. It is disarmed before
    the timer is cancelled, so an alarm already on its way when the parse ends
    does nothing.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or not seconds > 0:
        yield
        return
    guard = _Guard()

    def expire(signum: int, frame: FrameType | None) -> None:
        if guard.may_interrupt(frame):
            guard.armed = False  # once: the handler that catches it is not interrupted in turn
            raise _ParseTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    gc.callbacks.append(guard.note_collection)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_ALARM)
    try:
        yield
    finally:
        guard.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.callbacks.remove(guard.note_collection)
        signal.signal(signal.SIGALRM, previous)


class _Guard:
    """Whether the parse-timeout alarm may raise where it lands."""

    def __init__(self) -> None:
        self.armed = True
        self.collecting = 0

    def note_collection(self, phase: str, info: dict[str, int]) -> None:
        self.collecting += 1 if phase == "start" else -1

    def may_interrupt(self, frame: FrameType | None) -> bool:
        if not self.armed or self.collecting > 0 or isinstance(sys.exc_info()[1], GeneratorExit):
            return False
        while frame is not None:  # a finaliser run by reference counting, below the parse
            if frame.f_code.co_name == "__del__":
                return False
            frame = frame.f_back
        return True


class TimeoutProblem(ParseProblem):
    """The parser ran out of time: a verdict about this run's machine, not the file, so never cached."""


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, ParseProblem | None]:
    """The file's bytes, or why it cannot be read within the size limit."""
    try:
        data = read_prefix(path, max_bytes)
    except OSError as exc:
        return None, ParseProblem(path, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return None, ParseProblem(path, f"file is larger than the {max_bytes:,}-byte limit (max-file-size); skipped")
    return data, None


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, ParseProblem | None]:
    """The file's text, or the reason it cannot be linted as text."""
    data, problem = read_bytes(path, max_bytes)
    if data is None:
        return None, problem
    return decode(path, data)


def decode(path: str, data: bytes) -> tuple[str | None, ParseProblem | None]:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, ParseProblem(path, "binary file (contains NUL bytes); skipped", line)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        start = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)  # after a BOM: shifted
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        byte = data[start]
        return None, ParseProblem(path, f"not UTF-8 text (byte 0x{byte:02x}); Terraform reads only UTF-8", line, column)


def parse_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES, time_budget: float = DEFAULT_TIME_BUDGET) -> ParsedFile:
    data, problem = read_bytes(path, max_bytes)
    if data is None:
        return ParsedFile(path, problem=problem)
    return parse_bytes(path, data, time_budget)


def parse_bytes(path: str, data: bytes, time_budget: float = DEFAULT_TIME_BUDGET) -> ParsedFile:
    """Parse bytes already read (and hashed) by the caller, so the result matches that content."""
    text, problem = decode(path, data)
    if text is None:
        return ParsedFile(path, problem=problem)
    return parse_text(path, text, time_budget)


def parse_text(path: str, text: str, time_budget: float = DEFAULT_TIME_BUDGET) -> ParsedFile:
    parsed = ParsedFile(path)
    try:
        if path.endswith(".json"):
            with _time_budget(time_budget), room_for_deep_trees():
                parsed.blocks, parsed.attributes = _parse_json(path, text)
        else:
            (parsed.blocks, parsed.attributes), parsed.directives = _parse_hcl(text, time_budget)
    except ForeignHcl2Error:
        raise  # not this file's problem: the run stops with advice
    except HclSyntaxError as exc:
        parsed.problem = ParseProblem(path, f"syntax error: {exc}", exc.line, exc.column)
    except json.JSONDecodeError as exc:
        parsed.problem = ParseProblem(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:
        parsed.problem = ParseProblem(path, "expressions nest too deeply to analyse; skipped")
    except _ParseTimeout:
        parsed.problem = TimeoutProblem(path, f"parsing took longer than {time_budget:g}s (parse-timeout); skipped")
    except MemoryError:
        parsed.problem = ParseProblem(path, "file is too large to analyse; skipped")
    except Exception as exc:  # noqa: BLE001 - whatever a file holds, it is one finding for that file, not a crashed run
        parsed.problem = ParseProblem(path, f"ddblint cannot analyse this file ({type(exc).__name__}: {exc}); skipped")
    if parsed.problem is not None:
        parsed.blocks, parsed.attributes = [], {}
    return parsed


def _parse_hcl(text: str, time_budget: float) -> tuple[tuple[list[Block], dict[str, Attribute]], list[tuple[int, str]]]:
    """The file's body and directive comments: by the fast parser, else by Lark, in one time budget.

    Lark is loaded only for a file the fast parser leaves to it, and before the
    clock goes on again: the file did not cost that time.
    """
    started = time.monotonic()
    with _time_budget(time_budget), room_for_deep_trees():
        body = parse_subset(text)
        directives = directive_comments(text)
    if body is None:
        remaining = time_budget - (time.monotonic() - started)
        hcl2_parser()
        if time_budget > 0 and remaining <= 0:
            raise _ParseTimeout
        with _time_budget(remaining), room_for_deep_trees():
            body = parse_body_with_lark(text)
    return body, directives


def _parse_json(path: str, text: str) -> tuple[list[Block], dict[str, Attribute]]:
    document = load_document(text)
    if path.endswith((".tfvars.json",)):
        return [], blocks_from_json(document, text, tfvars=True)[1]
    return blocks_from_json(document, text)
