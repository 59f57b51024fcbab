"""What a rule reports: findings, severities and their stable fingerprints.

Findings are plain frozen values so that every later stage (filter, baseline,
reporters, cache) can sort, compare and serialise them without knowing which
rule produced them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import IntEnum

from ddblint.span import Span


class Severity(IntEnum):
    """Ordered so that ``severity >= gate`` answers "does this fail the build"."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or note)") from None


@dataclass(frozen=True, order=True)
class Caller:
    """A module call in a root module that produces a finding inside the module it calls.

    ``address`` is the module path from the root (``module.a.module.b``), ``span``
    the root's own ``module`` block, ``through`` every ``module`` block on the way
    (where a suppression comment may also stand).
    """

    address: str
    span: Span
    through: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Suppression:
    """Why a finding is hidden: an inline comment, a config path rule or a baseline entry."""

    kind: str  # "inSource" (a comment) or "external" (config or baseline)
    justification: str
    origin: str  # "path:line" of the comment, or the config/baseline file


# The ``module.NAME`` and ``module.NAME[KEY]`` steps in front of a resource address.
_MODULE_PATH = re.compile(r'^(?:module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)+')


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    ``identity`` is the content a fingerprint is made of: the rule plus what was
    found (resource address, the data that was counted), never a line number, so
    a finding keeps its fingerprint when unrelated lines move above it.
    """

    rule_id: str
    severity: Severity
    message: str
    span: Span
    address: str = ""
    evidence: tuple[str, ...] = ()
    identity: str = ""
    suppression: Suppression | None = None
    rule_name: str = field(default="", compare=False)
    callers: tuple[Caller, ...] = field(default=(), compare=False)  # the module calls that produce it, sorted
    # The line a reader should look at inside ``span`` (the ``for_each``, the attribute
    # holding a secret); 0 when it is the span's first line. Presentation only.
    focus_line: int = field(default=0, compare=False)

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def stable_address(self) -> str:
        """The address a baseline keys this finding by.

        A finding inside a called module stands for every call that produces it,
        and which call's copy was kept changes when a caller is added or renamed;
        the block's address inside its module does not.
        """
        return _MODULE_PATH.sub("", self.address) if self.callers else self.address

    def fingerprint(self, relative_path: str) -> str:
        """A hash of rule, repo-relative file, resource address and content identity.

        For a finding inside a called module the content is the place itself: the
        kept copy's message names one caller's instance and its counts, which a new
        or renamed caller would change.
        """
        content = self.stable_address if self.callers else self.identity or self.message
        seed = "\x1f".join((self.rule_id, relative_path, self.stable_address, content))
        return hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:32]  # a file name need not be UTF-8

    def suppressed_by(self, suppression: Suppression) -> Finding:
        return replace(self, suppression=suppression)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.column, self.rule_id, self.message)


@dataclass(frozen=True)
class InternalError:
    """A bug in ddblint met while checking ``path``; the traceback is kept for ``--debug``."""

    path: str
    rule_id: str
    message: str
    traceback: str


def with_callers(finding: Finding, callers: tuple[Caller, ...]) -> Finding:
    """``finding`` also produced through ``callers``: the union, sorted, each once."""
    if not callers or set(callers) <= set(finding.callers):
        return finding
    return replace(finding, callers=tuple(sorted(set(finding.callers) | set(callers), key=_caller_order)))


def _caller_order(caller: Caller) -> tuple[Span, str]:
    return caller.span, caller.address


def one_per_place(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and place: copies from several module calls or roots become one naming them all.

    A module called from forty places yields forty findings at one line; the one
    kept is the most severe (then the first in order), with every copy's callers.
    Linear: one pass to group, one to merge.
    """
    groups: dict[tuple[str, Span], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule_id, finding.span), []).append(finding)
    merged: list[Finding] = []
    for group in groups.values():
        kept = min(group, key=_kept_order)
        callers = tuple(c for f in group for c in f.callers)
        merged.append(with_callers(kept, callers) if len(group) > 1 else kept)
    return sorted(merged, key=Finding.sort_key)


def _kept_order(finding: Finding) -> tuple[int, tuple[Span, str] | tuple[()], str, str]:
    """Most severe first, then the copy made by the first caller, so the message and the callers agree."""
    first = _caller_order(min(finding.callers, key=_caller_order)) if finding.callers else ()
    return -finding.severity, first, finding.address, finding.message


def callers_text(finding: Finding, shown: Callable[[str], str]) -> str:
    """`` (via module.seed in envs/prod/main.tf:12 and 39 more)``; empty for a finding made in its root.

    Kept apart from the message, which states the problem: this says where it comes from.
    """
    if not finding.callers:
        return ""
    first = finding.callers[0]
    more = len(finding.callers) - 1
    text = f"via {first.address} in {shown(first.span.path)}:{first.span.line}"
    return f" ({text} and {more} more)" if more else f" ({text})"
