"""Find the configuration file and read it, keeping the line of every key for error messages.

From each target, ddblint looks upwards, directory by directory, up to the
repository root (the directory holding ``.git``; the filesystem root outside a
repository). In each directory it takes, in this order, ``.ddblint.yaml``,
``.ddblint.yml``, or ``pyproject.toml`` when it has a ``[tool.ddblint]`` table;
the nearest wins. YAML is read with :func:`ddblint.untrusted.safe_yaml.load_yaml`, which
refuses alias bombs; TOML with ``tomllib`` (``tomli`` before Python 3.11).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from ddblint.config.locate import MAX_CONFIG_BYTES, PYPROJECT
from ddblint.untrusted.reading import read_regular
from ddblint.untrusted.safe_yaml import UnsafeYaml, load_yaml

Key = tuple[str | int, ...]  # a path into the document: ("rules", "DDB001", "max-items"), ("overrides", 0)


class ConfigError(Exception):
    """A configuration mistake: exit code 2, with the file and line it is at."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        shown = os.path.relpath(path) if os.path.isabs(path) else path
        super().__init__(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")


@dataclass(frozen=True)
class ConfigDocument:
    """A config file's settings (the ``[tool.ddblint]`` table for pyproject) and where each key is."""

    path: str  # absolute
    data: dict[str, Any]
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1  # where the settings start: 1, or the ``[tool.ddblint]`` header

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)

    def line(self, key: Key) -> int:
        """The line of ``key``, else of its nearest enclosing key that has one."""
        for end in range(len(key), 0, -1):
            if key[:end] in self.lines:
                return self.lines[key[:end]]
        return self.first_line


def read_config(path: str) -> ConfigDocument:
    absolute = os.path.abspath(path)
    text = _read_text(path)
    if os.path.basename(path) == PYPROJECT or path.endswith(".toml"):
        return _read_toml(path, absolute, text)
    return _read_yaml(path, absolute, text)


def _read_text(path: str) -> str:
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(path, None, "config file not found") from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read config file: {exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(path, None, f"config file is larger than {MAX_CONFIG_BYTES:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, data.count(b"\n", 0, exc.start) + 1, "config file is not UTF-8 text") from None


def _read_yaml(path: str, absolute: str, text: str) -> ConfigDocument:
    try:
        data = load_yaml(text)
    except UnsafeYaml as exc:
        raise ConfigError(path, exc.line, str(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, 1, f"expected a mapping of settings, not a {type_name(data)}")
    return ConfigDocument(absolute, data, _yaml_lines(text))


def _yaml_lines(text: str) -> dict[Key, int]:
    """The line of every mapping key and sequence item, from the composed node tree.

    ``load_yaml`` has already refused alias bombs; an alias is still walked only
    once, so shared nodes cannot multiply the work.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(text, Loader=loader)  # noqa: S506 - a safe loader class
    lines: dict[Key, int] = {}
    seen: set[int] = set()
    pending: list[tuple[Key, Any]] = [((), root)] if root is not None else []
    while pending:
        key, node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for name_node, value_node in node.value:
                child = (*key, str(name_node.value))
                lines.setdefault(child, name_node.start_mark.line + 1)
                pending.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines.setdefault((*key, index), item.start_mark.line + 1)
                pending.append(((*key, index), item))
    return lines


def _toml_module() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # type: ignore[import-not-found,unused-ignore]

    return tomli


def _read_toml(path: str, absolute: str, text: str) -> ConfigDocument:
    toml = _toml_module()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1  # "at end of document"
        raise ConfigError(path, line, f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(path, None, "invalid TOML: nests too deeply") from None
    except ValueError:  # tomllib converts integers with int(), which refuses past 4,300 digits
        raise ConfigError(path, None, "invalid TOML: an integer too long to read (over 4,300 digits)") from None
    tool = document.get("tool")
    data = tool.get("ddblint") if isinstance(tool, dict) else None
    if data is None:
        raise ConfigError(path, None, "no [tool.ddblint] table")
    if not isinstance(data, dict):
        raise ConfigError(path, None, "[tool.ddblint] must be a table")
    lines, header = _toml_lines(text)
    return ConfigDocument(absolute, data, lines, header)


# Both run on RE2: on Python's engine a line of 5,000 spaces after "[" takes minutes.
_TOML_HEADER_RE = r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$"
_TOML_KEY_RE = r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""


def _toml_key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted))


def _toml_lines(text: str) -> tuple[dict[Key, int], int]:
    """Lines of the keys under ``[tool.ddblint]``: tables, arrays of tables and ``key =`` lines.

    tomllib keeps no positions, so this reads the text line by line; keys inside
    inline tables get the line of the key that opens them.
    """
    from ddblint.untrusted.safe_regex import compile_re2

    header_re, key_re = compile_re2(_TOML_HEADER_RE), compile_re2(_TOML_KEY_RE)
    lines: dict[Key, int] = {}
    table: Key | None = None
    array_lengths: dict[Key, int] = {}
    header_line = 1
    for number, line in enumerate(text.split("\n"), start=1):  # TOML's lines end at "\n" only
        header = header_re.match(line)
        if header:
            parts = _toml_key_parts(header.group(2))
            if parts[:2] != ("tool", "ddblint"):
                table = None
                continue
            table = parts[2:]
            if not table:
                header_line = number
            if header.group(1) == "[[":
                index = array_lengths.get(table, 0)
                array_lengths[table] = index + 1
                lines.setdefault(table, number)
                table = (*table, index)
            lines.setdefault(table, number)
            continue
        key = key_re.match(line)
        if table is not None and key:
            path: Key = (*table, *_toml_key_parts(key.group(1)))
            for end in range(len(table) + 1, len(path) + 1):
                lines.setdefault(path[:end], number)
    return lines, header_line


def type_name(value: Any) -> str:
    """How a value type is called in messages: YAML and TOML words, not Python's."""
    names = {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
