"""YAML loading that a hostile file cannot blow up.

PyYAML's safe loader still follows aliases: a few lines of nested anchors
(a "billion laughs" file) describe a structure with billions of nodes. We
count the nodes with aliases expanded while parsing and refuse past a limit.
Whatever else a document holds ends in :class:`UnsafeYaml` with its line, never
another exception: a key given twice (YAML says keys are unique; PyYAML keeps
the last without a word), an integer of thousands of digits (Python refuses to
convert past 4,300; it is kept as infinity), nesting too deep to construct.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

MAX_ALIASES = 100
MAX_NODES = 200_000


class UnsafeYaml(ValueError):
    """The text is invalid YAML or too costly to expand; ``line`` is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _refuse_bombs(events: Iterable[Any]) -> None:
    """Count the nodes the document has with every alias expanded, as a consumer walking it would meet them.

    PyYAML shares an aliased node instead of copying it, so loading a bomb is
    cheap; walking the result (validating it, encoding it as JSON) is not.
    Nine lines of nine aliases each describe 9**9 nodes, so counting alias
    events alone is not enough: an alias counts the size of what it names.
    """
    import yaml

    expanded = aliases = 0
    anchored: dict[str, int] = {}  # anchor -> its expanded size
    open_collections: list[tuple[str | None, int]] = []  # (anchor, expanded count where it began)
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            expanded += anchored.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            expanded += 1
            if event.anchor:
                anchored[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            open_collections.append((event.anchor, expanded))
            expanded += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, began = open_collections.pop()
            if anchor:
                anchored[anchor] = expanded - began
        if aliases > MAX_ALIASES or expanded > MAX_NODES:
            line = event.start_mark.line + 1 if event.start_mark else 1
            raise UnsafeYaml("too many aliases or nodes (a YAML bomb?); refused", line)


@functools.lru_cache(maxsize=1)
def _strict_loader() -> Any:
    """The safe loader, refusing repeated keys and reading huge integers without raising."""
    import math

    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[valid-type,misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen  # also 1 and true, which one Python dict cannot keep apart
                    seen.add(key)
                except TypeError:  # an unhashable key: the constructor below says so
                    continue
                if repeated:
                    raise UnsafeYaml(f"key {key_node.value!r} is given twice", key_node.start_mark.line + 1)
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node: Any) -> Any:
            try:
                return super().construct_yaml_int(node)
            except ValueError:  # past Python's 4,300-digit conversion limit
                return -math.inf if str(node.value).lstrip().startswith("-") else math.inf

    StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
    StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
    return StrictLoader


def load_yaml(text: str) -> Any:
    import yaml

    loader_class = _strict_loader()
    try:
        _refuse_bombs(yaml.parse(text, Loader=loader_class))
        return yaml.load(text, Loader=loader_class)  # noqa: S506 - a safe loader class
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise UnsafeYaml(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise UnsafeYaml(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise UnsafeYaml("invalid YAML: nests too deeply") from None
