"""The effective settings of one run, whatever they were read from.

Configuration files and command-line flags are turned into one frozen
:class:`Settings`; everything downstream reads only this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ddblint.findings import Severity
from ddblint.parse import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("DDB",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.WARNING  # None: never fail on findings
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    var_files: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_BYTES
    parse_time_budget: float = DEFAULT_TIME_BUDGET
    jobs: int | None = None  # worker processes; None: decide from the amount of work
    cache: bool = True
    cache_dir: str | None = None

    def selects(self, rule_id: str) -> bool:
        """Longest matching prefix wins between ``select`` and ``ignore``, as in flake8 and ruff."""
        chosen = max((len(p) for p in self.select if rule_id.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if rule_id.startswith(p)), default=-1)
        return chosen > ignored

    def options_for(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(defaults)
        merged.update(self.rule_options.get(rule_id, {}))
        return merged
