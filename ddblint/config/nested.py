"""Config files below the run's own: each sets the rules for its directory, the closest one winning.

A monorepo gives a team's directory its own ``.ddblint.yaml``. As in ruff, the
config file closest to a Terraform file decides that file's rule selection,
severities, options and overrides, whole, without merging with the file above
it; the command-line flags still apply over every file. Discovery reports the
candidate files it meets (``ddblint .`` walks the tree; a pre-commit run looks
in each changed module's directory and those above it up to the scan root), so
the hook and a full run pick the same config for the same file.

What applies to a whole run (``exclude``, ``fail-on``, ``baseline``,
``max-file-size``) is read only from the run's own config file; in a nested one
it is a config error rather than a setting silently ignored. ``suppress``
entries of a nested file apply to the paths they name below it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace

from ddblint.catalog.entries import load_catalog
from ddblint.config.locate import is_config_file
from ddblint.config.schema import FileConfig, options_of, severities_of, validate
from ddblint.config.settings import ConfigScope, PathSuppression, RuleLayer, Settings
from ddblint.config.source import ConfigError, read_config

RUN_LEVEL_KEYS = ("exclude", "fail-on", "baseline", "max-file-size")


def with_nested_configs(settings: Settings, candidates: Iterable[str]) -> Settings:
    """``settings`` with a scope for every config file among ``candidates`` other than the run's own."""
    if not settings.nested_configs:
        return settings
    run_config = os.path.realpath(settings.config_file) if settings.config_file else None
    paths = sorted({os.path.realpath(c) for c in candidates} - {run_config})
    configs = [path for path in paths if is_config_file(path)]
    if not configs:
        return settings
    catalog = load_catalog()
    scopes: dict[str, ConfigScope] = {}
    suppress = list(settings.suppress)
    for path in configs:
        directory = os.path.dirname(path)
        if directory in scopes:  # .ddblint.yaml before .ddblint.yml before pyproject.toml, as for the run's
            continue
        file_config = validate(read_config(path), catalog)
        _refuse_run_level_keys(file_config, settings.config_file)
        scopes[directory] = ConfigScope(directory, _base_layer(file_config), file_config.overrides, path)
        suppress += [_rebased(entry, directory, settings.base_dir) for entry in file_config.suppress]
    deepest_first = sorted(scopes.values(), key=lambda s: s.directory.count(os.sep), reverse=True)
    return replace(settings, scopes=tuple(deepest_first), suppress=tuple(suppress))


def _base_layer(file_config: FileConfig) -> RuleLayer:
    values = file_config.values
    select = values["select"].value if "select" in values else ("DDB",)
    ignore = values["ignore"].value if "ignore" in values else ()
    if "require-reason" in values and values["require-reason"].value is False:
        ignore = (*ignore, "DDB091")
    return RuleLayer(select, ignore, severities_of(file_config.rules), options_of(file_config.rules))


def _refuse_run_level_keys(file_config: FileConfig, run_config: str | None) -> None:
    for name in RUN_LEVEL_KEYS:
        if name in file_config.values:
            above = os.path.relpath(run_config) if run_config else "a .ddblint.yaml at the top of the scanned tree"
            raise ConfigError(
                file_config.document.path,
                file_config.values[name].line,
                f"`{name}` applies to a whole run, so only the run's own config file may set it ({above}); "
                "a nested config file sets the rules of its directory",
            )


def _rebased(entry: PathSuppression, directory: str, base_dir: str) -> PathSuppression:
    """A nested ``suppress`` entry with its globs relative to the run's base directory."""
    prefix = os.path.relpath(directory, os.path.realpath(base_dir or ".")).replace(os.sep, "/")
    paths: list[str] = []
    for pattern in entry.paths:
        pattern = pattern.removeprefix("./").rstrip("/")
        paths.append(f"{prefix}/{pattern}")
        if "/" not in pattern:  # a name anywhere below the nested file's directory
            paths.append(f"{prefix}/*/{pattern}")
    return replace(entry, paths=tuple(paths))
