"""The rule checks: one small function per catalog entry, registered by id.

A check is a pure function. Its first parameter's type says what the engine
hands it: a :class:`~ddblint.parse.syntax.ParseProblem`, an
:class:`~ddblint.model.module.ItemSet` or a :class:`~ddblint.model.module.TableLoad`;
or, for the rules about suppressions themselves (DDB090, DDB091), a
:class:`~ddblint.filter.suppressions.SuppressionUse` the filter stage builds.
It yields :class:`Hit` values; the engine turns them into findings with the
rule's id and configured severity. Checks never print, read files or look
at configuration beyond their own options.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ddblint.findings import Span


@dataclass(frozen=True)
class Hit:
    """What a check found; ``identity`` is the content its fingerprint is made of."""

    message: str
    span: Span
    address: str = ""
    evidence: tuple[str, ...] = ()
    identity: str = ""


Check = Callable[[Any, Mapping[str, Any]], Iterable[Hit]]


# Subjects the filter stage builds after the model checks ran (what each
# suppression comment or config entry ended up doing), not the model.
FILTER_SUBJECTS = frozenset({"SuppressionUse"})


@dataclass(frozen=True)
class RegisteredCheck:
    rule_id: str
    subject: str  # "ParseProblem", "ItemSet", "TableLoad", or a FILTER_SUBJECTS name
    function: Check

    @property
    def after_filter(self) -> bool:
        """Run by the filter stage over suppression records, after the model checks."""
        return self.subject in FILTER_SUBJECTS


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
    """Register ``function`` as the check of catalog entry ``rule_id``."""

    def register(function: Check) -> Check:
        first = next(iter(inspect.signature(function).parameters.values()))
        subject = str(first.annotation).rsplit(".", 1)[-1]
        REGISTRY[rule_id] = RegisteredCheck(rule_id, subject, function)
        return function

    return register


def load_checks() -> dict[str, RegisteredCheck]:
    for name in RULE_MODULES:
        importlib.import_module(f"ddblint.rules.{name}")
    return REGISTRY
