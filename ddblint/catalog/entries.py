"""The rule catalog: one YAML file per rule in ``rules/``, shipped inside the wheel.

It is the single source of every rule's id, name, severity, texts, options
and examples; ``ddblint rule``, ``ddblint rules``, SARIF metadata and the
README table are all generated from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddblint.findings import Severity


@dataclass(frozen=True)
class RuleOption:
    name: str
    default: Any
    type: str
    description: str


@dataclass(frozen=True)
class RuleDoc:
    id: str
    name: str
    severity: Severity
    summary: str
    description: str
    rationale: str
    fix: str
    bad_example: str
    good_example: str
    tags: tuple[str, ...] = ()
    security_severity: str | None = None
    options: tuple[RuleOption, ...] = ()

    def option_defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}


class CatalogError(Exception):
    """A catalog file is missing a field or malformed: a packaging bug, not a user error."""


def catalog_dir() -> Path:
    """Where the YAML files live: ``ddblint/rule_catalog`` when installed, else ``rules/``."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "rule_catalog"
    if installed.is_dir():
        return installed
    return package.parent / "rules"


_REQUIRED = ("id", "name", "severity", "summary", "description", "rationale", "fix", "examples")


def _rule_from_yaml(path: Path, data: Any) -> RuleDoc:
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: expected a mapping")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise CatalogError(f"{path.name}: missing {', '.join(missing)}")
    examples = data["examples"] or {}
    options = tuple(
        RuleOption(name, spec.get("default"), spec.get("type", "str"), spec.get("description", ""))
        for name, spec in (data.get("options") or {}).items()
    )
    security = data.get("security-severity")
    return RuleDoc(
        id=data["id"],
        name=data["name"],
        severity=Severity.parse(data["severity"]),
        summary=data["summary"].strip(),
        description=data["description"].strip(),
        rationale=data["rationale"].strip(),
        fix=data["fix"].strip(),
        bad_example=(examples.get("bad") or "").strip("\n"),
        good_example=(examples.get("good") or "").strip("\n"),
        tags=tuple(data.get("tags") or ()),
        security_severity=str(security) if security is not None else None,
        options=options,
    )


class _CacheChoice:
    """Where the parsed catalog may be kept: the run's cache directory, as ``--no-cache`` and ``--cache-dir`` say."""

    enabled = True
    directory: str | None = None
    scanned_repository: str | None = None


def use_cache(enabled: bool, directory: str | None, scanned_repository: str | None) -> None:
    """Set before the catalog is first read: a command with cache flags, or :func:`ddblint.api.lint`."""
    _CacheChoice.enabled, _CacheChoice.directory = enabled, directory
    _CacheChoice.scanned_repository = scanned_repository


@functools.lru_cache(maxsize=1)
def load_catalog() -> dict[str, RuleDoc]:
    """All rules by id, in id order.

    Every run needs the catalog, and importing PyYAML to parse it costs more
    than the rest of a run that finds nothing to check. So the parsed catalog
    is kept in the run's cache directory (none under ``--no-cache``), keyed by
    the files' bytes and by ddblint's code, and YAML is read again only when
    either changes.
    """
    from ddblint.cache.store import open_cache

    texts = {path: path.read_bytes() for path in sorted(catalog_dir().glob("DDB*.yaml"))}
    cache = open_cache(_CacheChoice.enabled, _CacheChoice.directory, _CacheChoice.scanned_repository)
    key = cache.key(*(path.name.encode() + b"\0" + text for path, text in texts.items())) if cache else ""
    cached = cache.load("catalog", key) if cache else None
    if isinstance(cached, dict) and all(isinstance(rule, RuleDoc) for rule in cached.values()):
        rules = cached
    else:
        rules = _parse_catalog(texts)
        if cache:
            cache.store("catalog", key, rules)
    if cache:
        cache.close()
    return rules


def _parse_catalog(texts: dict[Path, bytes]) -> dict[str, RuleDoc]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rules: dict[str, RuleDoc] = {}
    for path, text in texts.items():
        rule = _rule_from_yaml(path, yaml.load(text.decode("utf-8"), Loader=loader))
        if rule.id != path.stem:
            raise CatalogError(f"{path.name}: id {rule.id} does not match the file name")
        rules[rule.id] = rule
    return rules


def rule_by_name_or_id(key: str) -> RuleDoc | None:
    catalog = load_catalog()
    if key.upper() in catalog:
        return catalog[key.upper()]
    return next((rule for rule in catalog.values() if rule.name == key), None)
