"""The effective settings of a run: defaults, then the config file, then command-line flags.

Each value remembers where it came from (``file:line``, a flag, or the
default), which ``ddblint config`` and ``ddblint check --show-settings`` print.
Paths in a config file (``exclude``, ``overrides``, ``suppress``, ``baseline``)
are relative to the file's directory; paths given as flags, to the current
directory.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, replace
from typing import Any

from ddblint.catalog.entries import load_catalog
from ddblint.config.locate import find_config
from ddblint.config.schema import FileConfig, Setting, options_of, severities_of, validate
from ddblint.config.settings import COMMAND_LINE, PathOverride, RuleLayer, Settings
from ddblint.config.source import ConfigError, read_config
from ddblint.findings import Severity
from ddblint.repo_paths import common_root

DEFAULT = "default"


@dataclass(frozen=True)
class CommandLine:
    """The flags of ``ddblint check`` that make settings; None or empty means "not given"."""

    config: str | None = None
    isolated: bool = False
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    fail_on: str | None = None
    baseline: str | None = None
    max_items: int | None = None
    var_files: tuple[str, ...] = ()
    jobs: int | None = None
    cache: bool = True
    cache_dir: str | None = None
    max_file_size: int | None = None
    parse_timeout: float | None = None


@dataclass(frozen=True)
class ShownSetting:
    name: str
    value: str
    origin: str  # "path:line", "command line (--flag)" or "default"


@dataclass(frozen=True)
class Effective:
    settings: Settings
    config_file: str | None
    shown: tuple[ShownSetting, ...]


def config_for(targets: list[str], command_line: CommandLine) -> str | None:
    """The run's config file: ``--config``, else the one found from the targets' common directory up.

    Config files closer to some of the targets are nested ones: they apply to their
    own directories (see :mod:`ddblint.config.nested`). None if isolated.
    """
    if command_line.isolated:
        return None
    if command_line.config is not None:
        return command_line.config
    return find_config(common_root([os.path.abspath(t) for t in targets or ["."]]))


def effective_settings(targets: list[str], command_line: CommandLine, cwd: str | None = None) -> Effective:
    """Merge defaults, the config file and the flags into :class:`Settings`, remembering origins."""
    cwd = os.path.abspath(cwd or os.getcwd())
    catalog = load_catalog()
    path = config_for(targets, command_line)
    file_config = validate(read_config(path), catalog) if path is not None else None
    merger = _Merger(file_config, cwd)
    cli_prefixes = _command_line_prefixes(command_line, catalog)
    select = merger.pick("select", cli_prefixes.get("--select"), ("DDB",), "--select")
    ignore = merger.pick("ignore", None, (), "--ignore")
    scan_root = common_root([os.path.abspath(t) for t in targets or ["."]])
    exclude = merger.pick("exclude", command_line.exclude, (), "--exclude")
    exclude_base = cwd if command_line.exclude is not None or file_config is None else file_config.document.directory
    fail_on = merger.pick("fail-on", command_line.fail_on, "warning", "--fail-on")
    baseline = merger.pick("baseline", _absolute(command_line.baseline, cwd), None, "--baseline")
    max_file_size = merger.pick("max-file-size", command_line.max_file_size, Settings.max_file_size, "--max-file-size")
    if merger.pick("require-reason", None, True, "") is False:
        ignore = (*ignore, "DDB091")
    rules = file_config.rules if file_config else ()
    settings = Settings(
        select=select,
        ignore=ignore,
        exclude=tuple(p for pattern in exclude for p in rebase_glob(pattern, exclude_base, scan_root)),
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        severities=severities_of(rules),
        rule_options=options_of(rules),
        var_files=command_line.var_files,
        max_file_size=max_file_size,
        jobs=command_line.jobs,
        cache=command_line.cache,
        cache_dir=command_line.cache_dir,
        parse_time_budget=(
            command_line.parse_timeout if command_line.parse_timeout is not None else Settings.parse_time_budget
        ),
        overrides=(*(file_config.overrides if file_config else ()), *_command_line_layer(command_line, cli_prefixes)),
        suppress=file_config.suppress if file_config else (),
        baseline=baseline,
        base_dir=file_config.document.directory if file_config else cwd,
        config_file=file_config.document.path if file_config else None,
        nested_configs=command_line.config is None and not command_line.isolated,
    )
    shown = merger.shown + _rule_lines(file_config, command_line, settings)
    return Effective(settings, file_config.document.path if file_config else None, tuple(shown))


class _Merger:
    """Picks each plain setting from the flag, the file or the default, and records which."""

    def __init__(self, file_config: FileConfig | None, cwd: str) -> None:
        self.file_config = file_config
        self.cwd = cwd
        self.shown: list[ShownSetting] = []

    def pick(self, name: str, flag_value: Any, default: Any, flag: str) -> Any:
        setting: Setting | None = self.file_config.values.get(name) if self.file_config else None
        if flag_value is not None:
            value, origin = flag_value, f"command line ({flag})"
        elif setting is not None and self.file_config is not None:
            value, origin = setting.value, self.file_config.origin(setting.line)
        else:
            value, origin = default, DEFAULT
        self.shown.append(ShownSetting(name, _show(value, self.cwd), origin))
        return value


def _command_line_prefixes(command_line: CommandLine, catalog: Any) -> dict[str, tuple[str, ...]]:
    given = {
        "--select": command_line.select,
        "--extend-select": command_line.extend_select or None,
        "--ignore": command_line.ignore or None,
    }
    return {flag: _flag_prefixes(flag, values, catalog) for flag, values in given.items() if values is not None}


def _flag_prefixes(flag: str, values: tuple[str, ...], catalog: Any) -> tuple[str, ...]:
    """Rule ids or prefixes from a flag: repeatable and comma-separated, checked like the config's."""
    from difflib import get_close_matches

    prefixes = tuple(p.strip().upper() for value in values for p in value.split(",") if p.strip())
    for prefix in prefixes:
        if not any(rule_id.startswith(prefix) for rule_id in catalog):
            near = get_close_matches(prefix, list(catalog), n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]}?" if near else " (`ddblint rules` lists them)"
            raise ConfigError(flag, None, f"`{prefix}` matches no rule{hint}")
    return prefixes


def _command_line_layer(command_line: CommandLine, prefixes: dict[str, tuple[str, ...]]) -> tuple[PathOverride, ...]:
    """Rule flags form the last layer, over every file: they override the config, per-path overrides included.

    ``--select`` keeps only the rules it names; ``--extend-select`` and
    ``--ignore`` add to what the config chose; ``--max-items`` sets DDB001's option.
    """
    select = prefixes.get("--select", ()) + prefixes.get("--extend-select", ())
    ignore = prefixes.get("--ignore", ()) + (("DDB",) if "--select" in prefixes else ())
    options = {"DDB001": {"max-items": command_line.max_items}} if command_line.max_items is not None else {}
    if not (select or ignore or options):
        return ()
    return (PathOverride(("**",), RuleLayer(select, ignore, {}, options), COMMAND_LINE),)


def _layer_summary(layer: RuleLayer) -> str:
    parts = [f"select {', '.join(layer.select)}"] if layer.select else []
    parts += [f"ignore {', '.join(layer.ignore)}"] if layer.ignore else []
    parts += [f"{rule}.severity {severity.label}" for rule, severity in layer.severities.items()]
    parts += [
        f"{rule}.{name} {value}" for rule, options in layer.rule_options.items() for name, value in options.items()
    ]
    return "; ".join(parts)


def _rule_lines(file_config: FileConfig | None, command_line: CommandLine, settings: Settings) -> list[ShownSetting]:
    """Per-rule settings, overrides (the command-line layer last), suppressions and var files."""
    rules = file_config.rules if file_config else ()
    lines = [
        ShownSetting(f"rules.{s.rule_id}.{s.name}", _show(s.value, ""), file_config.origin(s.line))
        for s in rules
        if file_config
    ]
    for index, override in enumerate(settings.overrides):
        name = "command line flags" if override.origin == "command line" else f"overrides[{index}]"
        value = f"{', '.join(override.paths)}: {_layer_summary(override.layer)}"
        lines.append(ShownSetting(name, value, override.origin))
    for index, entry in enumerate(settings.suppress):
        reason = f" -- {entry.reason}" if entry.reason else ""
        value = f"{', '.join(entry.paths)}: {', '.join(entry.rules)}{reason}"
        lines.append(ShownSetting(f"suppress[{index}]", value, entry.origin))
    if command_line.var_files:
        lines.append(ShownSetting("var-files", ", ".join(command_line.var_files), "command line (--var-file)"))
    if command_line.parse_timeout is not None:
        lines.append(
            ShownSetting("parse-timeout", _show(command_line.parse_timeout, ""), "command line (--parse-timeout)")
        )
    if settings.cache_dir is not None:
        lines.append(ShownSetting("cache-dir", settings.cache_dir, "command line (--cache-dir)"))
    return lines


def _absolute(path: str | None, cwd: str) -> str | None:
    return None if path is None else os.path.normpath(os.path.join(cwd, path))


def _show(value: Any, cwd: str) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, str) and cwd and os.path.isabs(value):
        return os.path.relpath(value, cwd)
    return "(none)" if value is None else str(value)


def describe(effective: Effective) -> str:
    """The effective settings as aligned text: name, value, and where it came from."""
    source = os.path.relpath(effective.config_file) if effective.config_file else "none (defaults and flags only)"
    rows = [(s.name, s.value, s.origin) for s in effective.shown]
    name_width = max(len(r[0]) for r in rows)
    value_width = min(max(len(r[1]) for r in rows), 60)
    lines = [f"config file: {source}"]
    lines += [f"{name:<{name_width}}  {value:<{value_width}}  # {origin}" for name, value, origin in rows]
    return "\n".join(lines) + "\n"


def rebase_glob(pattern: str, from_dir: str, to_dir: str) -> tuple[str, ...]:
    """Patterns that match, relative to ``to_dir``, what ``pattern`` matches relative to ``from_dir``.

    The file walk matches ``exclude`` globs relative to the scanned directory,
    while users write them relative to their config file or current directory.
    A glob without ``/`` names files or directories anywhere and is kept as is;
    one that cannot match anything below ``to_dir`` is dropped.
    """
    pattern = pattern.removeprefix("./").rstrip("/")
    from_dir, to_dir = os.path.realpath(from_dir), os.path.realpath(to_dir)
    if "/" not in pattern or from_dir == to_dir:
        return (pattern,)
    down = os.path.relpath(to_dir, from_dir).replace(os.sep, "/")
    if down.startswith(".."):
        up = os.path.relpath(from_dir, to_dir).replace(os.sep, "/")
        return () if up.startswith("..") else (f"{up}/{pattern}",)
    segments = pattern.split("/")
    for part in down.split("/"):
        if segments and segments[0] == "**":
            return ("/".join(segments), "/".join(segments[1:]))
        if not segments or not fnmatch.fnmatchcase(part, segments[0]):
            return ()
        segments = segments[1:]
    return ("/".join(segments),) if segments else ()


def without_baseline(effective: Effective) -> Effective:
    """The same settings with no baseline: a new baseline records every finding, none hidden by the old one."""
    return replace(effective, settings=replace(effective.settings, baseline=None))
