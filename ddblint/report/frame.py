"""Code frames and wrapped text for the full report, laid out for a given width.

Rich would wrap long lines back to column 0, under the gutter, so that a
wrapped source line reads like two source lines and a wrapped message loses its
indent. Laying rows out here, at the console's width, keeps the gutter on every
row of a wrapped source line and every row of a message at its indent. The
result is plain rows; the reporter only styles them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FIRST_LINES = 6  # of a block, shown before the frame is cut
MIN_TEXT_WIDTH = 20  # narrower than this, rows overflow instead of wrapping to nothing
TAB_WIDTH = 4


@dataclass(frozen=True)
class FrameRow:
    """One row of a code frame: a source line or its continuation, or a cut.

    ``number`` is 0 on continuation rows and on cuts; ``cut`` counts the lines
    left out there.
    """

    number: int
    text: str
    marked: bool = False
    cut: int = 0


def frame_lines(start: int, end: int, marked: Iterable[int], available: int) -> list[int]:
    """Which lines of ``start..end`` a frame shows: the first few, every marked line, the last."""
    end = min(max(end, start), available)
    if start > end:
        return []
    shown = set(range(start, min(end, start + FIRST_LINES - 1) + 1))
    shown.update(line for line in marked if start <= line <= end)
    shown.add(end)
    return sorted(shown)


def fold_source(text: str, width: int) -> list[str]:
    """A source line cut into rows of at most ``width``, at a space when there is one.

    Continuation rows keep the line's indentation plus two, so they read as
    the same statement.
    """
    text = text.expandtabs(TAB_WIDTH).rstrip()
    width = max(width, MIN_TEXT_WIDTH)
    indent = min(len(text) - len(text.lstrip(" ")) + 2, width // 2)
    rows: list[str] = []
    while len(text) > width:
        floor = max(len(text) - len(text.lstrip(" ")), indent) + 1  # every cut shortens the rest
        cut = text.rfind(" ", floor, width + 1)
        if cut < floor:
            cut = width
        rows.append(text[:cut].rstrip())
        text = " " * indent + text[cut:].lstrip(" ")
    rows.append(text)
    return rows


def frame_rows(text_of: Callable[[int], str], numbers: list[int], marked: set[int], width: int) -> list[FrameRow]:
    """Rows for the lines ``numbers`` (1-based), their text from ``text_of``, each folded to ``width``,
    with a cut row wherever consecutive numbers skip lines. Only the lines shown are asked for."""
    rows: list[FrameRow] = []
    previous = 0
    for number in numbers:
        if previous and number > previous + 1:
            rows.append(FrameRow(0, "", cut=number - previous - 1))
        folded = fold_source(text_of(number), width)
        rows.append(FrameRow(number, folded[0], number in marked))
        rows.extend(FrameRow(0, part) for part in folded[1:])
        previous = number
    return rows


def hanging(text: str, width: int, indent: int, first_indent: int | None = None) -> list[str]:
    """``text`` wrapped at word boundaries to ``width`` columns, every row at ``indent``
    (the first at ``first_indent``, when given). A word longer than a row stays whole."""
    lead = " " * (indent if first_indent is None else first_indent)
    return textwrap.wrap(
        " ".join(text.split()),
        width=max(width, indent + MIN_TEXT_WIDTH),
        initial_indent=lead,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """A catalog text's paragraphs as ``(text, is_code)``: prose on one line (YAML keeps the
    author's line breaks), code (every line indented four spaces, as in Markdown) as written."""
    found: list[tuple[str, bool]] = []
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("    ") for line in lines):
            found.append(("\n".join(line[4:] for line in lines), True))
        else:
            found.append((" ".join(block.split()), False))
    return found
