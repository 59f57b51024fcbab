"""Validate a config document into typed settings, or fail naming the file, line and key.

Every mistake is an error rather than a warning ignored in CI logs: an unknown
key, rule id or option, or a value of the wrong type. The message suggests the
closest valid name, found with :mod:`difflib`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from ddblint.catalog.entries import RuleDoc
from ddblint.config.settings import PathOverride, PathSuppression, RuleLayer
from ddblint.config.source import ConfigDocument, ConfigError, Key, type_name
from ddblint.findings import Severity

SCALAR_KEYS = ("select", "ignore", "exclude", "fail-on", "baseline", "max-file-size", "require-reason")
TOP_LEVEL_KEYS = (*SCALAR_KEYS, "rules", "overrides", "suppress")
OVERRIDE_KEYS = ("paths", "select", "ignore", "rules")
SUPPRESS_KEYS = ("paths", "rules", "reason")
FAIL_ON_VALUES = ("error", "warning", "note", "never")


@dataclass(frozen=True)
class Setting:
    """One value a config file sets, with its line; ``name`` is dotted (``rules.DDB001.max-items``)."""

    name: str
    value: Any
    line: int


@dataclass(frozen=True)
class RuleSetting:
    """``severity`` (a :class:`Severity`) or one option of one rule, as a config layer sets it."""

    rule_id: str
    name: str
    value: Any
    line: int


@dataclass(frozen=True)
class FileConfig:
    """A validated config file: plain settings, per-rule settings, overrides and suppressions."""

    document: ConfigDocument
    values: dict[str, Setting]
    rules: tuple[RuleSetting, ...]
    overrides: tuple[PathOverride, ...]
    suppress: tuple[PathSuppression, ...]

    def origin(self, line: int) -> str:
        return f"{os.path.relpath(self.document.path)}:{line}"


def dotted(key: Key) -> str:
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Validator:
    def __init__(self, document: ConfigDocument, catalog: Mapping[str, RuleDoc]) -> None:
        self.document = document
        self.catalog = catalog

    def error(self, key: Key, message: str) -> ConfigError:
        return ConfigError(self.document.path, self.document.line(key), message)

    def origin(self, key: Key) -> str:
        return f"{os.path.relpath(self.document.path)}:{self.document.line(key)}"

    def mapping(self, value: Any, key: Key, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"`{dotted(key)}` must be a mapping, not a {type_name(value)}")
        for name in value:
            if str(name) not in allowed:
                raise self.error((*key, str(name)), self.unknown_key(str(name), key, allowed))
        return {str(k): v for k, v in value.items()}

    def unknown_key(self, name: str, key: Key, allowed: tuple[str, ...]) -> str:
        where = f" in `{dotted(key)}`" if key else ""
        if not key and name.upper() in self.catalog:
            return f"unknown key `{name}`: rule settings go under `rules:` (rules: {{{name.upper()}: ...}})"
        near = get_close_matches(name, allowed, n=1, cutoff=0.5)
        hint = f"; did you mean `{near[0]}`?" if near else f" (valid keys: {', '.join(allowed)})"
        return f"unknown key `{name}`{where}{hint}"

    def strings(self, value: Any, key: Key, what: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(key, f"`{dotted(key)}` must be a list of {what}, not a {type_name(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error((*key, index), f"`{dotted(key)}` must hold {what}, not {item!r}")
        return tuple(item.strip() for item in value)

    def rule_prefixes(self, value: Any, key: Key) -> tuple[str, ...]:
        prefixes = self.strings(value, key, "rule ids or prefixes (DDB001, DDB01)")
        for index, prefix in enumerate(prefixes):
            if not any(rule_id.startswith(prefix) for rule_id in self.catalog):
                raise self.error((*key, index), f"`{prefix}` in `{dotted(key)}` {self.no_rule(prefix)}")
        return prefixes

    def rule_id(self, name: Any, key: Key) -> str:
        if str(name) in self.catalog:
            return str(name)
        raise self.error((*key, str(name)), f"`{name}` in `{dotted(key)}` {self.no_rule(str(name))}")

    def no_rule(self, word: str) -> str:
        by_name = {doc.name: rule_id for rule_id, doc in self.catalog.items()}
        if word in by_name:
            return f"is a rule name, not an id; did you mean {by_name[word]}?"
        near = get_close_matches(word.upper(), list(self.catalog), n=1, cutoff=0.6)
        return f"matches no rule; did you mean {near[0]}?" if near else "matches no rule (`ddblint rules` lists them)"

    def choice(self, value: Any, key: Key, choices: tuple[str, ...]) -> str:
        if isinstance(value, str) and value.lower() in choices:
            return value.lower()
        near = get_close_matches(str(value).lower(), choices, n=1) if isinstance(value, str) else []
        hint = f"; did you mean `{near[0]}`?" if near else ""
        raise self.error(key, f"`{dotted(key)}` must be one of {', '.join(choices)}, not {value!r}{hint}")

    def positive_int(self, value: Any, key: Key) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error(key, f"`{dotted(key)}` must be a positive integer (bytes), not {value!r}")
        return value

    def boolean(self, value: Any, key: Key) -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"`{dotted(key)}` must be true or false, not {value!r}")
        return value

    def text(self, value: Any, key: Key) -> str:
        if not isinstance(value, str):
            raise self.error(key, f"`{dotted(key)}` must be a string, not a {type_name(value)}")
        return value

    def option(self, doc: RuleDoc, name: str, value: Any, key: Key) -> Any:
        option = next(o for o in doc.options if o.name == name)
        checks: dict[str, Callable[[Any], bool]] = {
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "positive int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
            "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
            "str": lambda v: isinstance(v, str),
            "list": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        }
        check = checks.get(option.type)
        if check is not None and not check(value):
            if isinstance(value, float) and not math.isfinite(value):  # thousands of digits, read as infinity
                raise self.error(key, f"`{dotted(key)}` must be of type {option.type}, not a number too large to hold")
            raise self.error(key, f"`{dotted(key)}` must be of type {option.type}, not {type_name(value)} {value!r}")
        return value

    def rules(self, value: Any, key: Key) -> tuple[RuleSetting, ...]:
        """``rules: {DDB001: {severity: error, max-items: 5}}``: ``severity`` and the rule's options."""
        if not isinstance(value, dict):
            raise self.error(key, f"`{dotted(key)}` must be a mapping of rule ids, not a {type_name(value)}")
        settings: list[RuleSetting] = []
        for name, spec in value.items():
            rule_id = self.rule_id(name, key)
            doc = self.catalog[rule_id]
            rule_key = (*key, rule_id)
            allowed = ("severity", *(o.name for o in doc.options))
            for setting, raw in self.mapping(spec, rule_key, allowed).items():
                setting_key = (*rule_key, setting)
                if setting == "severity":
                    parsed: Any = Severity.parse(self.choice(raw, setting_key, ("error", "warning", "note")))
                else:
                    parsed = self.option(doc, setting, raw, setting_key)
                settings.append(RuleSetting(rule_id, setting, parsed, self.document.line(setting_key)))
        return tuple(settings)

    def layer(self, data: dict[str, Any], key: Key) -> RuleLayer:
        rules = self.rules(data.get("rules", {}), (*key, "rules")) if "rules" in data else ()
        return RuleLayer(
            select=self.rule_prefixes(data["select"], (*key, "select")) if "select" in data else (),
            ignore=self.rule_prefixes(data["ignore"], (*key, "ignore")) if "ignore" in data else (),
            severities=severities_of(rules),
            rule_options=options_of(rules),
        )

    def overrides(self, value: Any, key: Key) -> tuple[PathOverride, ...]:
        if not isinstance(value, list):
            raise self.error(key, f"`{dotted(key)}` must be a list of overrides, not a {type_name(value)}")
        overrides = []
        for index, raw in enumerate(value):
            entry_key = (*key, index)
            data = self.mapping(raw, entry_key, OVERRIDE_KEYS)
            if "paths" not in data:
                raise self.error(entry_key, f"`{dotted(entry_key)}` needs `paths`: the globs it applies to")
            paths = self.strings(data["paths"], (*entry_key, "paths"), "path globs")
            overrides.append(PathOverride(paths, self.layer(data, entry_key), self.origin(entry_key)))
        return tuple(overrides)

    def suppress(self, value: Any, key: Key) -> tuple[PathSuppression, ...]:
        if not isinstance(value, list):
            raise self.error(key, f"`{dotted(key)}` must be a list of suppressions, not a {type_name(value)}")
        entries = []
        for index, raw in enumerate(value):
            entry_key = (*key, index)
            data = self.mapping(raw, entry_key, SUPPRESS_KEYS)
            for required in ("paths", "rules"):
                if required not in data:
                    raise self.error(entry_key, f"`{dotted(entry_key)}` needs `{required}`")
            paths = self.strings(data["paths"], (*entry_key, "paths"), "path globs")
            rules = self.rule_prefixes(data["rules"], (*entry_key, "rules"))
            reason = self.text(data["reason"], (*entry_key, "reason")).strip() if "reason" in data else ""
            line = self.document.line(entry_key)
            origin = self.origin(entry_key)
            entries.append(PathSuppression(paths, rules, reason, origin, self.document.path, line))
        return tuple(entries)

    def scalar(self, name: str, value: Any) -> Any:
        key: Key = (name,)
        if name in ("select", "ignore"):
            return self.rule_prefixes(value, key)
        if name == "exclude":
            return self.strings(value, key, "path globs")
        if name == "fail-on":
            return self.choice(value, key, FAIL_ON_VALUES)
        if name == "baseline":
            return os.path.normpath(os.path.join(self.document.directory, self.text(value, key)))
        if name == "max-file-size":
            return self.positive_int(value, key)
        return self.boolean(value, key)


def severities_of(rules: tuple[RuleSetting, ...]) -> dict[str, Severity]:
    return {s.rule_id: s.value for s in rules if s.name == "severity"}


def options_of(rules: tuple[RuleSetting, ...]) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    for setting in rules:
        if setting.name != "severity":
            options.setdefault(setting.rule_id, {})[setting.name] = setting.value
    return options


def validate(document: ConfigDocument, catalog: Mapping[str, RuleDoc]) -> FileConfig:
    validator = _Validator(document, catalog)
    data = validator.mapping(document.data, (), TOP_LEVEL_KEYS)
    values = {
        name: Setting(name, validator.scalar(name, data[name]), document.line((name,)))
        for name in SCALAR_KEYS
        if name in data
    }
    return FileConfig(
        document=document,
        values=values,
        rules=validator.rules(data["rules"], ("rules",)) if "rules" in data else (),
        overrides=validator.overrides(data["overrides"], ("overrides",)) if "overrides" in data else (),
        suppress=validator.suppress(data["suppress"], ("suppress",)) if "suppress" in data else (),
    )
