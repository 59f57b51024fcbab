"""YAML loading that a hostile file cannot blow up.

PyYAML's safe loader still expands aliases: a few lines of nested anchors
(a "billion laughs" file) describe a structure with billions of nodes. We
count alias uses and nodes while composing and refuse past small limits.
"""

from __future__ import annotations

from typing import Any

MAX_ALIASES = 100
MAX_NODES = 200_000


class UnsafeYaml(ValueError):
    """The text is invalid YAML or too costly to expand; ``line`` is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = 0
        aliases = 0
        for event in yaml.parse(text, Loader=loader_class):
            events += 1
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
            if aliases > MAX_ALIASES or events > MAX_NODES:
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise UnsafeYaml("too many aliases or nodes (a YAML bomb?); refused", line)
        return yaml.load(text, Loader=loader_class)  # noqa: S506 - a safe loader class
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise UnsafeYaml(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise UnsafeYaml(f"invalid YAML: {exc}") from None
