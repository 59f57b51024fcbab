"""What a rule reports: findings, severities and their stable fingerprints.

Findings are plain frozen values so that every later stage (filter, baseline,
reporters, cache) can sort, compare and serialise them without knowing which
rule produced them.
"""

from __future__ import annotations

import hashlib
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


@dataclass(frozen=True)
class Suppression:
    """Why a finding is hidden: an inline comment, a config path rule or a baseline entry."""

    kind: str  # "inSource" (a comment) or "external" (config or baseline)
    justification: str
    origin: str  # "path:line" of the comment, or the config/baseline file


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

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    def fingerprint(self, relative_path: str) -> str:
        """A hash of rule, repo-relative file, resource address and content identity."""
        seed = "\x1f".join((self.rule_id, relative_path, self.address, self.identity or self.message))
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]

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
