"""The rule checks: one small function per catalog entry, registered by id.

In: the :class:`~ddblint.evaluate.analysis.Analysis` (and, for DDB090/DDB091, the
:class:`~ddblint.rules.suppression_use.SuppressionUse` records of the filter's
suppression pass). Out: findings with the rule's id and configured severity.

A check is a pure function. The type of its first parameter says what it is
handed: a :class:`~ddblint.problems.ParseProblem`, an
:class:`~ddblint.evaluate.analysis.ItemSet`, a :class:`~ddblint.evaluate.analysis.TableLoad`
or a :class:`~ddblint.rules.suppression_use.SuppressionUse`; the type of its
second, its options (:class:`NoOptions`, or a dataclass of the rule's own whose
fields are the catalog entry's ``options``). It yields :class:`Hit` values.
Checks never print, read files or look at configuration beyond their own options.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, get_type_hints

from ddblint.findings import Finding, Severity
from ddblint.span import Span


class Subject(Protocol):
    """What every check's subject has: the file it is about, for per-file options and errors."""

    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Hit:
    """What a check found; ``identity`` is the content its fingerprint is made of."""

    message: str
    span: Span
    address: str = ""
    evidence: tuple[str, ...] = ()
    identity: str = ""
    focus_line: int = 0  # the line that shows the problem, when not the span's first

    def finding(self, rule_id: str, severity: Severity, rule_name: str) -> Finding:
        return Finding(
            rule_id=rule_id,
            severity=severity,
            message=self.message,
            span=self.span,
            address=self.address,
            evidence=self.evidence,
            identity=self.identity,
            rule_name=rule_name,
            focus_line=self.focus_line,
        )


@dataclass(frozen=True)
class NoOptions:
    """The options of a rule that has none."""


class OptionError(ValueError):
    """A rule's options dataclass does not match its catalog entry: a packaging bug."""


Check = Callable[[Any, Any], Iterable[Hit]]


@dataclass(frozen=True)
class RegisteredCheck:
    rule_id: str
    subject: type[object]  # the class of the values the check is handed
    function: Check
    options: type[Any] = NoOptions  # a dataclass; its fields are the catalog's options, snake_cased

    def options_from(self, values: Mapping[str, object]) -> object:
        """The options dataclass filled from catalog defaults and config (kebab-case keys), checked by type."""
        fields = {f.name for f in dataclasses.fields(self.options)}
        hints = get_type_hints(self.options)
        given: dict[str, object] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in fields:
                raise OptionError(f"{self.rule_id}: option {key!r} is not a field of {self.options.__name__}")
            expected = hints[name]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise OptionError(f"{self.rule_id}: option {key!r} must be {expected.__name__}, not {value!r}")
            given[name] = value
        return self.options(**given)


REGISTRY: dict[str, RegisteredCheck] = {}

# The explicit list of rule modules; adding a rule means adding its module here.
RULE_MODULES = (
    "ddb000_parse_error",
    "ddb001_too_many_items",
    "ddb002_items_from_data_file",
    "ddb003_unbounded_items",
    "ddb010_app_data_content",
    "ddb011_nondeterministic_item",
    "ddb012_app_owned_items",
    "ddb020_item_key_mismatch",
    "ddb021_invalid_item_json",
    "ddb022_key_type_mismatch",
    "ddb023_item_too_large",
    "ddb024_secret_in_item",
    "ddb025_table_name_literal",
    "ddb090_unused_suppression",
    "ddb091_suppression_without_reason",
)


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register ``function`` as the check of catalog entry ``rule_id``; its type hints name subject and options."""

    def register(function: Check) -> Check:
        hints = get_type_hints(function)
        subject, options = (hints[name] for name in list(hints)[:2])
        REGISTRY[rule_id] = RegisteredCheck(rule_id, subject, function, options)
        return function

    return register


def load_checks() -> dict[str, RegisteredCheck]:
    for name in RULE_MODULES:
        importlib.import_module(f"ddblint.rules.{name}")
    return REGISTRY
