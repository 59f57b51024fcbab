"""The effective settings of one run, whatever they were read from.

Configuration files and command-line flags are turned into one frozen
:class:`Settings`; everything downstream reads only this. Rule selection,
severities and options can differ per file (``overrides``), so the engine asks
:meth:`Settings.for_path` rather than reading the global fields.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ddblint.config.defaults import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET
from ddblint.findings import Severity


def path_matches(pattern: str, relative: str) -> bool:
    """Whether a glob matches a ``/``-separated relative path, or one of its parent directories.

    ``*`` matches across ``/`` (as in ``exclude``), so ``modules/prod/*`` and
    ``modules/prod/**`` both cover every file below ``modules/prod``; so does
    ``modules/prod`` itself. A leading ``**/`` also matches at the top level.
    """
    pattern = pattern.removeprefix("./").rstrip("/")
    candidates = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(fnmatch.fnmatchcase(prefix, p) for p in candidates for prefix in prefixes)


COMMAND_LINE = "command line"  # the origin of the layer made of rule flags


@dataclass(frozen=True)
class RuleLayer:
    """Selection, severities and options as one layer states them: the base, or one override."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def opinion(self, rule_id: str) -> bool | None:
        """Longest matching prefix wins between ``select`` and ``ignore`` (a tie ignores); None: no match."""
        chosen = max((len(p) for p in self.select if rule_id.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if rule_id.startswith(p)), default=-1)
        if chosen < 0 and ignored < 0:
            return None
        return chosen > ignored


@dataclass(frozen=True)
class PathOverride:
    """A rule layer that applies to files matching ``paths`` (relative to the settings' base directory)."""

    paths: tuple[str, ...]
    layer: RuleLayer
    origin: str = ""  # "file:line" of the override, for messages and ``ddblint config``

    def applies_to(self, relative: str) -> bool:
        return any(path_matches(p, relative) for p in self.paths)


@dataclass(frozen=True)
class PathSuppression:
    """Findings of ``rules`` (ids or prefixes) in files matching ``paths`` are suppressed with ``reason``.

    This is how files that cannot hold comments (``.tf.json``) are suppressed.
    """

    paths: tuple[str, ...]
    rules: tuple[str, ...]
    reason: str
    origin: str  # "file:line" of the entry
    origin_path: str = ""  # the config file, absolute
    origin_line: int = 1

    def reaches(self, relative: str) -> bool:
        return any(path_matches(p, relative) for p in self.paths)

    def applies_to(self, rule_id: str, relative: str) -> bool:
        return any(rule_id.startswith(r) for r in self.rules) and self.reaches(relative)


@dataclass(frozen=True)
class PathRules:
    """The layers in force for one file, base first; later layers win where they say something."""

    layers: tuple[RuleLayer, ...]

    def selects(self, rule_id: str) -> bool:
        decision = False
        for layer in self.layers:
            opinion = layer.opinion(rule_id)
            if opinion is not None:
                decision = opinion
        return decision

    def severity(self, rule_id: str, default: Severity) -> Severity:
        chosen = default
        for layer in self.layers:
            chosen = layer.severities.get(rule_id, chosen)
        return chosen

    def options(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(defaults)
        for layer in self.layers:
            merged.update(layer.rule_options.get(rule_id, {}))
        return merged


@dataclass(frozen=True)
class ConfigScope:
    """A config file below the run's own: for files under ``directory`` it replaces the run's rule layers.

    As with ruff, the closest config file wins whole (no merging with the one above);
    its ``overrides`` paths are relative to ``directory``. The command-line layer still
    applies over it, as over every file.
    """

    directory: str  # absolute, real
    layer: RuleLayer
    overrides: tuple[PathOverride, ...] = ()
    origin: str = ""  # the config file

    def holds(self, real_path: str) -> bool:
        return real_path.startswith(self.directory + os.sep)


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("DDB",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # globs relative to the scanned directory, or file and directory names
    fail_on: Severity | None = Severity.WARNING  # None: never fail on findings
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    var_files: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_BYTES
    parse_time_budget: float = DEFAULT_TIME_BUDGET
    jobs: int | None = None  # worker processes; None: decide from the amount of work
    cache: bool = True
    cache_dir: str | None = None
    overrides: tuple[PathOverride, ...] = ()
    suppress: tuple[PathSuppression, ...] = ()
    baseline: str | None = None  # a baseline file whose findings are suppressed
    base_dir: str = ""  # the directory ``overrides`` and ``suppress`` paths are relative to ("": current)
    config_file: str | None = None  # the run's config file, if any
    nested_configs: bool = False  # whether config files below the run's apply to their directories
    scopes: tuple[ConfigScope, ...] = ()  # those config files, deepest first

    @property
    def base_layer(self) -> RuleLayer:
        return RuleLayer(self.select, self.ignore, self.severities, self.rule_options)

    def selects(self, rule_id: str) -> bool:
        """Whether the base layer (no override) selects ``rule_id``."""
        return self.base_layer.opinion(rule_id) is True

    def may_select(self, rule_id: str) -> bool:
        """Whether some file could select ``rule_id``: the engine skips a check only when none can."""
        overrides = [*self.overrides, *(o for scope in self.scopes for o in scope.overrides)]
        return (
            self.selects(rule_id)
            or any(o.layer.opinion(rule_id) for o in overrides)
            or any(scope.layer.opinion(rule_id) is True for scope in self.scopes)
        )

    def relative(self, path: str) -> str:
        """``path`` relative to the base directory, with ``/``; what override and suppress globs match."""
        base = os.path.abspath(self.base_dir or ".")
        try:
            relative = os.path.relpath(os.path.abspath(path), base)
        except ValueError:  # another drive on Windows
            return path.replace(os.sep, "/")
        return relative.replace(os.sep, "/")

    def for_path(self, path: str) -> PathRules:
        """The rule layers in force for one file: the base, then every override matching it, in order.

        Below a nested config file, that file's layers stand in for the run's; the
        command-line layer comes last either way.
        """
        scope = self._scope_of(path)
        if scope is not None:
            relative = os.path.relpath(os.path.realpath(path), scope.directory).replace(os.sep, "/")
            matching = tuple(o.layer for o in scope.overrides if o.applies_to(relative))
            flags = tuple(o.layer for o in self.overrides if o.origin == COMMAND_LINE)
            return PathRules((scope.layer, *matching, *flags))
        if not self.overrides:
            return PathRules((self.base_layer,))
        relative = self.relative(path)
        matching = tuple(o.layer for o in self.overrides if o.applies_to(relative))
        return PathRules((self.base_layer, *matching))

    def _scope_of(self, path: str) -> ConfigScope | None:
        if not self.scopes:
            return None
        real = os.path.realpath(path)
        return next((scope for scope in self.scopes if scope.holds(real)), None)
