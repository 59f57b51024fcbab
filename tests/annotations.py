"""Read the expectations written inside fixture files.

``# expect: DDB001`` (or ``// expect:``) marks a finding on that line when the
line also holds code, else on the next line that is not a comment. Several
rules are separated by commas, each optionally followed by a quoted message
fragment: ``# expect: DDB001 "writes 300 items", DDB002``. ``# ok: DDB001``
documents a near miss; it is implied by the exact comparison and never adds
an expectation. JSON files, which cannot hold comments, use Terraform's
comment key inside the flagged object: ``"//": "expect: DDB001"`` marks the
line above it (the object's opening line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_EXPECT_RE = re.compile(r"""(?:#|//)\s*expect:\s*(?P<body>.*)$""")
_JSON_EXPECT_RE = re.compile(r""""//"\s*:\s*"expect:\s*(?P<body>.*)"\s*,?\s*$""")
_ENTRY_RE = re.compile(r"""(?P<rule>DDB\d{3})(?:\s+(?P<quote>\\?")(?P<fragment>.*?)(?P=quote))?""")
_COMMENT_ONLY_RE = re.compile(r"^\s*(#|//|/\*|\*)")


@dataclass(frozen=True)
class Expectation:
    path: str  # relative to the fixture root, with forward slashes
    line: int
    rule: str
    fragment: str = ""


def _entries(body: str) -> list[tuple[str, str]]:
    return [(m.group("rule"), m.group("fragment") or "") for m in _ENTRY_RE.finditer(body)]


def _target_line(lines: list[str], index: int) -> int:
    """The line an annotation at ``index`` (0-based) speaks of, 1-based."""
    code_before_comment = lines[index].split("#")[0].split("//")[0].strip()
    if code_before_comment:
        return index + 1
    for later in range(index + 1, len(lines)):
        if lines[later].strip() and not _COMMENT_ONLY_RE.match(lines[later]):
            return later + 1
    return index + 1


def read_expectations(root: Path) -> set[Expectation]:
    expectations: set[Expectation] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not path.name.endswith((".tf", ".tf.json", ".tfvars")):
            continue
        relative = path.relative_to(root).as_posix()
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        is_json = path.name.endswith(".json")
        for index, text in enumerate(lines):
            if is_json:
                match = _JSON_EXPECT_RE.search(text)
                target = index  # the object's opening line, 1-based: the line above
            else:
                match = _EXPECT_RE.search(text)
                target = _target_line(lines, index) if match else 0
            if match is None:
                continue
            for rule, fragment in _entries(match.group("body")):
                expectations.add(Expectation(relative, target, rule, fragment.replace('\\"', '"')))
    return expectations
