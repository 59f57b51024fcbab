"""Parse many files: the one place that decides how (sequentially for now)."""

from __future__ import annotations

from ddblint.parse import parse_file
from ddblint.settings import Settings
from ddblint.syntax import ParsedFile


def parse_many(paths: list[str], settings: Settings) -> dict[str, ParsedFile]:
    return {path: parse_file(path, settings.max_file_size, settings.parse_time_budget) for path in paths}
