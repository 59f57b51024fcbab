"""YAML loading that a hostile file cannot blow up.

PyYAML's safe loader still follows aliases: a few lines of nested anchors
(a "billion laughs" file) describe a structure with billions of nodes. We
count the nodes with aliases expanded while parsing and refuse past a limit.
"""

from __future__ import annotations

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


def load_yaml(text: str) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _refuse_bombs(yaml.parse(text, Loader=loader_class))
        return yaml.load(text, Loader=loader_class)  # noqa: S506 - a safe loader class
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise UnsafeYaml(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise UnsafeYaml(f"invalid YAML: {exc}") from None
