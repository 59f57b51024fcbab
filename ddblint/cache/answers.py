"""The disk's answers to a root's evaluation, and what else it read: what decides whether a cached result holds.

An evaluation asks the disk questions (``file()``, ``fileexists()``, ``fileset()``,
``templatefile()``); each is kept with its answer, and a cached analysis or
outcome is used only if every question, asked again, gets the same answer. This
module stays light: a warm run checks outcomes with it and loads nothing of the
evaluator unless a root has a question to ask again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ddblint.cache.store import digest
from ddblint.evaluate.budget import Spent
from ddblint.evaluate.values import Unknown

# (method name, its arguments), and the answer it gave
Question = tuple[str, tuple[Any, ...]]


def summary(answer: Any) -> Any:
    """An answer in a form that is cheap to store and compare: file contents by digest."""
    if isinstance(answer, Unknown):
        return ("unknown", answer.reason)
    if isinstance(answer, str) and len(answer) > 256:
        return ("digest", digest(answer.encode("utf-8", "surrogatepass")))
    if isinstance(answer, list):
        return tuple(answer)
    return answer


def asks_the_same(answers: tuple[tuple[Question, Any], ...], scan_root: str, max_bytes: int) -> bool:
    """Whether each question, asked of the disk now, gets the answer it got."""
    if not answers:
        return True
    from ddblint.evaluate.expressions import FileGateway

    gateway = FileGateway(scan_root, max_bytes)
    for (method, arguments), answer in answers:
        if method == "resolve":
            path, bases = arguments
            arguments = (path, list(bases))
        if summary(getattr(gateway, method)(*arguments)) != answer:
            return False
    return True


@dataclass(frozen=True)
class RootInputs:
    """All a root's analysis was computed from, besides the code: what a warm run checks before reusing its outcome."""

    directories: tuple[str, ...]
    files: tuple[tuple[str, str], ...]  # (path, content digest)
    answers: tuple[tuple[Question, Any], ...]  # the disk's answers to the evaluation's questions
    spent: Spent  # what it drew from the run's budget
